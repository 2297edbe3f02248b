import {
  DOCUMENT_TYPE_LABELS, IMPORT_FIELDS, IMPORT_REQUIRED_FIELDS, normalizeToken, RELATION_LABELS, RESIDENCE_STATUS_LABELS, toHalfWidth, VULNERABILITY_TAG_LABELS,
  type DocumentType, type ImportField, type ImportMapping, type Relation, type ResidenceStatus, type Sex, type VulnerabilityTag,
} from '@gridline/shared';

export const REQUIRED_FIELDS = IMPORT_REQUIRED_FIELDS;

/** Field names as the error report and messages show them. */
export const FIELD_LABELS: Record<ImportField, string> = {
  name: '姓名', sex: '性别', docType: '证件类型', docNumber: '证件号码', birthDate: '出生日期', phone: '手机号码', building: '楼栋', unit: '单元',
  room: '门牌号', relationToHead: '与户主关系', residenceStatus: '人员类别', tags: '标签', notes: '备注',
};

/** Headers seen in community spreadsheets (and English ones), compared after `headerKey`. */
const HEADER_ALIASES: Record<ImportField, string[]> = {
  name: ['姓名', '名字', '居民姓名', '人员姓名', 'name', 'fullname'],
  sex: ['性别', 'sex', 'gender'],
  docType: ['证件类型', '证件种类', 'doctype', 'documenttype', 'idtype'],
  docNumber: ['身份证号', '身份证号码', '公民身份号码', '证件号码', '证件号', '身份证', 'docnumber', 'documentnumber', 'idnumber', 'idno', 'idcard', 'idcardnumber'],
  birthDate: ['出生日期', '出生年月', '出生年月日', '生日', 'birthdate', 'dateofbirth', 'dob', 'birthday'],
  phone: ['手机号', '手机号码', '联系电话', '电话', '联系方式', '手机', '电话号码', 'phone', 'mobile', 'telephone', 'tel', 'phonenumber', 'mobilephone'],
  building: ['楼栋', '楼号', '楼栋号', '栋', '楼', '楼宇', 'building', 'bldg'],
  unit: ['单元', '单元号', 'unit'],
  room: ['门牌号', '房号', '房间号', '室', '房间', '门牌', '户号', 'room', 'roomno', 'roomnumber', 'doornumber', 'apartment'],
  relationToHead: ['与户主关系', '关系', '户主关系', 'relationtohead', 'relation', 'relationship'],
  residenceStatus: ['人员类别', '居住类型', '户籍类型', '人口类型', '人员类型', '居住状态', 'residencestatus', 'residence', 'residenttype'],
  tags: ['标签', '重点人群', '特殊人群', '人群标签', '重点人群类别', 'tags', 'tag', 'vulnerability'],
  notes: ['备注', '说明', 'notes', 'note', 'remarks', 'remark', 'comment', 'comments'],
};

/** "＊身份证号码（必填）" → "身份证号码"; "Doc_Number" → "docnumber". */
export function headerKey(header: string): string {
  return toHalfWidth(header)
    .replace(/\([^)]*\)|\[[^\]]*\]/g, '')
    .replace(/[\s*_\-:：.]/g, '')
    .toLowerCase();
}

const HEADER_INDEX = new Map<string, ImportField>(IMPORT_FIELDS.flatMap((f) => HEADER_ALIASES[f].map((a) => [headerKey(a), f] as const)));

/** Recognized headers map to their field (each field once, the first column wins); others are ignored. */
export function autoMapping(headers: string[]): ImportMapping {
  const used = new Set<ImportField>();
  const mapping: ImportMapping = {};
  for (const h of headers) {
    const field = HEADER_INDEX.get(headerKey(h));
    mapping[h] = field && !used.has(field) ? field : null;
    if (field) used.add(field);
  }
  return mapping;
}

export function missingFields(mapping: ImportMapping): ImportField[] {
  const mapped = new Set(Object.values(mapping));
  return REQUIRED_FIELDS.filter((f) => !mapped.has(f));
}

// ---- cell values → register vocabularies --------------------------------------------------------

