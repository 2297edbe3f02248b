import type { Exemption } from '@gridline/shared';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import { toExemption } from '../checkpoints/exemptions.repository.js';
import { measuresRepository } from './measures.repository.js';

/**
 * The passage exemptions of the person under a measure that overlap its window (a dialysis patient's trips while
 * isolated at home), for the measure's drawer: whoever may read the measure sees them, revoked ones included.
 */
export class MeasureExemptions {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  async list(scope: Scope, measureId: string): Promise<Exemption[]> {
    scope.require('measure.read');
    const { db, clock } = this.deps;
    const m = await measuresRepository.byId(db, measureId);
    if (!m) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(m.region_code);
    if (!m.resident_id) return [];
    const end = Number(m.ended_at ?? m.planned_end_at);
    const rows = await db
      .selectFrom('passage_exemptions')
      .leftJoin('residents', 'residents.id', 'passage_exemptions.resident_id')
      .selectAll('passage_exemptions')
      .select('residents.name as resident_name')
      .where('passage_exemptions.resident_id', '=', m.resident_id)
      .where('passage_exemptions.valid_from', '<', end)
      .where('passage_exemptions.valid_until', '>', Number(m.start_at))
      .orderBy('passage_exemptions.valid_from')
      .orderBy('passage_exemptions.id')
      .execute();
    const now = clock.now();
    return rows.map((r) => toExemption(r, now));
  }
}
