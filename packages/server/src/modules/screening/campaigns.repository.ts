import { sql } from 'kysely';
import { CODE_LENGTH, type CampaignListQuery, type CampaignStatus, type CountsDelta } from '@gridline/shared';
import { underNode } from '../../db/dialect.js';
import type { Executor, ScreeningAssignmentsTable, ScreeningCampaignsTable, ScreeningGridsTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

const gridOf = sql<string>`substr(code, 1, ${sql.lit(CODE_LENGTH.grid)})`;

/** Campaigns, their grids with coverage counters, and who is assigned to each grid. Plain queries, no rules. */
export const campaignsRepository = {
  byId(db: Executor, id: string) {
    return db.selectFrom('screening_campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insert(db: Executor, row: ScreeningCampaignsTable) {
    await db.insertInto('screening_campaigns').values(row).execute();
  },

  /** Optimistic update: changes the row only at the version read; returns whether it did. */
  async update(db: Executor, id: string, version: number, patch: Partial<ScreeningCampaignsTable>): Promise<boolean> {
    const r = await db.updateTable('screening_campaigns').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Whether the campaign has a grid under the caller's node (how staff below the campaign's node see it). */
  async hasGridInScope(db: Executor, scope: Scope, id: string): Promise<boolean> {
    return !!(await db.selectFrom('screening_grids').select('grid_code').where('campaign_id', '=', id).where(scope.where('grid_code')).limit(1).executeTakeFirst());
  },

  /** Campaigns whose node lies under the caller's, or that have a grid there; newest first. */
  async list(db: Executor, scope: Scope, q: CampaignListQuery, userId: string | null) {
    let query = db
      .selectFrom('screening_campaigns as c')
      .where((eb) =>
        eb.or([
          scope.where('c.node_code'),
          eb.exists(eb.selectFrom('screening_grids as g').select('g.grid_code').whereRef('g.campaign_id', '=', 'c.id').where(scope.where('g.grid_code'))),
        ]),
      );
    if (q.status) query = query.where('c.status', '=', q.status);
    if (q.mine) {
      query = query.where((eb) => eb.exists(eb.selectFrom('screening_assignments as a').select('a.user_id').whereRef('a.campaign_id', '=', 'c.id').where('a.user_id', '=', userId ?? '')));
    }
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const [rows, count] = await Promise.all([
      query.selectAll('c').orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n), page, pageSize };
  },

  /** Grid nodes under a node (the node itself when it is a grid), by code. */
  async gridCodesUnder(db: Executor, node: string): Promise<string[]> {
    const rows = await db.selectFrom('region_nodes').select('code').where('level', '=', 'grid').where(underNode('code', node)).orderBy('code').execute();
    return rows.map((r) => r.code);
  },

  /** Households per grid under a node: one grouped range scan of the households' code index. */
  async householdCountsByGrid(db: Executor, node: string): Promise<Map<string, number>> {
    const rows = await db.selectFrom('households').select([gridOf.as('grid'), (eb) => eb.fn.countAll<number>().as('n')]).where(underNode('code', node)).groupBy(gridOf).execute();
    return new Map(rows.map((r) => [r.grid, Number(r.n)]));
  },

  async insertGrids(db: Executor, rows: ScreeningGridsTable[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('screening_grids').values(rows.slice(i, i + 500)).execute();
  },

  grid(db: Executor, campaignId: string, gridCode: string) {
    return db.selectFrom('screening_grids').selectAll().where('campaign_id', '=', campaignId).where('grid_code', '=', gridCode).executeTakeFirst();
  },

  /**
   * The campaign's grids under a node with their counters and names: a range scan of the primary key
   * (campaign_id, grid_code) — the coverage query, a few hundred rows for a district.
   */
  gridsUnder(db: Executor, campaignId: string, node: string) {
    return db
      .selectFrom('screening_grids as g')
      .leftJoin('region_nodes as n', 'n.code', 'g.grid_code')
      .leftJoin('region_nodes as cm', (j) => j.on('cm.code', '=', sql<string>`substr(g.grid_code, 1, ${sql.lit(CODE_LENGTH.community)})`))
      .select([
        'g.grid_code', 'g.households_total', 'g.visited', 'g.nobody_home', 'g.residents_screened', 'g.abnormal_residents',
        'n.name as grid_name', 'n.geometry', 'cm.name as community_name',
      ])
      .where('g.campaign_id', '=', campaignId)
      .where(underNode('g.grid_code', node))
      .orderBy('g.grid_code')
      .execute();
  },

  async setTotals(db: Executor, campaignId: string, totals: Map<string, number>, now: number) {
    for (const [grid, n] of totals) {
      await db.updateTable('screening_grids').set({ households_total: n, updated_at: now }).where('campaign_id', '=', campaignId).where('grid_code', '=', grid).execute();
    }
  },

  /** Adds a visit's delta to its grid's counters (and a household registered after the count to its total). */
  async addToGrid(db: Executor, campaignId: string, gridCode: string, d: CountsDelta, newHousehold: boolean, now: number) {
    await db
      .updateTable('screening_grids')
      .set((eb) => ({
        visited: eb('visited', '+', d.visited),
        nobody_home: eb('nobody_home', '+', d.nobodyHome),
        residents_screened: eb('residents_screened', '+', d.residentsScreened),
        abnormal_residents: eb('abnormal_residents', '+', d.abnormalResidents),
        households_total: eb('households_total', '+', newHousehold ? 1 : 0),
        updated_at: now,
      }))
      .where('campaign_id', '=', campaignId)
      .where('grid_code', '=', gridCode)
      .execute();
  },

  /** Assignments of the campaign's grids under a node, with the workers' names. */
  assignments(db: Executor, campaignId: string, node: string) {
    return db
      .selectFrom('screening_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .select(['a.grid_code', 'u.id', 'u.display_name', 'u.username'])
      .where('a.campaign_id', '=', campaignId)
      .where(underNode('a.grid_code', node))
      .orderBy('a.grid_code')
      .orderBy('u.username')
      .execute();
  },

  async assignedGrids(db: Executor, campaignId: string, userId: string): Promise<string[]> {
    const rows = await db.selectFrom('screening_assignments').select('grid_code').where('campaign_id', '=', campaignId).where('user_id', '=', userId).orderBy('grid_code').execute();
    return rows.map((r) => r.grid_code);
  },

  async isAssigned(db: Executor, campaignId: string, userId: string): Promise<boolean> {
    return !!(await db.selectFrom('screening_assignments').select('grid_code').where('campaign_id', '=', campaignId).where('user_id', '=', userId).limit(1).executeTakeFirst());
  },

  async insertAssignments(db: Executor, rows: ScreeningAssignmentsTable[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('screening_assignments').values(rows.slice(i, i + 500)).execute();
  },

  async clearAssignments(db: Executor, campaignId: string, gridCode: string) {
    await db.deleteFrom('screening_assignments').where('campaign_id', '=', campaignId).where('grid_code', '=', gridCode).execute();
  },

  /** Active accounts of the given roles sitting exactly on one of the nodes (the default grid workers, the candidates). */
  usersOn(db: Executor, nodes: string[], roles: readonly string[]) {
    if (!nodes.length || !roles.length) return Promise.resolve([]);
    return db
      .selectFrom('users')
      .select(['id', 'display_name', 'username', 'node_code', 'role'])
      .where('node_code', 'in', nodes)
      .where('role', 'in', [...roles])
      .where('disabled', '=', 0)
      .orderBy('node_code')
      .orderBy('username')
      .execute();
  },

  async setStatus(db: Executor, id: string, version: number, status: CampaignStatus, patch: Partial<ScreeningCampaignsTable>): Promise<boolean> {
    return campaignsRepository.update(db, id, version, { ...patch, status });
  },
};
