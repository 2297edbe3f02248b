/**
 * Follow-up tasks: a task belongs to a node (any grid worker of that grid sees it, staff above see all under
 * their node); open → in progress → done/cancelled with a note; optimistic versions; assignees; counts with
 * overdue; audited changes; a live 'task.changed' event for the node; nothing for the other jurisdiction.
 */
import type { Task, TaskPage } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../src/modules/events/event-bus.js';
import { delivers } from '../src/modules/events/events.routes.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const HOUR = 3_600_000;
interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[] };
}

let t: TestApp;
const sys = Scope.system('test');
let gridId: string;

beforeAll(async () => {
  t = await createTestApp();
  for (const [username, role, nodeCode] of [['b_command', 'command', CODES.streetB], ['grid2', 'grid_worker', CODES.gridA], ['grid_b', 'grid_worker', CODES.gridB]] as const) {
    await t.ctx.services.users.create(sys, { username, displayName: username, role, nodeCode, password: TEST_PASSWORD });
  }
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
  gridId = (await t.ctx.db.selectFrom('users').select('id').where('username', '=', t.world.usernames.grid_worker).executeTakeFirstOrThrow()).id;
});
afterAll(() => t.close());

const req = <T>(username: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.as<T>(username, method, url, payload);
const grid = () => t.world.usernames.grid_worker;
const worker = () => t.world.usernames.community_worker;

describe('tasks', () => {
  let task: Task;

  it('writes a task for a resident in the resident’s grid, seen by every worker of that grid and the community', async () => {
    const events: BusEvent[] = [];
    const stop = t.ctx.bus.subscribe((e) => events.push(e));
    const res = await req<Task>(worker(), 'POST', '/api/tasks', { title: '上门送药', detail: '降压药两盒', residentId: t.world.residentsA[2]!.resident.id, dueAt: t.clock.now() + 4 * HOUR });
    expect(res.status).toBe(201);
    task = res.body;
    expect(task).toMatchObject({ type: 'manual', status: 'open', regionCode: CODES.gridA, regionName: '网格A', resident: { name: '王芳', phoneMasked: '139****1003' }, overdue: false, assignee: null, version: 1 });
    for (const u of [grid(), 'grid2', worker()]) expect((await req<TaskPage>(u, 'GET', '/api/tasks')).body.items.map((x) => x.id), u).toContain(task.id);
    await new Promise((r) => setImmediate(r));
    stop();
    const e = events.find((x) => x.type === 'task.changed');
    expect(e).toMatchObject({ node: CODES.gridA, data: { action: 'create', taskId: task.id } });
    // Delivered to task readers covering the grid, not to the other side nor to roles without task.read.
    const scopeOf = (role: 'grid_worker' | 'volunteer' | 'command', node: string) => new Scope({ ...sys.actor, kind: 'user', role, node, userId: 'x' });
    expect(delivers(scopeOf('grid_worker', CODES.gridA), e!)).toBe(true);
    expect(delivers(scopeOf('grid_worker', CODES.gridB), e!)).toBe(false);
    // Covering the grid is not enough without task.read (checkpoint volunteers see decisions, not tasks).
    expect(delivers(scopeOf('volunteer', CODES.gridA), e!)).toBe(false);
  });

  it('moves open → in progress (taken by whoever starts it) → done, audited, and never back', async () => {
    const started = await req<Task>(grid(), 'PATCH', `/api/tasks/${task.id}`, { version: 1, status: 'in_progress' });
    expect(started.body).toMatchObject({ status: 'in_progress', assignee: { id: gridId }, version: 2 });
    const stale = await req<ErrorBody>(grid(), 'PATCH', `/api/tasks/${task.id}`, { version: 1, status: 'done' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('GRIDLINE_STALE_VERSION');
    const done = await req<Task>(grid(), 'PATCH', `/api/tasks/${task.id}`, { version: 2, status: 'done', note: '已送达' });
    expect(done.body).toMatchObject({ status: 'done', note: '已送达', closedAt: t.clock.now() });
    const back = await req<ErrorBody>(grid(), 'PATCH', `/api/tasks/${task.id}`, { version: 3, status: 'open' });
    expect(back.status).toBe(400);
    expect(back.body.error.fields?.[0]?.message).toBe('任务已完成，不能改为“待处理”');
    const audit = await t.ctx.db.selectFrom('audit_events').select(['action', 'diff']).where('entity_id', '=', task.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['task.create', 'task.update', 'task.update']);
    expect(JSON.parse(audit[2]!.diff!)).toMatchObject({ status: ['in_progress', 'done'], note: ['', '已送达'] });
  });

  it('needs a reason to cancel', async () => {
    const created = (await req<Task>(worker(), 'POST', '/api/tasks', { title: '核实住址', regionCode: CODES.gridA })).body;
    const bare = await req<ErrorBody>(grid(), 'PATCH', `/api/tasks/${created.id}`, { version: 1, status: 'cancelled' });
    expect(bare.body.error.fields).toEqual([{ path: '/body/note', code: 'transition', message: '取消任务须写明原因' }]);
    expect((await req<Task>(grid(), 'PATCH', `/api/tasks/${created.id}`, { version: 1, status: 'cancelled', note: '重复登记' })).body.status).toBe('cancelled');
  });

  it('counts open, in progress, overdue and done today; lists overdue first by due time', async () => {
    const a = (await req<Task>(worker(), 'POST', '/api/tasks', { title: '回访一', regionCode: CODES.gridA, dueAt: t.clock.now() + HOUR })).body;
    const b = (await req<Task>(worker(), 'POST', '/api/tasks', { title: '回访二', regionCode: CODES.gridA, dueAt: t.clock.now() + 2 * HOUR })).body;
    await req(worker(), 'POST', '/api/tasks', { title: '无期限', regionCode: CODES.gridA });
    t.clock.advance(90 * 60_000);
    const page = (await req<TaskPage>(grid(), 'GET', '/api/tasks?status=open&status=in_progress')).body;
    expect(page.counts).toEqual({ open: 3, inProgress: 0, overdue: 1, doneToday: 1 });
    expect(page.items.map((x) => x.title)).toEqual(['回访一', '回访二', '无期限']);
    expect(page.items[0]).toMatchObject({ id: a.id, overdue: true });
    expect(page.items[1]).toMatchObject({ id: b.id, overdue: false });
    expect((await req<TaskPage>(grid(), 'GET', '/api/tasks?overdue=true')).body.items.map((x) => x.id)).toEqual([a.id]);
    // Assigned to me / to nobody.
    await req(grid(), 'PATCH', `/api/tasks/${b.id}`, { version: 1, assigneeId: gridId });
    expect((await req<TaskPage>(grid(), 'GET', '/api/tasks?assignee=me&status=open')).body.items.map((x) => x.id)).toEqual([b.id]);
    expect((await req<TaskPage>(grid(), 'GET', '/api/tasks?assignee=none&status=open')).body.items.map((x) => x.id)).not.toContain(b.id);
  });

  it('offers and accepts only assignees whose jurisdiction covers the task', async () => {
    const created = (await req<Task>(worker(), 'POST', '/api/tasks', { title: '分派测试', regionCode: CODES.gridA })).body;
    const people = (await req<{ id: string; name: string; nodeCode: string }[]>(worker(), 'GET', `/api/tasks/${created.id}/assignees`)).body;
    expect(people.map((p) => p.name).sort()).toEqual(['grid2', '测试community_head', '测试community_worker', '测试grid_worker'].sort());
    const bGrid = (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'grid_b').executeTakeFirstOrThrow()).id;
    const wrong = await req<ErrorBody>(worker(), 'PATCH', `/api/tasks/${created.id}`, { version: 1, assigneeId: bGrid });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.fields?.[0]?.path).toBe('/body/assigneeId');
  });

  it('gives the other jurisdiction nothing and refuses it every task as not found', async () => {
    const list = await req<TaskPage>('b_command', 'GET', '/api/tasks');
    expect(list.body.items).toEqual([]);
    expect(list.body.counts).toEqual({ open: 0, inProgress: 0, overdue: 0, doneToday: 0 });
    for (const u of ['b_command', 'grid_b']) {
      expect((await req<ErrorBody>(u, 'GET', `/api/tasks/${task.id}`)).status).toBe(404);
      expect((await req<ErrorBody>(u, 'PATCH', `/api/tasks/${task.id}`, { version: 3, note: 'x' })).status).toBe(404);
    }
    const placed = await req<ErrorBody>('b_command', 'POST', '/api/tasks', { title: '越界', regionCode: CODES.gridA });
    expect(placed.status).toBe(403);
    const named = await req<ErrorBody>('b_command', 'POST', '/api/tasks', { title: '越界', residentId: t.world.residentsA[0]!.resident.id });
    expect(named.status).toBe(409);
  });
});
