/**
 * Matters a community raises to government departments (whistles) and that inbox items are classified into.
 * Shared by the whistle routing rules, the inbox keyword rules and the performance figures.
 */
export const WHISTLE_CATEGORIES = [
  'medical',
  'epidemic',
  'supplies',
  'sanitation',
  'public_order',
  'utilities',
  'housing',
  'market',
  'welfare',
  'traffic',
  'other',
] as const;
export type WhistleCategory = (typeof WHISTLE_CATEGORIES)[number];

export const WHISTLE_CATEGORY_LABELS: Record<WhistleCategory, { zh: string; en: string }> = {
  medical: { zh: '就医用药', en: 'Medical care and medicine' },
  epidemic: { zh: '疫情防控', en: 'Epidemic control' },
  supplies: { zh: '生活物资', en: 'Daily supplies' },
  sanitation: { zh: '环境卫生', en: 'Sanitation' },
  public_order: { zh: '治安秩序', en: 'Public order' },
  utilities: { zh: '水电气热', en: 'Water, power, gas, heating' },
  housing: { zh: '房屋安全', en: 'Housing safety' },
  market: { zh: '市场监管', en: 'Market supervision' },
  welfare: { zh: '民政救助', en: 'Welfare and relief' },
  traffic: { zh: '交通出行', en: 'Traffic and transport' },
  other: { zh: '其他', en: 'Other' },
};

/** 日常哨 / 攻坚哨 / 应急哨 (REFERENCE.md §4): the urgency sets the acknowledgement and resolution deadlines. */
export const WHISTLE_URGENCIES = ['daily', 'tough', 'emergency'] as const;
export type WhistleUrgency = (typeof WHISTLE_URGENCIES)[number];

export const WHISTLE_URGENCY_LABELS: Record<WhistleUrgency, { zh: string; en: string }> = {
  daily: { zh: '日常哨', en: 'Routine' },
  tough: { zh: '攻坚哨', en: 'Hard case' },
  emergency: { zh: '应急哨', en: 'Emergency' },
};