function vocabKey(s: string): string {
  return toHalfWidth(s).replace(/\s+/g, '').toLowerCase();
}

/**
 * A reverse map built from a label table: the code, the English label, the Chinese label, each part of a
 * label like "儿媳/女婿", and both readings of "(外)祖父母"; `aliases` adds what people write besides.
 */
function reverseMap<T extends string>(labels: Record<T, { zh: string; en: string }>, aliases: Record<string, T> = {}): Map<string, T> {
  const out = new Map<string, T>();
  const add = (k: string, v: T) => {
    const key = vocabKey(k);
    if (key && !out.has(key)) out.set(key, v);
  };
  for (const [code, l] of Object.entries(labels) as [T, { zh: string; en: string }][]) {
    add(code, code);
    add(l.en, code);
    for (const part of toHalfWidth(l.zh).split('/')) {
      add(part, code);
      add(part.replace(/[()]/g, ''), code);
      add(part.replace(/\([^)]*\)/g, ''), code);
    }
  }
  for (const [k, v] of Object.entries(aliases)) add(k, v);
  return out;
}

const SEX_MAP = new Map<string, Sex>([['男', 'male'], ['男性', 'male'], ['male', 'male'], ['m', 'male'], ['女', 'female'], ['女性', 'female'], ['female', 'female'], ['f', 'female']]);
const DOC_TYPE_MAP = reverseMap(DOCUMENT_TYPE_LABELS, {
  身份证: 'resident_id', 二代身份证: 'resident_id', 居民身份证号码: 'resident_id', 港澳通行证: 'hk_macao_permit', 回乡证: 'hk_macao_permit',
  台胞证: 'taiwan_permit', 台湾通行证: 'taiwan_permit', 永久居留证: 'foreign_permanent_id', 外国人永久居留证: 'foreign_permanent_id',
});
const RELATION_MAP = reverseMap(RELATION_LABELS, {
  本人: 'head', 妻子: 'spouse', 丈夫: 'spouse', 妻: 'spouse', 夫: 'spouse', 儿子: 'child', 女儿: 'child', 子: 'child', 女: 'child', 长子: 'child', 长女: 'child',
  次子: 'child', 次女: 'child', 父亲: 'parent', 母亲: 'parent', 孙子: 'grandchild', 孙女: 'grandchild', 外孙: 'grandchild', 外孙女: 'grandchild',
  祖父: 'grandparent', 祖母: 'grandparent', 外祖父: 'grandparent', 外祖母: 'grandparent', 兄弟: 'sibling', 姐妹: 'sibling', 哥哥: 'sibling',
  弟弟: 'sibling', 姐姐: 'sibling', 妹妹: 'sibling', 儿媳: 'child_in_law', 女婿: 'child_in_law', 其他: 'other_relative', 亲属: 'other_relative',
  租客: 'non_relative', 保姆: 'non_relative', 朋友: 'non_relative',
});
const RESIDENCE_MAP = reverseMap(RESIDENCE_STATUS_LABELS, {
  户籍人口: 'registered', 本地户籍: 'registered', 常住人口: 'permanent', 流动人口: 'floating', 外来人口: 'floating', 暂住: 'floating',
  租住: 'tenant', 租房: 'tenant', 承租: 'tenant',
});
const TAG_MAP = reverseMap(VULNERABILITY_TAG_LABELS, {
  孕妇: 'pregnant', 产妇: 'pregnant', 婴儿: 'infant', 幼儿: 'infant', 卧床: 'bedridden', 精神病: 'mental_illness', 慢病: 'chronic_disease',
  残障: 'disabled', 贫困户: 'low_income', '80岁以上': 'elderly_80_plus',
});
const TAG_LIST = Object.values(VULNERABILITY_TAG_LABELS).map((l) => l.zh).join('、');

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function lookup<T>(map: Map<string, T>, raw: string, reason: string): Parsed<T> {
  const v = map.get(vocabKey(raw));
  return v === undefined ? { ok: false, reason } : { ok: true, value: v };
}

