import type { FieldError } from '../errors.js';
import { SYMPTOMS, type Symptom } from '../protocol/values.js';
import {
  PRESENCES, SCREENING_LABELS, SPECIAL_NEEDS, SCREENING_TEST_RESULTS, VACCINATIONS, type Presence, type Questionnaire, type QuestionnaireItem,
} from './questionnaire.js';

/** One resident's answers, keyed by questionnaire item id. */
export type ResidentAnswers = Record<string, unknown>;

export const MAX_TRAVEL_PLACES = 10;
export const MAX_TEXT = 200;

const isDate = (s: unknown): s is string => {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const oneOf = <T extends string>(values: readonly T[], v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);

/** Whether a value counts as "no answer" (required items must not be left so). */
function isBlank(item: QuestionnaireItem, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (item.kind === 'text' || item.kind === 'single') return typeof v === 'string' && v.trim() === '';
  return false;
}

/** The problem with one answer (Chinese), or null when it is well-formed for its item. */
function answerProblem(item: QuestionnaireItem, v: unknown, today: string): { code: string; message: string } | null {
  const bad = (message: string) => ({ code: 'invalid', message });
  switch (item.kind) {
    case 'presence':
      return oneOf(PRESENCES, v) ? null : bad('请选择在家、外出或已搬离');
    case 'symptoms':
      if (!isStringArray(v) || !v.every((s) => oneOf(SYMPTOMS, s))) return bad('症状不在可选范围内');
      return new Set(v).size === v.length ? null : bad('症状重复');
    case 'special_needs':
      if (!isStringArray(v) || !v.every((s) => oneOf(SPECIAL_NEEDS, s))) return bad('特殊需求不在可选范围内');
      return new Set(v).size === v.length ? null : bad('特殊需求重复');
    case 'travel':
      if (!isStringArray(v)) return bad('近期行程须为地点列表');
      if (v.length > MAX_TRAVEL_PLACES) return bad(`近期行程最多填写 ${MAX_TRAVEL_PLACES} 个地点`);
      return v.every((p) => p.trim().length >= 1 && p.length <= 40) ? null : bad('每个地点 1–40 个字');
    case 'vaccination':
      return oneOf(VACCINATIONS, v) ? null : bad('请选择疫苗接种情况');
    case 'latest_test': {
      if (v === 'none') return null;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('请填写检测日期和结果，或选择“未检测”');
      const t = v as Record<string, unknown>;
      if (Object.keys(t).some((k) => k !== 'date' && k !== 'result')) return bad('检测信息只含日期和结果');
      if (!isDate(t.date)) return { code: 'date', message: '请填写有效的检测日期' };
      if (t.date > today) return { code: 'date', message: '检测日期不能晚于今天' };
      return oneOf(SCREENING_TEST_RESULTS, t.result) ? null : { code: 'result', message: '请选择检测结果' };
    }
    case 'yes_no':
      return typeof v === 'boolean' ? null : bad('请选择是或否');
    case 'single':
      return typeof v === 'string' && (item.options ?? []).some((o) => o.value === v) ? null : bad('请从选项中选择一项');
    case 'multi': {
      const values = (item.options ?? []).map((o) => o.value);
      if (!isStringArray(v) || !v.every((x) => values.includes(x))) return bad('请从选项中选择');
      return new Set(v).size === v.length ? null : bad('选项重复');
    }
    case 'text':
      if (typeof v !== 'string') return bad('请填写文字');
      return v.length <= MAX_TEXT ? null : bad(`最多 ${MAX_TEXT} 个字`);
  }
}

/**
 * Checks one resident's answers against the questionnaire. Someone away or moved out is only asked where
 * they are (the other items are optional for them, answered by whoever is home when known).
 * Paths are `/<item id>`; messages name the question, so the form and the server say the same thing.
 */
export function answerErrors(q: Questionnaire, answers: ResidentAnswers, opts: { today: string }): FieldError[] {
  const errors: FieldError[] = [];
  const byId = new Map(q.items.map((i) => [i.id, i]));
  for (const key of Object.keys(answers)) {
    if (!byId.has(key)) errors.push({ path: `/${key}`, code: 'unknown', message: `问卷中没有“${key}”这一项` });
  }
  const presence = answers.presence as Presence | undefined;
  const atHome = presence === undefined || presence === 'home';
  for (const item of q.items) {
    const v = answers[item.id];
    if (isBlank(item, v)) {
      if (item.required && (atHome || item.kind === 'presence')) errors.push({ path: `/${item.id}`, code: 'required', message: `请回答“${item.label}”` });
      continue;
    }
    const problem = answerProblem(item, v, opts.today);
    if (problem) errors.push({ path: `/${item.id}`, code: problem.code, message: `“${item.label}”：${problem.message}` });
  }
  return errors;
}

/**
 * Why a resident's answers are abnormal, as stable codes `<item id>:<value>`: symptoms the protocol in force
 * lists, any special need (highlighted for follow-up), a positive latest test, and custom answers the
 * campaign flagged. An empty list means nothing to follow up.
 */
export function abnormalReasons(q: Questionnaire, answers: ResidentAnswers, abnormalSymptoms: readonly Symptom[]): string[] {
  const reasons: string[] = [];
  for (const item of q.items) {
    const v = answers[item.id];
    if (v === undefined || v === null) continue;
    switch (item.kind) {
      case 'symptoms':
        if (isStringArray(v)) for (const s of v) if ((abnormalSymptoms as readonly string[]).includes(s)) reasons.push(`${item.id}:${s}`);
        break;
      case 'special_needs':
        if (isStringArray(v)) for (const s of v) reasons.push(`${item.id}:${s}`);
        break;
      case 'latest_test':
        if (typeof v === 'object' && !Array.isArray(v) && (v as { result?: unknown }).result === 'positive') reasons.push(`${item.id}:positive`);
        break;
      case 'yes_no':
        if (typeof v === 'boolean' && (item.flagged ?? []).includes(v ? 'yes' : 'no')) reasons.push(`${item.id}:${v ? 'yes' : 'no'}`);
        break;
      case 'single':
        if (typeof v === 'string' && (item.flagged ?? []).includes(v)) reasons.push(`${item.id}:${v}`);
        break;
      case 'multi':
        if (isStringArray(v)) for (const x of v) if ((item.flagged ?? []).includes(x)) reasons.push(`${item.id}:${x}`);
        break;
      default:
        break;
    }
  }
  return reasons;
}

/** A reason code in words: "症状：发热", "特殊需求：透析", "是否需要代购：是". */
export function describeReason(q: Questionnaire, code: string, lang: 'zh' | 'en' = 'zh'): string {
  const at = code.indexOf(':');
  const id = code.slice(0, at);
  const value = code.slice(at + 1);
  const item = q.items.find((i) => i.id === id);
  if (!item) return code;
  const L = SCREENING_LABELS;
  const title = item.kind === 'yes_no' || item.kind === 'single' || item.kind === 'multi' ? item.label : L.kind[item.kind][lang];
  let text = value;
  if (item.kind === 'symptoms') text = L.symptom[value as Symptom]?.[lang] ?? value;
  else if (item.kind === 'special_needs') text = L.specialNeed[value as keyof typeof L.specialNeed]?.[lang] ?? value;
  else if (item.kind === 'latest_test') text = L.testResult.positive[lang];
  else if (item.kind === 'yes_no') text = value === 'yes' ? (lang === 'zh' ? '是' : 'Yes') : lang === 'zh' ? '否' : 'No';
  else text = item.options?.find((o) => o.value === value)?.label ?? value;
  return `${title}：${text}`;
}
