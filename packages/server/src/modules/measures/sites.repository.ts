import { CODE_LENGTH } from '@gridline/shared';
import { sql } from 'kysely';
import type { Executor, IsolationSitesTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

/** The nodes above and at `node` a site may be designated at (the district and the street). */
export function designatingNodes(node: string): string[] {
  return [CODE_LENGTH.district, CODE_LENGTH.street].filter((n) => n <= node.length).map((n) => node.slice(0, n));
}

/** Isolation sites: plain queries, no rules. Occupancy = centralized isolations at the site pending or in force at `now`. */
export const sitesRepository = {
  async insert(db: Executor, row: IsolationSitesTable) {
    await db.insertInto('isolation_sites').values(row).execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('isolation_sites').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** The site row locked for the rest of the transaction (PostgreSQL; SQLite's single writer serializes anyway). */
  async lock(db: Executor, id: string, postgres: boolean) {
    const q = db.selectFrom('isolation_sites').selectAll().where('id', '=', id);
    return (postgres ? q.forUpdate() : q).executeTakeFirst();
  },

  async update(db: Executor, id: string, version: number, patch: Partial<IsolationSitesTable>): Promise<boolean> {
    const r = await db.updateTable('isolation_sites').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Sites the scope may see: designated at or above its node (they serve it), or under it. */
  visible(db: Executor, scope: Scope, opts: { includeInactive?: boolean; serving?: string }) {
    const up = designatingNodes(scope.node);
    let q = db.selectFrom('isolation_sites').selectAll().where((eb) => (up.length ? eb.or([eb('region_code', 'in', up), scope.where('region_code')]) : scope.where('region_code')));
    if (!opts.includeInactive) q = q.where('active', '=', 1);
    // Only sites whose designating node holds `serving` (the person's home).
    if (opts.serving !== undefined) q = q.where('region_code', 'in', designatingNodes(opts.serving));
    return q.orderBy('region_code').orderBy('name').execute();
  },

  /** Places taken per site at `now`. */
  async occupancy(db: Executor, siteIds: string[], now: number): Promise<Map<string, number>> {
    if (!siteIds.length) return new Map();
    const rows = await db
      .selectFrom('measures')
      .select(['site_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('site_id', 'in', siteIds)
      .where('kind', '=', 'centralized_isolation')
      .where('status', 'in', ['pending', 'active'])
      .where(sql<boolean>`coalesce(ended_at, planned_end_at) > ${now}`)
      .groupBy('site_id')
      .execute();
    return new Map(rows.map((r) => [r.site_id!, Number(r.n)]));
  },

  /** The measures holding a place at the site now, with the person's name and home (for scoping by the caller). */
  occupants(db: Executor, siteId: string, now: number) {
    return db
      .selectFrom('measures as m')
      .leftJoin('residents as r', 'r.id', 'm.resident_id')
      .select(['m.id', 'm.status', 'm.region_code', 'm.start_at', 'm.planned_end_at', 'r.name'])
      .where('m.site_id', '=', siteId)
      .where('m.kind', '=', 'centralized_isolation')
      .where('m.status', 'in', ['pending', 'active'])
      .where(sql<boolean>`coalesce(m.ended_at, m.planned_end_at) > ${now}`)
      .orderBy('m.planned_end_at')
      .execute();
  },

  async nodeNames(db: Executor, codes: string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    const rows = await db.selectFrom('region_nodes').select(['code', 'name']).where('code', 'in', codes).execute();
    return new Map(rows.map((r) => [r.code, r.name]));
  },
};
