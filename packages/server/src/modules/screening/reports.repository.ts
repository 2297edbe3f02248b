import { sql } from 'kysely';
import { CODE_LENGTH } from '@gridline/shared';
import { underNode } from '../../db/dialect.js';
import type { Executor } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

/**
 * Read-side joins of a campaign with the register: a grid's households for the worker's list, households
 * not reached, residents with abnormal answers, revisits due. Each is a range scan over codes under one node.
 */
export const reportsRepository = {
  /** A grid's households with their building and unit names and the campaign state of each. */
  householdsOfGrid(db: Executor, campaignId: string, grid: string) {
    return db
      .selectFrom('households as h')
      .leftJoin('region_nodes as b', (j) => j.on('b.code', '=', sql<string>`substr(h.code, 1, ${sql.lit(CODE_LENGTH.building)})`))
      .leftJoin('region_nodes as u', 'u.code', 'h.unit_code')
      .leftJoin('screening_households as s', (j) => j.onRef('s.household_id', '=', 'h.id').on('s.campaign_id', '=', campaignId))
      .select([
        'h.id', 'h.code', 'h.unit_code', 'h.room', 'h.address', 'b.name as building_name', 'u.name as unit_name',
        's.state', 's.version', 's.revisit_on', 's.last_visited_at', 's.last_visited_by_name',
      ])
      .where(underNode('h.code', grid))
      .orderBy('h.code')
      .execute();
  },

  residentsOfGrid(db: Executor, grid: string) {
    return db
      .selectFrom('residents')
      .select(['id', 'household_id', 'name', 'sex', 'birth_date', 'relation_to_head', 'tags'])
      .where(underNode('region_code', grid))
      .orderBy('region_code')
      .orderBy('created_at')
      .execute();
  },

  /** Households under a node not visited yet: no state (never reached) or nobody home at the last attempt. */
  async followUp(db: Executor, campaignId: string, node: string, state: 'pending' | 'nobody_home' | undefined, page: number, pageSize: number) {
    let q = db
      .selectFrom('households as h')
      .leftJoin('screening_households as s', (j) => j.onRef('s.household_id', '=', 'h.id').on('s.campaign_id', '=', campaignId))
      .where(underNode('h.code', node));
    if (state === 'pending') q = q.where('s.state', 'is', null);
    else if (state === 'nobody_home') q = q.where('s.state', '=', 'nobody_home');
    else q = q.where((eb) => eb.or([eb('s.state', 'is', null), eb('s.state', '=', 'nobody_home')]));
    const [rows, count] = await Promise.all([
      q
        .leftJoin('region_nodes as g', (j) => j.on('g.code', '=', sql<string>`substr(h.code, 1, ${sql.lit(CODE_LENGTH.grid)})`))
        .select([
          'h.id', 'h.code', 'h.address', 'g.code as grid_code', 'g.name as grid_name', 's.state', 's.revisit_on', 's.last_visited_at',
          (eb) => eb.selectFrom('residents as r').select((e) => e.fn.countAll<number>().as('n')).whereRef('r.household_id', '=', 'h.id').as('members'),
        ])
        .orderBy('h.code')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** Residents with an abnormal answer in their household's standing visit, under a node. */
  async abnormal(db: Executor, campaignId: string, node: string, page: number, pageSize: number) {
    const q = db
      .selectFrom('screening_households as s')
      .innerJoin('screening_results as r', (j) => j.onRef('r.visit_id', '=', 's.last_visit_id').on('r.abnormal', '=', 1))
      .where('s.campaign_id', '=', campaignId)
      .where(underNode('s.household_code', node))
      .where('s.abnormal_residents', '>', 0);
    const [rows, count] = await Promise.all([
      q
        .innerJoin('households as h', 'h.id', 's.household_id')
        .leftJoin('residents as p', 'p.id', 'r.resident_id')
        .select(['r.resident_id', 'p.name', 's.household_id', 'h.address', 's.grid_code', 'r.reasons', 's.last_visited_at', 's.last_visited_by_name'])
        .orderBy('s.household_code')
        .orderBy('r.resident_id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** Keyset batches of households not visited (exports walk these; never the whole list in memory). */
  followUpBatch(db: Executor, campaignId: string, node: string, afterCode: string, limit: number) {
    return db
      .selectFrom('households as h')
      .leftJoin('screening_households as s', (j) => j.onRef('s.household_id', '=', 'h.id').on('s.campaign_id', '=', campaignId))
      .leftJoin('region_nodes as g', (j) => j.on('g.code', '=', sql<string>`substr(h.code, 1, ${sql.lit(CODE_LENGTH.grid)})`))
      .select([
        'h.id', 'h.code', 'h.address', 'g.name as grid_name', 's.state', 's.revisit_on', 's.last_visited_at',
        (eb) => eb.selectFrom('residents as r').select((e) => e.fn.countAll<number>().as('n')).whereRef('r.household_id', '=', 'h.id').as('members'),
      ])
      .where(underNode('h.code', node))
      .where('h.code', '>', afterCode)
      .where((eb) => eb.or([eb('s.state', 'is', null), eb('s.state', '=', 'nobody_home')]))
      .orderBy('h.code')
      .limit(limit)
      .execute();
  },

  /** Keyset batches of residents with abnormal answers, by household code then resident. */
  abnormalBatch(db: Executor, campaignId: string, node: string, after: { code: string; resident: string }, limit: number) {
    return db
      .selectFrom('screening_households as s')
      .innerJoin('screening_results as r', (j) => j.onRef('r.visit_id', '=', 's.last_visit_id').on('r.abnormal', '=', 1))
      .innerJoin('households as h', 'h.id', 's.household_id')
      .leftJoin('residents as p', 'p.id', 'r.resident_id')
      .select(['s.household_code', 'r.resident_id', 'p.name', 'h.address', 'r.reasons', 's.last_visited_at', 's.last_visited_by_name'])
      .where('s.campaign_id', '=', campaignId)
      .where(underNode('s.household_code', node))
      .where('s.abnormal_residents', '>', 0)
      .where((eb) => eb.or([eb('s.household_code', '>', after.code), eb.and([eb('s.household_code', '=', after.code), eb('r.resident_id', '>', after.resident)])]))
      .orderBy('s.household_code')
      .orderBy('r.resident_id')
      .limit(limit)
      .execute();
  },

  /** Households with nobody home whose revisit is due by `today`, in the active campaigns' grids assigned to a user. */
  revisitsDue(db: Executor, scope: Scope, userId: string, today: string) {
    return db
      .selectFrom('screening_assignments as a')
      .innerJoin('screening_campaigns as c', 'c.id', 'a.campaign_id')
      .innerJoin('screening_households as s', (j) => j.onRef('s.campaign_id', '=', 'a.campaign_id').onRef('s.grid_code', '=', 'a.grid_code'))
      .innerJoin('households as h', 'h.id', 's.household_id')
      .select(['c.id as campaign_id', 'c.name as campaign_name', 's.household_id', 'h.address', 's.grid_code', 's.revisit_on'])
      .where('a.user_id', '=', userId)
      .where('c.status', '=', 'active')
      .where('s.state', '=', 'nobody_home')
      .where('s.revisit_on', '<=', today)
      .where(scope.where('s.household_code'))
      .orderBy('s.revisit_on')
      .orderBy('s.household_code')
      .limit(500)
      .execute();
  },
};
