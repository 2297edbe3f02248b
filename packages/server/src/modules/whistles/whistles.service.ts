import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import {
  chooseRoute, computeDeadlines, deadlineFor, shanghaiDay, watchNode, WHISTLE_CATEGORY_LABELS, WHISTLE_URGENCY_LABELS,
  type AcknowledgeWhistleBody, type ConfirmWhistleBody, type Permission, type RerouteWhistleBody, type WhistleAction, type WhistleCategory, type WhistleDetail,
  type WhistleEventKind, type WhistleLevel, type WhistleListQuery, type WhistleNoteBody, type WhistlePage, type WhistleStatus, type WhistleUrgency,
} from '@gridline/shared';
import type { Dialect } from '../../db/dialect.js';
import type { Db, Executor, WhistlesTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import type { DepartmentsService } from '../departments/departments.service.js';
import { departmentsRepository } from '../departments/departments.repository.js';
import { announce, type EventBus } from '../events/event-bus.js';
import type { FileStore } from '../jobs/job-files.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { OPEN, sweepOverdue } from './whistle-escalation.js';
import { toEvent, toFile, toSummary, whistlesRepository as repo, type WhistleViewer } from './whistles.repository.js';

/**
 * How whistles tell people: the notifications module's `notify` (W2's Notifier), declared narrowly here so that
 * this module depends on the shape only. Best effort: the whistle's state is in the database either way.
 */
export interface WhistleNotifications {
  notify(input: { userIds?: string[]; departmentId?: string; node?: string; permission?: Permission; kind: string; title: string; body: string; link?: string | null }): Promise<unknown>;
}

export interface WhistlesDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditService;
  bus?: EventBus;
  files: FileStore;
  departments: DepartmentsService;
  /** Resolved lazily: the notifier may be built after this service. */
  notifications?: () => WhistleNotifications | null | undefined;
}

export interface RaiseInput {
  category: WhistleCategory;
  urgency: WhistleUrgency;
  title: string;
  description: string;
  regionCode: string;
  address?: string;
  lat?: number | null;
  lng?: number | null;
  source: 'worker' | 'inbox';
  inboxItemId?: string | null;
  /** Dispatch to this department instead of the routing rules (the community desk, the command, the inbox). */
  departmentId?: string | null;
}

/** Photos and documents: what a phone camera and an office produce, nothing executable. */
export const WHISTLE_FILE_TYPES: Record<string, string> = {
  'image/jpeg': '.jpg', 'image/png': '.png', 'image/webp': '.webp', 'image/gif': '.gif', 'image/heic': '.heic',
  'application/pdf': '.pdf', 'text/plain': '.txt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
};
export const MAX_WHISTLE_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_WHISTLE_FILES = 20;

const LINK = (id: string) => `/whistles/${id}`;

function stateError(message: string): AppError {
  return new AppError('GRIDLINE_WHISTLE_STATE', { fields: [{ path: '/body', code: 'state', message }] });
}

function auditView(w: Partial<WhistlesTable>): Record<string, unknown> {
  return {
    status: w.status, level: w.level, departmentId: w.department_id, routedBy: w.routed_by, ackDueAt: w.ack_due_at, resolveDueAt: w.resolve_due_at,
    rating: w.rating, solved: w.solved,
  };
}

/**
 * 吹哨报到: a community raises a matter it cannot settle; it is routed to the department the rules name (or the
 * street command handles it, 兜底), which must acknowledge and resolve within the urgency's deadlines; the raising
 * community confirms and rates, or reopens. Deadlines are absolute times in the row; the sweep escalates whatever
 * is overdue (community → street → district), so escalation survives restarts and runs once across instances.
 */
export class WhistlesService {
  constructor(private readonly deps: WhistlesDeps) {}

  // ---- who is asking --------------------------------------------------------------------------

  /**
   * Staff who raise whistles see their jurisdiction's; department staff (who handle, not raise) see only what is
   * routed or co-assigned to their department — a department user without a department sees nothing.
   */
  private async viewerOf(db: Executor, scope: Scope): Promise<WhistleViewer & { departmentId?: string | null }> {
    if (scope.actor.kind === 'system' || scope.can('whistle.raise')) return { kind: 'jurisdiction', departmentId: await departmentsRepository.departmentOfUser(db, scope.actor.userId) };
    return { kind: 'department', departmentId: await departmentsRepository.departmentOfUser(db, scope.actor.userId) };
  }

