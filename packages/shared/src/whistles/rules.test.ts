import { describe, expect, it } from 'vitest';
import { chooseRoute, computeRates, deadlineFor, DEFAULT_WHISTLE_DEADLINES, escalationSteps, periodKey, watchNode, whistleOverdue, type RateInput, type RouteRule } from './rules.js';

const MIN = 60_000;
const H = 60 * MIN;
const STREET = '110105001';
const COMMUNITY = '110105001001';
const GRID = '110105001001001';

describe('chooseRoute', () => {
  const rules: RouteRule[] = [
    { id: 'r1', category: 'medical', nodeCode: STREET, departmentId: 'health', lead: true },
    { id: 'r2', category: 'medical', nodeCode: COMMUNITY, departmentId: 'clinic', lead: false },
    { id: 'r3', category: 'medical', nodeCode: COMMUNITY, departmentId: 'cdc', lead: true },
    { id: 'r4', category: 'public_order', nodeCode: '110105', departmentId: 'police', lead: true },
    { id: 'r5', category: 'medical', nodeCode: '110105002', departmentId: 'other-street', lead: true },
  ];

  it('takes the most specific node; its lead leads, the others are co-assigned', () => {
    expect(chooseRoute(rules, 'medical', GRID)).toEqual({ departmentId: 'cdc', coDepartmentIds: ['clinic'], ruleId: 'r3', how: 'rule' });
  });
  it('falls back to a rule higher up the tree', () => {
    expect(chooseRoute(rules, 'medical', '110105001002001')).toEqual({ departmentId: 'health', coDepartmentIds: [], ruleId: 'r1', how: 'rule' });
    expect(chooseRoute(rules, 'public_order', GRID)).toMatchObject({ departmentId: 'police', ruleId: 'r4' });
  });
  it('with no rule, the street command handles it (兜底)', () => {
    expect(chooseRoute(rules, 'housing', GRID)).toEqual({ departmentId: null, coDepartmentIds: [], ruleId: null, how: 'fallback' });
    // A neighbouring street's rule never applies.
    expect(chooseRoute(rules.filter((r) => r.id === 'r5'), 'medical', GRID).how).toBe('fallback');
  });
  it('with no lead marked, the first rule by id leads', () => {
    const two: RouteRule[] = [
      { id: 'b', category: 'utilities', nodeCode: STREET, departmentId: 'water', lead: false },
      { id: 'a', category: 'utilities', nodeCode: STREET, departmentId: 'power', lead: false },
    ];
    expect(chooseRoute(two, 'utilities', GRID)).toMatchObject({ departmentId: 'power', coDepartmentIds: ['water'] });
  });
});

describe('deadlines', () => {
  it('defaults after REFERENCE §4: emergency 30 min / 24 h, tough 2 h / 7 d, daily 24 h / 15 d', () => {
    expect(DEFAULT_WHISTLE_DEADLINES.emergency).toEqual({ ackMs: 30 * MIN, resolveMs: 24 * H });
    expect(DEFAULT_WHISTLE_DEADLINES.tough).toEqual({ ackMs: 2 * H, resolveMs: 7 * 24 * H });
    expect(DEFAULT_WHISTLE_DEADLINES.daily).toEqual({ ackMs: 24 * H, resolveMs: 15 * 24 * H });
  });
  it('the most specific setting covering the place wins', () => {
    const settings = [
      { nodeCode: '110105', urgency: 'emergency' as const, ackMs: 60 * MIN, resolveMs: 48 * H },
      { nodeCode: STREET, urgency: 'emergency' as const, ackMs: 15 * MIN, resolveMs: 12 * H },
    ];
    expect(deadlineFor(settings, 'emergency', GRID)).toEqual({ ackMs: 15 * MIN, resolveMs: 12 * H, source: STREET });
    expect(deadlineFor(settings, 'emergency', '110105002001')).toEqual({ ackMs: 60 * MIN, resolveMs: 48 * H, source: '110105' });
    expect(deadlineFor(settings, 'daily', GRID)).toEqual({ ...DEFAULT_WHISTLE_DEADLINES.daily, source: null });
  });
});

describe('escalationSteps', () => {
  const t0 = 1_000_000_000_000;
  const due = t0 + 30 * MIN;
  it('nothing before the deadline', () => {
    expect(escalationSteps({ status: 'pending_ack', level: 'community', nextEscalationAt: due }, due - 1, 30 * MIN)).toEqual({ steps: [], nextEscalationAt: due, level: 'community' });
  });
  it('one level at the deadline, the next one window later, never past the district', () => {
    const one = escalationSteps({ status: 'pending_ack', level: 'community', nextEscalationAt: due }, due, 30 * MIN);
    expect(one).toEqual({ steps: [{ from: 'community', to: 'street', dueAt: due, reason: 'ack_overdue' }], nextEscalationAt: due + 30 * MIN, level: 'street' });
    const two = escalationSteps({ status: 'pending_ack', level: 'street', nextEscalationAt: due + 30 * MIN }, due + 30 * MIN, 30 * MIN);
    expect(two).toEqual({ steps: [{ from: 'street', to: 'district', dueAt: due + 30 * MIN, reason: 'ack_overdue' }], nextEscalationAt: null, level: 'district' });
  });
  it('after a long outage it catches up in one sweep, as far as the district', () => {
    const r = escalationSteps({ status: 'acknowledged', level: 'community', nextEscalationAt: due }, due + 10 * H, 30 * MIN);
    expect(r.steps.map((s) => [s.to, s.reason])).toEqual([['street', 'resolve_overdue'], ['district', 'resolve_overdue']]);
    expect(r.nextEscalationAt).toBeNull();
  });
  it('a resolved or closed whistle never escalates', () => {
    expect(escalationSteps({ status: 'resolved', level: 'community', nextEscalationAt: due }, due + H, 30 * MIN).steps).toEqual([]);
  });
  it('the watching node is the place’s community, street or district', () => {
    expect([watchNode(GRID, 'community'), watchNode(GRID, 'street'), watchNode(GRID, 'district')]).toEqual([COMMUNITY, STREET, '110105']);
  });
});

