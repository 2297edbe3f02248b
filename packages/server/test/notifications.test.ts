/**
 * Notifications: in-app rows per recipient (listed users, users at or above a node whose role holds a
 * permission), read/unread, a live event only for the recipient, email through a local SMTP server, outgoing
 * webhooks signed with HMAC-SHA256 and retried with backoff through the job queue — across a restart too.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NotificationPage, WebhookDelivery, WebhookSubscription } from '@gridline/shared';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/app.js';
import { openContext } from '../src/bootstrap.js';
import type { BusEvent } from '../src/modules/events/event-bus.js';
import { delivers } from '../src/modules/events/events.routes.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const sys = Scope.system('test');
let t: TestApp;
const mails: { to: string[]; raw: string }[] = [];
let smtp: SMTPServer;
let smtpPort = 0;

interface Hook {
  server: http.Server;
  url: string;
  /** Status codes to answer, in order; 200 once they run out. */
  answers: number[];
  got: { headers: http.IncomingHttpHeaders; body: string }[];
}
async function receiver(answers: number[]): Promise<Hook> {
  const hook = { answers, got: [] } as unknown as Hook;
  hook.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hook.got.push({ headers: req.headers, body });
      res.statusCode = hook.answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.server.listen(0, '127.0.0.1', r));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`;
  return hook;
}

const userId = async (username: string) => (await t.ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const as = async <T>(username: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) => {
  const res = await t.app.inject({ method, url, headers: { cookie: await t.login(username) }, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json<T>() };
};

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  t = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, SMTP_FROM: 'gridline@test.local', WEBHOOK_MAX_ATTEMPTS: '3' } });
  for (const [username, role, nodeCode] of [['b_worker', 'community_worker', CODES.communityB], ['district_cmd', 'command', CODES.district]] as const) {
    await t.ctx.services.users.create(sys, { username, displayName: username, role, nodeCode, password: TEST_PASSWORD });
  }
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

describe('in-app notifications', () => {
  it('go to the listed users and to the permitted users at or above the node, never to another jurisdiction', async () => {
    const grid = await userId(t.world.usernames.grid_worker);
    const res = await t.ctx.services.notifier.notify({ userIds: [grid], node: CODES.communityA, permission: 'inbox.read', kind: 'inbox.new', title: '新诉求', body: '3号楼垃圾', link: '/inbox' });
    // grid worker (listed) + community head + community worker (at the node) + command at street A + district command (above).
    const expected = await Promise.all([t.world.usernames.grid_worker, t.world.usernames.community_head, t.world.usernames.community_worker, t.world.usernames.command, 'district_cmd'].map(userId));
    expect(res.delivered).toBe(5);
    const rows = await t.ctx.db.selectFrom('notifications').select('user_id').where('kind', '=', 'inbox.new').execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual(expected.sort());
    const b = await as<NotificationPage>('b_worker', 'GET', '/api/notifications');
    expect(b.body).toMatchObject({ total: 0, unread: 0 });
  });

  it('go to the members of a department', async () => {
    const { departments, users } = t.ctx.services;
    const d = await departments.create(sys, { name: '街道城管中队', kind: 'urban', nodeCode: CODES.streetA, dutyContact: '李队长', dutyPhone: '12319', categories: ['sanitation'] });
    const dept = await userId(t.world.usernames.department_staff);
    await users.update(sys, dept, { departmentId: d.id });
    const res = await t.ctx.services.notifier.notify({ departmentId: d.id, kind: 'whistle.routed', title: '新哨件', body: '垃圾清运' });
    expect(res.delivered).toBe(1);
    const rows = await t.ctx.db.selectFrom('notifications').select('user_id').where('kind', '=', 'whistle.routed').execute();
    expect(rows.map((r) => r.user_id)).toEqual([dept]);
  });

  it('are listed newest first, counted unread and marked read only for their owner', async () => {
    const worker = t.world.usernames.community_worker;
    await t.ctx.services.notifier.notify({ userIds: [await userId(worker)], kind: 'report.read', title: '第二条', body: 'b' });
    const page = await as<NotificationPage>(worker, 'GET', '/api/notifications');
    expect(page.body.items.map((n) => n.title)).toEqual(['第二条', '新诉求']);
    expect(page.body.unread).toBe(2);
    // Someone else's id is simply not touched.
    const other = await as<{ marked: number }>(t.world.usernames.grid_worker, 'POST', '/api/notifications/read', { ids: [page.body.items[0]!.id] });
    expect(other.body.marked).toBe(0);
    const one = await as<{ marked: number; unread: number }>(worker, 'POST', '/api/notifications/read', { ids: [page.body.items[0]!.id] });
    expect(one.body).toEqual({ marked: 1, unread: 1 });
    expect((await as<{ unread: number }>(worker, 'GET', '/api/notifications/unread')).body).toEqual({ unread: 1 });
    expect((await as<{ marked: number; unread: number }>(worker, 'POST', '/api/notifications/read', { all: true })).body).toEqual({ marked: 1, unread: 0 });
  });

  it('reach only the recipient live', async () => {
    const events: BusEvent[] = [];
    const off = t.ctx.bus.subscribe((e) => e.type === 'notification' && events.push(e));
    const head = await userId(t.world.usernames.community_head);
    await t.ctx.services.notifier.notify({ userIds: [head], kind: 'whistle.routed', title: '新哨件', body: 'x' });
    // On PostgreSQL the bus is LISTEN/NOTIFY: the event comes back from the server a moment later.
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 5000 });
    off();
    const e = events[0]!;
    expect(e).toMatchObject({ ownerId: head, node: null, data: { kind: 'whistle.routed', title: '新哨件' } });
    const scopeOf = (id: string) => new Scope({ ...sys.actor, kind: 'user', role: 'command', node: CODES.district, userId: id });
    expect(delivers(scopeOf(head), e)).toBe(true);
    // Not even the district command hears another user's notification.
    expect(delivers(scopeOf(await userId('district_cmd')), e)).toBe(false);
  });
});

describe('email', () => {
  it('is sent through SMTP to recipients who gave an address', async () => {
    const head = t.world.usernames.community_head;
    const bad = await as<{ error: { fields: { message: string }[] } }>(head, 'PUT', '/api/notifications/settings', { email: null, emailEnabled: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]!.message).toBe('开启邮件通知须填写邮箱');
    const ok = await as(head, 'PUT', '/api/notifications/settings', { email: 'head@community.test', emailEnabled: true });
    expect(ok.body).toEqual({ email: 'head@community.test', emailEnabled: true, smtpConfigured: true });
    const before = mails.length;
    await t.ctx.services.notifier.notify({ userIds: [await userId(head), await userId(t.world.usernames.grid_worker)], kind: 'whistle.overdue', title: '哨件超时', body: '请尽快处理', link: '/whistles/1', email: true });
    await t.ctx.services.notifier.flush();
    // Only the head asked for email; the grid worker gets the in-app row only.
    expect(mails.length).toBe(before + 1);
    const m = mails.at(-1)!;
    expect(m.to).toEqual(['head@community.test']);
    expect(m.raw).toContain('From: gridline@test.local');
    expect(m.raw).toMatch(/Subject: =\?UTF-8\?/);
  });
});

describe('outgoing webhooks', () => {
  it('are signed with HMAC-SHA256, retried with backoff through the job queue and every attempt recorded', async () => {
    const hook = await receiver([500]);
    const secret = 'a-very-secret-value-123';
    const cookie = await t.login(t.world.usernames.community_worker);
    const created = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: { cookie }, payload: { name: '区平台', url: hook.url, secret, kinds: ['inbox.new'] } });
    expect(created.statusCode).toBe(201);
    const sub = created.json<WebhookSubscription>();
    expect(sub).toMatchObject({ nodeCode: CODES.communityA, kinds: ['inbox.new'], active: true });
    expect(created.body).not.toContain(secret);

    // Another kind, and a node in the other jurisdiction: nothing is sent.
    await t.ctx.services.notifier.notify({ node: CODES.gridA, permission: 'inbox.read', kind: 'report.read', title: 'x', body: 'y' });
    await t.ctx.services.notifier.notify({ node: CODES.gridB, permission: 'inbox.read', kind: 'inbox.new', title: 'x', body: 'y' });
    await t.ctx.services.queue.idle();
    expect(hook.got).toHaveLength(0);

    const t0 = t.clock.now();
    await t.ctx.services.notifier.notify({ node: CODES.gridA, permission: 'inbox.read', kind: 'inbox.new', title: '网格A新诉求', body: '楼道漏水', link: '/inbox?id=1' });
    await t.ctx.services.queue.idle();
    expect(hook.got).toHaveLength(1);
    const first = hook.got[0]!;
    expect(first.headers['x-gridline-signature']).toBe(`sha256=${crypto.createHmac('sha256', secret).update(first.body).digest('hex')}`);
    expect(first.headers['x-gridline-event']).toBe('inbox.new');
    expect(JSON.parse(first.body)).toMatchObject({ kind: 'inbox.new', title: '网格A新诉求', body: '楼道漏水', link: '/inbox?id=1', node: CODES.gridA, at: t0 });

    let [d] = (await t.app.inject({ url: `/api/webhooks/${sub.id}/deliveries`, headers: { cookie } })).json<WebhookDelivery[]>();
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500', nextAttemptAt: t0 + 30_000 });
    // Not due yet: the sweep queues nothing.
    t.clock.advance(29_000);
    expect(await t.ctx.services.webhooks.sweep()).toBe(0);
    t.clock.advance(1_000);
    expect(await t.ctx.services.webhooks.sweep()).toBe(1);
    await t.ctx.services.queue.idle();
    [d] = (await t.app.inject({ url: `/api/webhooks/${sub.id}/deliveries`, headers: { cookie } })).json<WebhookDelivery[]>();
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200, lastError: null, nextAttemptAt: null, deliveredAt: t0 + 30_000 });
    expect(d!.log.map((a) => [a.attempt, a.statusCode])).toEqual([[1, 500], [2, 200]]);
    // The same delivery id both times, so a receiver can drop repeats.
    expect(hook.got[1]!.headers['x-gridline-delivery']).toBe(first.headers['x-gridline-delivery']);

    // Another jurisdiction's manager sees no subscription and cannot read its deliveries.
    const bCookie = await t.login('b_worker');
    expect((await t.app.inject({ url: '/api/webhooks', headers: { cookie: bCookie } })).json()).toEqual([]);
    expect((await t.app.inject({ url: `/api/webhooks/${sub.id}/deliveries`, headers: { cookie: bCookie } })).statusCode).toBe(404);
    await t.app.inject({ method: 'PATCH', url: `/api/webhooks/${sub.id}`, headers: { cookie }, payload: { active: false } });
    hook.server.close();
  });

  it('give up after WEBHOOK_MAX_ATTEMPTS, and pending retries survive a restart', async () => {
    const hook = await receiver([503, 503, 503]);
    const created = await t.ctx.services.notifications.createWebhook(sys, { name: '重启测试', url: hook.url, secret: 'another-secret-value', nodeCode: CODES.streetA });
    await t.ctx.services.notifier.notify({ node: CODES.communityA, kind: 'whistle.escalated', title: '升级', body: '超时' });
    await t.ctx.services.queue.idle();
    expect(hook.got).toHaveLength(1);

    // Restart: a new context and app on the same database; the pending retry is found by the sweep.
    const config = t.ctx.config;
    await t.app.close();
    const ctx2 = await openContext(config, { clock: t.clock });
    const app2 = await buildApp(ctx2, { logger: false });
    try {
      t.clock.advance(30_000);
      expect(await ctx2.services.webhooks.sweep()).toBe(1);
      await ctx2.services.queue.idle();
      t.clock.advance(120_000);
      expect(await ctx2.services.webhooks.sweep()).toBe(1);
      await ctx2.services.queue.idle();
      const [d] = await ctx2.services.webhooks.deliveries(created.id);
      expect(d).toMatchObject({ status: 'failed', attempts: 3, lastStatus: 503, nextAttemptAt: null });
      expect(hook.got).toHaveLength(3);
      // Nothing more is tried.
      t.clock.advance(3600_000);
      expect(await ctx2.services.webhooks.sweep()).toBe(0);
    } finally {
      await app2.close();
      await ctx2.close();
      hook.server.close();
      // The suite's own app is closed; later tests in this file use none.
      t.app = await buildApp(t.ctx, { logger: false });
    }
  });
});
