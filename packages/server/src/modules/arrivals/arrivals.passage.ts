import { isolationReason, type ArrivalMeasure, type OriginRisk } from '@gridline/shared';
import type { PassageCheck, PassageChecks } from '../checkpoints/passage-checks.js';
import { arrivalsRepository } from './arrivals.repository.js';

/**
 * 'arrival_isolation': deny while an isolation the protocol required after an arrival is in force at `at`
 * (from its start up to, not including, its end: at the end time it no longer counts). Withdrawn arrivals
 * do not count.
 */
export const arrivalIsolationCheck: PassageCheck = {
  name: 'arrival_isolation',
  async check(ctx) {
    const rows = await arrivalsRepository.isolationsAt(ctx.db, ctx.residentId, ctx.at);
    return rows.map((r) => {
      const end = Number(r.measure_end);
      return { effect: 'deny' as const, code: 'arrival_isolation', reason: isolationReason(r.measure as ArrivalMeasure, r.origin_risk as OriginRisk, r.origin_name, end), until: end };
    });
  },
};

export function registerArrivalPassageChecks(checks: PassageChecks): void {
  checks.register(arrivalIsolationCheck);
}
