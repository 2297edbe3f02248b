import {
  ancestorCodes, roleCan, ROLES, shanghaiDay, shanghaiDayStart, transitionProblem, type CreateTaskBody, type Task, type TaskListQuery, type TaskStatus, type TaskType,
  type UpdateTaskBody,
} from '@gridline/shared';
import type { Db, Executor, TasksTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import { announce, type EventBus } from '../events/event-bus.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { residentsRepository } from '../residents/residents.repository.js';
import { usersRepository } from '../users/users.repository.js';
import { gridOf, tasksRepository, toTask } from './tasks.repository.js';

export interface TasksDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  bus?: EventBus;
}

/** A task another module raises as the consequence of a record it keeps (an abnormal report, an arrival's test day). */
export interface NewTask {
  type: TaskType;
  title: string;
  detail?: string;
  /** The node it belongs to: a grid for a resident's follow-up. */
  regionCode: string;
  residentId?: string | null;
  dueAt?: number | null;
  assigneeId?: string | null;
  source?: { type: string; id: string } | null;
}

const TASK_READERS = ROLES.filter((r) => roleCan(r, 'task.read'));

function auditView(t: Pick<TasksTable, 'status' | 'assignee_id' | 'due_at' | 'note' | 'title' | 'region_code' | 'resident_id'>): Record<string, unknown> {
  return { title: t.title, status: t.status, regionCode: t.region_code, residentId: t.resident_id, assigneeId: t.assignee_id, dueAt: t.due_at, note: t.note };
}

/**
 * Follow-up tasks: a small generic module other modules raise tasks through (health follow-ups, arrivals' test
 * days; later tracing, measures, whistles). A task belongs to a region node: every worker whose jurisdiction
 * covers that node sees it (the grid's workers, and the community above them).
 */
export class TasksService {
  constructor(private readonly deps: TasksDeps) {}

  /**
   * Adds a task inside the caller's transaction, audited as the caller's action. No permission check here: the
   * task is the consequence of a record the caller was allowed to make (a resident's own report raises a task
   * for their grid worker). Call `announceCreated` after the transaction commits.
   */
  async addIn(tx: Executor, scope: Scope, input: NewTask): Promise<TasksTable> {
    const now = this.deps.clock.now();
    const row: TasksTable = {
      id: newId(), type: input.type, title: input.title, detail: input.detail ?? '', status: 'open', region_code: input.regionCode,
      resident_id: input.residentId ?? null, due_at: input.dueAt ?? null, assignee_id: input.assigneeId ?? null,
      source_type: input.source?.type ?? null, source_id: input.source?.id ?? null, note: '', created_by: scope.actor.displayName || scope.actor.username,
      created_at: now, updated_at: now, closed_at: null, version: 1,
    };
    await tasksRepository.insert(tx, row);
    await this.deps.audit.record(tx, scope, {
      action: 'task.create', entityType: 'task', entityId: row.id, regionCode: row.region_code,
      diff: { ...auditDiff(null, auditView(row)), type: row.type, source: input.source ?? null },
    });
    return row;
  }

  /** Tells the node's workers' screens (after commit) that tasks changed. */
  announceChanged(scope: Scope, regionCode: string, data: Record<string, unknown>): void {
    announce(this.deps.bus, scope, 'task.changed', regionCode, data);
  }

  /** Cancels the still-open tasks a record raised (an arrival withdrawn), inside the caller's transaction. */
  async cancelBySource(tx: Executor, scope: Scope, source: { type: string; id: string }, note: string): Promise<string[]> {
    const nodes: string[] = [];
    const now = this.deps.clock.now();
    for (const t of await tasksRepository.bySource(tx, source.type, source.id)) {
      if (t.status !== 'open' && t.status !== 'in_progress') continue;
      await tasksRepository.update(tx, t.id, t.version, { status: 'cancelled', note, closed_at: now, updated_at: now });
      await this.deps.audit.record(tx, scope, { action: 'task.update', entityType: 'task', entityId: t.id, regionCode: t.region_code, diff: auditDiff({ status: t.status, note: t.note }, { status: 'cancelled', note }) });
      nodes.push(t.region_code);
    }
    return [...new Set(nodes)];
  }

  /** The still-open task of a type for a resident, if any. */
  activeFor(db: Executor, residentId: string, type: TaskType) {
    return tasksRepository.activeFor(db, residentId, type);
  }

  activeForResidents(db: Executor, residentIds: string[], type: TaskType) {
    return tasksRepository.activeForResidents(db, residentIds, type);
  }

  /** A record's tasks, for showing beside it (callers have already checked the record is in scope). */
  bySource(db: Executor, source: { type: string; id: string }) {
    return tasksRepository.bySource(db, source.type, source.id);
  }

  bySources(db: Executor, sourceType: string, sourceIds: string[]) {
    return tasksRepository.bySources(db, sourceType, sourceIds);
  }

  async list(scope: Scope, q: TaskListQuery) {
    scope.require('task.read');
    const node = scope.narrow(q.node);
    const now = this.deps.clock.now();
    const dayStart = shanghaiDayStart(shanghaiDay(now));
    const [page, counts] = await Promise.all([
      tasksRepository.list(this.deps.db, scope, node, q, scope.actor.userId, now),
      tasksRepository.counts(this.deps.db, scope, node, q, scope.actor.userId, now, dayStart),
    ]);
    return { ...page, counts };
  }

