import type { CaseChange, CaseClassification, CaseCounts, CaseListQuery, CaseOutcome, CaseStatus, CaseView } from '@gridline/shared';
import { sql } from 'kysely';
import { underNode } from '../../db/dialect.js';
import type { CaseChangesTable, CasesTable, Executor } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';

/**
 * Cases with what a list shows beside them: the node's name, the protocol version's name and the masked phone
 * (the register's for a resident, the case's own for a non-resident). Other modules (tracing) read cases
 * through these functions or through CasesService.get/list.
 */
function shown(db: Executor) {
  return db
    .selectFrom('cases as c')
    .leftJoin('residents as r', 'r.id', 'c.resident_id')
    .leftJoin('region_nodes as g', (j) => j.on(sql`g.code`, '=', sql`substr(c.region_code, 1, 15)`))
    .leftJoin('region_nodes as m', (j) => j.on(sql`m.code`, '=', sql`substr(c.region_code, 1, 12)`))
    .leftJoin('protocol_versions as p', 'p.id', 'c.protocol_id')
    .selectAll('c')
    .select(['r.phone_masked as resident_phone', 'g.name as grid_name', 'm.name as community_name', 'p.name as protocol_name']);
}

export type CaseRow = CasesTable & { resident_phone: string | null; grid_name: string | null; community_name: string | null; protocol_name: string | null };

/** "梅园社区 第1网格": the community and grid the case's node lies in (a household code is not a region node). */
function regionNameOf(r: CaseRow): string {
  const parts = [r.community_name, r.region_code.length > 12 ? r.grid_name : null].filter((x): x is string => !!x);
  return parts.length ? parts.join(' ') : r.region_code;
}

export function toCaseView(r: CaseRow): CaseView {
  return {
    id: r.id,
    caseNo: r.case_no,
    classification: r.classification as CaseClassification,
    status: r.status as CaseStatus,
    outcome: r.outcome as CaseOutcome | null,
    residentId: r.resident_id,
    personName: r.person_name,
    phoneMasked: r.resident_id ? r.resident_phone : r.phone_masked,
    regionCode: r.region_code,
    regionName: regionNameOf(r),
    address: r.address,
    onsetDate: r.onset_date,
    samplingDate: r.sampling_date,
    confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
    reportSource: r.report_source,
    protocolId: r.protocol_id,
    protocolName: r.protocol_name ?? r.protocol_id,
    note: r.note,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    version: r.version,
  };
}

export function toCaseChange(r: CaseChangesTable): CaseChange {
  return { id: r.id, at: Number(r.at), actorName: r.actor_name, field: r.field as CaseChange['field'], from: r.from_value, to: r.to_value, reason: r.reason };
}

