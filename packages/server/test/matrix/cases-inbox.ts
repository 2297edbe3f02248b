import { expect } from 'vitest';
import type { IncomingItem } from '../../src/modules/inbox/inbox.service.js';
import { Scope } from '../../src/security/scope.js';
import { csv, multipart } from '../files.js';
import { CODES } from '../harness.js';
import { items, missingId, notFound, outOfScope, sys, type Fixture, type OtherProbe, type RouteCase } from './fixture.js';

/** Matrix rows for notifications, webhooks, the inbox and direct reports (issue #8, part 2). */

const robotItem = (node: string, text: string): IncomingItem => ({ channel: 'robot', externalId: null, receivedAt: Date.UTC(2026, 10, 29, 1), node, reporterName: null, reporterPhone: null, address: null, text });

/** A fresh inbox item on one side (each call makes a new one: classify/route/dismiss change its version). */
async function inboxItem(f: Fixture, side: 'A' | 'B', text = side === 'A' ? '甲方居民反映路灯不亮' : '乙方居民反映路灯不亮'): Promise<string> {
  const r = await f.t.ctx.services.inbox.inbox.intake(sys, [robotItem(side === 'A' ? CODES.gridA : CODES.gridB, `${text}（${f.next()}）`)]);
  return r.items[0]!.itemId!;
}
async function rule(f: Fixture, side: 'A' | 'B'): Promise<string> {
  const r = await f.t.ctx.services.inbox.inbox.createRule(sys, { name: `规则${f.next()}`, category: 'traffic', keywords: ['路灯'], nodeCode: side === 'A' ? CODES.communityA : CODES.communityB });
  return r.id;
}
async function token(f: Fixture, side: 'A' | 'B', channel: 'hotline' | 'robot'): Promise<{ id: string; token: string }> {
  const key = `inbox-token-${side}-${channel}`;
  const cached = f.stash.get(key);
  if (cached) return JSON.parse(cached) as { id: string; token: string };
  const r = await f.t.ctx.services.inbox.intake.createToken(sys, { name: `令牌${side}${channel}`, channel, nodeCode: side === 'A' ? CODES.communityA : CODES.communityB });
  const out = { id: r.id, token: r.token };
  f.stash.set(key, JSON.stringify(out));
  return out;
}
async function webhook(f: Fixture, side: 'A' | 'B'): Promise<string> {
  const r = await f.t.ctx.services.notifications.createWebhook(sys, { name: `订阅${f.next()}`, url: 'http://127.0.0.1:9/hook', secret: 'matrix-secret-value-1', nodeCode: side === 'A' ? CODES.communityA : CODES.communityB });
  return r.id;
}
/** A direct report sent from a grid of one side (by a stand-in user of that side). */
async function report(f: Fixture, side: 'A' | 'B'): Promise<string> {
  const actor = { ...sys.actor, kind: 'user' as const, role: 'grid_worker' as const, node: side === 'A' ? CODES.gridA : CODES.gridB, userId: side === 'A' ? f.aTargetId : f.bTargetId, displayName: `${side}方网格员` };
  const r = await f.t.ctx.services.reports.send(new Scope(actor), { title: `${side}方直报${f.next()}`, body: '情况说明：网格内发现发热人员。' });
  return r.id;
}
const noneOf = (ids: string[]) => (body: unknown) => {
  const text = JSON.stringify(body);
  for (const id of ids) expect(text).not.toContain(id);
};
const byId = (probeFor: (id: string) => { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: Record<string, unknown> }, bId: (f: Fixture) => Promise<string>) =>
  async (f: Fixture): Promise<OtherProbe[]> => [{ label: 'side-B record', probe: probeFor(await bId(f)), expect: notFound(probeFor(missingId())) }];

