import { shanghaiDayStart, type HealthMonitoring, type HealthReport, type HealthTest, type Symptom } from '@gridline/shared';
import { sql, type ExpressionBuilder } from 'kysely';
import { underNode } from '../../db/dialect.js';
import type { Database, Executor, HealthMonitoringTable, HealthReportsTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

export type ReportRow = HealthReportsTable & { resident_name: string };
export type MonitoringRow = HealthMonitoringTable & { resident_name: string };

export function toReport(r: ReportRow): HealthReport {
  const test: HealthTest | null = r.test_sampled_at !== null && r.test_result ? { sampledAt: Number(r.test_sampled_at), result: r.test_result as HealthTest['result'] } : null;
  return {
    id: r.id,
    residentId: r.resident_id,
    residentName: r.resident_name,
    regionCode: r.region_code,
    day: r.day,
    temperatureC: r.temperature_tenths / 10,
    symptoms: JSON.parse(r.symptoms) as Symptom[],
    test,
    note: r.note,
    abnormal: r.abnormal === 1,
    abnormalReasons: JSON.parse(r.abnormal_reasons) as string[],
    protocolId: r.protocol_id,
    reportedBy: { kind: r.reporter_kind as 'self' | 'worker', name: r.reporter_name },
    reportedAt: Number(r.reported_at),
    createdAt: Number(r.created_at),
    version: r.version,
  };
}

export function toMonitoring(r: MonitoringRow, today: string): HealthMonitoring {
  return {
    id: r.id,
    residentId: r.resident_id,
    residentName: r.resident_name,
    regionCode: r.region_code,
    reason: r.reason as HealthMonitoring['reason'],
    note: r.note,
    startDay: r.start_day,
    endDay: r.end_day,
    source: r.source_type && r.source_id ? { type: r.source_type, id: r.source_id } : null,
    protocolId: r.protocol_id,
    active: r.ended_at === null && r.start_day <= today && r.end_day >= today,
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
    endNote: r.end_note,
    createdAt: Number(r.created_at),
  };
}

/** Monitoring in force on `day` and not ended early. */
function activeOn(eb: ExpressionBuilder<Database & { m: HealthMonitoringTable }, 'm'>, day: string) {
  return eb.and([eb('m.start_day', '<=', day), eb('m.end_day', '>=', day), eb('m.ended_at', 'is', null)]);
}

/**
 * Reports and monitoring; the register is joined for names and current addresses only. Monitoring is scoped by
 * the resident's current address (it follows a resident who moves); reports by where they were made.
 */
export const healthRepository = {
  reportByResidentDay(db: Executor, residentId: string, day: string) {
    return db.selectFrom('health_reports').selectAll().where('resident_id', '=', residentId).where('day_start', '=', shanghaiDayStart(day)).executeTakeFirst();
  },

  /**
   * Inserts today's report, or replaces the one already there (the unique (resident, day) key decides, so two
   * reports racing on the same day end as one row). Returns the stored id and version.
   */
  async upsertReport(db: Executor, row: HealthReportsTable) {
    const { id: _id, created_at: _created, resident_id: _resident, day: _day, day_start: _start, version: _version, ...changes } = row;
    return db
      .insertInto('health_reports')
      .values(row)
      .onConflict((oc) => oc.columns(['resident_id', 'day_start']).doUpdateSet((eb) => ({ ...changes, version: eb('health_reports.version', '+', 1) })))
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
  },

  async shownReport(db: Executor, id: string): Promise<ReportRow | undefined> {
    return db.selectFrom('health_reports as hr').innerJoin('residents as r', 'r.id', 'hr.resident_id').selectAll('hr').select('r.name as resident_name').where('hr.id', '=', id).executeTakeFirst();
  },

  reportsByIds(db: Executor, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('health_reports').select(['id', 'day', 'abnormal_reasons']).where('id', 'in', ids).execute();
  },

  async listReports(db: Executor, scope: Scope, node: string, q: { day?: string | undefined; abnormal?: boolean | undefined; residentId?: string | undefined; page: number; pageSize: number }) {
    let base = db.selectFrom('health_reports as hr').innerJoin('residents as r', 'r.id', 'hr.resident_id').where(scope.where('hr.region_code'));
    if (node !== scope.node) base = base.where(underNode('hr.region_code', node));
    if (q.day) base = base.where('hr.day_start', '=', shanghaiDayStart(q.day));
    if (q.abnormal !== undefined) base = base.where('hr.abnormal', '=', q.abnormal ? 1 : 0);
    if (q.residentId) base = base.where('hr.resident_id', '=', q.residentId);
    const [rows, count] = await Promise.all([
      base.selectAll('hr').select('r.name as resident_name').orderBy('hr.day_start', 'desc').orderBy('hr.abnormal', 'desc').orderBy('hr.reported_at', 'desc').orderBy('hr.id').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as ReportRow[], total: Number(count.n) };
  },

  /** Tests a resident reported, sampled within [from, to]. */
  testsBetween(db: Executor, residentId: string, from: number, to: number) {
    return db
      .selectFrom('health_reports')
      .select(['test_sampled_at', 'test_result'])
      .where('resident_id', '=', residentId)
      .where('test_sampled_at', '>=', from)
      .where('test_sampled_at', '<=', to)
      .execute();
  },

  /** Reports and abnormal reports of a day under a node, per grid. */
  reportsPerGrid(db: Executor, scope: Scope, node: string, day: string, gridLength: number) {
    return db
      .selectFrom('health_reports as hr')
      .where('hr.day_start', '=', shanghaiDayStart(day))
      .where(scope.where('hr.region_code'))
      .where(underNode('hr.region_code', node))
      .select([sql<string>`substr(hr.region_code, 1, ${sql.lit(gridLength)})`.as('grid'), (eb) => eb.fn.countAll<number>().as('reports'), sql<number>`sum(hr.abnormal)`.as('abnormal')])
      .groupBy(sql`substr(hr.region_code, 1, ${sql.lit(gridLength)})`)
      .execute();
  },

  /** Residents under monitoring on `day`, per grid, and how many of them have not reported that day. */
  requiredPerGrid(db: Executor, scope: Scope, node: string, day: string, gridLength: number) {
    const grid = sql<string>`substr(r.region_code, 1, ${sql.lit(gridLength)})`;
    return db
      .selectFrom('residents as r')
      .where(scope.where('r.region_code'))
      .where(underNode('r.region_code', node))
      .where((eb) => eb.exists(eb.selectFrom('health_monitoring as m').select('m.id').whereRef('m.resident_id', '=', 'r.id').where((e) => activeOn(e, day))))
      .select([
        grid.as('grid'),
        (eb) => eb.fn.countAll<number>().as('required'),
        sql<number>`sum(case when exists (select 1 from health_reports hr where hr.resident_id = r.id and hr.day_start = ${shanghaiDayStart(day)}) then 0 else 1 end)`.as('missing'),
      ])
      .groupBy(grid)
      .execute();
  },

  /** Grids under a node (or the grid holding a node below grid level), for a per-grid table with zeros. */
  gridsUnder(db: Executor, node: string, gridLength: number) {
    const q = db.selectFrom('region_nodes').select(['code', 'name']);
    if (node.length >= gridLength) return q.where('code', '=', node.slice(0, gridLength)).execute();
    return q.where('level', '=', 'grid').where(underNode('code', node)).orderBy('code').execute();
  },

  /** Residents who must report on `day` and have not: one row per resident (their monitoring that ends last). */
  async missing(db: Executor, scope: Scope, node: string, day: string, page: number, pageSize: number) {
    const base = db
      .selectFrom('health_monitoring as m')
      .innerJoin('residents as r', 'r.id', 'm.resident_id')
      .innerJoin('households as h', 'h.id', 'r.household_id')
      .where(scope.where('r.region_code'))
      .where(underNode('r.region_code', node))
      .where((eb) => activeOn(eb, day))
      .where((eb) =>
        eb('m.id', '=', eb.selectFrom('health_monitoring as m2').select('m2.id').whereRef('m2.resident_id', '=', 'm.resident_id').where('m2.start_day', '<=', day).where('m2.end_day', '>=', day).where('m2.ended_at', 'is', null).orderBy('m2.end_day', 'desc').orderBy('m2.id').limit(1)),
      )
      .where((eb) => eb.not(eb.exists(eb.selectFrom('health_reports as hr').select('hr.id').whereRef('hr.resident_id', '=', 'r.id').where('hr.day_start', '=', shanghaiDayStart(day)))));
    const [rows, count] = await Promise.all([
      base
        .select([
          'm.id as monitoring_id', 'm.reason', 'm.note', 'm.end_day', 'r.id as resident_id', 'r.name', 'r.phone_masked', 'r.region_code', 'h.address',
          (eb) => eb.selectFrom('health_reports as hr2').select((e) => e.fn.max('hr2.day').as('d')).whereRef('hr2.resident_id', '=', 'r.id').as('last_day'),
        ])
        .orderBy('r.region_code')
        .orderBy('r.name')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async insertMonitoring(db: Executor, row: HealthMonitoringTable) {
    await db.insertInto('health_monitoring').values(row).execute();
  },

  monitoringById(db: Executor, id: string) {
    return db.selectFrom('health_monitoring').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async shownMonitoring(db: Executor, id: string): Promise<MonitoringRow | undefined> {
    return db.selectFrom('health_monitoring as m').innerJoin('residents as r', 'r.id', 'm.resident_id').selectAll('m').select('r.name as resident_name').where('m.id', '=', id).executeTakeFirst();
  },

  monitoringBySource(db: Executor, sourceType: string, sourceId: string) {
    return db.selectFrom('health_monitoring').selectAll().where('source_type', '=', sourceType).where('source_id', '=', sourceId).execute();
  },

  async endMonitoring(db: Executor, id: string, patch: Pick<HealthMonitoringTable, 'ended_at' | 'ended_by' | 'end_note'>) {
    await db.updateTable('health_monitoring').set(patch).where('id', '=', id).where('ended_at', 'is', null).execute();
  },

  /** A resident's monitoring in force on `day` that ends last. */
  activeMonitoring(db: Executor, residentId: string, day: string) {
    return db
      .selectFrom('health_monitoring as m')
      .selectAll('m')
      .where('m.resident_id', '=', residentId)
      .where((eb) => activeOn(eb, day))
      .orderBy('m.end_day', 'desc')
      .executeTakeFirst();
  },

  /** For several residents: their monitoring in force on `day`, and whether they reported that day. */
  monitoringOf(db: Executor, residentIds: string[], day: string) {
    if (!residentIds.length) return Promise.resolve([]);
    return db
      .selectFrom('health_monitoring as m')
      .select(['m.resident_id', 'm.reason', 'm.end_day', (eb) => eb.exists(eb.selectFrom('health_reports as hr').select('hr.id').whereRef('hr.resident_id', '=', 'm.resident_id').where('hr.day_start', '=', shanghaiDayStart(day))).as('reported')])
      .where('m.resident_id', 'in', residentIds)
      .where((eb) => activeOn(eb, day))
      .execute();
  },

  async listMonitoring(db: Executor, scope: Scope, node: string, q: { residentId?: string | undefined; active?: boolean | undefined; page: number; pageSize: number }, today: string) {
    let base = db.selectFrom('health_monitoring as m').innerJoin('residents as r', 'r.id', 'm.resident_id').where(scope.where('r.region_code'));
    if (node !== scope.node) base = base.where(underNode('r.region_code', node));
    if (q.residentId) base = base.where('m.resident_id', '=', q.residentId);
    if (q.active === true) base = base.where((eb) => activeOn(eb, today));
    if (q.active === false) base = base.where((eb) => eb.not(activeOn(eb, today)));
    const [rows, count] = await Promise.all([
      base.selectAll('m').select('r.name as resident_name').orderBy('m.end_day', 'desc').orderBy('m.created_at', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as MonitoringRow[], total: Number(count.n) };
  },

  /** Which of these residents lie in scope (flags are only given for those). */
  residentsInScope(db: Executor, scope: Scope, ids: string[]) {
    return db.selectFrom('residents').select(['id']).where('id', 'in', ids).where(scope.where('region_code')).execute();
  },
};
