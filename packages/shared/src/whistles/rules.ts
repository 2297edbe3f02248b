/**
 * Pure rules of 吹哨报到 (REFERENCE.md §4): which department a whistle goes to, when it must be acknowledged and
 * resolved, how far an overdue whistle has escalated, and the three 12345 rates. No I/O: the server stores what
 * these functions decide, the web app shows the same definitions.
 */
import type { WhistleCategory, WhistleUrgency } from './categories.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface WhistleDeadline {
  /** How long the department has to acknowledge (签收) after the whistle is raised. */
  ackMs: number;
  /** How long it has to report resolution (反馈办结) after the whistle is raised (or reopened). */
  resolveMs: number;
}

/**
 * Defaults per urgency, after REFERENCE.md §4:
 * - 应急哨: departments arrive "within 30 min" (平谷 金海湖 origin of 吹哨报到) and feedback on emergencies and life
 *   or property within 2 h in 12345 接诉即办; we give 24 h to resolve (the issue brief's default).
 * - 攻坚哨: 2 h to acknowledge (the 12345 dispatch window for water/power/gas/heat), 7 d to resolve (12345 "general").
 * - 日常哨: 24 h to acknowledge (12345 general dispatch), 15 d to resolve (12345 "complex" feedback).
 * The street changes them (table whistle_deadlines); these apply where it has not.
 */
export const DEFAULT_WHISTLE_DEADLINES: Record<WhistleUrgency, WhistleDeadline> = {
  emergency: { ackMs: 30 * MINUTE, resolveMs: 24 * HOUR },
  tough: { ackMs: 2 * HOUR, resolveMs: 7 * DAY },
  daily: { ackMs: 24 * HOUR, resolveMs: 15 * DAY },
};

export const WHISTLE_STATUSES = ['pending_ack', 'acknowledged', 'resolved', 'closed'] as const;
export type WhistleStatus = (typeof WHISTLE_STATUSES)[number];
export const WHISTLE_STATUS_LABELS: Record<WhistleStatus, { zh: string; en: string }> = {
  pending_ack: { zh: '待签收', en: 'Awaiting acknowledgement' },
  acknowledged: { zh: '处置中', en: 'Being handled' },
  resolved: { zh: '待评价', en: 'Awaiting rating' },
  closed: { zh: '已办结', en: 'Closed' },
};

/** Who watches a whistle: the community first, then the street, then the district command. */
export const WHISTLE_LEVELS = ['community', 'street', 'district'] as const;
export type WhistleLevel = (typeof WHISTLE_LEVELS)[number];
export const WHISTLE_LEVEL_LABELS: Record<WhistleLevel, { zh: string; en: string }> = {
  community: { zh: '社区', en: 'Community' },
  street: { zh: '街道', en: 'Street' },
  district: { zh: '区指挥部', en: 'District command' },
};
/** Length of the region code at each level (district 6, street 9, community 12 digits). */
export const WHISTLE_LEVEL_CODE_LENGTH: Record<WhistleLevel, number> = { district: 6, street: 9, community: 12 };

export const WHISTLE_RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type WhistleRating = (typeof WHISTLE_RATINGS)[number];
export const WHISTLE_RATING_LABELS: Record<WhistleRating, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'Basically satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};

export function isOpenWhistle(status: WhistleStatus): boolean {
  return status === 'pending_ack' || status === 'acknowledged';
}

// ---- routing --------------------------------------------------------------------------------

export interface RouteRule {
  id: string;
  category: WhistleCategory;
  /** The jurisdiction node the rule applies to (it covers everything under it). */
  nodeCode: string;
  departmentId: string;
  /** Among several departments of the same (category, node), the one that leads (首接负责). */
  lead: boolean;
}

export interface RouteChoice {
  /** The lead department; null when no rule matches (the street command handles it: 兜底). */
  departmentId: string | null;
  /** Other departments named for the same matter at the same node (co-assigned, they see and report progress). */
  coDepartmentIds: string[];
  ruleId: string | null;
  how: 'rule' | 'fallback';
}

