import { levelOfCode, type CreateUserBody, type RegionLevel, type Role, type UpdateUserBody, type User, type UserListQuery } from '@gridline/shared';
import type { Db, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import { assertStrongPassword, hashPassword, temporaryPassword } from '../auth/password.js';
import { sessionsRepository } from '../auth/sessions.repository.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { toUser, usersRepository } from './users.repository.js';

/** The levels of the region tree at which each role may be placed. */
export const ROLE_LEVELS: Record<Role, readonly RegionLevel[]> = {
  command: ['district', 'street'],
  community_head: ['community'],
  community_worker: ['community'],
  grid_worker: ['grid'],
  volunteer: ['grid', 'building', 'unit'],
  tracer: ['district', 'street', 'community'],
  department_staff: ['district', 'street'],
  auditor: ['district', 'street', 'community'],
  sysadmin: ['district', 'street'],
  resident: ['household'],
};

const LEVEL_ZH: Record<RegionLevel, string> = { district: '区县', street: '街道', community: '社区', grid: '网格', building: '楼栋', unit: '单元', household: '户' };

export class UsersService {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService }) {}

  /** Account list. A resident account's display name is the resident's name: masked, since managing accounts needs no personal data. */
  async list(scope: Scope, q: UserListQuery) {
    scope.require('user.manage');
    const page = await usersRepository.list(this.deps.db, scope, q);
    return { ...page, items: page.items.map((u) => (u.role === 'resident' ? { ...u, displayName: maskName(u.displayName) } : u)) };
  }

  async create(scope: Scope, body: CreateUserBody): Promise<User> {
    scope.require('user.manage');
    assertStrongPassword(body.password, '/body/password');
    const { db, clock, audit } = this.deps;
    const hash = await hashPassword(body.password);
    const now = clock.now();
    return db.transaction().execute(async (tx) => {
      const { nodeCode, householdId, residentId } = await this.placement(tx, scope, body.role, body.nodeCode, body.residentId);
      if (await usersRepository.byUsername(tx, body.username)) {
        throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body/username', code: 'duplicate', message: '用户名已被使用' }] });
      }
      const row = {
        id: newId(), username: body.username, display_name: body.displayName, password_hash: hash, role: body.role, node_code: nodeCode,
        household_id: householdId, resident_id: residentId, disabled: 0, must_change_password: 1, failed_attempts: 0, locked_until: null, last_login_at: null,
        password_changed_at: now, created_at: now, updated_at: now,
        ...(body.departmentId !== undefined ? { department_id: await this.department(tx, scope, body.role, body.departmentId) } : {}),
      };
      await usersRepository.insert(tx, row);
      await audit.record(tx, scope, {
        action: 'user.create', entityType: 'user', entityId: row.id, regionCode: nodeCode,
        diff: { username: [null, row.username], role: [null, row.role], nodeCode: [null, nodeCode] },
      });
      return toUser(row);
    });
  }

  async update(scope: Scope, id: string, body: UpdateUserBody): Promise<User> {
    scope.require('user.manage');
    const { db, clock, audit } = this.deps;
    return db.transaction().execute(async (tx) => {
      const before = await usersRepository.byId(tx, id);
      if (!before) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(before.node_code);
      if (id === scope.actor.userId && (body.disabled || (body.role && body.role !== before.role))) {
        throw new AppError('GRIDLINE_FORBIDDEN', { fields: [{ path: '/body', code: 'self', message: '不能停用自己的账号或修改自己的角色' }] });
      }
      const role = body.role ?? (before.role as Role);
      const placement = body.role || body.nodeCode ? await this.placement(tx, scope, role, body.nodeCode ?? before.node_code, before.resident_id ?? undefined) : undefined;
      const patch = {
        ...(body.displayName !== undefined ? { display_name: body.displayName } : {}),
        ...(body.role !== undefined ? { role: body.role } : {}),
        ...(placement ? { node_code: placement.nodeCode } : {}),
        ...(body.disabled !== undefined ? { disabled: body.disabled ? 1 : 0 } : {}),
        ...(body.departmentId !== undefined ? { department_id: body.departmentId === null ? null : await this.department(tx, scope, role, body.departmentId) } : role !== 'department_staff' && before.department_id ? { department_id: null } : {}),
        updated_at: clock.now(),
      };
      await usersRepository.update(tx, id, patch);
      if (body.disabled || body.role || body.nodeCode) await sessionsRepository.deleteForUser(tx, id);
      const after = { ...before, ...patch };
      await audit.record(tx, scope, {
        action: 'user.update', entityType: 'user', entityId: id, regionCode: after.node_code,
        diff: diffUser(before, after),
      });
      return toUser(after);
    });
  }

  async resetPassword(scope: Scope, id: string): Promise<{ temporaryPassword: string }> {
    scope.require('user.manage');
    const { db, clock, audit } = this.deps;
    const password = temporaryPassword();
    const hash = await hashPassword(password);
    await db.transaction().execute(async (tx) => {
      const user = await usersRepository.byId(tx, id);
      if (!user) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(user.node_code);
      const now = clock.now();
      await usersRepository.update(tx, id, { password_hash: hash, must_change_password: 1, failed_attempts: 0, locked_until: null, password_changed_at: now, updated_at: now });
      await sessionsRepository.deleteForUser(tx, id);
      await audit.record(tx, scope, { action: 'user.reset_password', entityType: 'user', entityId: id, regionCode: user.node_code });
    });
    return { temporaryPassword: password };
  }

  /** A department staff member's department: one the administrator's jurisdiction may see (at, below or above its node). */
  private async department(tx: Executor, scope: Scope, role: Role, departmentId: string): Promise<string> {
    if (role !== 'department_staff') {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/departmentId', code: 'role', message: '只有部门工作人员可以归属部门' }] });
    }
    const d = await tx.selectFrom('departments').select(['id', 'node_code']).where('id', '=', departmentId).executeTakeFirst();
    if (!d || !(scope.covers(d.node_code) || scope.node.startsWith(d.node_code))) {
      throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/departmentId', code: 'missing', message: '所选部门不存在或不在管辖范围内' }] });
    }
    return d.id;
  }

  /** Where a role may sit: a region node of the right level in scope, or (residents) their household. */
  private async placement(tx: Executor, scope: Scope, role: Role, nodeCode: string, residentId: string | undefined) {
    if (role === 'resident') {
      if (!residentId) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/residentId', code: 'required', message: '居民账号须绑定一名已登记的居民' }] });
      const r = await tx.selectFrom('residents').select(['id', 'household_id', 'region_code']).where('id', '=', residentId).executeTakeFirst();
      if (!r || !scope.covers(r.region_code)) throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/residentId', code: 'missing', message: '所绑定的居民不存在或不在管辖范围内' }] });
      return { nodeCode: r.region_code, householdId: r.household_id, residentId: r.id };
    }
    const level = levelOfCode(nodeCode);
    const allowed = ROLE_LEVELS[role];
    if (!level || !allowed.includes(level)) {
      throw new AppError('GRIDLINE_VALIDATION', {
        fields: [{ path: '/body/nodeCode', code: 'level', message: `该角色只能设在${allowed.map((l) => LEVEL_ZH[l]).join('、')}一级` }],
      });
    }
    scope.target(nodeCode);
    if (!(await regionsRepository.byCode(tx, nodeCode))) {
      throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/nodeCode', code: 'missing', message: `区划 ${nodeCode} 不存在` }] });
    }
    return { nodeCode, householdId: null, residentId: null };
  }
}

function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

function diffUser(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['display_name', 'role', 'node_code', 'disabled', 'department_id']) if (a[k] !== b[k]) out[k] = [a[k], b[k]];
  return out;
}
