/** Closed vocabularies of the resident register, with their UI labels. */
export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];

export const RESIDENCE_STATUSES = ['registered', 'permanent', 'floating', 'tenant'] as const;
export type ResidenceStatus = (typeof RESIDENCE_STATUSES)[number];
export const RESIDENCE_STATUS_LABELS: Record<ResidenceStatus, { zh: string; en: string }> = {
  registered: { zh: '户籍', en: 'Registered' },
  permanent: { zh: '常住', en: 'Permanent' },
  floating: { zh: '流动', en: 'Floating' },
  tenant: { zh: '租户', en: 'Tenant' },
};

export const RELATIONS = [
  'head', 'spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling', 'child_in_law', 'other_relative', 'non_relative',
] as const;
export type Relation = (typeof RELATIONS)[number];
export const RELATION_LABELS: Record<Relation, { zh: string; en: string }> = {
  head: { zh: '户主', en: 'Head' },
  spouse: { zh: '配偶', en: 'Spouse' },
  child: { zh: '子女', en: 'Child' },
  parent: { zh: '父母', en: 'Parent' },
  grandparent: { zh: '(外)祖父母', en: 'Grandparent' },
  grandchild: { zh: '(外)孙子女', en: 'Grandchild' },
  sibling: { zh: '兄弟姐妹', en: 'Sibling' },
  child_in_law: { zh: '儿媳/女婿', en: 'Child-in-law' },
  other_relative: { zh: '其他亲属', en: 'Other relative' },
  non_relative: { zh: '非亲属', en: 'Non-relative' },
};

export const VULNERABILITY_TAGS = [
  'elderly_alone', 'elderly_80_plus', 'chronic_disease', 'disabled', 'pregnant', 'infant', 'dialysis', 'bedridden',
  'mental_illness', 'low_income', 'left_behind_child',
] as const;
export type VulnerabilityTag = (typeof VULNERABILITY_TAGS)[number];
export const VULNERABILITY_TAG_LABELS: Record<VulnerabilityTag, { zh: string; en: string }> = {
  elderly_alone: { zh: '独居老人', en: 'Elderly living alone' },
  elderly_80_plus: { zh: '高龄老人', en: 'Aged 80+' },
  chronic_disease: { zh: '慢性病', en: 'Chronic disease' },
  disabled: { zh: '残疾人', en: 'Disabled' },
  pregnant: { zh: '孕产妇', en: 'Pregnant' },
  infant: { zh: '婴幼儿', en: 'Infant' },
  dialysis: { zh: '透析患者', en: 'Dialysis' },
  bedridden: { zh: '长期卧床', en: 'Bedridden' },
  mental_illness: { zh: '精神障碍', en: 'Mental illness' },
  low_income: { zh: '低保/困难家庭', en: 'Low income' },
  left_behind_child: { zh: '留守儿童', en: 'Left-behind child' },
};
