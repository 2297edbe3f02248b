import { arrivalRule, type ArrivalRule, type OriginRisk, type ProtocolValues } from '../protocol/values.js';
import { addDays, DAY_MS, shanghaiDayStart, untilZh } from './days.js';
import { MEASURE_LABELS, ORIGIN_RISK_LABELS, type ArrivalMeasure, type TestResult } from './labels.js';

/** A body temperature outside this range is a typing or thermometer error, not a reading. */
export const TEMPERATURE_MIN_C = 34.0;
export const TEMPERATURE_MAX_C = 43.0;

/** Readings are kept to one decimal, as thermometers show them. */
export function roundTemperature(c: number): number {
  return Math.round(c * 10) / 10;
}

/** The Chinese message for an impossible reading, or null when it is a plausible body temperature. */
export function temperatureProblem(c: number): string | null {
  if (!Number.isFinite(c)) return '请填写体温';
  const r = roundTemperature(c);
  if (r < TEMPERATURE_MIN_C || r > TEMPERATURE_MAX_C) return `体温应在 ${TEMPERATURE_MIN_C.toFixed(1)}–${TEMPERATURE_MAX_C.toFixed(1)}℃ 之间，请核对后重新填写`;
  return null;
}

/**
 * How soon the grid worker should reach a resident whose report was abnormal. Local practice (a call or a
 * visit within hours), not a value any protocol version sets [U]; it is the task's due time, nothing stricter.
 */
export const FOLLOW_UP_HOURS = 2;
export function followUpDueAt(reportedAt: number): number {
  return reportedAt + FOLLOW_UP_HOURS * 3_600_000;
}

const ISOLATIONS = new Set<ArrivalMeasure>(['centralized_isolation', 'home_isolation']);
/**
 * Measures under which the person stays home and reports temperature and symptoms daily (居家隔离医学观察 and
 * 居家健康监测 both include a daily temperature). Centralized isolation is observed by the facility's medical
 * staff, so the grid worker has nobody at home to chase.
 */
const DAILY_REPORT = new Set<ArrivalMeasure>(['home_isolation', 'home_health_monitoring']);

export function isIsolation(measure: ArrivalMeasure): boolean {
  return ISOLATIONS.has(measure);
}

export function requiresDailyReport(measure: ArrivalMeasure): boolean {
  return DAILY_REPORT.has(measure);
}

/** What an arrival requires under one protocol version, laid out in time (days counted from the arrival date as day 1). */
export interface ArrivalPlan {
  protocolId: string;
  protocolName: string;
  rule: ArrivalRule;
  /** Isolation in force over [start, end) (epoch ms), when the rule isolates. */
  isolation: { kind: ArrivalMeasure; start: number; end: number } | null;
  /** Daily health reports required from startDay to endDay inclusive, when the rule requires them. */
  monitoring: { startDay: string; endDay: string } | null;
  /** One test per test day; due by the end of that day. */
  tests: { day: number; date: string; dueAt: number }[];
}

export function arrivalPlan(p: ProtocolValues, origin: OriginRisk, arrivalDate: string): ArrivalPlan {
  const rule = arrivalRule(p, origin);
  const start = shanghaiDayStart(arrivalDate);
  const days = Math.max(0, rule.days);
  return {
    protocolId: p.id,
    protocolName: p.name,
    rule: { ...rule, testDays: [...rule.testDays] },
    isolation: isIsolation(rule.measure) && days > 0 ? { kind: rule.measure, start, end: start + days * DAY_MS } : null,
    monitoring: requiresDailyReport(rule.measure) && days > 0 ? { startDay: arrivalDate, endDay: addDays(arrivalDate, days - 1) } : null,
    tests: [...new Set(rule.testDays)].sort((a, b) => a - b).map((n) => ({ day: n, date: addDays(arrivalDate, n - 1), dueAt: shanghaiDayStart(addDays(arrivalDate, n)) })),
  };
}

/** The risk levels a version distinguishes (the twenty measures abolished "medium"; the new ten keep only "low"). */
export function originLevels(p: ProtocolValues): OriginRisk[] {
  const order: OriginRisk[] = ['high', 'medium', 'low'];
  return order.filter((o) => p.arrivalRules.some((r) => r.origin === o));
}

/** "第N天核酸": the title of a test task. */
export function testTaskTitle(day: number): string {
  return `第${day}天核酸`;
}

/** The consequence as the form and the record state it: "依据《…》：居家健康监测 7 天，第1、3天核酸". */
export function describeArrivalPlan(plan: ArrivalPlan): string {
  const { rule } = plan;
  const parts: string[] = [];
  if (rule.measure === 'none') parts.push(MEASURE_LABELS.none.zh);
  else if (rule.measure !== 'tests_only') parts.push(`${MEASURE_LABELS[rule.measure].zh} ${rule.days} 天`);
  if (plan.tests.length) parts.push(`第${plan.tests.map((t) => t.day).join('、')}天核酸`);
  return `依据《${plan.protocolName}》：${parts.join('，')}`;
}

/** What checkpoint staff read while an arrival's isolation is in force. */
export function isolationReason(kind: ArrivalMeasure, origin: OriginRisk, originName: string, end: number): string {
  return `${MEASURE_LABELS[kind].zh}中（${ORIGIN_RISK_LABELS[origin].zh}地区来返：${originName}），至${untilZh(end)}`;
}

export interface ReportedTest {
  sampledAt: number;
  result: TestResult;
}

/**
 * Whether a person has the negative test a checkpoint requires at `at`: the latest test sampled within the
 * last `hours` must be negative (a later positive outweighs an earlier negative). Tests sampled after `at`
 * do not count.
 */
export function recentTestVerdict(tests: readonly ReportedTest[], at: number, hours: number): { ok: boolean; reason: string | null; latest: ReportedTest | null } {
  const from = at - hours * 3_600_000;
  let latest: ReportedTest | null = null;
  for (const t of tests) if (t.sampledAt >= from && t.sampledAt <= at && (!latest || t.sampledAt > latest.sampledAt)) latest = t;
  if (!latest) return { ok: false, reason: `无 ${hours} 小时内核酸阴性记录`, latest };
  if (latest.result !== 'negative') return { ok: false, reason: `${hours} 小时内最近一次核酸结果为阳性`, latest };
  return { ok: true, reason: null, latest };
}

/** Whether the protocol asks checkpoints of this place kind for a recent test, and within how many hours. */
export function testRequiredAt(p: ProtocolValues, placeKind: string): number | null {
  if (p.checkpointTestHours === null) return null;
  const checks = p.codeChecksAt === 'all' || (p.codeChecksAt as readonly string[]).includes(placeKind);
  return checks ? p.checkpointTestHours : null;
}