  /** Loads a whistle the scope may see (else not found, like a nonexistent id). */
  private async reachable(db: Executor, scope: Scope, id: string) {
    const w = await repo.byId(db, id);
    if (!w) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(w.region_code);
    const viewer = await this.viewerOf(db, scope);
    const co = (await repo.coDepartments(db, id)).map((d) => d.id);
    if (viewer.kind === 'department' && (!viewer.departmentId || (w.department_id !== viewer.departmentId && !co.includes(viewer.departmentId)))) throw new AppError('GRIDLINE_NOT_FOUND');
    return { w, viewer, co };
  }

  /** The lead department's staff; for a whistle no rule routed (兜底), the command that covers it. */
  private leads(scope: Scope, w: WhistlesTable, myDept: string | null | undefined): boolean {
    // The system (demo data, CLI) acts for any department.
    if (scope.actor.kind === 'system') return true;
    if (!scope.can('whistle.handle')) return false;
    if (w.department_id) return !!myDept && myDept === w.department_id;
    return scope.can('department.manage') && scope.covers(w.region_code);
  }

  private actions(scope: Scope, w: WhistlesTable, myDept: string | null | undefined, co: string[]): WhistleAction[] {
    const out: WhistleAction[] = [];
    const lead = this.leads(scope, w, myDept);
    const helper = scope.can('whistle.handle') && !!myDept && co.includes(myDept);
    const raiserSide = scope.can('whistle.raise') && scope.covers(w.region_code);
    if (lead && w.status === 'pending_ack') out.push('acknowledge');
    if ((lead || helper) && w.status === 'acknowledged') out.push('progress');
    if (lead && w.status === 'acknowledged') out.push('resolve');
    if (raiserSide && w.status === 'resolved') out.push('confirm');
    if (raiserSide && (w.status === 'resolved' || w.status === 'closed')) out.push('reopen');
    if (this.canDispatch(scope) && scope.covers(w.region_code) && OPEN.includes(w.status as WhistleStatus)) out.push('reroute');
    if ((lead || helper || raiserSide) && w.status !== 'closed') out.push('upload');
    return out;
  }

  /** 派单: the community desk and the command choose or change the department (a grid worker's leads). */
  private canDispatch(scope: Scope): boolean {
    return scope.actor.kind === 'system' || scope.can('inbox.manage');
  }

  // ---- raise ----------------------------------------------------------------------------------

