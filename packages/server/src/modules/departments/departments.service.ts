import {
  DEFAULT_WHISTLE_DEADLINES, deadlineFor, WHISTLE_URGENCIES, type CreateDepartmentBody, type CreateRoutingRuleBody, type DeadlineSetting, type DeadlineSettings, type Department,
  type RouteRule, type RoutingRule, type SetDeadlinesBody, type UpdateDepartmentBody, type WhistleCategory, type WhistleUrgency,
} from '@gridline/shared';
import type { Db, DepartmentsTable, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { departmentsRepository as repo, toDepartment } from './departments.repository.js';

export interface DepartmentsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

function auditView(d: Pick<DepartmentsTable, 'name' | 'kind' | 'node_code' | 'duty_contact' | 'duty_phone' | 'categories' | 'active'>) {
  return { name: d.name, kind: d.kind, nodeCode: d.node_code, dutyContact: d.duty_contact, dutyPhone: d.duty_phone, categories: d.categories, active: d.active };
}

/**
 * The department registry, the routing rules (category × jurisdiction → department) and the deadline settings,
 * kept by the street (department.manage). The whistles service asks it where a whistle goes and how long the
 * department has.
 */
export class DepartmentsService {
  constructor(private readonly deps: DepartmentsDeps) {}

  async list(scope: Scope): Promise<{ items: Department[] }> {
    scope.require('department.read');
    return { items: (await repo.list(this.deps.db, scope)).map(toDepartment) };
  }

  async get(scope: Scope, id: string): Promise<Department> {
    scope.require('department.read');
    const row = await repo.shownById(this.deps.db, id);
    if (!row || !repo.isVisible(scope, row)) throw new AppError('GRIDLINE_NOT_FOUND');
    return toDepartment(row);
  }

  async create(scope: Scope, body: CreateDepartmentBody): Promise<Department> {
    scope.require('department.manage');
    scope.target(body.nodeCode);
    const { db, clock, audit } = this.deps;
    const id = await db.transaction().execute(async (tx) => {
      if (!(await regionsRepository.byCode(tx, body.nodeCode))) {
        throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/nodeCode', code: 'missing', message: '所选区域不存在' }] });
      }
      const now = clock.now();
      const row: DepartmentsTable = {
        id: newId(), name: body.name.trim(), kind: body.kind, node_code: body.nodeCode, duty_contact: body.dutyContact.trim(), duty_phone: body.dutyPhone.trim(),
        categories: JSON.stringify(body.categories), active: 1, created_at: now, updated_at: now, version: 1,
      };
      await repo.insert(tx, row);
      await audit.record(tx, scope, { action: 'department.create', entityType: 'department', entityId: row.id, regionCode: row.node_code, diff: auditDiff(null, auditView(row)) });
      return row.id;
    });
    return this.get(scope, id);
  }

  async update(scope: Scope, id: string, body: UpdateDepartmentBody): Promise<Department> {
    scope.require('department.manage');
    const { db, clock, audit } = this.deps;
    await db.transaction().execute(async (tx) => {
      const before = await repo.byId(tx, id);
      if (!before) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(before.node_code);
      if (before.version !== body.version) throw new AppError('GRIDLINE_STALE_VERSION');
      const patch: Partial<DepartmentsTable> = { updated_at: clock.now() };
      if (body.name !== undefined) patch.name = body.name.trim();
      if (body.kind !== undefined) patch.kind = body.kind;
      if (body.dutyContact !== undefined) patch.duty_contact = body.dutyContact.trim();
      if (body.dutyPhone !== undefined) patch.duty_phone = body.dutyPhone.trim();
      if (body.categories !== undefined) patch.categories = JSON.stringify(body.categories);
      if (body.active !== undefined) patch.active = body.active ? 1 : 0;
      await repo.update(tx, id, before.version, patch);
      await audit.record(tx, scope, { action: 'department.update', entityType: 'department', entityId: id, regionCode: before.node_code, diff: auditDiff(auditView(before), auditView({ ...before, ...patch })) });
    });
    return this.get(scope, id);
  }

  // ---- routing rules ----

  async routes(scope: Scope): Promise<{ items: RoutingRule[] }> {
    scope.require('department.read');
    return { items: await repo.routes(this.deps.db, scope) };
  }

  async addRoute(scope: Scope, body: CreateRoutingRuleBody): Promise<{ items: RoutingRule[] }> {
    scope.require('department.manage');
    scope.target(body.nodeCode);
    const { db, clock, audit } = this.deps;
    await db.transaction().execute(async (tx) => {
      const dept = await repo.byId(tx, body.departmentId);
      if (!dept || !repo.isVisible(scope, dept)) {
        throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/departmentId', code: 'missing', message: '所选部门不存在或不在您的管辖范围内' }] });
      }
      if (!(await regionsRepository.byCode(tx, body.nodeCode))) {
        throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/nodeCode', code: 'missing', message: '所选区域不存在' }] });
      }
      const existing = (await repo.rulesCovering(tx, body.nodeCode, body.category)).filter((r) => r.node_code === body.nodeCode);
      if (existing.some((r) => r.department_id === body.departmentId)) {
        throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body/departmentId', code: 'duplicate', message: '该区域的这一类事项已派给此部门' }] });
      }
      // The first department named for a (category, node) leads unless another is marked as lead.
      const lead = body.lead ?? existing.length === 0;
      if (lead) await repo.clearLead(tx, body.category, body.nodeCode);
      const row = { id: newId(), category: body.category, node_code: body.nodeCode, department_id: body.departmentId, lead: lead ? 1 : 0, created_by: scope.actor.displayName || scope.actor.username, created_at: clock.now() };
      await repo.insertRoute(tx, row);
      await audit.record(tx, scope, {
        action: 'whistle_route.create', entityType: 'whistle_route', entityId: row.id, regionCode: row.node_code,
        diff: auditDiff(null, { category: row.category, nodeCode: row.node_code, departmentId: row.department_id, lead: row.lead }),
      });
    });
    return this.routes(scope);
  }

  async removeRoute(scope: Scope, id: string): Promise<{ items: RoutingRule[] }> {
    scope.require('department.manage');
    const { db, audit } = this.deps;
    await db.transaction().execute(async (tx) => {
      const r = await repo.routeById(tx, id);
      if (!r) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(r.node_code);
      await repo.deleteRoute(tx, id);
      await audit.record(tx, scope, {
        action: 'whistle_route.delete', entityType: 'whistle_route', entityId: id, regionCode: r.node_code,
        diff: auditDiff({ category: r.category, nodeCode: r.node_code, departmentId: r.department_id, lead: r.lead }, null),
      });
    });
    return this.routes(scope);
  }

  /** The rules that could route a whistle of this category at this place (for `chooseRoute`). */
  async rulesFor(db: Executor, regionCode: string, category: WhistleCategory): Promise<RouteRule[]> {
    return (await repo.rulesCovering(db, regionCode, category)).map((r) => ({ id: r.id, category: r.category as WhistleCategory, nodeCode: r.node_code, departmentId: r.department_id, lead: r.lead === 1 }));
  }

  // ---- deadlines ----

  async deadlineSettingsFor(db: Executor, regionCode: string): Promise<DeadlineSetting[]> {
    return (await repo.deadlinesCovering(db, regionCode)).map((s) => ({ nodeCode: s.node_code, urgency: s.urgency as WhistleUrgency, ackMs: Number(s.ack_ms), resolveMs: Number(s.resolve_ms) }));
  }

  async allDeadlineSettings(db: Executor): Promise<DeadlineSetting[]> {
    return (await repo.allDeadlines(db)).map((s) => ({ nodeCode: s.node_code, urgency: s.urgency as WhistleUrgency, ackMs: Number(s.ack_ms), resolveMs: Number(s.resolve_ms) }));
  }

  /** The windows in force at a node (the caller's own by default) for each urgency. */
  async deadlines(scope: Scope, node?: string): Promise<DeadlineSettings> {
    scope.require('department.read');
    const nodeCode = scope.narrow(node);
    const settings = await this.deadlineSettingsFor(this.deps.db, nodeCode);
    return {
      nodeCode,
      items: WHISTLE_URGENCIES.map((urgency) => {
        const d = deadlineFor(settings, urgency, nodeCode);
        const def = DEFAULT_WHISTLE_DEADLINES[urgency];
        return {
          urgency, ackMinutes: Math.round(d.ackMs / MINUTE), resolveHours: Math.round(d.resolveMs / HOUR), source: d.source,
          defaultAckMinutes: def.ackMs / MINUTE, defaultResolveHours: def.resolveMs / HOUR,
        };
      }),
    };
  }

  /** The street (or district) sets its own windows; they apply to whistles raised from then on. */
  async setDeadlines(scope: Scope, body: SetDeadlinesBody): Promise<DeadlineSettings> {
    scope.require('department.manage');
    const { db, clock, audit } = this.deps;
    const nodeCode = scope.node;
    if (!nodeCode) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body', code: 'node', message: '系统账号不能设置时限' }] });
    await db.transaction().execute(async (tx) => {
      const before = await this.deadlineSettingsFor(tx, nodeCode);
      for (const item of body.items) {
        if (item.ackMinutes * MINUTE >= item.resolveHours * HOUR) {
          throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/items', code: 'order', message: '签收时限须短于办结时限' }] });
        }
        const prev = before.find((s) => s.nodeCode === nodeCode && s.urgency === item.urgency);
        const row = { node_code: nodeCode, urgency: item.urgency, ack_ms: item.ackMinutes * MINUTE, resolve_ms: item.resolveHours * HOUR, updated_by: scope.actor.displayName || scope.actor.username, updated_at: clock.now() };
        await repo.upsertDeadline(tx, row);
        await audit.record(tx, scope, {
          action: 'whistle_deadline.set', entityType: 'whistle_deadline', entityId: null, regionCode: nodeCode,
          diff: { urgency: item.urgency, ...auditDiff(prev ? { ackMs: prev.ackMs, resolveMs: prev.resolveMs } : null, { ackMs: row.ack_ms, resolveMs: row.resolve_ms }) },
        });
      }
    });
    return this.deadlines(scope);
  }
}
