/**
 * The department registry and its staff: an administrator places department staff in a department of their
 * jurisdiction (never another street's, never for another role); the registry a user sees is their node, below and
 * the path above; routing rules keep one lead per category and node; changes are audited.
 */
import type { Department, User } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, type TestApp } from './harness.js';

const sys = Scope.system('test');
let t: TestApp;
let a: Department;
let district: Department;
let b: Department;

async function req<T>(username: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) {
  const res = await t.app.inject({ method, url, headers: { cookie: await t.login(username) }, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json<T & { error: { code: string; fields?: { path: string; message: string }[] } }>() };
}

beforeAll(async () => {
  t = await createTestApp();
  const d = t.ctx.services.departments;
  a = await d.create(sys, { name: '甲街道卫健办', kind: 'health', nodeCode: CODES.streetA, dutyContact: '王', dutyPhone: '010-65000001', categories: ['medical'] });
  district = await d.create(sys, { name: '区疾控中心', kind: 'cdc', nodeCode: CODES.district, dutyContact: '值班室', dutyPhone: '010-65000009', categories: ['epidemic'] });
  b = await d.create(sys, { name: '乙街道卫健办', kind: 'health', nodeCode: CODES.streetB, dutyContact: '赵', dutyPhone: '010-66000001', categories: ['medical'] });
});
afterAll(() => t.close());

describe('departments', () => {
  it('a street user sees its own street’s and the district’s departments, not the neighbouring street’s', async () => {
    const r = await req<{ items: Department[] }>(t.world.usernames.grid_worker, 'GET', '/api/departments');
    expect(r.body.items.map((x) => x.name).sort()).toEqual(['区疾控中心', '甲街道卫健办']);
  });

  it('the administrator places department staff; other roles and other streets’ departments are refused', async () => {
    const admin = t.world.usernames.sysadmin;
    const staff = await req<User>(admin, 'POST', '/api/users', { username: 'dept_new', displayName: '卫健办小李', role: 'department_staff', nodeCode: CODES.streetA, password: 'Initial-pass1', departmentId: a.id });
    expect(staff.status).toBe(201);
    expect(staff.body.departmentId).toBe(a.id);
    // A district department serves the street too.
    const moved = await req<User>(admin, 'PATCH', `/api/users/${staff.body.id}`, { departmentId: district.id });
    expect(moved.body.departmentId).toBe(district.id);
    const other = await req<User>(admin, 'PATCH', `/api/users/${staff.body.id}`, { departmentId: b.id });
    expect([other.status, other.body.error.code, other.body.error.fields?.[0]?.path]).toEqual([409, 'GRIDLINE_REFERENCE_MISSING', '/body/departmentId']);
    const wrongRole = await req<User>(admin, 'POST', '/api/users', { username: 'grid_dept', displayName: '网格员', role: 'grid_worker', nodeCode: CODES.gridA, password: 'Initial-pass1', departmentId: a.id });
    expect([wrongRole.status, wrongRole.body.error.fields?.[0]?.message]).toEqual([400, '只有部门工作人员可以归属部门']);
    // Changing the role away from department staff clears the department.
    const changed = await req<User>(admin, 'PATCH', `/api/users/${staff.body.id}`, { role: 'auditor' });
    expect(changed.body.departmentId).toBeNull();
    const audit = await t.ctx.db.selectFrom('audit_events').select(['action', 'diff']).where('entity_id', '=', staff.body.id).where('action', '=', 'user.update').orderBy('seq').execute();
    expect(audit.map((x) => JSON.parse(x.diff ?? '{}').department_id)).toEqual([[a.id, district.id], [district.id, null]]);
    expect((await t.ctx.services.departments.list(sys)).items.find((x) => x.id === a.id)?.staffCount).toBe(0);
  });

  it('keeps one lead per category and node; a new lead takes over', async () => {
    const cmd = t.world.usernames.command;
    const police = await t.ctx.services.departments.create(sys, { name: '派出所', kind: 'police', nodeCode: CODES.streetA, dutyContact: '张', dutyPhone: '110', categories: ['public_order'] });
    await req(cmd, 'POST', '/api/departments/routes', { category: 'public_order', nodeCode: CODES.streetA, departmentId: a.id });
    const r = await req<{ items: { departmentName: string; lead: boolean; category: string }[] }>(cmd, 'POST', '/api/departments/routes', { category: 'public_order', nodeCode: CODES.streetA, departmentId: police.id, lead: true });
    expect(r.body.items.filter((x) => x.category === 'public_order').map((x) => [x.departmentName, x.lead])).toEqual([['派出所', true], ['甲街道卫健办', false]]);
    const bad = await req(cmd, 'PATCH', `/api/departments/${a.id}`, { version: 99, dutyContact: '新' });
    expect(bad.body.error.code).toBe('GRIDLINE_STALE_VERSION');
    const ok = await req<Department>(cmd, 'PATCH', `/api/departments/${a.id}`, { version: a.version, dutyContact: '新值班员', active: false });
    expect(ok.body).toMatchObject({ dutyContact: '新值班员', active: false });
  });
});