  /**
   * Raises a whistle and routes it: the given department (an override by the desk, or the inbox's choice), else the
   * most specific routing rule, else the street command (兜底). Deadlines from the street's settings or the defaults.
   */
  async raise(scope: Scope, input: RaiseInput): Promise<{ id: string; no: string; departmentId: string | null }> {
    scope.require('whistle.raise');
    scope.target(input.regionCode);
    const { db, clock, audit, departments } = this.deps;
    if (input.departmentId && !this.canDispatch(scope)) throw new AppError('GRIDLINE_FORBIDDEN', { details: { permission: 'inbox.manage' } });
    let created: WhistlesTable | null = null;
    // The human number is "today's next"; two instances raising at once may collide on it: try again.
    for (let attempt = 0; attempt < 4 && !created; attempt++) {
      try {
        created = await db.transaction().execute(async (tx) => {
          if (!(await regionsRepository.byCode(tx, input.regionCode))) {
            throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/regionCode', code: 'missing', message: '所选区域不存在' }] });
          }
          const now = clock.now();
          let departmentId: string | null = null;
          let co: string[] = [];
          let routedBy: 'rule' | 'fallback' | 'override' = 'fallback';
          let routeId: string | null = null;
          if (input.departmentId) {
            const d = await departmentsRepository.byId(tx, input.departmentId);
            if (!d || d.active !== 1 || !(input.regionCode.startsWith(d.node_code) || d.node_code.startsWith(input.regionCode)) || (scope.actor.kind !== 'system' && !departmentsRepository.isVisible(scope, d))) {
              throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/departmentId', code: 'missing', message: '所选部门不存在、已停用或不服务该区域' }] });
            }
            departmentId = d.id;
            routedBy = 'override';
          } else {
            const choice = chooseRoute(await departments.rulesFor(tx, input.regionCode, input.category), input.category, input.regionCode);
            departmentId = choice.departmentId;
            co = choice.coDepartmentIds;
            routedBy = choice.how;
            routeId = choice.ruleId;
          }
          const window = deadlineFor(await departments.deadlineSettingsFor(tx, input.regionCode), input.urgency, input.regionCode);
          const due = computeDeadlines(now, window);
          const prefix = `CS${shanghaiDay(now).replaceAll('-', '')}-`;
          const no = `${prefix}${String((await repo.countWithPrefix(tx, prefix)) + 1 + attempt).padStart(4, '0')}`;
          const actor = scope.actor.displayName || scope.actor.username;
          const row: WhistlesTable = {
            id: newId(), no, category: input.category, urgency: input.urgency, title: input.title.trim(), description: input.description.trim(), region_code: input.regionCode,
            address: input.address?.trim() ?? '', lat: input.lat ?? null, lng: input.lng ?? null, source: input.source, inbox_item_id: input.inboxItemId ?? null,
            department_id: departmentId, routed_by: routedBy, route_id: routeId, status: 'pending_ack', level: 'community', escalated_at: null,
            raised_by_id: scope.actor.userId, raised_by: actor, raised_node: scope.node || input.regionCode, ack_due_at: due.ackDueAt, resolve_due_at: due.resolveDueAt,
            next_escalation_at: due.ackDueAt, acknowledged_at: null, resolved_at: null, closed_at: null, rating: null, solved: null, reopen_count: 0,
            created_at: now, updated_at: now, version: 1,
          };
          await repo.insert(tx, row);
          await repo.setCoDepartments(tx, row.id, co);
          await this.event(tx, scope, row, 'raised', input.description.trim(), { category: row.category, urgency: row.urgency, source: row.source, inboxItemId: row.inbox_item_id });
          await this.event(tx, scope, row, 'routed', '', { departmentId, coDepartmentIds: co, how: routedBy, ruleId: routeId, ackDueAt: due.ackDueAt, resolveDueAt: due.resolveDueAt, deadlineSource: window.source });
          await audit.record(tx, scope, {
            action: 'whistle.raise', entityType: 'whistle', entityId: row.id, regionCode: row.region_code,
            diff: { ...auditDiff(null, auditView(row)), no, category: row.category, urgency: row.urgency, source: row.source },
          });
          return row;
        });
      } catch (err) {
        if (err instanceof AppError && err.code === 'GRIDLINE_CONFLICT' && attempt < 3) continue;
        throw err;
      }
    }
    const w = created!;
    this.changed(scope, w, 'raise');
    const label = `${WHISTLE_URGENCY_LABELS[w.urgency as WhistleUrgency].zh}·${WHISTLE_CATEGORY_LABELS[w.category as WhistleCategory].zh}`;
    if (w.department_id) {
      await this.notify({ departmentId: w.department_id, kind: 'whistle.routed', title: `新哨件 ${w.no}：${w.title}`, body: `${label}，请在时限内签收。`, link: LINK(w.id) });
    } else {
      await this.notify({ node: watchNode(w.region_code, 'street'), permission: 'department.manage', kind: 'whistle.routed', title: `兜底哨件 ${w.no}：${w.title}`, body: `${label}：没有匹配的派单规则，由街道指挥部兜底处置。`, link: LINK(w.id) });
    }
    return { id: w.id, no: w.no, departmentId: w.department_id };
  }

  // ---- read -----------------------------------------------------------------------------------

  async list(scope: Scope, q: WhistleListQuery): Promise<WhistlePage> {
    scope.require('whistle.read');
    const { db, dialect, clock } = this.deps;
    const node = scope.narrow(q.node);
    const viewer = await this.viewerOf(db, scope);
    const now = clock.now();
    const [page, counts] = await Promise.all([repo.list(db, dialect, scope, viewer, node, q, now), repo.counts(db, dialect, scope, viewer, node, q, now)]);
    return { ...page, counts };
  }

  async get(scope: Scope, id: string): Promise<WhistleDetail> {
    scope.require('whistle.read');
    const { db, clock } = this.deps;
    const { w, viewer } = await this.reachable(db, scope, id);
    const [row, co, events, files] = await Promise.all([repo.shown(db, id), repo.coDepartments(db, id), repo.events(db, id), repo.files(db, id)]);
    const dept = w.department_id ? await departmentsRepository.byId(db, w.department_id) : null;
    return {
      ...toSummary(row!, clock.now()),
      description: w.description, lat: w.lat === null ? null : Number(w.lat), lng: w.lng === null ? null : Number(w.lng),
      coDepartments: co, dutyPhone: dept?.duty_phone ?? null,
      events: events.map(toEvent), files: files.map(toFile),
      actions: this.actions(scope, w, viewer.departmentId, co.map((d) => d.id)),
    };
  }

