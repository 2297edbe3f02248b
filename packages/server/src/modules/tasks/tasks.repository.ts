import { CODE_LENGTH, isOverdue, type Task, type TaskCounts, type TaskListQuery, type TaskStatus, type TaskType } from '@gridline/shared';
import { sql } from 'kysely';
import { underNode } from '../../db/dialect.js';
import type { Executor, TasksTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';

/**
 * Tasks with what a worker needs to act on them: the subject resident's name, masked phone and address, the
 * node's name, the assignee's name. The joins read the register for display only; nothing here writes it.
 */
function withDisplay(db: Executor) {
  return db
    .selectFrom('tasks as t')
    .leftJoin('residents as r', 'r.id', 't.resident_id')
    .leftJoin('households as h', 'h.id', 'r.household_id')
    .leftJoin('region_nodes as n', 'n.code', 't.region_code')
    .leftJoin('users as u', 'u.id', 't.assignee_id')
    .selectAll('t')
    .select(['r.name as resident_name', 'r.phone_masked as resident_phone', 'h.address as resident_address', 'n.name as region_name', 'u.display_name as assignee_name']);
}

export type TaskRow = TasksTable & {
  resident_name: string | null;
  resident_phone: string | null;
  resident_address: string | null;
  region_name: string | null;
  assignee_name: string | null;
};

export function toTask(r: TaskRow, now: number): Task {
  const status = r.status as TaskStatus;
  return {
    id: r.id,
    type: r.type as TaskType,
    title: r.title,
    detail: r.detail,
    status,
    regionCode: r.region_code,
    regionName: r.region_name ?? r.region_code,
    resident: r.resident_id ? { id: r.resident_id, name: r.resident_name ?? '', phoneMasked: r.resident_phone, address: r.resident_address ?? '' } : null,
    dueAt: r.due_at === null ? null : Number(r.due_at),
    overdue: isOverdue({ status, dueAt: r.due_at === null ? null : Number(r.due_at) }, now),
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    source: r.source_type && r.source_id ? { type: r.source_type, id: r.source_id } : null,
    note: r.note,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
    version: r.version,
  };
}

/** The grid a resident's follow-ups belong to: the first 15 digits of their household code. */
export function gridOf(regionCode: string): string {
  return regionCode.slice(0, CODE_LENGTH.grid);
}

const ACTIVE = ['open', 'in_progress'];

export const tasksRepository = {
  async insert(db: Executor, row: TasksTable) {
    await db.insertInto('tasks').values(row).execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async shown(db: Executor, id: string): Promise<TaskRow | undefined> {
    return (await withDisplay(db).where('t.id', '=', id).executeTakeFirst()) as TaskRow | undefined;
  },

  /** Optimistic update: only applies to the version the caller read. */
  async update(db: Executor, id: string, version: number, patch: Partial<TasksTable>) {
    const res = await db.updateTable('tasks').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('GRIDLINE_STALE_VERSION');
  },

  /** A resident's open or in-progress task of one type (at most one health follow-up is kept open). */
  activeFor(db: Executor, residentId: string, type: TaskType) {
    return db.selectFrom('tasks').selectAll().where('resident_id', '=', residentId).where('type', '=', type).where('status', 'in', ACTIVE).orderBy('created_at').executeTakeFirst();
  },

  /** Open follow-ups of some residents: which of them are still being followed up. */
  activeForResidents(db: Executor, residentIds: string[], type: TaskType) {
    if (!residentIds.length) return Promise.resolve([]);
    return db.selectFrom('tasks').select(['id', 'resident_id', 'source_id', 'created_at']).where('resident_id', 'in', residentIds).where('type', '=', type).where('status', 'in', ACTIVE).execute();
  },

  bySource(db: Executor, sourceType: string, sourceId: string) {
    return db.selectFrom('tasks').selectAll().where('source_type', '=', sourceType).where('source_id', '=', sourceId).orderBy('due_at').orderBy('created_at').execute();
  },

  bySources(db: Executor, sourceType: string, sourceIds: string[]) {
    if (!sourceIds.length) return Promise.resolve([]);
    return db.selectFrom('tasks').selectAll().where('source_type', '=', sourceType).where('source_id', 'in', sourceIds).orderBy('due_at').orderBy('created_at').execute();
  },

  filtered(db: Executor, scope: Scope, node: string, q: Omit<TaskListQuery, 'page' | 'pageSize'>, actorId: string | null) {
    let base = withDisplay(db).where(scope.where('t.region_code'));
    if (node !== scope.node) base = base.where(underNode('t.region_code', node));
    if (q.type) base = base.where('t.type', '=', q.type);
    if (q.assignee === 'me') base = base.where('t.assignee_id', '=', actorId ?? '');
    if (q.assignee === 'none') base = base.where('t.assignee_id', 'is', null);
    if (q.residentId) base = base.where('t.resident_id', '=', q.residentId);
    if (q.sourceType) base = base.where('t.source_type', '=', q.sourceType);
    if (q.sourceId) base = base.where('t.source_id', '=', q.sourceId);
    return base;
  },

  async list(db: Executor, scope: Scope, node: string, q: TaskListQuery, actorId: string | null, now: number) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let base = this.filtered(db, scope, node, q, actorId);
    if (q.status?.length) base = base.where('t.status', 'in', q.status);
    if (q.overdue) base = base.where('t.status', 'in', ACTIVE).where('t.due_at', '<', now);
    const [rows, count] = await Promise.all([
      base
        // Still to do first, soonest due first (no due time last), then the newest.
        .orderBy(sql`case when t.status in ('open','in_progress') then 0 else 1 end`)
        .orderBy(sql`case when t.due_at is null then 1 else 0 end`)
        .orderBy('t.due_at')
        .orderBy('t.created_at', 'desc')
        .orderBy('t.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: (rows as TaskRow[]).map((r) => toTask(r, now)), total: Number(count.n), page, pageSize };
  },

  /** Open, in progress, overdue and done-today counts under the same node and filters (not the status filter). */
  async counts(db: Executor, scope: Scope, node: string, q: TaskListQuery, actorId: string | null, now: number, dayStart: number): Promise<TaskCounts> {
    const row = await this.filtered(db, scope, node, q, actorId)
      .clearSelect()
      .select([
        sql<number>`sum(case when t.status = 'open' then 1 else 0 end)`.as('open'),
        sql<number>`sum(case when t.status = 'in_progress' then 1 else 0 end)`.as('in_progress'),
        sql<number>`sum(case when t.status in ('open','in_progress') and t.due_at < ${now} then 1 else 0 end)`.as('overdue'),
        sql<number>`sum(case when t.status = 'done' and t.closed_at >= ${dayStart} then 1 else 0 end)`.as('done_today'),
      ])
      .executeTakeFirstOrThrow();
    return { open: Number(row.open ?? 0), inProgress: Number(row.in_progress ?? 0), overdue: Number(row.overdue ?? 0), doneToday: Number(row.done_today ?? 0) };
  },

  /** Active staff whose node is one of `nodes` and whose role may read tasks. */
  candidates(db: Executor, nodes: string[], roles: string[]) {
    if (!nodes.length || !roles.length) return Promise.resolve([]);
    return db
      .selectFrom('users')
      .select(['id', 'display_name', 'role', 'node_code'])
      .where('node_code', 'in', nodes)
      .where('role', 'in', roles)
      .where('disabled', '=', 0)
      .orderBy('node_code', 'desc')
      .orderBy('display_name')
      .execute();
  },
};