export const INBOX_CASES: RouteCase[] = [
  // ---- my notifications (every signed-in user, only their own) ----
  {
    method: 'GET', route: '/api/notifications', access: 'authenticated',
    own: async () => ({ method: 'GET', url: '/api/notifications' }),
    ownCheck: (body) => expect(body).toMatchObject({ page: 1 }),
  },
  {
    method: 'GET', route: '/api/notifications/unread', access: 'authenticated',
    own: async () => ({ method: 'GET', url: '/api/notifications/unread' }),
    ownCheck: (body) => expect(body).toEqual({ unread: expect.any(Number) as unknown }),
  },
  {
    method: 'POST', route: '/api/notifications/read', access: 'authenticated',
    own: async () => ({ method: 'POST', url: '/api/notifications/read', payload: { all: true } }),
    ownCheck: (body) => expect(body).toMatchObject({ unread: 0 }),
    other: async (f) => {
      // Someone else's notification: not marked, and its count unchanged.
      await f.t.ctx.services.notifier.notify({ userIds: [f.bTargetId], kind: 'matrix', title: '乙方通知', body: 'x' });
      const row = await f.t.ctx.db.selectFrom('notifications').select('id').where('user_id', '=', f.bTargetId).executeTakeFirstOrThrow();
      return [{ label: "another user's notification", probe: { method: 'POST', url: '/api/notifications/read', payload: { ids: [row.id] } }, expect: { list: (b) => expect(b).toMatchObject({ marked: 0 }) } }];
    },
  },
  {
    method: 'GET', route: '/api/notifications/settings', access: 'authenticated',
    own: async () => ({ method: 'GET', url: '/api/notifications/settings' }),
    ownCheck: (body) => expect(body).toMatchObject({ smtpConfigured: false }),
  },
  {
    method: 'PUT', route: '/api/notifications/settings', access: 'authenticated',
    own: async () => ({ method: 'PUT', url: '/api/notifications/settings', payload: { email: 'me@example.com', emailEnabled: true } }),
    ownCheck: (body) => expect(body).toEqual({ email: 'me@example.com', emailEnabled: true, smtpConfigured: false }),
  },

  // ---- webhooks (inbox.manage) ----
  {
    method: 'GET', route: '/api/webhooks', access: 'inbox.manage',
    own: async (f) => (await webhook(f, 'A'), { method: 'GET', url: '/api/webhooks' }),
    other: async (f) => [{ label: 'whole list', probe: { method: 'GET', url: '/api/webhooks' }, expect: { list: noneOf([await webhook(f, 'B')]) } }],
  },
  {
    method: 'POST', route: '/api/webhooks', access: 'inbox.manage', okStatus: 201,
    own: async () => ({ method: 'POST', url: '/api/webhooks', payload: { name: '甲方订阅', url: 'http://127.0.0.1:9/a', secret: 'matrix-secret-value-2' } }),
    other: async () => [{ label: 'side-B node', probe: { method: 'POST', url: '/api/webhooks', payload: { name: '越权订阅', url: 'http://127.0.0.1:9/b', secret: 'matrix-secret-value-3', nodeCode: CODES.communityB } }, expect: outOfScope }],
  },
  {
    method: 'PATCH', route: '/api/webhooks/:id', access: 'inbox.manage',
    own: async (f) => ({ method: 'PATCH', url: `/api/webhooks/${await webhook(f, 'A')}`, payload: { active: false } }),
    ownCheck: (body) => expect(body).toMatchObject({ active: false }),
    other: byId((id) => ({ method: 'PATCH', url: `/api/webhooks/${id}`, payload: { active: false } }), (f) => webhook(f, 'B')),
  },
  {
    method: 'DELETE', route: '/api/webhooks/:id', access: 'inbox.manage',
    own: async (f) => ({ method: 'DELETE', url: `/api/webhooks/${await webhook(f, 'A')}` }),
    other: byId((id) => ({ method: 'DELETE', url: `/api/webhooks/${id}` }), (f) => webhook(f, 'B')),
  },
  {
    method: 'GET', route: '/api/webhooks/:id/deliveries', access: 'inbox.manage',
    own: async (f) => ({ method: 'GET', url: `/api/webhooks/${await webhook(f, 'A')}/deliveries` }),
    ownCheck: (body) => expect(body).toEqual([]),
    other: byId((id) => ({ method: 'GET', url: `/api/webhooks/${id}/deliveries` }), (f) => webhook(f, 'B')),
  },

  // ---- the inbox (inbox.read / inbox.manage) ----
  {
    method: 'GET', route: '/api/inbox', access: 'inbox.read',
    own: async (f) => (await inboxItem(f, 'A'), { method: 'GET', url: '/api/inbox?pageSize=200' }),
    ownCheck: (body) => expect(items(body).length).toBeGreaterThan(0),
    other: async (f) => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/inbox?pageSize=200' }, expect: { list: noneOf([await inboxItem(f, 'B')]) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/inbox?node=${CODES.communityB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/inbox/:id', access: 'inbox.read',
    own: async (f) => ({ method: 'GET', url: `/api/inbox/${await inboxItem(f, 'A')}` }),
    ownCheck: (body) => expect(body).toMatchObject({ channel: 'robot', status: 'new' }),
    other: byId((id) => ({ method: 'GET', url: `/api/inbox/${id}` }), (f) => inboxItem(f, 'B')),
  },
  {
    method: 'POST', route: '/api/inbox/:id/classify', access: 'inbox.manage',
    own: async (f) => ({ method: 'POST', url: `/api/inbox/${await inboxItem(f, 'A')}/classify`, payload: { version: 1, category: 'traffic' } }),
    ownCheck: (body) => expect(body).toMatchObject({ category: 'traffic', version: 2 }),
    other: byId((id) => ({ method: 'POST', url: `/api/inbox/${id}/classify`, payload: { version: 1, category: 'traffic' } }), (f) => inboxItem(f, 'B')),
  },
  {
    method: 'POST', route: '/api/inbox/:id/route', access: 'inbox.manage',
    own: async (f) => ({ method: 'POST', url: `/api/inbox/${await inboxItem(f, 'A')}/route`, payload: { version: 1, category: 'traffic' } }),
    ownCheck: (body) => expect(body).toMatchObject({ status: 'routed', whistleNo: expect.stringMatching(/^CS/) as unknown }),
    other: byId((id) => ({ method: 'POST', url: `/api/inbox/${id}/route`, payload: { version: 1, category: 'traffic' } }), (f) => inboxItem(f, 'B')),
  },
  {
    method: 'POST', route: '/api/inbox/:id/dismiss', access: 'inbox.manage',
    own: async (f) => ({ method: 'POST', url: `/api/inbox/${await inboxItem(f, 'A')}/dismiss`, payload: { version: 1, note: '无需处理' } }),
    ownCheck: (body) => expect(body).toMatchObject({ status: 'dismissed' }),
    other: byId((id) => ({ method: 'POST', url: `/api/inbox/${id}/dismiss`, payload: { version: 1, note: '无需处理' } }), (f) => inboxItem(f, 'B')),
  },
  {
    method: 'GET', route: '/api/inbox/rules', access: 'inbox.read',
    own: async (f) => (await rule(f, 'A'), { method: 'GET', url: '/api/inbox/rules' }),
    other: async (f) => [{ label: 'whole list', probe: { method: 'GET', url: '/api/inbox/rules' }, expect: { list: noneOf([await rule(f, 'B')]) } }],
  },
  {
    method: 'POST', route: '/api/inbox/rules', access: 'inbox.manage', okStatus: 201,
    own: async () => ({ method: 'POST', url: '/api/inbox/rules', payload: { name: '甲方规则', category: 'traffic', keywords: ['井盖'] } }),
    other: async () => [{ label: 'side-B node', probe: { method: 'POST', url: '/api/inbox/rules', payload: { name: '越权规则', category: 'traffic', keywords: ['井盖'], nodeCode: CODES.communityB } }, expect: outOfScope }],
  },
  {
    method: 'POST', route: '/api/inbox/rules/test', access: 'inbox.read',
    own: async (f) => (await rule(f, 'A'), { method: 'POST', url: '/api/inbox/rules/test', payload: { text: '路灯坏了', node: CODES.communityA } }),
    ownCheck: (body) => expect(body).toMatchObject({ category: 'traffic' }),
    other: async () => [{ label: 'side-B node', probe: { method: 'POST', url: '/api/inbox/rules/test', payload: { text: '路灯坏了', node: CODES.communityB } }, expect: outOfScope }],
  },
  {
    method: 'PATCH', route: '/api/inbox/rules/:id', access: 'inbox.manage',
    own: async (f) => ({ method: 'PATCH', url: `/api/inbox/rules/${await rule(f, 'A')}`, payload: { version: 1, active: false } }),
    ownCheck: (body) => expect(body).toMatchObject({ active: false, version: 2 }),
    other: byId((id) => ({ method: 'PATCH', url: `/api/inbox/rules/${id}`, payload: { version: 1, active: false } }), (f) => rule(f, 'B')),
  },
  {
    method: 'DELETE', route: '/api/inbox/rules/:id', access: 'inbox.manage',
    own: async (f) => ({ method: 'DELETE', url: `/api/inbox/rules/${await rule(f, 'A')}` }),
    other: byId((id) => ({ method: 'DELETE', url: `/api/inbox/rules/${id}` }), (f) => rule(f, 'B')),
  },
  {
    method: 'GET', route: '/api/inbox/tokens', access: 'inbox.manage',
    own: async (f) => (await token(f, 'A', 'robot'), { method: 'GET', url: '/api/inbox/tokens' }),
    ownCheck: (body) => expect(JSON.stringify(body)).not.toContain('gli_'),
    other: async (f) => [{ label: 'whole list', probe: { method: 'GET', url: '/api/inbox/tokens' }, expect: { list: noneOf([(await token(f, 'B', 'robot')).id]) } }],
  },
  {
    method: 'POST', route: '/api/inbox/tokens', access: 'inbox.manage', okStatus: 201,
    own: async () => ({ method: 'POST', url: '/api/inbox/tokens', payload: { name: '甲方12345', channel: 'hotline' } }),
    ownCheck: (body) => expect(body).toMatchObject({ channel: 'hotline', token: expect.stringMatching(/^gli_/) as unknown }),
    other: async () => [{ label: 'side-B node', probe: { method: 'POST', url: '/api/inbox/tokens', payload: { name: '越权令牌', channel: 'hotline', nodeCode: CODES.communityB } }, expect: outOfScope }],
  },
  {
    method: 'POST', route: '/api/inbox/tokens/:id/disable', access: 'inbox.manage',
    own: async (f) => {
      const r = await f.t.ctx.services.inbox.intake.createToken(sys, { name: `停用${f.next()}`, channel: 'robot', nodeCode: CODES.communityA });
      return { method: 'POST', url: `/api/inbox/tokens/${r.id}/disable` };
    },
    ownCheck: (body) => expect(body).toMatchObject({ active: false }),
    other: byId((id) => ({ method: 'POST', url: `/api/inbox/tokens/${id}/disable` }), async (f) => (await token(f, 'B', 'hotline')).id),
  },
  {
    method: 'POST', route: '/api/inbox/hotline/import', access: 'inbox.manage',
    own: async (f) => {
      const n = f.next();
      const body = multipart('工单.csv', Buffer.from(csv([['工单编号', '受理时间', '诉求内容'], [`M${n}`, '2026-11-29 09:00', '路面坑洼需要修补'], ['', '', '缺编号']]), 'utf8'));
      return { method: 'POST', url: '/api/inbox/hotline/import', payload: body.payload, headers: body.headers };
    },
    ownCheck: (body) => expect(body).toMatchObject({ accepted: 1, rejected: 1 }),
    other: async () => {
      const body = multipart('工单.csv', Buffer.from(csv([['工单编号', '受理时间', '诉求内容'], ['MB1', '2026-11-29 09:00', '越权导入']]), 'utf8'));
      return [{ label: 'side-B node', probe: { method: 'POST', url: `/api/inbox/hotline/import?node=${CODES.communityB}`, payload: body.payload, headers: body.headers }, expect: outOfScope }];
    },
  },
  {
    // Public: the 12345 system's bearer token is its credential; items land at the token's node.
    method: 'POST', route: '/api/inbox/hotline/tickets', access: 'public',
    own: async (f) => ({
      method: 'POST', url: '/api/inbox/hotline/tickets', headers: { authorization: `Bearer ${(await token(f, 'A', 'hotline')).token}` },
      payload: { tickets: [{ ticketNo: `T${f.next()}`, receivedAt: '2026-11-29 10:00', content: '小区井盖缺失' }] },
    }),
    ownCheck: (body) => expect(body).toMatchObject({ accepted: 1 }),
  },
  {
    method: 'POST', route: '/api/inbox/robot', access: 'public',
    own: async (f) => ({ method: 'POST', url: '/api/inbox/robot', headers: { authorization: `Bearer ${(await token(f, 'A', 'robot')).token}` }, payload: { messages: [{ text: '楼下路灯不亮' }, { unknown: true }] } }),
    ownCheck: (body) => expect(body).toMatchObject({ accepted: 1, rejected: 1 }),
  },
  {
    method: 'GET', route: '/api/me/requests', access: 'self.read',
    own: async () => ({ method: 'GET', url: '/api/me/requests' }),
    ownCheck: (body) => expect(Array.isArray(body)).toBe(true),
  },
  {
    method: 'POST', route: '/api/me/requests', access: 'self.write', okStatus: 201,
    own: async () => ({ method: 'POST', url: '/api/me/requests', payload: { text: '楼道里的路灯坏了，晚上很黑' } }),
    ownCheck: (body) => expect(body).toMatchObject({ status: 'new' }),
  },

  // ---- direct reports ----
  {
    method: 'POST', route: '/api/reports', access: 'report.send', okStatus: 201,
    own: async () => ({ method: 'POST', url: '/api/reports', payload: { title: '甲方直报', body: '情况说明：一切正常。' } }),
    ownCheck: (body) => expect(body).toMatchObject({ title: '甲方直报', readAt: null }),
  },
  {
    method: 'GET', route: '/api/reports/sent', access: 'report.send',
    own: async () => ({ method: 'GET', url: '/api/reports/sent' }),
    other: async (f) => [{ label: 'whole list', probe: { method: 'GET', url: '/api/reports/sent' }, expect: { list: noneOf([await report(f, 'B')]) } }],
  },
  {
    method: 'GET', route: '/api/reports/received', access: 'report.read',
    own: async (f) => (await report(f, 'A'), { method: 'GET', url: '/api/reports/received' }),
    ownCheck: (body) => expect(items(body).length).toBeGreaterThan(0),
    other: async (f) => [{ label: 'whole list', probe: { method: 'GET', url: '/api/reports/received' }, expect: { list: noneOf([await report(f, 'B')]) } }],
  },
  {
    method: 'GET', route: '/api/reports/:id', access: 'report.send',
    own: async (f) => {
      const res = await f.t.app.inject({ method: 'POST', url: '/api/reports', headers: { cookie: f.cookie }, payload: { title: '我的直报', body: '情况说明：需要支援。' } });
      return { method: 'GET', url: `/api/reports/${res.json<{ id: string }>().id}` };
    },
    ownCheck: (body) => expect(body).toMatchObject({ title: '我的直报' }),
    other: byId((id) => ({ method: 'GET', url: `/api/reports/${id}` }), (f) => report(f, 'B')),
  },
  {
    method: 'POST', route: '/api/reports/:id/read', access: 'report.read',
    own: async (f) => ({ method: 'POST', url: `/api/reports/${await report(f, 'A')}/read` }),
    ownCheck: (body) => expect(body).toMatchObject({ readBy: expect.any(String) as unknown }),
    other: byId((id) => ({ method: 'POST', url: `/api/reports/${id}/read` }), (f) => report(f, 'B')),
  },
];
