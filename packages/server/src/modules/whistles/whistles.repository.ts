import {
  whistleOverdue, type WhistleCategory, type WhistleCounts, type WhistleEvent, type WhistleEventKind, type WhistleFile, type WhistleLevel, type WhistleListQuery,
  type WhistleRating, type WhistleStatus, type WhistleSummary, type WhistleUrgency,
} from '@gridline/shared';
import { sql, type Expression, type SqlBool } from 'kysely';
import { underNode } from '../../db/dialect.js';
import type { Dialect } from '../../db/dialect.js';
import type { Executor, WhistleEventsTable, WhistleFilesTable, WhistlesTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';

export type WhistleRow = WhistlesTable & { region_name: string | null; department_name: string | null };

/** Who sees which whistles: a jurisdiction (everything under the node), or a department (routed or co-assigned to it). */
export type WhistleViewer = { kind: 'jurisdiction' } | { kind: 'department'; departmentId: string | null };

function withDisplay(db: Executor) {
  return db
    .selectFrom('whistles as w')
    .leftJoin('region_nodes as n', 'n.code', 'w.region_code')
    .leftJoin('departments as d', 'd.id', 'w.department_id')
    .selectAll('w')
    .select(['n.name as region_name', 'd.name as department_name']);
}

const n = (v: number | null) => (v === null ? null : Number(v));

export function toSummary(r: WhistleRow, now: number): WhistleSummary {
  const status = r.status as WhistleStatus;
  const ackDueAt = Number(r.ack_due_at);
  const resolveDueAt = Number(r.resolve_due_at);
  return {
    id: r.id, no: r.no, category: r.category as WhistleCategory, urgency: r.urgency as WhistleUrgency, title: r.title, regionCode: r.region_code,
    regionName: r.region_name ?? r.region_code, address: r.address, status, level: r.level as WhistleLevel, escalated: r.level !== 'community',
    overdue: whistleOverdue({ status, ackDueAt, resolveDueAt }, now),
    department: r.department_id ? { id: r.department_id, name: r.department_name ?? '' } : null,
    routedBy: r.routed_by as WhistleSummary['routedBy'], source: r.source as WhistleSummary['source'], raisedBy: r.raised_by,
    createdAt: Number(r.created_at), ackDueAt, resolveDueAt, acknowledgedAt: n(r.acknowledged_at), resolvedAt: n(r.resolved_at), closedAt: n(r.closed_at),
    rating: r.rating as WhistleRating | null, solved: r.solved === null ? null : r.solved === 1, reopenCount: r.reopen_count, version: r.version,
  };
}

export function toEvent(e: WhistleEventsTable): WhistleEvent {
  return { id: e.id, kind: e.kind as WhistleEventKind, at: Number(e.at), actor: e.actor, note: e.note, level: e.level as WhistleLevel, data: JSON.parse(e.data) as Record<string, unknown> };
}

export function toFile(f: WhistleFilesTable): WhistleFile {
  return { id: f.id, stage: f.stage as WhistleFile['stage'], fileName: f.file_name, mime: f.mime, size: Number(f.size), uploadedBy: f.uploaded_by, createdAt: Number(f.created_at) };
}

/** "Overdue now" from the stored absolute deadlines. */
function overdueAt(now: number) {
  return sql<SqlBool>`((w.status = 'pending_ack' and w.ack_due_at < ${now}) or (w.status = 'acknowledged' and w.resolve_due_at < ${now}))`;
}

function viewerCondition(scope: Scope, viewer: WhistleViewer): Expression<SqlBool> {
  if (viewer.kind === 'jurisdiction') return scope.where('w.region_code');
  // Department staff: only what is routed (or co-assigned) to their department, and still within their node.
  const dept = viewer.departmentId ?? '';
  return sql<SqlBool>`(${scope.where('w.region_code')} and (w.department_id = ${dept} or exists (select 1 from whistle_departments wd where wd.whistle_id = w.id and wd.department_id = ${dept})))`;
}

export const whistlesRepository = {
  async insert(db: Executor, row: WhistlesTable) {
    await db.insertInto('whistles').values(row).execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('whistles').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async shown(db: Executor, id: string): Promise<WhistleRow | undefined> {
    return (await withDisplay(db).where('w.id', '=', id).executeTakeFirst()) as WhistleRow | undefined;
  },

  async update(db: Executor, id: string, version: number, patch: Partial<WhistlesTable>) {
    const res = await db.updateTable('whistles').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('GRIDLINE_STALE_VERSION');
  },

  /** Today's numbers so far with this prefix ("CS20261129-"), for the next human number. */
  async countWithPrefix(db: Executor, prefix: string): Promise<number> {
    const r = await db.selectFrom('whistles').select((eb) => eb.fn.countAll<number>().as('c')).where('no', '>=', prefix).where('no', '<', `${prefix}~`).executeTakeFirstOrThrow();
    return Number(r.c);
  },

  coDepartments(db: Executor, whistleId: string) {
    return db.selectFrom('whistle_departments as wd').innerJoin('departments as d', 'd.id', 'wd.department_id').select(['d.id', 'd.name']).where('wd.whistle_id', '=', whistleId).orderBy('d.name').execute();
  },

  async setCoDepartments(db: Executor, whistleId: string, ids: string[]) {
    await db.deleteFrom('whistle_departments').where('whistle_id', '=', whistleId).execute();
    if (ids.length) await db.insertInto('whistle_departments').values(ids.map((department_id) => ({ whistle_id: whistleId, department_id }))).execute();
  },

  async addEvent(db: Executor, e: WhistleEventsTable) {
    await db.insertInto('whistle_events').values(e).execute();
  },

  events(db: Executor, whistleId: string) {
    return db.selectFrom('whistle_events').selectAll().where('whistle_id', '=', whistleId).orderBy('at').orderBy('id').execute();
  },

  async addFile(db: Executor, f: WhistleFilesTable) {
    await db.insertInto('whistle_files').values(f).execute();
  },

  files(db: Executor, whistleId: string) {
    return db.selectFrom('whistle_files').selectAll().where('whistle_id', '=', whistleId).orderBy('created_at').orderBy('id').execute();
  },

  file(db: Executor, whistleId: string, fileId: string) {
    return db.selectFrom('whistle_files').selectAll().where('whistle_id', '=', whistleId).where('id', '=', fileId).executeTakeFirst();
  },

  filtered(db: Executor, dialect: Dialect, scope: Scope, viewer: WhistleViewer, node: string, q: WhistleListQuery) {
    let base = withDisplay(db).where(viewerCondition(scope, viewer));
    if (node !== scope.node) base = base.where(underNode('w.region_code', node));
    if (q.urgency) base = base.where('w.urgency', '=', q.urgency);
    if (q.category) base = base.where('w.category', '=', q.category);
    if (q.departmentId) base = base.where('w.department_id', '=', q.departmentId);
    if (q.q?.trim()) {
      const like = `%${q.q.trim().replace(/[%_]/g, '')}%`;
      base = base.where((eb) => eb.or([dialect.ilike(eb.ref('w.title'), like), dialect.ilike(eb.ref('w.no'), like), dialect.ilike(eb.ref('w.address'), like)]));
    }
    return base;
  },

  async list(db: Executor, dialect: Dialect, scope: Scope, viewer: WhistleViewer, node: string, q: WhistleListQuery, now: number) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let base = this.filtered(db, dialect, scope, viewer, node, q);
    if (q.status?.length) base = base.where('w.status', 'in', q.status);
    if (q.overdue) base = base.where(overdueAt(now));
    if (q.escalated) base = base.where('w.level', '!=', 'community');
    const [rows, count] = await Promise.all([
      base
        // Open first; among them the soonest deadline (acknowledgement, else resolution); then the newest.
        .orderBy(sql`case when w.status in ('pending_ack','acknowledged') then 0 when w.status = 'resolved' then 1 else 2 end`)
        .orderBy(sql`case when w.status = 'pending_ack' then w.ack_due_at when w.status = 'acknowledged' then w.resolve_due_at else 0 end`)
        .orderBy('w.created_at', 'desc')
        .orderBy('w.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: (rows as WhistleRow[]).map((r) => toSummary(r, now)), total: Number(count.n), page, pageSize };
  },

  async counts(db: Executor, dialect: Dialect, scope: Scope, viewer: WhistleViewer, node: string, q: WhistleListQuery, now: number): Promise<WhistleCounts> {
    const row = await this.filtered(db, dialect, scope, viewer, node, q)
      .clearSelect()
      .select([
        sql<number>`sum(case when w.status = 'pending_ack' then 1 else 0 end)`.as('pending'),
        sql<number>`sum(case when w.status = 'acknowledged' then 1 else 0 end)`.as('handling'),
        sql<number>`sum(case when w.status = 'resolved' then 1 else 0 end)`.as('awaiting'),
        sql<number>`sum(case when ${overdueAt(now)} then 1 else 0 end)`.as('overdue'),
        sql<number>`sum(case when w.level <> 'community' and w.status <> 'closed' then 1 else 0 end)`.as('escalated'),
      ])
      .executeTakeFirstOrThrow();
    return { pendingAck: Number(row.pending ?? 0), handling: Number(row.handling ?? 0), awaitingRating: Number(row.awaiting ?? 0), overdue: Number(row.overdue ?? 0), escalated: Number(row.escalated ?? 0) };
  },

  /** Open whistles whose next escalation is due (the sweep's work list), oldest first. */
  dueForEscalation(db: Executor, now: number, limit: number) {
    return db
      .selectFrom('whistles')
      .select(['id'])
      .where('next_escalation_at', 'is not', null)
      .where('next_escalation_at', '<=', now)
      .where('status', 'in', ['pending_ack', 'acknowledged'])
      .orderBy('next_escalation_at')
      .limit(limit)
      .execute();
  },

  /** Rows for the performance figures: raised in [from, to) under the viewer's reach. */
  async forFigures(db: Executor, scope: Scope, viewer: WhistleViewer, node: string, from: number, to: number) {
    let q = db
      .selectFrom('whistles as w')
      .leftJoin('departments as d', 'd.id', 'w.department_id')
      .select(['w.id', 'w.region_code', 'w.department_id', 'd.name as department_name', 'w.status', 'w.created_at', 'w.ack_due_at', 'w.resolve_due_at', 'w.acknowledged_at', 'w.resolved_at', 'w.rating', 'w.solved'])
      .where(viewerCondition(scope, viewer))
      .where('w.created_at', '>=', from)
      .where('w.created_at', '<', to);
    if (node !== scope.node) q = q.where(underNode('w.region_code', node));
    return q.orderBy('w.created_at').execute();
  },
};
