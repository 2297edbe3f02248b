import { ancestorCodes } from '@gridline/shared';
import { underNode } from '../../db/dialect.js';
import type { Executor } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

const DAY_MS = 86_400_000;

/** Area controls (issue #7): plain queries, no rules. A control is in force when active and now ∈ [start_at, planned_end_at). */
export const areasRepository = {
  /** Area controls in force at `now` under `node`, within the caller's scope (bounded: a street has tens, not thousands). */
  inForce(db: Executor, scope: Scope, node: string, now: number) {
    return db
      .selectFrom('measures')
      .selectAll()
      .where(scope.where('measures.region_code'))
      .where(underNode('measures.region_code', node))
      .where('kind', '=', 'area_control')
      .where('status', '=', 'active')
      .where('start_at', '<=', now)
      .where('planned_end_at', '>', now)
      .orderBy('region_code')
      .orderBy('start_at')
      .limit(500)
      .execute();
  },

  /** Step-downs of these controls still waiting for approval. */
  async pendingStepDowns(db: Executor, sourceIds: string[]) {
    if (!sourceIds.length) return [];
    return db.selectFrom('measures').select(['id', 'source_id', 'area_level']).where('source_type', '=', 'area_control').where('source_id', 'in', sourceIds).where('status', '=', 'pending').execute();
  },

  /** Residents registered under each code (from the maintained counts: one row per code). */
  async residents(db: Executor, codes: string[]): Promise<Map<string, number>> {
    if (!codes.length) return new Map();
    const rows = await db.selectFrom('region_resident_counts').select(['code', 'residents']).where('code', 'in', [...new Set(codes)]).execute();
    return new Map(rows.map((r) => [r.code, Number(r.residents)]));
  },

  /** Names and boundaries of the codes and all their ancestors (households: their address, no boundary). */
  async nodes(db: Executor, codes: string[]): Promise<Map<string, { name: string; level: string; geometry: string | null }>> {
    const all = [...new Set(codes.flatMap((c) => ancestorCodes(c)))];
    const out = new Map<string, { name: string; level: string; geometry: string | null }>();
    if (!all.length) return out;
    for (const n of await db.selectFrom('region_nodes').select(['code', 'name', 'level', 'geometry']).where('code', 'in', all).execute()) out.set(n.code, n);
    const households = all.filter((c) => c.length === 24);
    if (households.length) {
      for (const h of await db.selectFrom('households').select(['code', 'address']).where('code', 'in', households).execute()) out.set(h.code, { name: h.address, level: 'household', geometry: null });
    }
    return out;
  },

  /** The latest onset date and confirmation time of infections (confirmed or asymptomatic, open or closed) living under a node, found by `now`. */
  async lastInfection(db: Executor, node: string, now: number): Promise<{ onset: string | null; confirmedAt: number | null }> {
    const row = await db
      .selectFrom('cases')
      .select((eb) => [eb.fn.max('onset_date').as('onset'), eb.fn.max('confirmed_at').as('confirmed')])
      .where(underNode('region_code', node))
      .where('classification', 'in', ['confirmed', 'asymptomatic'])
      .where('confirmed_at', '<=', now)
      .executeTakeFirst();
    return { onset: row?.onset ?? null, confirmedAt: row?.confirmed === null || row?.confirmed === undefined ? null : Number(row.confirmed) };
  },

  /**
   * The negative round under a node at `now`: residents in residence (everyone registered there except those in
   * centralized isolation in force now, tested at the site, and open infections, treated or isolated elsewhere), how many of them have no negative test sampled
   * in [now − windowMs, now], the last such sample, and residents with a positive sample since `positivesFrom`.
   */
  async round(db: Executor, node: string, now: number, windowMs: number, positivesFrom: number) {
    const from = now - windowMs;
    // Reports are filed per Shanghai day and may carry a sample from the day before: look a day further back (partition pruning on PostgreSQL).
    const base = db
      .selectFrom('residents as r')
      .where(underNode('r.region_code', node))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('measures as m')
              .select('m.id')
              .whereRef('m.resident_id', '=', 'r.id')
              .where('m.kind', '=', 'centralized_isolation')
              .where('m.status', '=', 'active')
              .where('m.start_at', '<=', now)
              .where('m.planned_end_at', '>', now),
          ),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('cases as c').select('c.id').whereRef('c.resident_id', '=', 'r.id').where('c.status', '=', 'open').where('c.classification', 'in', ['confirmed', 'asymptomatic']),
          ),
        ),
      );
    const [all, tested, positives] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      db
        .selectFrom('health_reports as h')
        .innerJoin(base.select('r.id').as('inres'), 'inres.id', 'h.resident_id')
        .select((eb) => [eb.fn.count<number>('h.resident_id').distinct().as('n'), eb.fn.max('h.test_sampled_at').as('last')])
        .where('h.day_start', '>=', from - DAY_MS)
        .where('h.day_start', '<=', now)
        .where('h.test_result', '=', 'negative')
        .where('h.test_sampled_at', '>=', from)
        .where('h.test_sampled_at', '<=', now)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('health_reports as h')
        .select((eb) => eb.fn.count<number>('h.resident_id').distinct().as('n'))
        .where(underNode('h.region_code', node))
        .where('h.day_start', '>=', positivesFrom - DAY_MS)
        .where('h.test_result', '=', 'positive')
        .where('h.test_sampled_at', '>=', positivesFrom)
        .where('h.test_sampled_at', '<=', now)
        .executeTakeFirstOrThrow(),
    ]);
    const inResidence = Number(all.n);
    return { inResidence, untested: Math.max(0, inResidence - Number(tested.n)), positives: Number(positives.n), lastSampledAt: tested.last === null ? null : Number(tested.last) };
  },
};
