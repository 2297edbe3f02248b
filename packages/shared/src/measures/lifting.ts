import { addDays, daysBetween } from '../health/days.js';
import { RISK_AREA_LEVEL_LABELS, type ProtocolValues, type RiskAreaLevel } from '../protocol/values.js';

/**
 * The lifting rule of an area control (issue #7), pure: under the protocol version in force at the control's
 * first day, N consecutive days without a new infection in scope (and, where the version asks for it, a negative
 * full round) step the level down to the version's `stepsDownTo`, or lift it (null).
 *
 * Day counting [D]: the days without a new infection start the day after the last infection found in scope, or
 * the control's first day when none was found since it began (an infection found on the first day itself moves the
 * count to the next day). The rule is met from 00:00 Asia/Shanghai of the Nth such day: the protocols step an area
 * down on its last day once that day's round is negative ("第7天…全员核酸阴性，降为中风险区"), and the control's
 * planned end (first day + N) is the end of that day — so the proposal can be acted on before the control lapses.
 * A new infection found later that day resets the count, and the rule is evaluated again when someone acts on it.
 *
 * Negative round [D]: no version gives its own window for the lifting round, so we use 48 hours — the window every
 * version uses for a test at the checkpoint, and the eighth edition's "full round ≤ 2 days before" — as
 * NEGATIVE_ROUND_HOURS. It holds when every resident under the node who is in residence (people in centralized
 * isolation elsewhere are tested there, not in the round) has a negative test sampled in the last 48 h, and nobody
 * under the node tested positive since the infection-free days began (a positive is a new infection in waiting).
 */
export const NEGATIVE_ROUND_HOURS = 48;

export interface NegativeRound {
  /** Residents under the node who are in residence (all must be tested). */
  inResidence: number;
  /** Of them, those without a negative test sampled in the window. */
  untested: number;
  /** Residents under the node with a positive test sampled since the infection-free days began. */
  positives: number;
  /** The Shanghai day the last of the negative tests in the window was sampled (null = none). */
  lastSampledDay: string | null;
}

export interface LiftingInput {
  level: RiskAreaLevel;
  /** The control's first day (Shanghai calendar date). */
  firstDay: string;
  /** The latest day an infection living under the node was found (onset or confirmation), or null. */
  lastInfectionDay: string | null;
  /** Today, Shanghai calendar date (the evaluation moment's day). */
  today: string;
  round: NegativeRound;
}

export type LiftingAction = 'step_down' | 'lift';

export interface LiftingResult {
  /** 'met': the proposal may be acted on; 'not_met': see `missing`; 'no_rule': the version lifts it with the areas it surrounds. */
  status: 'met' | 'not_met' | 'no_rule';
  /** The day the rule was met (Shanghai date), when met. */
  metOn: string | null;
  /** What is still missing, in words for the UI (Chinese). */
  missing: string[];
  /** What meeting the rule leads to: step down to `stepsDownTo`, or lift (back to normal). */
  action: LiftingAction | null;
  stepsDownTo: RiskAreaLevel | null;
  /** The rule in words, quoting the version. */
  rule: string;
  /** Consecutive days without a new infection so far (today included), and how many the version needs. */
  cleanDays: number;
  daysNeeded: number | null;
  /** The first infection-free day. */
  cleanFrom: string;
}

/** Evaluates the lifting rule of one area control under `p`, the protocol version in force at its first day. */
export function evaluateLifting(p: ProtocolValues, input: LiftingInput): LiftingResult {
  const rule = p.riskAreas.levels.find((l) => l.level === input.level);
  const afterInfection = input.lastInfectionDay === null ? null : addDays(input.lastInfectionDay, 1);
  const cleanFrom = afterInfection !== null && afterInfection > input.firstDay ? afterInfection : input.firstDay;
  const cleanDays = Math.max(0, daysBetween(cleanFrom, input.today) + 1);
  const label = RISK_AREA_LEVEL_LABELS[input.level].zh;
  if (!rule || rule.liftAfterDays === null) {
    return {
      status: 'no_rule', metOn: null, missing: [rule ? `${label}随周边高、中风险区一并解除` : `《${p.name}》没有${label}这一等级`], action: null, stepsDownTo: null,
      rule: `《${p.name}》：${label}随周边风险区一并解除`, cleanDays, daysNeeded: null, cleanFrom,
    };
  }
  const n = rule.liftAfterDays;
  const to = rule.stepsDownTo;
  const outcome = to === null ? '解除' : `降为${RISK_AREA_LEVEL_LABELS[to].zh}`;
  const ruleText = `《${p.name}》：连续 ${n} 天无新增感染者${rule.liftNeedsNegativeRound ? '且全员核酸阴性' : ''}，${outcome}`;
  const daysMetOn = addDays(cleanFrom, n - 1);
  const missing: string[] = [];
  if (input.today < daysMetOn) missing.push(`还需连续 ${daysBetween(input.today, daysMetOn)} 天无新增`);
  let metOn = daysMetOn;
  if (rule.liftNeedsNegativeRound) {
    const r = input.round;
    if (r.positives > 0) missing.push(`有 ${r.positives} 人核酸阳性，须核实后重新计算`);
    if (r.untested > 0) missing.push(`尚缺全员核酸阴性：${r.untested} 人未检测`);
    if (r.lastSampledDay !== null && r.lastSampledDay > metOn) metOn = r.lastSampledDay;
  }
  const met = missing.length === 0;
  return {
    status: met ? 'met' : 'not_met', metOn: met ? metOn : null, missing, action: to === null ? 'lift' : 'step_down', stepsDownTo: to,
    rule: ruleText, cleanDays, daysNeeded: n, cleanFrom,
  };
}