/**
 * The most specific rule wins: among the rules for the category whose node covers the whistle's place, those of
 * the longest node code. Of these, the lead (or, with no lead marked, the first by id) takes the whistle and the
 * others are co-assigned. No rule → 兜底 by the street command.
 */
export function chooseRoute(rules: readonly RouteRule[], category: WhistleCategory, regionCode: string): RouteChoice {
  const fitting = rules.filter((r) => r.category === category && regionCode.startsWith(r.nodeCode));
  if (!fitting.length) return { departmentId: null, coDepartmentIds: [], ruleId: null, how: 'fallback' };
  const depth = Math.max(...fitting.map((r) => r.nodeCode.length));
  const best = fitting.filter((r) => r.nodeCode.length === depth).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lead = best.find((r) => r.lead) ?? best[0]!;
  const co = [...new Set(best.filter((r) => r.departmentId !== lead.departmentId).map((r) => r.departmentId))];
  return { departmentId: lead.departmentId, coDepartmentIds: co, ruleId: lead.id, how: 'rule' };
}

// ---- deadlines ------------------------------------------------------------------------------

export interface DeadlineSetting extends WhistleDeadline {
  nodeCode: string;
  urgency: WhistleUrgency;
}

/** The deadline for a whistle at `regionCode`: the most specific setting covering it, else the default. */
export function deadlineFor(settings: readonly DeadlineSetting[], urgency: WhistleUrgency, regionCode: string): WhistleDeadline & { source: string | null } {
  const fitting = settings.filter((s) => s.urgency === urgency && regionCode.startsWith(s.nodeCode)).sort((a, b) => b.nodeCode.length - a.nodeCode.length);
  const s = fitting[0];
  return s ? { ackMs: s.ackMs, resolveMs: s.resolveMs, source: s.nodeCode } : { ...DEFAULT_WHISTLE_DEADLINES[urgency], source: null };
}

/** Absolute deadlines from the moment of raising. */
export function computeDeadlines(raisedAt: number, d: WhistleDeadline): { ackDueAt: number; resolveDueAt: number } {
  return { ackDueAt: raisedAt + d.ackMs, resolveDueAt: raisedAt + d.resolveMs };
}

// ---- escalation -----------------------------------------------------------------------------

export interface EscalationState {
  status: WhistleStatus;
  level: WhistleLevel;
  /** When the next escalation is due (stored absolute); null when nothing more will escalate. */
  nextEscalationAt: number | null;
}

export interface EscalationStep {
  from: WhistleLevel;
  to: WhistleLevel;
  /** The deadline that was missed. */
  dueAt: number;
  reason: 'ack_overdue' | 'resolve_overdue';
}

/**
 * What the sweep does at `now`: every escalation due by then, one level per missed period. The first step is at
 * the missed deadline; if the whistle is still not acknowledged (resolved) one more window later, it climbs again.
 * So a whistle found after a long outage escalates as far as it would have, and no further than the district.
 */
export function escalationSteps(state: EscalationState, now: number, windowMs: number): { steps: EscalationStep[]; nextEscalationAt: number | null; level: WhistleLevel } {
  const steps: EscalationStep[] = [];
  let level = state.level;
  let next = state.nextEscalationAt;
  if (!isOpenWhistle(state.status)) return { steps, nextEscalationAt: next, level };
  const reason = state.status === 'pending_ack' ? 'ack_overdue' : 'resolve_overdue';
  while (next !== null && next <= now) {
    const i = WHISTLE_LEVELS.indexOf(level);
    const to = WHISTLE_LEVELS[i + 1];
    if (!to) {
      next = null;
      break;
    }
    steps.push({ from: level, to, dueAt: next, reason });
    level = to;
    next = to === 'district' ? null : next + Math.max(windowMs, MINUTE);
  }
  return { steps, nextEscalationAt: next, level };
}

/** The node that watches a whistle at a level: the whistle place's community, street or district. */
export function watchNode(regionCode: string, level: WhistleLevel): string {
  return regionCode.slice(0, Math.min(regionCode.length, WHISTLE_LEVEL_CODE_LENGTH[level]));
}

