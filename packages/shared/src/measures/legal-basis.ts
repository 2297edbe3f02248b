/**
 * The legal basis a control measure cites (REFERENCE.md §6). Article numbers change with a law's revisions, so
 * every reference carries the law's version: the 2013 text of the Law on the Prevention and Treatment of
 * Infectious Diseases is the one in force during 2020–2022 [V S54–S56]; its 2025 revision renumbered it [V S57].
 */
export interface LegalBasis {
  id: string;
  law: string;
  /** The text's version (year of the revision or amendment in force). */
  lawVersion: string;
  article: string;
  /** What the article allows, in the words a notice quotes. */
  summary: string;
  source: string;
}

export const LEGAL_BASES: readonly LegalBasis[] = [
  {
    id: 'cdl-2013-art39', law: '中华人民共和国传染病防治法', lawVersion: '2013年修正', article: '第三十九条',
    summary: '对病人、病原携带者予以隔离治疗；对疑似病人在指定场所单独隔离治疗；对病人、病原携带者、疑似病人的密切接触者，在指定场所进行医学观察和采取其他必要的预防措施。拒绝隔离治疗或者隔离期未满擅自脱离隔离治疗的，可以由公安机关协助医疗机构采取强制隔离治疗措施。',
    source: 'REFERENCE §6 [V S54–S56]',
  },
  {
    id: 'cdl-2013-art41', law: '中华人民共和国传染病防治法', lawVersion: '2013年修正', article: '第四十一条',
    summary: '对已经发生甲类传染病病例的场所或者该场所内的特定区域的人员，所在地的县级以上地方人民政府可以实施隔离措施，并同时向上一级人民政府报告；接到报告的上级人民政府应当即时作出是否批准的决定。在隔离期间，实施隔离措施的人民政府应当对被隔离人员提供生活保障；被隔离人员有工作单位的，所在单位不得停止支付其隔离期间的工作报酬。隔离措施的解除，由原决定机关决定并宣布。',
    source: 'REFERENCE §6 [V S54–S56]',
  },
  {
    id: 'cdl-2013-art42', law: '中华人民共和国传染病防治法', lawVersion: '2013年修正', article: '第四十二条',
    summary: '传染病暴发、流行时，县级以上地方人民政府报经上一级人民政府决定，可以采取限制或者停止集市、影剧院演出或者其他人群聚集的活动，停工、停业、停课，封闭可能造成传染病扩散的场所等紧急措施；紧急措施的解除，由原决定机关决定并宣布。',
    source: 'REFERENCE §6 [V S54–S56]',
  },
  {
    id: 'ephe-2011-art33', law: '突发公共卫生事件应急条例', lawVersion: '2011年修订', article: '第三十三条',
    summary: '根据突发事件应急处理的需要，突发事件应急处理指挥部有权紧急调集人员、储备的物资、交通工具以及相关设施、设备；必要时，对人员进行疏散或者隔离，并可以依法对传染病疫区实行封锁。',
    source: 'REFERENCE §6 [V S58,S59]',
  },
];

export function legalBasis(id: string): LegalBasis | undefined {
  return LEGAL_BASES.find((b) => b.id === id);
}
