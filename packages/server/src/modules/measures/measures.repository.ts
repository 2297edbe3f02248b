import type { Executor, MeasuresTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';
import { underNode } from '../../db/dialect.js';

/** Measures: plain queries, no rules. The window a measure acts in is [start_at, coalesce(ended_at, planned_end_at)). */
export const measuresRepository = {
  async insert(db: Executor, row: MeasuresTable) {
    await db.insertInto('measures').values(row).execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('measures').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** The live or past measure taken from a source (a refused one does not count: the source may be proposed again). */
  bySource(db: Executor, sourceType: string, sourceId: string) {
    return db.selectFrom('measures').selectAll().where('source_type', '=', sourceType).where('source_id', '=', sourceId).where('status', '!=', 'refused').executeTakeFirst();
  },

  /** Changes a measure if it is still at `version`; false when someone changed it meanwhile. */
  async update(db: Executor, id: string, version: number, patch: Partial<MeasuresTable>): Promise<boolean> {
    const r = await db.updateTable('measures').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /**
   * Measures that deny a person passage at `at`: their own, and area controls whose scope holds their home. An
   * ended measure still answers for moments before its end (the record of a past decision stays explainable).
   */
  inForceFor(db: Executor, residentId: string, regionCode: string, at: number) {
    return db
      .selectFrom('measures')
      .selectAll()
      .where('status', 'in', ['active', 'ended'])
      .where('denies_passage', '=', 1)
      .where('start_at', '<=', at)
      .where((eb) => eb(eb.fn.coalesce('ended_at', 'planned_end_at'), '>', at))
      .where((eb) =>
        eb.or([
          eb('resident_id', '=', residentId),
          eb.and([eb('kind', '=', 'area_control'), eb('region_code', '<=', regionCode), eb(eb.fn('substr', [eb.val(regionCode), eb.val(1), eb.fn('length', ['region_code'])]), '=', eb.ref('region_code'))]),
        ]),
      )
      .orderBy('planned_end_at', 'desc')
      .execute();
  },

  async list(db: Executor, scope: Scope, node: string, q: { status?: string; kind?: string; residentId?: string; page: number; pageSize: number }) {
    let base = db.selectFrom('measures').where(scope.where('measures.region_code')).where(underNode('measures.region_code', node));
    if (q.status) base = base.where('status', '=', q.status);
    if (q.kind) base = base.where('kind', '=', q.kind);
    if (q.residentId) base = base.where('resident_id', '=', q.residentId);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },
};
