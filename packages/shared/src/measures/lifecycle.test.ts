import { describe, expect, it } from 'vitest';
import { shanghaiDayStart } from '../health/days.js';
import { BUILT_IN_PROTOCOLS, type ProtocolValues } from '../protocol/values.js';
import { evaluateRelease, measureSchedule, prescribedTestDays, releaseDueDay, stageOffset } from './lifecycle.js';

const v = (id: string): ProtocolValues => BUILT_IN_PROTOCOLS.find((p) => p.id === id)!;
const ninth = v('ninth-2022-06');
const newTen = v('new-ten-2022-12');
const HOUR = 3_600_000;
const day = (d: string) => shanghaiDayStart(d);
const contact = { kind: 'close_contact' } as const;

describe('measure schedule', () => {
  it('a close contact’s 7 days of centralized isolation under the ninth edition: tests on days 1, 2, 3, 5, 7, not day 10', () => {
    const s = measureSchedule(ninth, contact, 'centralized_isolation', day('2022-11-01'), day('2022-11-08'));
    expect(s).toMatchObject({ offset: 0, firstDay: '2022-11-01', lastDay: '2022-11-07' });
    expect(s.tests.map((t) => [t.day, t.date])).toEqual([[1, '2022-11-01'], [2, '2022-11-02'], [3, '2022-11-03'], [5, '2022-11-05'], [7, '2022-11-07']]);
    expect(s.tests[0]!.dueAt).toBe(day('2022-11-02'));
  });

  it('the home-monitoring stage after it counts from protocol day 8: its own third day is “第10天”', () => {
    expect(stageOffset(ninth, contact, 'home_health_monitoring')).toBe(7);
    const s = measureSchedule(ninth, contact, 'home_health_monitoring', day('2022-11-08'), day('2022-11-11'));
    expect(s.tests.map((t) => [t.day, t.date])).toEqual([[10, '2022-11-10']]);
  });

  it('follows the version given, and an extension brings later test days inside', () => {
    expect(measureSchedule(newTen, contact, 'home_isolation', day('2026-11-29'), day('2026-12-04')).tests.map((t) => t.day)).toEqual([5]);
    expect(measureSchedule(newTen, contact, 'home_isolation', day('2026-11-29'), day('2026-12-03')).tests).toEqual([]);
    const short = measureSchedule(ninth, contact, 'centralized_isolation', day('2022-11-01'), day('2022-11-05'));
    expect(short.tests.map((t) => t.day)).toEqual([1, 2, 3]);
    expect(prescribedTestDays(newTen, { kind: 'case', classification: 'asymptomatic' })).toEqual([6, 7]);
  });

  it('the release is due on the last day in force, on the Shanghai calendar', () => {
    expect(releaseDueDay(day('2026-12-04'))).toBe('2026-12-03');
    expect(releaseDueDay(day('2026-12-04') + 15 * HOUR)).toBe('2026-12-04');
  });
});

describe('release conditions', () => {
  const s = measureSchedule(ninth, contact, 'centralized_isolation', day('2022-11-01'), day('2022-11-08'));
  const negative = (d: string) => ({ sampledAt: day(d) + 8 * HOUR, result: 'negative' as const });
  const allTests = ['2022-11-01', '2022-11-02', '2022-11-03', '2022-11-05', '2022-11-07'].map(negative);
  const well = (d: string) => ({ day: d, temperatureC: 36.5, symptoms: [] });

  it('met when every test day is negative and the last days had no abnormal report', () => {
    const r = evaluateRelease(ninth, contact, s, { tests: allTests, reports: [well('2022-11-06'), well('2022-11-07')] });
    expect(r).toMatchObject({ met: true, summary: '条件满足' });
    expect(r.conditions.filter((c) => c.code === 'test_day').map((c) => c.label)).toEqual(['第1天核酸阴性', '第2天核酸阴性', '第3天核酸阴性', '第5天核酸阴性', '第7天核酸阴性']);
  });

  it('names the missing test day; a test the day after does not stand in for it', () => {
    const tests = allTests.filter((t) => t.sampledAt !== negative('2022-11-05').sampledAt).concat(negative('2022-11-06'));
    const r = evaluateRelease(ninth, contact, s, { tests, reports: [] });
    expect(r.met).toBe(false);
    expect(r.summary).toBe('不满足：缺第5天核酸');
  });

  it('a positive result anywhere in the window, or fever in the last days by the version’s threshold, fails it', () => {
    const pos = evaluateRelease(ninth, contact, s, { tests: [...allTests, { sampledAt: day('2022-11-04') + HOUR, result: 'positive' }], reports: [] });
    expect(pos.summary).toBe('不满足：11月4日核酸阳性');
    const fever = evaluateRelease(ninth, contact, s, { tests: allTests, reports: [{ day: '2022-11-06', temperatureC: 37.3, symptoms: [] }] });
    expect(fever.summary).toMatch(/^不满足：11月6日健康异常（体温 37.3℃ ≥ 37.3℃）$/);
    // Outside the last three days, and a symptom the version does not list: no effect.
    expect(evaluateRelease(ninth, contact, s, { tests: allTests, reports: [{ day: '2022-11-04', temperatureC: 38, symptoms: [] }] }).met).toBe(true);
    const nt = measureSchedule(newTen, contact, 'home_isolation', day('2026-11-29'), day('2026-12-04'));
    expect(evaluateRelease(newTen, contact, nt, { tests: [negative('2026-12-03')], reports: [{ day: '2026-12-03', temperatureC: 36.6, symptoms: ['cough'] }] }).met).toBe(true);
  });

  it('an infected person under a version without release test days needs the hospital’s opinion', () => {
    const c = { kind: 'case', classification: 'asymptomatic' } as const;
    const cs = measureSchedule(ninth, c, 'centralized_isolation', day('2022-11-01'), day('2022-11-11'));
    expect(cs.tests).toEqual([]);
    expect(evaluateRelease(ninth, c, cs, { tests: [], reports: [] }).summary).toContain('按医疗机构标准解除');
  });
});