  // ---- the department's steps -----------------------------------------------------------------

  async acknowledge(scope: Scope, id: string, body: AcknowledgeWhistleBody): Promise<WhistleDetail> {
    return this.step(scope, id, body.version, 'whistle.handle', 'acknowledge', async (tx, w, now) => {
      const patch: Partial<WhistlesTable> = {
        status: 'acknowledged', acknowledged_at: now, updated_at: now,
        // The resolution deadline takes over as the next escalation (none once the district watches it).
        next_escalation_at: w.level === 'district' ? null : Math.max(Number(w.resolve_due_at), now),
      };
      return { patch, kind: 'acknowledged', note: body.note?.trim() ?? '', data: { late: now > Number(w.ack_due_at) } };
    });
  }

  async progress(scope: Scope, id: string, body: WhistleNoteBody): Promise<WhistleDetail> {
    return this.step(scope, id, body.version, 'whistle.handle', 'progress', async (_tx, _w, now) => ({ patch: { updated_at: now }, kind: 'progress', note: body.note.trim(), data: {} }));
  }

  /** The department reports resolution with evidence (the text here, photos uploaded as 'resolve' files); it cannot close. */
  async resolve(scope: Scope, id: string, body: WhistleNoteBody): Promise<WhistleDetail> {
    return this.step(scope, id, body.version, 'whistle.handle', 'resolve', async (tx, w, now) => {
      const photos = (await repo.files(tx, w.id)).filter((f) => f.stage === 'resolve').length;
      return { patch: { status: 'resolved', resolved_at: now, next_escalation_at: null, updated_at: now }, kind: 'resolved', note: body.note.trim(), data: { late: now > Number(w.resolve_due_at), evidenceFiles: photos } };
    });
  }

  // ---- the community's steps ------------------------------------------------------------------

  async confirm(scope: Scope, id: string, body: ConfirmWhistleBody): Promise<WhistleDetail> {
    return this.step(scope, id, body.version, 'whistle.raise', 'confirm', async (_tx, _w, now) => ({
      patch: { status: 'closed', closed_at: now, rating: body.rating, solved: body.solved ? 1 : 0, next_escalation_at: null, updated_at: now },
      kind: 'confirmed', note: body.note?.trim() ?? '', data: { rating: body.rating, solved: body.solved },
    }));
  }

  /** Back to the department with a reason; it has a fresh resolution window (the rating given before is kept in the timeline). */
  async reopen(scope: Scope, id: string, body: WhistleNoteBody): Promise<WhistleDetail> {
    return this.step(scope, id, body.version, 'whistle.raise', 'reopen', async (tx, w, now) => {
      const window = deadlineFor(await this.deps.departments.deadlineSettingsFor(tx, w.region_code), w.urgency as WhistleUrgency, w.region_code);
      const resolveDueAt = now + window.resolveMs;
      return {
        patch: {
          status: 'acknowledged', resolved_at: null, closed_at: null, rating: null, solved: null, reopen_count: w.reopen_count + 1, resolve_due_at: resolveDueAt,
          next_escalation_at: w.level === 'district' ? null : resolveDueAt, updated_at: now,
        },
        kind: 'reopened', note: body.note.trim(), data: { previousRating: w.rating, previousSolved: w.solved === null ? null : w.solved === 1, resolveDueAt },
      };
    });
  }

  /** 改派: another department (or null: the street command) takes it, with a fresh acknowledgement window. */
  async reroute(scope: Scope, id: string, body: RerouteWhistleBody): Promise<WhistleDetail> {
    return this.step(scope, id, body.version, 'inbox.manage', 'reroute', async (tx, w, now) => {
      if (body.departmentId) {
        const d = await departmentsRepository.byId(tx, body.departmentId);
        if (!d || d.active !== 1 || !departmentsRepository.isVisible(scope, d) || !(w.region_code.startsWith(d.node_code) || d.node_code.startsWith(w.region_code))) {
          throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/departmentId', code: 'missing', message: '所选部门不存在、已停用或不服务该区域' }] });
        }
      }
      const window = deadlineFor(await this.deps.departments.deadlineSettingsFor(tx, w.region_code), w.urgency as WhistleUrgency, w.region_code);
      await repo.setCoDepartments(tx, w.id, []);
      const ackDueAt = now + window.ackMs;
      return {
        patch: {
          department_id: body.departmentId, routed_by: body.departmentId ? 'override' : 'fallback', route_id: null, status: 'pending_ack', acknowledged_at: null,
          ack_due_at: ackDueAt, resolve_due_at: Math.max(Number(w.resolve_due_at), now + window.resolveMs), next_escalation_at: w.level === 'district' ? null : ackDueAt, updated_at: now,
        },
        kind: 'rerouted', note: body.note.trim(), data: { from: w.department_id, to: body.departmentId, ackDueAt },
      };
    });
  }

