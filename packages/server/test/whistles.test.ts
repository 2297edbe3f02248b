/**
 * 吹哨报到 end to end through the API: routing by the most specific rule (and 兜底 when none), the department's
 * steps and the community's rating, reopening, files with type and size limits, the deadlines the street sets,
 * escalation driven by the controllable clock — including a server restart in the middle — and scope: another
 * jurisdiction's worker and another department's staff get nothing.
 */
import crypto from 'node:crypto';
import type { Department, WhistleDetail, WhistlePage } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { openContext } from '../src/bootstrap.js';
import type { BusEvent } from '../src/modules/events/event-bus.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const sys = Scope.system('test');
interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[] };
}

let t: TestApp;
const dept: Record<'health' | 'cdc' | 'police' | 'b', Department> = {} as never;
const cookies = new Map<string, string>();

async function cookie(username: string): Promise<string> {
  // Signs in through the current app (the restart test replaces it; the harness's login keeps the first).
  const login = async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.body}`);
    return `gridline_session=${res.cookies.find((x) => x.name === 'gridline_session')!.value}`;
  };
  const c = cookies.get(username) ?? (await login());
  cookies.set(username, c);
  return c;
}
async function req<T>(username: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) {
  let res = await t.app.inject({ method, url, headers: { cookie: await cookie(username) }, ...(payload ? { payload } : {}) });
  if (res.statusCode === 401) {
    // The test clock moved past the session's idle limit: sign in again.
    cookies.delete(username);
    res = await t.app.inject({ method, url, headers: { cookie: await cookie(username) }, ...(payload ? { payload } : {}) });
  }
  return { status: res.statusCode, body: res.json<T>() };
}
function png(bytes = 64): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(bytes)]);
}
function filePart(fileName: string, mime: string, content: Buffer) {
  const boundary = `----w${crypto.randomBytes(6).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${mime}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
async function uploadAs(username: string, id: string, fileName: string, mime: string, content: Buffer, stage = 'raise') {
  const p = filePart(fileName, mime, content);
  const res = await t.app.inject({ method: 'POST', url: `/api/whistles/${id}/files?stage=${stage}`, payload: p.payload, headers: { ...p.headers, cookie: await cookie(username) } });
  return { status: res.statusCode, body: res.json<WhistleDetail & ErrorBody>() };
}

const U = {
  grid: () => t.world.usernames.grid_worker,
  desk: () => t.world.usernames.community_worker,
  command: () => t.world.usernames.command,
  health: () => t.world.usernames.department_staff,
};

async function raise(username: string, over: Record<string, unknown> = {}) {
  return req<{ id: string; no: string; departmentId: string | null } & ErrorBody>(username, 'POST', '/api/whistles', {
    category: 'medical', urgency: 'emergency', title: '独居老人断药', description: '3栋独居老人降压药已断两天，需卫健协调送药', regionCode: CODES.gridA, address: '1栋1单元0102',
    lat: 39.92, lng: 116.45, ...over,
  });
}
const get = (username: string, id: string) => req<WhistleDetail & ErrorBody>(username, 'GET', `/api/whistles/${id}`);

beforeAll(async () => {
  t = await createTestApp();
  const { users } = t.ctx.services;
  for (const [username, role, nodeCode] of [
    ['police_staff', 'department_staff', CODES.streetA], ['b_staff', 'department_staff', CODES.streetB], ['grid_b', 'grid_worker', CODES.gridB], ['b_command', 'command', CODES.streetB],
    ['district_command', 'command', CODES.district],
  ] as const) {
    await users.create(sys, { username, displayName: username, role, nodeCode, password: TEST_PASSWORD });
  }
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
  // The street registers its departments through the API.
  const mk = async (body: object) => {
    const r = await req<Department>(U.command(), 'POST', '/api/departments', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  dept.health = await mk({ name: '街道卫健办', kind: 'health', nodeCode: CODES.streetA, dutyContact: '王主任', dutyPhone: '010-65000001', categories: ['medical', 'epidemic'] });
  dept.cdc = await mk({ name: '社区卫生服务站', kind: 'cdc', nodeCode: CODES.streetA, dutyContact: '李医生', dutyPhone: '010-65000002', categories: ['medical'] });
  dept.police = await mk({ name: '派出所', kind: 'police', nodeCode: CODES.streetA, dutyContact: '张所长', dutyPhone: '110', categories: ['public_order'] });
  dept.b = (await t.ctx.services.departments.create(sys, { name: '乙街道卫健办', kind: 'health', nodeCode: CODES.streetB, dutyContact: '赵', dutyPhone: '010-66000001', categories: ['medical'] }));
  // An administrator puts department staff in their departments.
  const idOf = async (u: string) => (await t.ctx.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;
  expect((await req(t.world.usernames.sysadmin, 'PATCH', `/api/users/${await idOf(U.health())}`, { departmentId: dept.health.id })).status).toBe(200);
  expect((await req(t.world.usernames.sysadmin, 'PATCH', `/api/users/${await idOf('police_staff')}`, { departmentId: dept.police.id })).status).toBe(200);
  await t.ctx.services.users.update(sys, await idOf('b_staff'), { departmentId: dept.b.id });
  cookies.clear();
});
afterAll(() => t.close());

describe('departments and routing rules', () => {
  it('the street keeps rules; department staff and workers read them; a grid worker may not change them', async () => {
    expect((await req(U.command(), 'POST', '/api/departments/routes', { category: 'medical', nodeCode: CODES.streetA, departmentId: dept.health.id })).status).toBe(201);
    // At the community, two departments for medical matters: the second is marked lead, the first becomes co-assigned.
    expect((await req(U.command(), 'POST', '/api/departments/routes', { category: 'medical', nodeCode: CODES.communityA, departmentId: dept.health.id })).status).toBe(201);
    expect((await req(U.command(), 'POST', '/api/departments/routes', { category: 'medical', nodeCode: CODES.communityA, departmentId: dept.cdc.id, lead: true })).status).toBe(201);
    const dup = await req<ErrorBody>(U.command(), 'POST', '/api/departments/routes', { category: 'medical', nodeCode: CODES.communityA, departmentId: dept.cdc.id });
    expect(dup.status).toBe(409);
    expect((await req(U.command(), 'POST', '/api/departments/routes', { category: 'public_order', nodeCode: CODES.streetA, departmentId: dept.police.id })).status).toBe(201);
    // Side B's department cannot be named by side A's street.
    const b = await req<ErrorBody>(U.command(), 'POST', '/api/departments/routes', { category: 'housing', nodeCode: CODES.streetA, departmentId: dept.b.id });
    expect([b.status, b.body.error.code]).toEqual([409, 'GRIDLINE_REFERENCE_MISSING']);
    expect((await req(U.grid(), 'POST', '/api/departments/routes', { category: 'housing', nodeCode: CODES.gridA, departmentId: dept.health.id })).status).toBe(403);
    const rules = await req<{ items: { category: string; nodeCode: string; departmentName: string; lead: boolean }[] }>(U.grid(), 'GET', '/api/departments/routes');
    expect(rules.body.items.filter((r) => r.category === 'medical').map((r) => [r.nodeCode, r.departmentName, r.lead])).toEqual([
      [CODES.streetA, '街道卫健办', true],
      [CODES.communityA, '社区卫生服务站', true],
      [CODES.communityA, '街道卫健办', false],
    ]);
    const list = await req<{ items: Department[] }>(U.grid(), 'GET', '/api/departments');
    expect(list.body.items.map((d) => d.name)).toEqual(['派出所', '社区卫生服务站', '街道卫健办']);
    expect(list.body.items.find((d) => d.name === '街道卫健办')).toMatchObject({ staffCount: 1, dutyPhone: '010-65000001' });
  });

  it('routes to the most specific rule (lead + co-assigned), else to the street command (兜底)', async () => {
    const w = await raise(U.grid());
    expect(w.status).toBe(201);
    expect(w.body.departmentId).toBe(dept.cdc.id);
    expect(w.body.no).toMatch(/^CS20261129-\d{4}$/);
    const d = await get(U.grid(), w.body.id);
    expect(d.body).toMatchObject({ status: 'pending_ack', level: 'community', routedBy: 'rule', department: { id: dept.cdc.id }, coDepartments: [{ id: dept.health.id }] });
    expect(d.body.events.map((e) => e.kind)).toEqual(['raised', 'routed']);
    // Emergency: 30 minutes to acknowledge, 24 h to resolve (REFERENCE §4 defaults).
    expect(d.body.ackDueAt - d.body.createdAt).toBe(30 * MIN);
    expect(d.body.resolveDueAt - d.body.createdAt).toBe(24 * HOUR);

    const f = await raise(U.grid(), { category: 'housing', urgency: 'daily', title: '外墙空鼓' });
    expect(f.body.departmentId).toBeNull();
    const fd = await get(U.command(), f.body.id);
    expect(fd.body).toMatchObject({ routedBy: 'fallback', department: null });
    expect(fd.body.actions).toContain('acknowledge');
    // A grid worker cannot dispatch to a department of their choosing; the community desk can.
    expect((await raise(U.grid(), { departmentId: dept.police.id })).status).toBe(403);
    const o = await raise(U.desk(), { category: 'public_order', departmentId: dept.health.id, title: '指定派单' });
    expect(o.body.departmentId).toBe(dept.health.id);
    // The department's staff are told (W2's notifier: an in-app row per member); the fallback one goes to the street command.
    const notes = async (username: string) =>
      (await t.ctx.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').select(['n.kind', 'n.title', 'n.link']).where('u.username', '=', username).execute());
    expect(await notes(U.health())).toContainEqual({ kind: 'whistle.routed', title: `新哨件 ${o.body.no}：指定派单`, link: `/whistles/${o.body.id}` });
    expect((await notes(U.command())).map((n) => n.link)).toContain(`/whistles/${f.body.id}`);
    expect((await notes('police_staff')).map((n) => n.link)).not.toContain(`/whistles/${o.body.id}`);
  });
});

describe('the life of a whistle', () => {
  let id: string;
  it('the co-assigned department sees it and may note progress, but only the lead acknowledges', async () => {
    id = (await raise(U.grid(), { title: '发热门诊排队过长' })).body.id;
    const mine = await req<WhistlePage>(U.health(), 'GET', '/api/whistles');
    expect(mine.body.items.map((w) => w.id)).toContain(id);
    const asCo = await req<ErrorBody>(U.health(), 'POST', `/api/whistles/${id}/acknowledge`, { version: 1 });
    expect([asCo.status, asCo.body.error.code]).toEqual([409, 'GRIDLINE_WHISTLE_STATE']);
    // 派出所 is neither lead nor co-assigned: the whistle does not exist for it.
    expect((await get('police_staff', id)).status).toBe(404);
    expect((await req<WhistlePage>('police_staff', 'GET', '/api/whistles')).body.items.map((w) => w.id)).not.toContain(id);
  });

  it('reroute to the 卫健办 (the desk), acknowledge, progress, resolve with a photo; the department cannot close it', async () => {
    const events: BusEvent[] = [];
    const stop = t.ctx.bus.subscribe((e) => events.push(e));
    let d: WhistleDetail = (await get(U.desk(), id)).body;
    const r = await req<WhistleDetail>(U.desk(), 'POST', `/api/whistles/${id}/reroute`, { version: d.version, departmentId: dept.health.id, note: '由卫健办牵头' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ department: { id: dept.health.id }, routedBy: 'override', coDepartments: [] });
    t.clock.advance(10 * MIN);
    d = (await get(U.health(), id)).body;
    expect(d.actions).toEqual(['acknowledge', 'upload']);
    const ack = await req<WhistleDetail>(U.health(), 'POST', `/api/whistles/${id}/acknowledge`, { version: d.version, note: '已派人联系' });
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedAt: t.clock.now(), overdue: null });
    const stale = await req<ErrorBody>(U.health(), 'POST', `/api/whistles/${id}/progress`, { version: d.version, note: '旧版本' });
    expect(stale.body.error.code).toBe('GRIDLINE_STALE_VERSION');
    const prog = await req<WhistleDetail>(U.health(), 'POST', `/api/whistles/${id}/progress`, { version: ack.body.version, note: '已到场，增开诊室' });
    expect(prog.body.events.at(-1)).toMatchObject({ kind: 'progress', note: '已到场，增开诊室' });
    const photo = await uploadAs(U.health(), id, '现场.png', 'image/png', png(), 'resolve');
    expect(photo.status, JSON.stringify(photo.body)).toBe(201);
    expect(photo.body.files).toMatchObject([{ stage: 'resolve', fileName: '现场.png', mime: 'image/png', size: 72 }]);
    const file = await t.app.inject({ url: `/api/whistles/${id}/files/${photo.body.files[0]!.id}`, headers: { cookie: await cookie(U.grid()) } });
    expect([file.statusCode, file.headers['content-type'], file.rawPayload.length]).toEqual([200, 'image/png', 72]);
    const res = await req<WhistleDetail>(U.health(), 'POST', `/api/whistles/${id}/resolve`, { version: photo.body.version, note: '已增开两个诊室，排队缓解' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('resolved');
    // The department has no way to close it: confirming is the community's.
    expect((await req<ErrorBody>(U.health(), 'POST', `/api/whistles/${id}/confirm`, { version: res.body.version, rating: 'satisfied', solved: true })).status).toBe(403);
    await new Promise((x) => setImmediate(x));
    stop();
    expect(events.filter((e) => e.type === 'whistle.changed').map((e) => [e.node, e.data.action])).toEqual([
      [CODES.gridA, 'reroute'], [CODES.gridA, 'acknowledge'], [CODES.gridA, 'progress'], [CODES.gridA, 'file'], [CODES.gridA, 'resolve'],
    ]);
  });

  it('the community reopens with a reason, then confirms and rates; every step on the timeline and in the audit log', async () => {
    let d: WhistleDetail = (await get(U.grid(), id)).body;
    expect(d.actions).toEqual(['confirm', 'reopen', 'upload']);
    const short = await req<ErrorBody>(U.grid(), 'POST', `/api/whistles/${id}/reopen`, { version: d.version, note: '' });
    expect(short.status).toBe(400);
    const re = await req<WhistleDetail>(U.grid(), 'POST', `/api/whistles/${id}/reopen`, { version: d.version, note: '晚间仍排长队' });
    expect(re.body).toMatchObject({ status: 'acknowledged', reopenCount: 1, resolvedAt: null });
    expect(re.body.resolveDueAt).toBe(t.clock.now() + 24 * HOUR);
    d = (await req<WhistleDetail>(U.health(), 'POST', `/api/whistles/${id}/resolve`, { version: re.body.version, note: '晚间加派医生' })).body;
    const ok = await req<WhistleDetail>(U.grid(), 'POST', `/api/whistles/${id}/confirm`, { version: d.version, rating: 'basically_satisfied', solved: true, note: '好多了' });
    expect(ok.body).toMatchObject({ status: 'closed', rating: 'basically_satisfied', solved: true });
    expect(ok.body.events.map((e) => e.kind)).toEqual(['raised', 'routed', 'rerouted', 'acknowledged', 'progress', 'file', 'resolved', 'reopened', 'resolved', 'confirmed']);
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual([
      'whistle.raise', 'whistle.reroute', 'whistle.acknowledge', 'whistle.progress', 'whistle.file', 'whistle.resolve', 'whistle.reopen', 'whistle.resolve', 'whistle.confirm',
    ]);
    expect((await req<ErrorBody>(U.health(), 'POST', `/api/whistles/${id}/progress`, { version: ok.body.version, note: '已办结还能写？' })).status).toBe(409);
  });

  it('refuses files of the wrong type or over 10 MB with a clear reason, keeping nothing', async () => {
    const w = (await raise(U.grid(), { title: '附件检查' })).body.id;
    const exe = await uploadAs(U.grid(), w, 'x.exe', 'application/x-msdownload', Buffer.from('MZ'));
    expect([exe.status, exe.body.error.code, exe.body.error.fields?.[0]?.message]).toEqual([415, 'GRIDLINE_UNSUPPORTED_MEDIA_TYPE', '只能上传照片（JPG、PNG、WebP、GIF、HEIC）或 PDF、Word、Excel、文本文件']);
    const big = await uploadAs(U.grid(), w, '大.jpg', 'image/jpeg', Buffer.alloc(10 * 1024 * 1024 + 10, 1));
    expect([big.status, big.body.error.code, big.body.error.fields?.[0]?.message]).toEqual([413, 'GRIDLINE_PAYLOAD_TOO_LARGE', '单个附件不能超过 10 MB']);
    const ok = await uploadAs(U.grid(), w, '现场照片.jpg', 'image/jpeg', png(100));
    expect(ok.status).toBe(201);
    expect((await get(U.grid(), w)).body.files.map((f) => f.fileName)).toEqual(['现场照片.jpg']);
    // Another department's staff cannot attach anything to it.
    expect((await uploadAs('police_staff', w, 'p.png', 'image/png', png())).status).toBe(404);
  });
});

describe('scope', () => {
  it('another jurisdiction’s worker and another department’s staff get nothing', async () => {
    const w = (await raise(U.grid(), { title: '越界检查' })).body.id;
    for (const u of ['grid_b', 'b_command', 'b_staff', 'police_staff']) {
      expect((await get(u, w)).status, u).toBe(404);
      const list = await req<WhistlePage>(u, 'GET', '/api/whistles?pageSize=200');
      expect(list.body.items.map((x) => x.id), u).not.toContain(w);
    }
    expect((await req<WhistlePage>('b_staff', 'GET', '/api/whistles')).body.total).toBe(0);
    expect((await req<ErrorBody>('grid_b', 'POST', `/api/whistles/${w}/confirm`, { version: 1, rating: 'satisfied', solved: true })).status).toBe(404);
    expect((await req<ErrorBody>('b_command', 'GET', `/api/whistles?node=${CODES.streetA}`)).status).toBe(403);
    // Side B's grid worker cannot raise a whistle on side A.
    expect((await raise('grid_b')).body.error.code).toBe('GRIDLINE_OUT_OF_SCOPE');
  });
});

describe('deadlines and escalation', () => {
  it('the street sets its own windows; they apply to whistles raised from then on', async () => {
    const before = await req<{ items: { urgency: string; ackMinutes: number; source: string | null }[] }>(U.grid(), 'GET', '/api/departments/deadlines');
    expect(before.body.items.find((i) => i.urgency === 'tough')).toMatchObject({ ackMinutes: 120, source: null });
    expect((await req(U.grid(), 'PUT', '/api/departments/deadlines', { items: [{ urgency: 'tough', ackMinutes: 60, resolveHours: 72 }] })).status).toBe(403);
    const bad = await req<ErrorBody>(U.command(), 'PUT', '/api/departments/deadlines', { items: [{ urgency: 'tough', ackMinutes: 600, resolveHours: 2 }] });
    expect(bad.status).toBe(400);
    const set = await req<{ items: { urgency: string; ackMinutes: number; resolveHours: number; source: string | null }[] }>(U.command(), 'PUT', '/api/departments/deadlines', { items: [{ urgency: 'tough', ackMinutes: 60, resolveHours: 72 }] });
    expect(set.body.items.find((i) => i.urgency === 'tough')).toEqual({ urgency: 'tough', ackMinutes: 60, resolveHours: 72, source: CODES.streetA, defaultAckMinutes: 120, defaultResolveHours: 168 });
    const w = (await raise(U.grid(), { urgency: 'tough', title: '攻坚' })).body.id;
    const d = (await get(U.grid(), w)).body;
    expect([d.ackDueAt - d.createdAt, d.resolveDueAt - d.createdAt]).toEqual([60 * MIN, 72 * HOUR]);
  });

  it('an unacknowledged emergency whistle escalates to the street at 30 min and, across a restart, to the district 30 min later', async () => {
    const raisedAt = t.clock.now();
    const w = await raise(U.grid(), { title: '燃气泄漏味道', category: 'utilities' });
    const id = w.body.id;
    // Nothing is due a minute before the deadline.
    t.clock.advance(29 * MIN);
    expect((await t.ctx.services.whistles.sweep()).escalated.map((e) => e.id)).not.toContain(id);
    expect((await get(U.grid(), id)).body).toMatchObject({ level: 'community', overdue: null });
    t.clock.advance(2 * MIN);
    expect((await get(U.grid(), id)).body.overdue).toBe('ack');
    const events: BusEvent[] = [];
    const stop = t.ctx.bus.subscribe((e) => events.push(e));
    const first = await t.ctx.services.whistles.sweep();
    expect(first.escalated.filter((e) => e.id === id)).toEqual([{ id, no: w.body.no, to: 'street' }]);
    await new Promise((x) => setImmediate(x));
    stop();
    expect(events.some((e) => e.type === 'whistle.changed' && e.data.action === 'escalate')).toBe(true);
    // Sweeping again changes nothing (idempotent).
    expect((await t.ctx.services.whistles.sweep()).escalated.map((e) => e.id)).not.toContain(id);
    const told = await t.ctx.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').select(['u.username', 'n.title']).where('n.kind', '=', 'whistle.escalated').where('n.link', '=', `/whistles/${id}`).execute();
    // The street command and the district above it hear of it; nobody of side B does.
    expect(told.map((x) => x.username).sort()).toEqual(['district_command', U.command()].sort());
    expect(told[0]!.title).toBe(`哨件 ${w.body.no} 超时未签收，已升级至街道`);
    const street = await req<WhistlePage>(U.command(), 'GET', '/api/whistles?escalated=true');
    expect(street.body.items.find((x) => x.id === id)).toMatchObject({ level: 'street', escalated: true, overdue: 'ack' });
    expect(street.body.counts.escalated).toBeGreaterThanOrEqual(1);

    // Restart: close the app and its context, build new ones on the same database, move the clock on, sweep.
    const config = t.ctx.config;
    await t.app.close();
    await t.ctx.close();
    t.clock.advance(30 * MIN);
    t.ctx = await openContext(config, { clock: t.clock });
    t.app = await buildApp(t.ctx, { logger: false });
    await t.app.ready();
    cookies.clear();
    const second = await t.ctx.services.whistles.sweep();
    expect(second.escalated.filter((e) => e.id === id)).toEqual([{ id, no: w.body.no, to: 'district' }]);
    const d = (await get('district_command', id)).body;
    expect(d).toMatchObject({ level: 'district', escalated: true, status: 'pending_ack' });
    const esc = d.events.filter((e) => e.kind === 'escalated');
    expect(esc.map((e) => [e.data.from, e.data.to, e.data.reason, e.data.dueAt])).toEqual([
      ['community', 'street', 'ack_overdue', raisedAt + 30 * MIN],
      ['street', 'district', 'ack_overdue', raisedAt + 60 * MIN],
    ]);
    // The district is the top: nothing further however long it waits.
    t.clock.advance(10 * HOUR);
    expect((await t.ctx.services.whistles.sweep()).escalated.map((e) => e.id)).not.toContain(id);
    const audit = await t.ctx.db.selectFrom('audit_events').select(['action', 'actor_name']).where('entity_id', '=', id).where('action', '=', 'whistle.escalate').execute();
    expect(audit).toEqual([{ action: 'whistle.escalate', actor_name: 'whistle-sweep' }, { action: 'whistle.escalate', actor_name: 'whistle-sweep' }]);
  });

  it('an overdue resolution escalates too, and the scheduler runs the sweep', async () => {
    const w = (await raise(U.grid(), { title: '医疗转运延误' })).body.id;
    let d: WhistleDetail = (await get(U.desk(), w)).body;
    d = (await req<WhistleDetail>(U.desk(), 'POST', `/api/whistles/${w}/reroute`, { version: d.version, departmentId: dept.health.id, note: '卫健办' })).body;
    d = (await req<WhistleDetail>(U.health(), 'POST', `/api/whistles/${w}/acknowledge`, { version: d.version })).body;
    t.clock.advance(25 * HOUR);
    const ran = await t.ctx.scheduler.tick();
    expect(ran).toContain('whistle-escalation');
    d = (await get(U.health(), w)).body;
    expect(d).toMatchObject({ level: 'street', overdue: 'resolve' });
    expect(d.events.at(-1)).toMatchObject({ kind: 'escalated', data: { reason: 'resolve_overdue', to: 'street' } });
  });
});
