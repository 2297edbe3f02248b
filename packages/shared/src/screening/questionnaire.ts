import type { FieldError } from '../errors.js';
import { SYMPTOMS, type Symptom } from '../protocol/values.js';

/**
 * A screening campaign's questionnaire (入户排查问卷): the standard items every campaign may carry and the
 * custom items a campaign adds. Pure rules shared by the console's editor, the grid worker's (offline) visit
 * form and the server, so a visit recorded offline is judged by exactly the rules the server applies.
 */
type Label = { zh: string; en: string };

export const STANDARD_ITEM_KINDS = ['presence', 'symptoms', 'travel', 'vaccination', 'latest_test', 'special_needs'] as const;
export type StandardItemKind = (typeof STANDARD_ITEM_KINDS)[number];
export const CUSTOM_ITEM_KINDS = ['yes_no', 'single', 'multi', 'text'] as const;
export type CustomItemKind = (typeof CUSTOM_ITEM_KINDS)[number];
export const ITEM_KINDS = [...STANDARD_ITEM_KINDS, ...CUSTOM_ITEM_KINDS] as const;
export type ItemKind = StandardItemKind | CustomItemKind;

export const PRESENCES = ['home', 'away', 'moved_out'] as const;
export type Presence = (typeof PRESENCES)[number];
export const VACCINATIONS = ['none', 'one_dose', 'two_doses', 'booster'] as const;
export type Vaccination = (typeof VACCINATIONS)[number];
export const SCREENING_TEST_RESULTS = ['negative', 'positive', 'pending'] as const;
export type ScreeningTestResult = (typeof SCREENING_TEST_RESULTS)[number];
export const SPECIAL_NEEDS = ['medicine', 'dialysis', 'oxygen', 'mobility', 'other'] as const;
export type SpecialNeed = (typeof SPECIAL_NEEDS)[number];

/** Labels of the screening vocabularies (one object, so that they never collide with other modules' names). */
export const SCREENING_LABELS = {
  kind: {
    presence: { zh: '在家情况', en: 'At home' },
    symptoms: { zh: '症状', en: 'Symptoms' },
    travel: { zh: '近期行程', en: 'Recent travel' },
    vaccination: { zh: '疫苗接种', en: 'Vaccination' },
    latest_test: { zh: '最近一次核酸检测', en: 'Latest test' },
    special_needs: { zh: '特殊需求', en: 'Special needs' },
    yes_no: { zh: '是/否', en: 'Yes/no' },
    single: { zh: '单选', en: 'Single choice' },
    multi: { zh: '多选', en: 'Multiple choice' },
    text: { zh: '文字', en: 'Text' },
  } satisfies Record<ItemKind, Label>,
  presence: {
    home: { zh: '在家', en: 'At home' },
    away: { zh: '外出', en: 'Away' },
    moved_out: { zh: '已搬离', en: 'Moved out' },
  } satisfies Record<Presence, Label>,
  symptom: {
    fever: { zh: '发热', en: 'Fever' },
    cough: { zh: '咳嗽', en: 'Cough' },
    sore_throat: { zh: '咽痛', en: 'Sore throat' },
    fatigue: { zh: '乏力', en: 'Fatigue' },
    loss_of_smell: { zh: '嗅(味)觉减退', en: 'Loss of smell or taste' },
    diarrhea: { zh: '腹泻', en: 'Diarrhoea' },
    breathing_difficulty: { zh: '呼吸困难', en: 'Breathing difficulty' },
  } satisfies Record<Symptom, Label>,
  vaccination: {
    none: { zh: '未接种', en: 'Not vaccinated' },
    one_dose: { zh: '已接种1剂', en: 'One dose' },
    two_doses: { zh: '已完成基础免疫', en: 'Primary series' },
    booster: { zh: '已加强免疫', en: 'Booster' },
  } satisfies Record<Vaccination, Label>,
  testResult: {
    negative: { zh: '阴性', en: 'Negative' },
    positive: { zh: '阳性', en: 'Positive' },
    pending: { zh: '待出结果', en: 'Pending' },
  } satisfies Record<ScreeningTestResult, Label>,
  specialNeed: {
    medicine: { zh: '购药/用药', en: 'Medicine' },
    dialysis: { zh: '透析', en: 'Dialysis' },
    oxygen: { zh: '吸氧', en: 'Oxygen' },
    mobility: { zh: '行动不便', en: 'Limited mobility' },
    other: { zh: '其他需求', en: 'Other' },
  } satisfies Record<SpecialNeed, Label>,
} as const;

export interface ItemOption {
  value: string;
  label: string;
}

export interface QuestionnaireItem {
  /** Standard items: their kind. Custom items: `c` + letters/digits (stable keys of the answers). */
  id: string;
  kind: ItemKind;
  /** What the form shows (Chinese). */
  label: string;
  required: boolean;
  /** Choices of a single/multi item. */
  options?: ItemOption[] | undefined;
  /** Custom items: answers that mark the resident abnormal ('yes'/'no' for yes/no items, option values otherwise). */
  flagged?: string[] | undefined;
}

export interface Questionnaire {
  items: QuestionnaireItem[];
}

export const MAX_ITEMS = 30;
export const MAX_OPTIONS = 20;
export const CUSTOM_ID = /^c[a-z0-9]{1,20}$/;
const OPTION_VALUE = /^[a-z0-9_]{1,30}$/;

const isStandard = (k: string): k is StandardItemKind => (STANDARD_ITEM_KINDS as readonly string[]).includes(k);
export const isCustomKind = (k: string): k is CustomItemKind => (CUSTOM_ITEM_KINDS as readonly string[]).includes(k);