  /**
   * One audited step: the caller's permission, the whistle in reach, the action allowed for this caller in this
   * state, the optimistic version; a timeline event and an audit event in the same transaction; then a live event
   * and notifications.
   */
  private async step(
    scope: Scope, id: string, version: number, permission: Permission, action: WhistleAction,
    apply: (tx: Executor, w: WhistlesTable, now: number) => Promise<{ patch: Partial<WhistlesTable>; kind: WhistleEventKind; note: string; data: Record<string, unknown> }>,
  ): Promise<WhistleDetail> {
    scope.require(permission);
    const { db, clock, audit } = this.deps;
    const { after, kind, note } = await db.transaction().execute(async (tx) => {
      const { w, viewer, co } = await this.reachable(tx, scope, id);
      if (!this.actions(scope, w, viewer.departmentId, co).includes(action)) {
        // A department's staff who may see it but are not its lead read "not allowed now" rather than "not found".
        throw stateError(actionRefusal(action, w.status as WhistleStatus));
      }
      if (w.version !== version) throw new AppError('GRIDLINE_STALE_VERSION');
      const now = clock.now();
      const step = await apply(tx, w, now);
      await repo.update(tx, id, w.version, step.patch);
      const next = { ...w, ...step.patch };
      await this.event(tx, scope, next, step.kind, step.note, step.data);
      await audit.record(tx, scope, { action: `whistle.${action}`, entityType: 'whistle', entityId: id, regionCode: w.region_code, diff: { ...auditDiff(auditView(w), auditView(next)), note: step.note || null } });
      return { after: next, kind: step.kind, note: step.note };
    });
    this.changed(scope, after, action);
    await this.notifyStep(after, kind, note);
    return this.get(scope, id);
  }

  private async notifyStep(w: WhistlesTable, kind: WhistleEventKind, note: string): Promise<void> {
    const link = LINK(w.id);
    const community = watchNode(w.region_code, 'community');
    if (kind === 'resolved') {
      await this.notify({ userIds: w.raised_by_id ? [w.raised_by_id] : [], node: community, permission: 'whistle.raise', kind: 'whistle.resolved', title: `哨件 ${w.no} 已反馈办结，请评价`, body: note, link });
    } else if (kind === 'acknowledged') {
      await this.notify({ userIds: w.raised_by_id ? [w.raised_by_id] : [], kind: 'whistle.acknowledged', title: `哨件 ${w.no} 已签收`, body: w.title, link });
    } else if (kind === 'reopened' || kind === 'rerouted') {
      const target = w.department_id ? { departmentId: w.department_id } : { node: watchNode(w.region_code, 'street'), permission: 'department.manage' as const };
      await this.notify({ ...target, kind: `whistle.${kind}`, title: `哨件 ${w.no} ${kind === 'reopened' ? '被退回重办' : '已改派给您'}`, body: note || w.title, link });
    }
  }

  // ---- files ----------------------------------------------------------------------------------