export const parseSex = (raw: string) => lookup(SEX_MAP, raw, `性别“${raw}”无法识别，应为“男”或“女”`);
export const parseDocType = (raw: string) =>
  lookup<DocumentType>(DOC_TYPE_MAP, raw, `证件类型“${raw}”无法识别，可填：身份证、护照、港澳通行证、台胞证、外国人永久居留身份证`);
export const parseRelation = (raw: string) =>
  lookup<Relation>(RELATION_MAP, raw, `与户主关系“${raw}”无法识别，可填：${Object.values(RELATION_LABELS).map((l) => l.zh).join('、')}`);
export const parseResidence = (raw: string) =>
  lookup<ResidenceStatus>(RESIDENCE_MAP, raw, `人员类别“${raw}”无法识别，可填：${Object.values(RESIDENCE_STATUS_LABELS).map((l) => l.zh).join('、')}`);

/** "独居老人、慢性病,透析" → tags; a word may be the start of exactly one label ("透析" → 透析患者). */
export function parseTags(raw: string): Parsed<VulnerabilityTag[]> {
  const out = new Set<VulnerabilityTag>();
  for (const word of toHalfWidth(raw).split(/[、,，;；/|\s]+/).filter(Boolean)) {
    const key = vocabKey(word);
    let tag = TAG_MAP.get(key);
    if (!tag && key.length >= 2) {
      const candidates = new Set([...TAG_MAP].filter(([k]) => k.startsWith(key)).map(([, v]) => v));
      if (candidates.size === 1) tag = [...candidates][0];
    }
    if (!tag) return { ok: false, reason: `标签“${word}”无法识别，可填：${TAG_LIST}（多个用顿号分隔）` };
    out.add(tag);
  }
  return { ok: true, value: [...out].sort() };
}

// ---- addresses ----------------------------------------------------------------------------------

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "十二" → "12", "二十三" → "23"; anything else unchanged. */
function chineseNumber(s: string): string {
  const m = /^([一二两三四五六七八九]?)(十?)([零一二三四五六七八九]?)$/.exec(s);
  if (!m || !s) return s;
  if (!m[2]) return m[1] && !m[3] ? String(CN_DIGITS[m[1]]) : s;
  return String((m[1] ? CN_DIGITS[m[1]]! : 1) * 10 + (m[3] ? CN_DIGITS[m[3]]! : 0));
}

function key(raw: string, suffixes: RegExp): string {
  let s = normalizeToken(raw).toUpperCase().replace(/^第/, '').replace(suffixes, '');
  s = chineseNumber(s);
  return /^\d+$/.test(s) ? String(Number(s)) : s;
}

/** "3栋", "3号楼", "三幢", "03" → "3": how a building is named, without its counter word. */
export const buildingKey = (raw: string) => key(raw, /(号楼|栋楼|号栋|栋|幢|座|楼|号)$/);
/** "2单元", "二单元", "2" → "2". */
export const unitKey = (raw: string) => key(raw, /(单元|门|号)$/);

/** "302", "0302", "3-02", "302室" → "0302" (floor and room, two digits each); null when unreadable. */
export function normalizeRoom(raw: string): string | null {
  const s = normalizeToken(raw).replace(/[—–－]/g, '-').replace(/(室|号|房)$/, '');
  const split = /^(\d{1,2})[-_.](\d{1,2})$/.exec(s);
  if (split) return split[1]!.padStart(2, '0') + split[2]!.padStart(2, '0');
  return /^\d{1,4}$/.test(s) ? s.padStart(4, '0') : null;
}

/** "1980/1/2", "1980.01.02", "19800102", "1980年1月2日" → "1980-01-02"; "1980-01" → partial; else as typed. */
export function normalizeDate(raw: string): { date: string } | { partial: string } | undefined {
  const s = normalizeToken(raw);
  if (!s) return undefined;
  const pad = (n: string) => n.padStart(2, '0');
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (full) return { date: `${full[1]}-${pad(full[2]!)}-${pad(full[3]!)}` };
  const month = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
  if (month) return { partial: `${month[1]}-${pad(month[2]!)}` };
  return { date: s };
}