export const casesRepository = {
  async insert(db: Executor, row: CasesTable) {
    await db.insertInto('cases').values(row).execute();
  },

  async insertChange(db: Executor, row: CaseChangesTable) {
    await db.insertInto('case_changes').values(row).execute();
  },

  /** The raw row (no scope check: callers check `scope.reach(row.region_code)`). */
  byId(db: Executor, id: string) {
    return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Several raw rows at once (no scope check). */
  byIds(db: Executor, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([] as CasesTable[]);
    return db.selectFrom('cases').selectAll().where('id', 'in', [...ids]).execute();
  },

  async shown(db: Executor, id: string): Promise<CaseRow | undefined> {
    return (await shown(db).where('c.id', '=', id).executeTakeFirst()) as CaseRow | undefined;
  },

  /** A resident's cases, newest first (no scope check). */
  ofResident(db: Executor, residentId: string) {
    return db.selectFrom('cases').selectAll().where('resident_id', '=', residentId).orderBy('created_at', 'desc').execute();
  },

  changes(db: Executor, caseId: string) {
    return db.selectFrom('case_changes').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('id').execute();
  },

  /** Optimistic update: only applies to the version the caller read. */
  async update(db: Executor, id: string, version: number, patch: Partial<CasesTable>) {
    const res = await db.updateTable('cases').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('GRIDLINE_STALE_VERSION');
  },

  /** Open infections (confirmed or asymptomatic) living under a node: what an area control is drawn around (measures). */
  async infectionsUnder(db: Executor, node: string): Promise<number> {
    const row = await db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(underNode('region_code', node))
      .where('status', '=', 'open')
      .where('classification', 'in', ['confirmed', 'asymptomatic'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** The highest case number issued on a day (BL-YYYYMMDD-NNN), for the next one. */
  async lastNumberOfDay(db: Executor, compactDay: string): Promise<string | null> {
    const row = await db.selectFrom('cases').select('case_no').where('case_no', '>=', `BL-${compactDay}-`).where('case_no', '<', `BL-${compactDay}.`).orderBy('case_no', 'desc').limit(1).executeTakeFirst();
    return row?.case_no ?? null;
  },

  filtered(db: Executor, scope: Scope, node: string, q: Omit<CaseListQuery, 'page' | 'pageSize' | 'classification' | 'status'>) {
    let base = db.selectFrom('cases as c').where(scope.where('c.region_code'));
    if (node !== scope.node) base = base.where(underNode('c.region_code', node));
    if (q.residentId) base = base.where('c.resident_id', '=', q.residentId);
    const text = q.q?.trim();
    if (text) base = base.where((eb) => eb.or([eb('c.case_no', 'like', `${text.toUpperCase().replace(/[%_]/g, '')}%`), eb('c.person_name', 'like', `${text.replace(/[%_]/g, '')}%`)]));
    return base;
  },

  async list(db: Executor, scope: Scope, node: string, q: CaseListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let base = this.filtered(db, scope, node, q);
    if (q.classification) base = base.where('c.classification', '=', q.classification);
    if (q.status) base = base.where('c.status', '=', q.status);
    const [rows, count] = await Promise.all([
      base
        .leftJoin('residents as r', 'r.id', 'c.resident_id')
        .leftJoin('region_nodes as g', (j) => j.on(sql`g.code`, '=', sql`substr(c.region_code, 1, 15)`))
        .leftJoin('region_nodes as m', (j) => j.on(sql`m.code`, '=', sql`substr(c.region_code, 1, 12)`))
        .leftJoin('protocol_versions as p', 'p.id', 'c.protocol_id')
        .selectAll('c')
        .select(['r.phone_masked as resident_phone', 'g.name as grid_name', 'm.name as community_name', 'p.name as protocol_name'])
        // Open first, then the newest.
        .orderBy(sql`case when c.status = 'open' then 0 else 1 end`)
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: (rows as CaseRow[]).map(toCaseView), total: Number(count.n), page, pageSize };
  },

  /** Open cases by classification and confirmations since `dayStart`, under the same node and text filters. */
  async counts(db: Executor, scope: Scope, node: string, q: CaseListQuery, dayStart: number): Promise<CaseCounts> {
    const row = await this.filtered(db, scope, node, q)
      .select([
        sql<number>`sum(case when c.status = 'open' then 1 else 0 end)`.as('open'),
        sql<number>`sum(case when c.status = 'open' and c.classification = 'confirmed' then 1 else 0 end)`.as('confirmed'),
        sql<number>`sum(case when c.status = 'open' and c.classification = 'suspected' then 1 else 0 end)`.as('suspected'),
        sql<number>`sum(case when c.status = 'open' and c.classification = 'asymptomatic' then 1 else 0 end)`.as('asymptomatic'),
        sql<number>`sum(case when c.confirmed_at >= ${dayStart} then 1 else 0 end)`.as('confirmed_today'),
      ])
      .executeTakeFirstOrThrow();
    return {
      open: Number(row.open ?? 0), confirmed: Number(row.confirmed ?? 0), suspected: Number(row.suspected ?? 0),
      asymptomatic: Number(row.asymptomatic ?? 0), confirmedToday: Number(row.confirmed_today ?? 0),
    };
  },
};
