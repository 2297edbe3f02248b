import { RISK_AREA_LEVEL_LABELS, type RiskAreaLevel } from '@gridline/shared';
import type { Executor, MeasuresTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';
import { measuresRepository } from './measures.repository.js';
import type { MeasuresService } from './measures.service.js';

/** Levels under which checkpoints deny passage to residents of the area (the same set createArea uses). */
export const AREA_DENYING_LEVELS: ReadonlySet<string> = new Set(['high', 'medium', 'lockdown', 'control']);

/**
 * A pending step-down (a lower area control proposed by someone without the street's approval, linked to the
 * higher one by source_type 'area_control') is being approved, inside the decision's transaction: the higher
 * control ends now (if still in force) and the lower one's window moves to start now, keeping its length — so the
 * two never overlap and there is no gap. Returns the fields to merge into the decision's patch.
 */
export async function stepDownApprovedIn(tx: Executor, measures: Pick<MeasuresService, 'endIn'>, scope: Scope, lower: MeasuresTable, now: number): Promise<Partial<MeasuresTable>> {
  const higher = lower.source_id ? await measuresRepository.byId(tx, lower.source_id) : undefined;
  if (higher && higher.status === 'active' && now < Number(higher.planned_end_at)) {
    await measures.endIn(tx, scope, higher.id, `符合解除条件，降为${RISK_AREA_LEVEL_LABELS[lower.area_level as RiskAreaLevel].zh}（审批通过）`);
  }
  const length = Number(lower.planned_end_at) - Number(lower.start_at);
  return { start_at: now, planned_end_at: now + length };
}