describe('computeRates (worked by hand)', () => {
  const t0 = Date.UTC(2026, 10, 2, 0, 0, 0);
  const w = (over: Partial<RateInput>): RateInput => ({
    createdAt: t0, ackDueAt: t0 + 30 * MIN, resolveDueAt: t0 + 24 * H, acknowledgedAt: null, resolvedAt: null, rating: null, solved: null, status: 'pending_ack', ...over,
  });
  // Five whistles:
  //  A acked at 10 min (in time), resolved at 5 h, rated satisfied, solved
  //  B acked at 20 min (in time), resolved at 20 h, rated basically satisfied, solved
  //  C acked at 50 min (late),    resolved at 30 h, rated dissatisfied, not solved
  //  D acked at 30 min (exactly the deadline: in time), still being handled
  //  E never acked (overdue now)
  const rows = [
    w({ acknowledgedAt: t0 + 10 * MIN, resolvedAt: t0 + 5 * H, rating: 'satisfied', solved: true, status: 'closed' }),
    w({ acknowledgedAt: t0 + 20 * MIN, resolvedAt: t0 + 20 * H, rating: 'basically_satisfied', solved: true, status: 'closed' }),
    w({ acknowledgedAt: t0 + 50 * MIN, resolvedAt: t0 + 30 * H, rating: 'dissatisfied', solved: false, status: 'closed' }),
    w({ acknowledgedAt: t0 + 30 * MIN, status: 'acknowledged' }),
    w({}),
  ];
  it('response 3/5, resolution 2/3, satisfaction 1/3, average times, overdue', () => {
    const r = computeRates(rows, t0 + 2 * H);
    // 响应率: A, B, D acknowledged by the deadline → 3 of 5 = 0.6
    expect(r.responseRate).toBe(0.6);
    // 解决率: A, B solved among 3 rated → 0.6667
    expect(r.resolutionRate).toBe(0.6667);
    // 满意率: only A "satisfied" among 3 rated → 0.3333
    expect(r.satisfactionRate).toBe(0.3333);
    // Acknowledgement: (10 + 20 + 50 + 30) / 4 = 27.5 min; resolution: (5 + 20 + 30) / 3 = 18.3 h
    expect(r.avgAckMinutes).toBe(27.5);
    expect(r.avgResolveHours).toBe(18.3);
    // At 2 h: E is past its acknowledgement deadline; D's resolution is due at 24 h.
    expect(r.overdueNow).toBe(1);
    // Late acknowledgements: C (50 min) and E (none yet, past 30 min).
    expect(r.ackLate).toBe(2);
    expect({ dispatched: r.dispatched, respondedInTime: r.respondedInTime, rated: r.rated, solved: r.solved, satisfied: r.satisfied }).toEqual({ dispatched: 5, respondedInTime: 3, rated: 3, solved: 2, satisfied: 1 });
  });
  it('nothing dispatched → no rates (not 0%)', () => {
    expect(computeRates([], t0)).toMatchObject({ responseRate: null, resolutionRate: null, satisfactionRate: null, avgAckMinutes: null });
  });
  it('overdue from stored times', () => {
    expect(whistleOverdue({ status: 'acknowledged', ackDueAt: t0, resolveDueAt: t0 + H }, t0 + 2 * H)).toBe('resolve');
    expect(whistleOverdue({ status: 'resolved', ackDueAt: t0, resolveDueAt: t0 + H }, t0 + 2 * H)).toBeNull();
  });
});

describe('periodKey (Asia/Shanghai)', () => {
  // 2026-11-29 is a Sunday; 23:30 UTC on the 29th is already Monday the 30th in Shanghai.
  const sundayNoon = Date.UTC(2026, 10, 29, 4, 0);
  const mondayEarly = Date.UTC(2026, 10, 29, 23, 30);
  it('day, week (Monday), month', () => {
    expect(periodKey(sundayNoon, 'day')).toBe('2026-11-29');
    expect(periodKey(sundayNoon, 'week')).toBe('2026-11-23');
    expect(periodKey(mondayEarly, 'day')).toBe('2026-11-30');
    expect(periodKey(mondayEarly, 'week')).toBe('2026-11-30');
    expect(periodKey(mondayEarly, 'month')).toBe('2026-11');
  });
});
