import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protocolInForce } from '../protocol/values.js';
import { addDays, daysBetween, isCalendarDate, shanghaiDay, shanghaiDayStart, untilZh } from './days.js';
import {
  arrivalPlan, describeArrivalPlan, followUpDueAt, isolationReason, originLevels, recentTestVerdict, roundTemperature, temperatureProblem,
  testRequiredAt, testTaskTitle,
} from './rules.js';
import { isOverdue, transitionProblem } from './task-status.js';

const HOUR = 3_600_000;

describe('Shanghai days', () => {
  it('cuts days at Shanghai midnight, not UTC midnight', () => {
    // 2026-11-29 15:59:59 UTC is 23:59:59 in Shanghai; one second later it is the next day.
    expect(shanghaiDay(Date.UTC(2026, 10, 29, 15, 59, 59))).toBe('2026-11-29');
    expect(shanghaiDay(Date.UTC(2026, 10, 29, 16, 0, 0))).toBe('2026-11-30');
    expect(shanghaiDayStart('2026-11-30')).toBe(Date.UTC(2026, 10, 29, 16));
  });

  it('adds days across months and years and round-trips', () => {
    expect(addDays('2022-12-28', 7)).toBe('2023-01-04');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: -400, max: 400 }), (offset, n) => {
        const d = addDays('2000-01-01', offset);
        expect(isCalendarDate(d)).toBe(true);
        expect(daysBetween(d, addDays(d, n))).toBe(n);
        expect(shanghaiDay(shanghaiDayStart(d))).toBe(d);
      }),
    );
    expect(isCalendarDate('2026-02-30')).toBe(false);
  });

  it('writes a midnight end as the previous day 24时', () => {
    expect(untilZh(shanghaiDayStart('2026-12-04'))).toBe('12月3日24时');
    expect(untilZh(shanghaiDayStart('2026-12-04') + 9.5 * HOUR)).toBe('12月4日09:30');
  });
});

describe('temperature', () => {
  it('accepts 34.0–43.0 ℃ to one decimal and refuses the rest in Chinese', () => {
    expect(temperatureProblem(34)).toBeNull();
    expect(temperatureProblem(43)).toBeNull();
    expect(temperatureProblem(36.54)).toBeNull();
    expect(temperatureProblem(33.9)).toContain('34.0–43.0');
    expect(temperatureProblem(43.1)).toContain('体温');
    expect(temperatureProblem(Number.NaN)).toBe('请填写体温');
    expect(roundTemperature(37.25)).toBe(37.3);
  });
});

describe('arrival plans', () => {
  it('lays out the ninth edition’s high-risk rule: 7 days centralized, tests on days 1,2,3,5,7, no home reports', () => {
    const p = arrivalPlan(protocolInForce('2022-07-01'), 'high', '2022-07-01');
    expect(p.protocolId).toBe('ninth-2022-06');
    expect(p.isolation).toEqual({ kind: 'centralized_isolation', start: shanghaiDayStart('2022-07-01'), end: shanghaiDayStart('2022-07-08') });
    expect(p.monitoring).toBeNull();
    expect(p.tests.map((t) => [t.day, t.date])).toEqual([[1, '2022-07-01'], [2, '2022-07-02'], [3, '2022-07-03'], [5, '2022-07-05'], [7, '2022-07-07']]);
    expect(p.tests[0]!.dueAt).toBe(shanghaiDayStart('2022-07-02'));
    expect(describeArrivalPlan(p)).toBe('依据《新型冠状病毒肺炎防控方案（第九版）》：集中隔离 7 天，第1、2、3、5、7天核酸');
  });

  it('gives the same origin different consequences under the twenty measures (home isolation, daily reports)', () => {
    const p = arrivalPlan(protocolInForce('2022-11-20'), 'high', '2022-11-20');
    expect(p.rule.measure).toBe('home_isolation');
    expect(p.monitoring).toEqual({ startDay: '2022-11-20', endDay: '2022-11-26' });
    expect(p.tests.map((t) => t.day)).toEqual([1, 3, 5, 7]);
    expect(describeArrivalPlan(p)).toContain('居家隔离 7 天，第1、3、5、7天核酸');
  });

  it('states "tests only" and "nothing" plainly, and lists the levels each version knows', () => {
    const low = arrivalPlan(protocolInForce('2022-07-01'), 'low', '2022-07-01');
    expect(low.isolation).toBeNull();
    expect(describeArrivalPlan(low)).toMatch(/：第1、3天核酸$/);
    const none = arrivalPlan(protocolInForce('2023-01-10'), 'low', '2023-01-10');
    expect(none.tests).toEqual([]);
    expect(describeArrivalPlan(none)).toMatch(/无需隔离或健康监测$/);
    expect(originLevels(protocolInForce('2022-07-01'))).toEqual(['high', 'medium', 'low']);
    expect(originLevels(protocolInForce('2022-11-20'))).toEqual(['high', 'low']);
    expect(originLevels(protocolInForce('2023-01-10'))).toEqual(['low']);
    expect(testTaskTitle(3)).toBe('第3天核酸');
  });

  it('keeps every test day and isolation inside the rule’s days (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.constantFrom('high' as const, 'medium' as const, 'low' as const), (offset, origin) => {
        const date = addDays('2022-06-01', offset);
        const plan = arrivalPlan(protocolInForce(date), origin, date);
        for (const t of plan.tests) expect(daysBetween(date, t.date)).toBe(t.day - 1);
        if (plan.isolation) expect(plan.isolation.end - plan.isolation.start).toBe(plan.rule.days * 86_400_000);
        if (plan.monitoring) expect(daysBetween(plan.monitoring.startDay, plan.monitoring.endDay)).toBe(plan.rule.days - 1);
      }),
    );
  });

  it('words the checkpoint reason with the end date', () => {
    expect(isolationReason('home_isolation', 'high', '某市某区', shanghaiDayStart('2026-12-04'))).toBe('居家隔离中（高风险地区来返：某市某区），至12月3日24时');
  });
});