  async get(scope: Scope, id: string): Promise<Task> {
    scope.require('task.read');
    const row = await tasksRepository.shown(this.deps.db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.region_code);
    return toTask(row, this.deps.clock.now());
  }

  /** A task a member of staff writes by hand; it belongs to the named node, or to the named resident's grid. */
  async create(scope: Scope, body: CreateTaskBody): Promise<Task> {
    scope.require('task.write');
    const { db } = this.deps;
    const created = await db.transaction().execute(async (tx) => {
      let regionCode = body.regionCode;
      let residentId: string | null = null;
      if (body.residentId) {
        const r = await residentsRepository.byId(tx, body.residentId);
        if (!r || !scope.covers(r.region_code)) {
          throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/residentId', code: 'missing', message: '所选居民不存在或不在您的管辖范围内' }] });
        }
        residentId = r.id;
        regionCode ??= scope.covers(gridOf(r.region_code)) ? gridOf(r.region_code) : scope.node;
        if (!r.region_code.startsWith(regionCode)) {
          throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/regionCode', code: 'mismatch', message: '任务所属区域须包含该居民的住址' }] });
        }
      }
      if (!regionCode) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/regionCode', code: 'required', message: '请选择任务所属区域或居民' }] });
      scope.target(regionCode);
      if (!(await regionsRepository.byCode(tx, regionCode))) {
        throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/regionCode', code: 'missing', message: '所选区域不存在' }] });
      }
      const assigneeId = body.assigneeId ? await this.checkAssignee(tx, scope, regionCode, body.assigneeId) : null;
      const row = await this.addIn(tx, scope, {
        type: 'manual', title: body.title.trim(), detail: body.detail?.trim() ?? '', regionCode, residentId, dueAt: body.dueAt ?? null, assigneeId,
      });
      return row;
    });
    this.announceChanged(scope, created.region_code, { action: 'create', taskId: created.id });
    return this.get(scope, created.id);
  }

  /** Status (open → in progress → done/cancelled, with a note), assignee, due time; optimistic on `version`. */
  async update(scope: Scope, id: string, body: UpdateTaskBody): Promise<Task> {
    scope.require('task.write');
    const { db, clock, audit } = this.deps;
    const node = await db.transaction().execute(async (tx) => {
      const before = await tasksRepository.byId(tx, id);
      if (!before) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(before.region_code);
      if (before.version !== body.version) throw new AppError('GRIDLINE_STALE_VERSION');
      const now = clock.now();
      const patch: Partial<TasksTable> = { updated_at: now };
      const note = body.note?.trim();
      if (body.status && body.status !== before.status) {
        const problem = transitionProblem(before.status as TaskStatus, body.status, note ?? '');
        if (problem) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: body.status === 'cancelled' && problem.includes('原因') ? '/body/note' : '/body/status', code: 'transition', message: problem }] });
        patch.status = body.status;
        if (body.status === 'done' || body.status === 'cancelled') patch.closed_at = now;
        // Taking a task up assigns it to whoever starts it, unless someone already has it.
        if (body.status === 'in_progress' && !before.assignee_id && body.assigneeId === undefined && scope.actor.userId) patch.assignee_id = scope.actor.userId;
      } else if (before.status === 'done' || before.status === 'cancelled') {
        throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/status', code: 'closed', message: '任务已结束，不能再修改' }] });
      }
      if (note !== undefined) patch.note = note;
      if (body.assigneeId !== undefined) patch.assignee_id = body.assigneeId === null ? null : await this.checkAssignee(tx, scope, before.region_code, body.assigneeId);
      if (body.dueAt !== undefined) patch.due_at = body.dueAt;
      await tasksRepository.update(tx, id, before.version, patch);
      await audit.record(tx, scope, { action: 'task.update', entityType: 'task', entityId: id, regionCode: before.region_code, diff: auditDiff(auditView(before), auditView({ ...before, ...patch })) });
      return before.region_code;
    });
    this.announceChanged(scope, node, { action: 'update', taskId: id });
    return this.get(scope, id);
  }

  /** Who may take a task: active staff who may read tasks, at the task's node or above it, within the caller's jurisdiction. */
  async assignees(scope: Scope, id: string) {
    scope.require('task.write');
    const task = await tasksRepository.byId(this.deps.db, id);
    if (!task) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(task.region_code);
    const nodes = ancestorCodes(task.region_code).filter((c) => scope.covers(c));
    const rows = await tasksRepository.candidates(this.deps.db, nodes, TASK_READERS);
    return rows.map((u) => ({ id: u.id, name: u.display_name, role: u.role, nodeCode: u.node_code }));
  }

  private async checkAssignee(tx: Executor, scope: Scope, regionCode: string, userId: string): Promise<string> {
    const u = await usersRepository.byId(tx, userId);
    const fits = u && u.disabled === 0 && (TASK_READERS as readonly string[]).includes(u.role) && regionCode.startsWith(u.node_code) && (scope.covers(u.node_code) || u.id === scope.actor.userId);
    if (!fits) throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/assigneeId', code: 'missing', message: '所选人员不存在，或无权处理该区域的任务' }] });
    return u.id;
  }
}