/** Every standard item; the ones a household without any need can answer in one tap are required. */
export function defaultQuestionnaire(): Questionnaire {
  const item = (kind: StandardItemKind, required: boolean): QuestionnaireItem => ({ id: kind, kind, label: SCREENING_LABELS.kind[kind].zh, required });
  return {
    items: [item('presence', true), item('symptoms', true), item('travel', false), item('vaccination', false), item('latest_test', false), item('special_needs', true)],
  };
}

/**
 * Checks a questionnaire definition: at-home status first and always required, standard items at most once,
 * custom items with a valid id, a label, distinct options for choices, and flags that name real answers.
 * Paths are relative to the questionnaire (`/items/2/options`); callers prefix their own location.
 */
export function questionnaireErrors(q: Questionnaire): FieldError[] {
  const errors: FieldError[] = [];
  const err = (path: string, code: string, message: string) => errors.push({ path, code, message });
  if (q.items.length === 0) err('/items', 'empty', '问卷至少包含“在家情况”一项');
  if (q.items.length > MAX_ITEMS) err('/items', 'too_many', `问卷最多 ${MAX_ITEMS} 项`);
  const first = q.items[0];
  if (first && (first.kind !== 'presence' || !first.required)) err('/items/0', 'presence_first', '第一项须为必填的“在家情况”');
  const ids = new Set<string>();
  q.items.forEach((it, i) => {
    const at = `/items/${i}`;
    if (ids.has(it.id)) err(`${at}/id`, 'duplicate', `问题编号 ${it.id} 重复`);
    ids.add(it.id);
    if (!it.label.trim()) err(`${at}/label`, 'required', '请填写问题内容');
    if (it.label.length > 60) err(`${at}/label`, 'too_long', '问题内容最多 60 个字');
    if (isStandard(it.kind)) {
      if (it.id !== it.kind) err(`${at}/id`, 'standard_id', '标准问题的编号须与类型相同');
      if (it.kind === 'presence' && i !== 0) err(`${at}/kind`, 'presence_first', '“在家情况”只能作为第一项');
      if (it.options?.length) err(`${at}/options`, 'not_allowed', '标准问题不能自定义选项');
      if (it.flagged?.length) err(`${at}/flagged`, 'not_allowed', '标准问题的异常判定由防控方案决定');
      return;
    }
    if (!CUSTOM_ID.test(it.id)) err(`${at}/id`, 'custom_id', '自定义问题编号须为 c 加字母或数字');
    const options = it.options ?? [];
    if (it.kind === 'single' || it.kind === 'multi') {
      if (options.length < 2) err(`${at}/options`, 'too_few', '选择题至少需要 2 个选项');
      if (options.length > MAX_OPTIONS) err(`${at}/options`, 'too_many', `选择题最多 ${MAX_OPTIONS} 个选项`);
      const values = new Set<string>();
      const labels = new Set<string>();
      options.forEach((o, j) => {
        if (!OPTION_VALUE.test(o.value)) err(`${at}/options/${j}/value`, 'format', '选项编号须为小写字母、数字或下划线');
        if (values.has(o.value)) err(`${at}/options/${j}/value`, 'duplicate', '选项编号重复');
        if (!o.label.trim()) err(`${at}/options/${j}/label`, 'required', '请填写选项内容');
        if (labels.has(o.label.trim())) err(`${at}/options/${j}/label`, 'duplicate', `选项“${o.label.trim()}”重复`);
        values.add(o.value);
        labels.add(o.label.trim());
      });
    } else if (options.length) err(`${at}/options`, 'not_allowed', '只有选择题可以设置选项');
    const answers = it.kind === 'yes_no' ? ['yes', 'no'] : options.map((o) => o.value);
    if (it.kind === 'text' && it.flagged?.length) err(`${at}/flagged`, 'not_allowed', '文字题不能设置异常答案');
    else if (it.kind === 'yes_no' && (it.flagged?.length ?? 0) > 1) err(`${at}/flagged`, 'too_many', '是/否题只能把一个答案设为异常');
    for (const f of it.flagged ?? []) if (!answers.includes(f)) err(`${at}/flagged`, 'unknown', `异常答案 ${f} 不是该题的选项`);
  });
  return errors;
}

/** A fresh custom item id that the questionnaire does not use yet. */
export function nextCustomId(q: Questionnaire): string {
  for (let n = 1; ; n++) if (!q.items.some((i) => i.id === `c${n}`)) return `c${n}`;
}

/** The answer a household without anything to report gives, or undefined where no such answer exists. */
export function normalAnswer(item: QuestionnaireItem): unknown {
  switch (item.kind) {
    case 'presence':
      return 'home';
    case 'symptoms':
    case 'travel':
    case 'special_needs':
      return [];
    case 'yes_no': {
      const flagged = item.flagged ?? [];
      if (flagged.includes('yes') && !flagged.includes('no')) return false;
      if (flagged.includes('no') && !flagged.includes('yes')) return true;
      return undefined;
    }
    case 'multi':
      return (item.flagged?.length ?? 0) > 0 ? [] : undefined;
    default:
      // Vaccination, the latest test, single choices and text are facts to ask, never guessed.
      return undefined;
  }
}

/** "全户正常": for every item that has a normal answer, that answer (one resident's answers). */
export function normalAnswers(q: Questionnaire): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const it of q.items) {
    const v = normalAnswer(it);
    if (v !== undefined) out[it.id] = v;
  }
  return out;
}

/** Symptoms a questionnaire may record (the vocabulary of the protocol). */
export const SCREENING_SYMPTOMS: readonly Symptom[] = SYMPTOMS;
