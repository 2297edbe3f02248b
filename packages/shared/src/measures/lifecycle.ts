import { addDays, daysBetween, shanghaiDay, shanghaiDayStart } from '../health/days.js';
import { SYMPTOM_LABELS, type TestResult } from '../health/labels.js';
import { testTaskTitle } from '../health/rules.js';
import { isAbnormalReport, type ProtocolValues, type Symptom } from '../protocol/values.js';
import type { PersonMeasure } from './measure-kinds.js';
import { prescribedStages, type MeasureSubject } from './proportionality.js';

/**
 * The life of a person measure (issue #7), pure: the test days the protocol version at its start prescribes inside
 * its window, and whether the release conditions hold at the due date. The server raises the test tasks and the
 * daily monitoring from the schedule, and shows the verdict in the release proposals.
 */

/** Test days (protocol numbering: day 1 = the subject's first day) a version prescribes for a subject. */
export function prescribedTestDays(p: ProtocolValues, s: MeasureSubject): number[] {
  switch (s.kind) {
    case 'close_contact':
      return p.contactManagement.close.testDays;
    case 'secondary_contact':
      return p.contactManagement.secondary?.testDays ?? [];
    case 'inbound':
      return p.isolation.inbound.testDays;
    case 'arrival':
      return p.arrivalRules.find((r) => r.origin === s.origin)?.testDays ?? [];
    case 'case':
      // An infected person is released on the release test days (新十条: days 6 and 7); none = hospital criteria.
      return p.isolation.releaseTestDays;
  }
}

/**
 * Protocol days that come before this measure's stage: a close contact's home monitoring after 7 days of
 * centralized isolation starts on protocol day 8, so its "第10天核酸" is its own third day. A measure of a kind
 * the version does not prescribe for the subject counts from day 1.
 */
export function stageOffset(p: ProtocolValues, s: MeasureSubject, measure: PersonMeasure): number {
  let offset = 0;
  for (const st of prescribedStages(p, s)) {
    if (st.measure === measure) return offset;
    if (st.days === null) break;
    offset += st.days;
  }
  return 0;
}

export interface ScheduledTest {
  /** Protocol day ("第N天核酸"). */
  day: number;
  /** The Shanghai date the sample is taken. */
  date: string;
  /** Due by the end of that date. */
  dueAt: number;
}

export interface MeasureSchedule {
  offset: number;
  firstDay: string;
  /** The last day in force: the due date of the release. */
  lastDay: string;
  tests: ScheduledTest[];
}

/** The measure's window [startAt, plannedEndAt) in Shanghai days and the prescribed test days that fall inside it. */
export function measureSchedule(p: ProtocolValues, s: MeasureSubject, measure: PersonMeasure, startAt: number, plannedEndAt: number): MeasureSchedule {
  const firstDay = shanghaiDay(startAt);
  const lastDay = releaseDueDay(plannedEndAt);
  const length = daysBetween(firstDay, lastDay) + 1;
  const offset = stageOffset(p, s, measure);
  const tests = [...new Set(prescribedTestDays(p, s))]
    .sort((a, b) => a - b)
    .filter((d) => d > offset && d - offset <= length)
    .map((day) => {
      const date = addDays(firstDay, day - offset - 1);
      return { day, date, dueAt: shanghaiDayStart(addDays(date, 1)) };
    });
  return { offset, firstDay, lastDay, tests };
}

/** The release is due on the measure's last day in force (an end at 00:00 is the previous day's 24时). */
export function releaseDueDay(plannedEndAt: number): string {
  return shanghaiDay(plannedEndAt - 1);
}

/**
 * Days at the end of the measure that must pass without an abnormal health report. No protocol version states
 * a number [D]: three days, judged by the version's own fever threshold and symptom list.
 */
export const RELEASE_SYMPTOM_FREE_DAYS = 3;

export interface ReleaseEvidence {
  /** Tests the person reported (health reports carry them), any time around the window. */
  tests: readonly { sampledAt: number; result: TestResult }[];
  /** Health reports of the window's days. */
  reports: readonly { day: string; temperatureC: number | null; symptoms: readonly Symptom[] }[];
}

export type ReleaseConditionCode = 'test_day' | 'no_positive' | 'no_abnormal' | 'medical_criteria';

export interface ReleaseCondition {
  code: ReleaseConditionCode;
  met: boolean;
  /** What must hold, e.g. "第5天核酸阴性". */
  label: string;
  /** Why it does not, e.g. "缺第5天核酸"; null when met. */
  problem: string | null;
}

export interface ReleaseVerdict {
  met: boolean;
  conditions: ReleaseCondition[];
  /** "条件满足" or "不满足：缺第5天核酸；…". */
  summary: string;
}

const monthDay = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** Whether the release conditions of the version at the start hold for the evidence reported so far. */
export function evaluateRelease(p: ProtocolValues, s: MeasureSubject, schedule: MeasureSchedule, ev: ReleaseEvidence): ReleaseVerdict {
  const conditions: ReleaseCondition[] = [];
  const inWindow = ev.tests.map((t) => ({ ...t, date: shanghaiDay(t.sampledAt) })).filter((t) => t.date >= schedule.firstDay && t.date <= schedule.lastDay);
  const testDates = new Set(schedule.tests.map((t) => t.date));
  for (const t of schedule.tests) {
    const results = inWindow.filter((x) => x.date === t.date).map((x) => x.result);
    const label = `${testTaskTitle(t.day)}阴性`;
    if (results.includes('positive')) conditions.push({ code: 'test_day', met: false, label, problem: `${testTaskTitle(t.day)}阳性` });
    else if (results.includes('negative')) conditions.push({ code: 'test_day', met: true, label, problem: null });
    else conditions.push({ code: 'test_day', met: false, label, problem: `缺${testTaskTitle(t.day)}` });
  }
  const positives = inWindow.filter((x) => x.result === 'positive' && !testDates.has(x.date));
  conditions.push({ code: 'no_positive', met: !positives.length, label: '期间无核酸阳性', problem: positives.length ? `${monthDay(positives[0]!.date)}核酸阳性` : null });
  if (s.kind === 'case' && !schedule.tests.length) {
    conditions.push({ code: 'medical_criteria', met: false, label: '医疗机构解除意见', problem: `《${p.name}》按医疗机构标准解除，须医疗机构意见` });
  }
  const from = [addDays(schedule.lastDay, -(RELEASE_SYMPTOM_FREE_DAYS - 1)), schedule.firstDay].sort().at(-1)!;
  const abnormal = ev.reports
    .filter((r) => r.day >= from && r.day <= schedule.lastDay)
    .map((r) => ({ day: r.day, judged: isAbnormalReport(p, r.temperatureC, r.symptoms) }))
    .filter((r) => r.judged.abnormal)
    .sort((a, b) => a.day.localeCompare(b.day));
  const reasons = (x: string[]) => x.map((r) => SYMPTOM_LABELS[r as Symptom]?.zh ?? r).join('、');
  conditions.push({
    code: 'no_abnormal', met: !abnormal.length, label: `最后 ${RELEASE_SYMPTOM_FREE_DAYS} 天无健康异常（体温低于 ${p.feverThresholdC}℃）`,
    problem: abnormal.length ? `${monthDay(abnormal[0]!.day)}健康异常（${reasons(abnormal[0]!.judged.reasons)}）` : null,
  });
  const unmet = conditions.filter((c) => !c.met);
  return { met: !unmet.length, conditions, summary: unmet.length ? `不满足：${unmet.map((c) => c.problem).join('；')}` : '条件满足' };
}
