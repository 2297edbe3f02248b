import type { VisitListQuery } from '@gridline/shared';
import type { Executor, ScreeningHouseholdsTable, ScreeningResultsTable, ScreeningVisitsTable } from '../../db/schema.js';

/** Visits as received, their per-resident results, and each visited household's current state. */
export const visitsRepository = {
  byKey(db: Executor, clientKey: string) {
    return db.selectFrom('screening_visits').selectAll().where('client_key', '=', clientKey).executeTakeFirst();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('screening_visits').selectAll().where('id', '=', id).executeTakeFirst();
  },

  byIds(db: Executor, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('screening_visits').selectAll().where('id', 'in', ids).execute();
  },

  async insert(db: Executor, row: ScreeningVisitsTable) {
    await db.insertInto('screening_visits').values(row).execute();
  },

  async insertResults(db: Executor, rows: ScreeningResultsTable[]) {
    if (rows.length) await db.insertInto('screening_results').values(rows).execute();
  },

  async update(db: Executor, id: string, patch: Partial<ScreeningVisitsTable>) {
    await db.updateTable('screening_visits').set(patch).where('id', '=', id).execute();
  },

  /**
   * The latest completed visit by someone else that the author had not seen (applied after their base
   * version): the visit a new one conflicts with, if any.
   */
  otherVisitAfter(db: Executor, campaignId: string, householdId: string, baseVersion: number, authorId: string | null) {
    return db
      .selectFrom('screening_visits')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('household_id', '=', householdId)
      .where('status', '=', 'accepted')
      .where('outcome', '=', 'visited')
      .where('applied_version', '>', baseVersion)
      .where((eb) => (authorId === null ? eb('visited_by', 'is not', null) : eb.or([eb('visited_by', 'is', null), eb('visited_by', '!=', authorId)])))
      .orderBy('applied_version', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  state(db: Executor, campaignId: string, householdId: string) {
    return db.selectFrom('screening_households').selectAll().where('campaign_id', '=', campaignId).where('household_id', '=', householdId).executeTakeFirst();
  },

  async insertState(db: Executor, row: ScreeningHouseholdsTable) {
    await db.insertInto('screening_households').values(row).execute();
  },

  /** Moves a household's state on from the version read; false when someone else moved it first. */
  async updateState(db: Executor, campaignId: string, householdId: string, version: number, patch: Partial<ScreeningHouseholdsTable>): Promise<boolean> {
    const r = await db
      .updateTable('screening_households')
      .set(patch)
      .where('campaign_id', '=', campaignId)
      .where('household_id', '=', householdId)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** An author's own visits, newest first (the worker's sync history and conflicts to resolve). */
  async mine(db: Executor, authorId: string, q: VisitListQuery) {
    let query = db.selectFrom('screening_visits').where('visited_by', '=', authorId);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.campaignId) query = query.where('campaign_id', '=', q.campaignId);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('received_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n), page, pageSize };
  },
};