  /** Stores an uploaded photo or document with the whistle (type and size checked; nothing kept of a refused file). */
  async addFile(scope: Scope, id: string, upload: { fileName: string; mime: string; stream: Readable & { truncated?: boolean } }, stage: 'raise' | 'progress' | 'resolve'): Promise<WhistleDetail> {
    scope.require('whistle.read');
    const { db, clock, audit, files } = this.deps;
    const { w, viewer, co } = await this.reachable(db, scope, id);
    if (!this.actions(scope, w, viewer.departmentId, co).includes('upload')) throw stateError('已办结的哨件或您无权处置的哨件不能再上传附件');
    const ext = WHISTLE_FILE_TYPES[upload.mime];
    if (!ext) {
      upload.stream.resume();
      throw new AppError('GRIDLINE_UNSUPPORTED_MEDIA_TYPE', { fields: [{ path: '/body/file', code: 'type', message: '只能上传照片（JPG、PNG、WebP、GIF、HEIC）或 PDF、Word、Excel、文本文件' }] });
    }
    if ((await repo.files(db, id)).length >= MAX_WHISTLE_FILES) {
      upload.stream.resume();
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/file', code: 'count', message: `每个哨件最多 ${MAX_WHISTLE_FILES} 个附件` }] });
    }
    const fileId = newId();
    const place = files.place('whistles', `${fileId}${ext}`);
    await pipeline(upload.stream, fs.createWriteStream(place.abs));
    const size = fs.statSync(place.abs).size;
    if (upload.stream.truncated || size > MAX_WHISTLE_FILE_BYTES) {
      await files.remove(place.rel);
      throw new AppError('GRIDLINE_PAYLOAD_TOO_LARGE', { fields: [{ path: '/body/file', code: 'size', message: `单个附件不能超过 ${MAX_WHISTLE_FILE_BYTES / 1024 / 1024} MB` }] });
    }
    if (size === 0) {
      await files.remove(place.rel);
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/file', code: 'empty', message: '上传的文件是空的' }] });
    }
    const actor = scope.actor.displayName || scope.actor.username;
    try {
      await db.transaction().execute(async (tx) => {
        const now = clock.now();
        const fileName = upload.fileName.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_').slice(0, 120) || `附件${ext}`;
        await repo.addFile(tx, { id: fileId, whistle_id: id, stage, file_name: fileName, mime: upload.mime, size, path: place.rel, uploaded_by: actor, created_at: now });
        await this.event(tx, scope, w, 'file', fileName, { fileId, stage, size });
        await audit.record(tx, scope, { action: 'whistle.file', entityType: 'whistle', entityId: id, regionCode: w.region_code, diff: { fileId, stage, fileName, size } });
      });
    } catch (err) {
      await files.remove(place.rel);
      throw err;
    }
    this.changed(scope, w, 'file');
    return this.get(scope, id);
  }

  async file(scope: Scope, id: string, fileId: string): Promise<{ path: string; fileName: string; mime: string }> {
    scope.require('whistle.read');
    await this.reachable(this.deps.db, scope, id);
    const f = await repo.file(this.deps.db, id, fileId);
    if (!f || !this.deps.files.exists(f.path)) throw new AppError('GRIDLINE_NOT_FOUND');
    return { path: this.deps.files.resolve(f.path), fileName: f.file_name, mime: f.mime };
  }

  // ---- escalation sweep -----------------------------------------------------------------------

  /**
   * Escalates every open whistle whose next escalation is due at `now` (default: the clock), one level per missed
   * window, each step on the timeline and in the audit log. Safe to run on several instances at once: each whistle
   * is updated on the version read, so only one instance applies a step. Returns the whistles escalated.
   */
  sweep(now = this.deps.clock.now()): Promise<{ escalated: { id: string; no: string; to: WhistleLevel }[] }> {
    return sweepOverdue(this.deps, { event: (...a) => this.event(...a), changed: (...a) => this.changed(...a), notify: (i) => this.notify(i) }, now);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private async event(tx: Executor, scope: Scope, w: Pick<WhistlesTable, 'id' | 'level'>, kind: WhistleEventKind, note: string, data: Record<string, unknown>): Promise<void> {
    await repo.addEvent(tx, {
      id: newId(), whistle_id: w.id, kind, at: this.deps.clock.now(), actor_id: scope.actor.userId, actor: scope.actor.kind === 'system' ? '系统' : scope.actor.displayName || scope.actor.username,
      note, level: w.level, data: JSON.stringify(data),
    });
  }

  private changed(scope: Scope, w: Pick<WhistlesTable, 'region_code'>, action: string): void {
    announce(this.deps.bus, scope, 'whistle.changed', w.region_code, { action });
  }

  private async notify(input: Parameters<WhistleNotifications['notify']>[0]): Promise<void> {
    const n = this.deps.notifications?.();
    if (!n) return;
    await n.notify(input).catch(() => undefined);
  }
}

function actionRefusal(action: WhistleAction, status: WhistleStatus): string {
  const zh: Record<WhistleAction, string> = {
    acknowledge: '只有承办部门可以签收待签收的哨件', progress: '只有承办或协办部门可以在处置中记录进展', resolve: '只有承办部门可以反馈处置中的哨件',
    confirm: '只有发起社区可以评价待评价的哨件', reopen: '只有发起社区可以退回已反馈或已办结的哨件', reroute: '只有社区或街道可以改派未办结的哨件', upload: '不能上传附件',
  };
  return `${zh[action]}（当前状态：${status}）`;
}