describe('recent tests at checkpoints', () => {
  const at = Date.UTC(2026, 10, 29, 2);
  it('passes only with the latest test in the window negative', () => {
    expect(recentTestVerdict([], at, 48)).toMatchObject({ ok: false, reason: '无 48 小时内核酸阴性记录' });
    expect(recentTestVerdict([{ sampledAt: at - 47 * HOUR, result: 'negative' }], at, 48).ok).toBe(true);
    expect(recentTestVerdict([{ sampledAt: at - 48 * HOUR, result: 'negative' }], at, 48).ok).toBe(true);
    expect(recentTestVerdict([{ sampledAt: at - 48 * HOUR - 1, result: 'negative' }], at, 48).ok).toBe(false);
    expect(recentTestVerdict([{ sampledAt: at + 1, result: 'negative' }], at, 48).ok).toBe(false);
    const mixed = recentTestVerdict([{ sampledAt: at - 40 * HOUR, result: 'negative' }, { sampledAt: at - 2 * HOUR, result: 'positive' }], at, 48);
    expect(mixed).toMatchObject({ ok: false, reason: '48 小时内最近一次核酸结果为阳性' });
  });

  it('agrees with a direct reading of the rule (property)', () => {
    const test = fc.record({ sampledAt: fc.integer({ min: at - 100 * HOUR, max: at + 10 * HOUR }), result: fc.constantFrom('negative' as const, 'positive' as const) });
    fc.assert(
      fc.property(fc.array(test, { maxLength: 6 }), fc.integer({ min: 1, max: 96 }), (tests, hours) => {
        const inWindow = tests.filter((t) => t.sampledAt <= at && t.sampledAt >= at - hours * HOUR).sort((a, b) => b.sampledAt - a.sampledAt);
        expect(recentTestVerdict(tests, at, hours).ok).toBe(inWindow.length > 0 && inWindow[0]!.result === 'negative');
      }),
    );
  });

  it('asks for a test only where the version checks that place kind', () => {
    expect(testRequiredAt(protocolInForce('2022-07-01'), 'market')).toBe(48);
    expect(testRequiredAt(protocolInForce('2023-01-10'), 'market')).toBeNull();
    expect(testRequiredAt(protocolInForce('2023-01-10'), 'care_home')).toBe(48);
  });
});

describe('task status', () => {
  it('moves open → in progress → done/cancelled and never back', () => {
    expect(transitionProblem('open', 'in_progress', '')).toBeNull();
    expect(transitionProblem('in_progress', 'done', '')).toBeNull();
    expect(transitionProblem('open', 'cancelled', '')).toBe('取消任务须写明原因');
    expect(transitionProblem('open', 'cancelled', '重复任务')).toBeNull();
    expect(transitionProblem('done', 'open', '')).toContain('不能改为');
    expect(transitionProblem('cancelled', 'in_progress', '')).toContain('不能改为');
  });

  it('is overdue only while still to do and past due', () => {
    expect(isOverdue({ status: 'open', dueAt: 10 }, 11)).toBe(true);
    expect(isOverdue({ status: 'open', dueAt: 10 }, 10)).toBe(false);
    expect(isOverdue({ status: 'done', dueAt: 10 }, 11)).toBe(false);
    expect(isOverdue({ status: 'in_progress', dueAt: null }, 11)).toBe(false);
    expect(followUpDueAt(0)).toBe(2 * HOUR);
  });
});
