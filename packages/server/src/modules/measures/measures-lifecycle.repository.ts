import { underNode } from '../../db/dialect.js';
import type { Executor, MeasureDeliveriesTable, MeasuresTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

export type DueRow = MeasuresTable & { resident_name: string };

/** Release proposals, the evidence they are judged on, and delivery records: plain queries, no rules. */
export const lifecycleRepository = {
  /** Person measures still recorded in force whose planned end is at or before `horizon` (the end of today), oldest due first. */
  async dueForRelease(db: Executor, scope: Scope, node: string, horizon: number, page: number, pageSize: number) {
    const base = db
      .selectFrom('measures as m')
      .innerJoin('residents as r', 'r.id', 'm.resident_id')
      .where(scope.where('m.region_code'))
      .where(underNode('m.region_code', node))
      .where('m.status', '=', 'active')
      .where('m.kind', '!=', 'area_control')
      .where('m.planned_end_at', '<=', horizon);
    const [rows, count] = await Promise.all([
      base.selectAll('m').select('r.name as resident_name').orderBy('m.planned_end_at').orderBy('m.id').limit(pageSize).offset((page - 1) * pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as DueRow[], total: Number(count.n) };
  },

  /** Tests reported by these residents, sampled within [from, to). */
  testsOf(db: Executor, residentIds: string[], from: number, to: number) {
    if (!residentIds.length) return Promise.resolve([]);
    return db
      .selectFrom('health_reports')
      .select(['resident_id', 'test_sampled_at', 'test_result'])
      .where('resident_id', 'in', residentIds)
      .where('test_sampled_at', '>=', from)
      .where('test_sampled_at', '<', to)
      .execute();
  },

  /** Health reports of these residents on the days starting within [from, to). */
  reportsOf(db: Executor, residentIds: string[], from: number, to: number) {
    if (!residentIds.length) return Promise.resolve([]);
    return db
      .selectFrom('health_reports')
      .select(['resident_id', 'day', 'temperature_tenths', 'symptoms'])
      .where('resident_id', 'in', residentIds)
      .where('day_start', '>=', from)
      .where('day_start', '<', to)
      .execute();
  },

  /** The measures under the scope, each with its person's name (null for an area control). */
  measuresByIds(db: Executor, scope: Scope, ids: string[]) {
    return db
      .selectFrom('measures as m')
      .leftJoin('residents as r', 'r.id', 'm.resident_id')
      .selectAll('m')
      .select('r.name as resident_name')
      .where('m.id', 'in', ids)
      .where(scope.where('m.region_code'))
      .execute();
  },

  /** Records a delivery unless this document already reached the person by this channel; true when recorded now. */
  async insertDelivery(db: Executor, row: MeasureDeliveriesTable): Promise<boolean> {
    const r = await db
      .insertInto('measure_deliveries')
      .values(row)
      .onConflict((oc) => oc.columns(['measure_id', 'document', 'channel']).doNothing())
      .returning('id')
      .execute();
    return r.length === 1;
  },

  deliveriesOf(db: Executor, measureId: string) {
    return db.selectFrom('measure_deliveries').selectAll().where('measure_id', '=', measureId).orderBy('delivered_at').orderBy('id').execute();
  },
};
