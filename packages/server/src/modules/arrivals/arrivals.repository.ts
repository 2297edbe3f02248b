import type { Arrival, ArrivalListQuery, ArrivalPlanT } from '@gridline/shared';
import { underNode } from '../../db/dialect.js';
import type { ArrivalsTable, Executor } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

export type ArrivalRow = ArrivalsTable & { resident_name: string; resident_phone: string | null };

export function toArrival(r: ArrivalRow, tasks: Arrival['tasks']): Arrival {
  return {
    id: r.id,
    resident: { id: r.resident_id, name: r.resident_name, phoneMasked: r.resident_phone },
    regionCode: r.region_code,
    originName: r.origin_name,
    originRisk: r.origin_risk as Arrival['originRisk'],
    arrivalDate: r.arrival_date,
    transport: r.transport as Arrival['transport'],
    transportNo: r.transport_no,
    note: r.note,
    status: r.status as Arrival['status'],
    plan: JSON.parse(r.plan) as ArrivalPlanT,
    newlyRegistered: r.newly_registered === 1,
    reportedBy: { kind: r.reporter_kind as 'self' | 'worker', name: r.reporter_name },
    createdAt: Number(r.created_at),
    cancelledAt: r.cancelled_at === null ? null : Number(r.cancelled_at),
    cancelReason: r.cancel_reason,
    tasks,
  };
}

function shown(db: Executor) {
  return db.selectFrom('arrivals as a').innerJoin('residents as r', 'r.id', 'a.resident_id').selectAll('a').select(['r.name as resident_name', 'r.phone_masked as resident_phone']);
}

export const arrivalsRepository = {
  async insert(db: Executor, row: ArrivalsTable) {
    await db.insertInto('arrivals').values(row).execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('arrivals').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async shown(db: Executor, id: string): Promise<ArrivalRow | undefined> {
    return shown(db).where('a.id', '=', id).executeTakeFirst();
  },

  async cancel(db: Executor, id: string, patch: Pick<ArrivalsTable, 'status' | 'cancelled_at' | 'cancel_reason' | 'updated_at'>) {
    await db.updateTable('arrivals').set(patch).where('id', '=', id).where('status', '=', 'active').execute();
  },

  async list(db: Executor, scope: Scope, node: string, q: ArrivalListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let base = db.selectFrom('arrivals as a').innerJoin('residents as r', 'r.id', 'a.resident_id').where(scope.where('a.region_code'));
    if (node !== scope.node) base = base.where(underNode('a.region_code', node));
    if (q.from) base = base.where('a.arrival_date', '>=', q.from);
    if (q.to) base = base.where('a.arrival_date', '<=', q.to);
    if (q.originRisk) base = base.where('a.origin_risk', '=', q.originRisk);
    if (q.residentId) base = base.where('a.resident_id', '=', q.residentId);
    if (q.status) base = base.where('a.status', '=', q.status);
    const [rows, count] = await Promise.all([
      base.selectAll('a').select(['r.name as resident_name', 'r.phone_masked as resident_phone']).orderBy('a.arrival_date', 'desc').orderBy('a.created_at', 'desc').orderBy('a.id').limit(pageSize).offset((page - 1) * pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as ArrivalRow[], total: Number(count.n), page, pageSize };
  },

  async ofResident(db: Executor, residentId: string): Promise<ArrivalRow[]> {
    return shown(db).where('a.resident_id', '=', residentId).orderBy('a.arrival_date', 'desc').orderBy('a.created_at', 'desc').limit(50).execute();
  },

  /** Isolation measures of a person in force at `at`: started, not yet ended, not withdrawn. */
  isolationsAt(db: Executor, residentId: string, at: number) {
    return db
      .selectFrom('arrivals')
      .select(['id', 'measure', 'origin_risk', 'origin_name', 'measure_end'])
      .where('resident_id', '=', residentId)
      .where('status', '=', 'active')
      .where('measure_start', '<=', at)
      .where('measure_end', '>', at)
      .orderBy('measure_end', 'desc')
      .execute();
  },
};