/** Overdue now, from the stored absolute times (lists compute it; nothing in memory). */
export function whistleOverdue(w: { status: WhistleStatus; ackDueAt: number; resolveDueAt: number }, now: number): 'ack' | 'resolve' | null {
  if (w.status === 'pending_ack' && now > w.ackDueAt) return 'ack';
  if (w.status === 'acknowledged' && now > w.resolveDueAt) return 'resolve';
  return null;
}

// ---- the three rates (三率) -------------------------------------------------------------------

export interface RateInput {
  /** Routed to a department (派单); whistles the street handles itself (兜底) count too, as dispatched to it. */
  createdAt: number;
  ackDueAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  rating: WhistleRating | null;
  solved: boolean | null;
  status: WhistleStatus;
  resolveDueAt: number;
}

export interface Rates {
  dispatched: number;
  respondedInTime: number;
  rated: number;
  solved: number;
  satisfied: number;
  /** 响应率 = acknowledged by the acknowledgement deadline ÷ dispatched. Null when nothing was dispatched. */
  responseRate: number | null;
  /** 解决率 = rated "solved" by the community ÷ rated (回访 with a rating). */
  resolutionRate: number | null;
  /** 满意率 = rated 满意 ÷ rated (基本满意 and 不满意 are not counted as satisfied). */
  satisfactionRate: number | null;
  /** Mean minutes from raising to acknowledgement, over acknowledged whistles. */
  avgAckMinutes: number | null;
  /** Mean hours from raising to reported resolution, over whistles with a reported resolution. */
  avgResolveHours: number | null;
  /** Still open and past a deadline at `now`. */
  overdueNow: number;
  /** Acknowledged after the deadline (or still unacknowledged past it). */
  ackLate: number;
}

/** Rates rounded to 4 decimals (0.6667), so that the server and the page show the same number. */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : Math.round((n / d) * 10_000) / 10_000;
}

export function computeRates(rows: readonly RateInput[], now: number): Rates {
  const dispatched = rows.length;
  const respondedInTime = rows.filter((r) => r.acknowledgedAt !== null && r.acknowledgedAt <= r.ackDueAt).length;
  const rated = rows.filter((r) => r.rating !== null);
  const solved = rated.filter((r) => r.solved === true).length;
  const satisfied = rated.filter((r) => r.rating === 'satisfied').length;
  const acked = rows.filter((r) => r.acknowledgedAt !== null);
  const resolved = rows.filter((r) => r.resolvedAt !== null);
  const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);
  return {
    dispatched,
    respondedInTime,
    rated: rated.length,
    solved,
    satisfied,
    responseRate: ratio(respondedInTime, dispatched),
    resolutionRate: ratio(solved, rated.length),
    satisfactionRate: ratio(satisfied, rated.length),
    avgAckMinutes: mean(acked.map((r) => (r.acknowledgedAt! - r.createdAt) / MINUTE)),
    avgResolveHours: mean(resolved.map((r) => (r.resolvedAt! - r.createdAt) / HOUR)),
    overdueNow: rows.filter((r) => whistleOverdue(r, now) !== null).length,
    ackLate: rows.filter((r) => (r.acknowledgedAt !== null ? r.acknowledgedAt > r.ackDueAt : now > r.ackDueAt)).length,
  };
}

export const PERFORMANCE_PERIODS = ['day', 'week', 'month'] as const;
export type PerformancePeriod = (typeof PERFORMANCE_PERIODS)[number];

/** The period a moment falls in, in Asia/Shanghai: '2026-11-29', the Monday '2026-11-23' of its week, or '2026-11'. */
export function periodKey(ms: number, period: PerformancePeriod): string {
  const local = new Date(ms + 8 * HOUR);
  if (period === 'month') return local.toISOString().slice(0, 7);
  if (period === 'day') return local.toISOString().slice(0, 10);
  const dow = (local.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(local.getTime() - dow * DAY).toISOString().slice(0, 10);
}
