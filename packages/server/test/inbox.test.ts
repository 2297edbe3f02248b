/**
 * The one inbox: every channel (portal, 12345 file and push, chat robots, inbound SMTP), dedupe, keyword
 * classification with editable rules, routing into whistles (automatically or by a person), dismissal, and
 * scope: another jurisdiction gets nothing.
 */
import type { InboxItemDetail, InboxPage, InboxRule, IntakeResult } from '@gridline/shared';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmtpInbound } from '../src/modules/inbox/smtp-inbound.js';
import { Scope } from '../src/security/scope.js';
import { csv, multipart, xlsx } from './files.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const sys = Scope.system('test');
const HOUR = 3600_000;
let t: TestApp;
let hotlineToken = '';
let robotToken = '';

const call = async <T>(username: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
  const res = await t.app.inject({ method, url, headers: { cookie: await t.login(username) }, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json<T>() };
};
const worker = () => t.world.usernames.community_worker;
const robot = (messages: unknown[], token = robotToken) =>
  t.app.inject({ method: 'POST', url: '/api/inbox/robot', headers: { authorization: `Bearer ${token}` }, payload: { messages } });
const item = (id: string) => t.ctx.db.selectFrom('inbox_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestApp({ env: { SMTP_INBOUND_PORT: '0', SMTP_INBOUND_HOST: '127.0.0.1', SMTP_INBOUND_NODE: CODES.communityA, INBOX_ATTACHMENT_MAX_BYTES: '2048' } });
  await t.ctx.services.users.create(sys, { username: 'b_worker', displayName: '乙方社工', role: 'community_worker', nodeCode: CODES.communityB, password: TEST_PASSWORD });
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
  // The starting rule set, kept at the street (applies to both communities' items under street A only).
  expect(await t.ctx.services.inbox.inbox.seedDefaultRules(sys, CODES.streetA)).toBe(11);
  const h = await call<{ token: string }>(worker(), 'POST', '/api/inbox/tokens', { name: '12345平台', channel: 'hotline' });
  const r = await call<{ token: string }>(worker(), 'POST', '/api/inbox/tokens', { name: '社区居民群', channel: 'robot' });
  hotlineToken = h.body.token;
  robotToken = r.body.token;
});
afterAll(() => t.close());

describe('portal (我要反映)', () => {
  it('classifies by keyword rules and routes a high-confidence item as a whistle at once', async () => {
    const res = await call<{ id: string; status: string; whistleNo: string | null; category: string }>(t.world.usernames.resident, 'POST', '/api/me/requests', {
      category: 'other', text: '3号楼门口垃圾堆了三天没有清运，气味很大有异味',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'routed', category: 'sanitation' });
    expect(res.body.whistleNo).toMatch(/^CS\d{8}-\d{4}$/);
    const row = await item(res.body.id);
    expect(row).toMatchObject({ channel: 'portal', region_code: CODES.unitA, rule_name: '环境卫生', confidence: 'high', requested_category: 'other', handled_by: '自动派发', resident_id: t.world.residentsA[0]!.resident.id });
    expect(JSON.parse(row.matched)).toEqual(['垃圾', '异味', '清运']);
    // Sealed: the reporter's phone is ciphertext and a mask, never plain.
    expect(row.reporter_phone_enc).not.toContain(t.world.residentsA[0]!.phone);
    expect(row.reporter_phone_masked).toBe('139****1001');
    const whistle = await t.ctx.db.selectFrom('whistles').select(['no', 'category', 'source', 'region_code']).where('inbox_item_id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(whistle).toEqual({ no: res.body.whistleNo, category: 'sanitation', source: 'inbox', region_code: CODES.unitA });
    const mine = await call<{ id: string }[]>(t.world.usernames.resident, 'GET', '/api/me/requests');
    expect(mine.body.map((m) => m.id)).toEqual([res.body.id]);
  });

  it('keeps an unclassified item for a person, who classifies and routes it; another is dismissed', async () => {
    const res = await call<{ id: string; status: string }>(t.world.usernames.resident, 'POST', '/api/me/requests', { text: '想问一下社区周末是否办公，要开证明' });
    expect(res.body.status).toBe('new');
    const list = await call<InboxPage>(worker(), 'GET', '/api/inbox?status=new');
    expect(list.body.items.map((i) => i.id)).toContain(res.body.id);
    const shown = list.body.items.find((i) => i.id === res.body.id)!;
    expect(shown).toMatchObject({ channel: 'portal', category: null, confidence: 'none', reporterName: '张*', reporterPhone: '139****1001' });
    // Routing without a category is refused with a reason.
    const noCat = await call<{ error: { fields: { message: string }[] } }>(worker(), 'POST', `/api/inbox/${res.body.id}/route`, { version: 1 });
    expect(noCat.body.error.fields[0]!.message).toBe('请先选择分类再派发');
    const classified = await call<InboxItemDetail>(worker(), 'POST', `/api/inbox/${res.body.id}/classify`, { version: 1, category: 'welfare', urgency: 'daily' });
    expect(classified.body).toMatchObject({ category: 'welfare', ruleName: '人工分类', version: 2, status: 'new' });
    const routed = await call<InboxItemDetail>(worker(), 'POST', `/api/inbox/${res.body.id}/route`, { version: 2, title: '居民咨询开证明' });
    expect(routed.status).toBe(200);
    expect(routed.body).toMatchObject({ status: 'routed', handledBy: `测试community_worker` });
    const w = await t.ctx.db.selectFrom('whistles').select(['title', 'category']).where('inbox_item_id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(w).toEqual({ title: '居民咨询开证明', category: 'welfare' });
    // Stale versions and second routes are refused.
    expect((await call(worker(), 'POST', `/api/inbox/${res.body.id}/route`, { version: 2 })).status).toBe(409);

    const other = await call<{ id: string }>(t.world.usernames.resident, 'POST', '/api/me/requests', { text: '测试一下这个功能能不能用' });
    const dismissed = await call<InboxItemDetail>(worker(), 'POST', `/api/inbox/${other.body.id}/dismiss`, { version: 1, note: '测试消息，无需处理' });
    expect(dismissed.body).toMatchObject({ status: 'dismissed', note: '测试消息，无需处理' });
  });
});

describe('chat robots', () => {
  it('accept documented shapes item by item and refuse unknown ones with a reason, keeping the rest', async () => {
    const res = await robot([
      { msgtype: 'text', text: { content: '5号楼楼道灯坏了好几天，晚上看不见路灯' }, msgid: 'w-1', from: { name: '王五', mobile: '13700001111' } },
      { foo: 'bar', baz: 1 },
      { msgtype: 'image', image: { media_id: 'x' } },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json<IntakeResult>();
    expect(body).toMatchObject({ accepted: 1, rejected: 2, duplicates: 0 });
    expect(body.items.map((i) => [i.index, i.status, i.reason ?? null])).toEqual([
      [0, 'accepted', null],
      [1, 'rejected', '无法识别的消息格式（字段：foo, baz）；支持企业微信、钉钉、飞书文本消息和 { text } 格式'],
      [2, 'rejected', '仅支持文本消息，收到的消息类型为「image」'],
    ]);
    const row = await item(body.items[0]!.itemId!);
    expect(row).toMatchObject({ channel: 'robot', external_id: 'wecom:w-1', region_code: CODES.communityA, category: 'traffic', status: 'new', reporter_phone_masked: '137****1111' });
  });

  it('refuse a missing, unknown or wrong-channel token', async () => {
    expect((await robot([{ text: '你好' }], '')).statusCode).toBe(401);
    expect((await robot([{ text: '你好' }], 'gli_nonsense')).statusCode).toBe(401);
    const wrong = await robot([{ text: '你好' }], hotlineToken);
    expect(wrong.statusCode).toBe(403);
  });
});

describe('dedupe', () => {
  it('links the same text from the same phone within 24 hours to the first; same channel and id is the same item', async () => {
    const at = t.clock.now();
    const first = (await robot([{ id: 'p-1', text: '12栋 停水了，什么时候来水？', phone: '13600002222', at }])).json<IntakeResult>();
    const again = (await robot([{ id: 'p-1', text: '12栋 停水了，什么时候来水？', phone: '13600002222', at }])).json<IntakeResult>();
    expect(again.items[0]).toMatchObject({ status: 'duplicate', itemId: first.items[0]!.itemId });
    expect(await t.ctx.db.selectFrom('inbox_items').select('id').where('external_id', '=', 'plain:p-1').execute()).toHaveLength(1);

    const sameText = (await robot([{ id: 'p-2', text: '12栋停水了！什么时候来水', phone: '136 0000 2222', at: at + 23 * HOUR }])).json<IntakeResult>();
    expect(sameText.items[0]!.status).toBe('accepted');
    expect(await item(sameText.items[0]!.itemId!)).toMatchObject({ status: 'duplicate', duplicate_of: first.items[0]!.itemId });
    // Not duplicates (and so routed like any new item: 停水 is a rule that routes by itself).
    const otherPhone = (await robot([{ id: 'p-3', text: '12栋停水了，什么时候来水？', phone: '13600003333', at: at + HOUR }])).json<IntakeResult>();
    expect(await item(otherPhone.items[0]!.itemId!)).toMatchObject({ status: 'routed', duplicate_of: null });
    const later = (await robot([{ id: 'p-4', text: '12栋停水了，什么时候来水？', phone: '13600002222', at: at + 25 * HOUR }])).json<IntakeResult>();
    expect(await item(later.items[0]!.itemId!)).toMatchObject({ status: 'routed', duplicate_of: null });
    const detail = await call<InboxItemDetail>(worker(), 'GET', `/api/inbox/${first.items[0]!.itemId}`);
    expect(detail.body.duplicates.map((d) => d.id)).toEqual([sameText.items[0]!.itemId]);
  });
});

describe('12345 hotline', () => {
  const header = ['工单编号', '受理时间', '诉求人', '联系电话', '地址', '诉求内容', '诉求类型', '办理时限'];
  it('imports a CSV, reporting every bad row with its row number and field in Chinese and keeping the good ones', async () => {
    const file = csv([
      header,
      ['GD001', '2026-11-29 08:10', '刘一', '13500001111', '朝阳区某小区3号楼', '小区门口有人打架，请派人处理', '投诉', '2026-11-29 20:00'],
      ['GD002', '昨天下午', '陈二', '12', '', '反映噪音扰民', '投诉', ''],
      ['', '2026-11-29 09:00', '', '', '', '', '咨询', ''],
      ['GD004', '2026/11/29 9:30', '周三', '010-65001234', '', '燃气管道漏气，楼道里都是煤气味', '求助', ''],
    ]);
    const body = multipart('12345工单.csv', Buffer.from(file, 'utf8'));
    const res = await t.app.inject({ method: 'POST', url: '/api/inbox/hotline/import', payload: body.payload, headers: { ...body.headers, cookie: await t.login(worker()) } });
    expect(res.statusCode).toBe(200);
    const r = res.json<IntakeResult>();
    expect(r).toMatchObject({ accepted: 2, rejected: 2, duplicates: 0 });
    expect(r.errors).toEqual([
      { row: 3, field: 'receivedAt', message: '第 3 行「受理时间」无法识别的时间：昨天下午（应为 2026-11-29 09:30）' },
      { row: 3, field: 'phone', message: '第 3 行「联系电话」号码不正确：12' },
      { row: 4, field: 'ticketNo', message: '第 4 行「工单编号」不能为空' },
      { row: 4, field: 'content', message: '第 4 行「诉求内容」不能为空' },
    ]);
    const gd1 = await t.ctx.db.selectFrom('inbox_items').selectAll().where('external_id', '=', 'GD001').executeTakeFirstOrThrow();
    expect(gd1).toMatchObject({ channel: 'hotline', received_at: Date.UTC(2026, 10, 29, 0, 10), deadline_at: Date.UTC(2026, 10, 29, 12, 0), category: 'public_order', status: 'new', reporter_name_masked: '刘*' });
    const gd4 = await t.ctx.db.selectFrom('inbox_items').selectAll().where('external_id', '=', 'GD004').executeTakeFirstOrThrow();
    // "燃气" → utilities, a rule that routes automatically.
    expect(gd4).toMatchObject({ category: 'utilities', status: 'routed', reporter_phone_masked: expect.stringMatching(/\*{4}/) as unknown });
    // Importing the same file again: both tickets are duplicates of themselves.
    const again = await t.app.inject({ method: 'POST', url: '/api/inbox/hotline/import', payload: body.payload, headers: { ...body.headers, cookie: await t.login(worker()) } });
    expect(again.json<IntakeResult>()).toMatchObject({ accepted: 0, duplicates: 2, rejected: 2 });
  });

  it('imports an XLSX with real date-time cells', async () => {
    const wall = (iso: string) => new Date(`${iso}Z`);
    const file = await xlsx([header, ['GD101', wall('2026-11-29T10:15:00'), '赵六', '13800005555', '', '楼顶漏水严重', '求助', wall('2026-11-30T10:15:00')]]);
    const body = multipart('工单.xlsx', file);
    const res = await t.app.inject({ method: 'POST', url: '/api/inbox/hotline/import', payload: body.payload, headers: { ...body.headers, cookie: await t.login(worker()) } });
    expect(res.json<IntakeResult>()).toMatchObject({ accepted: 1, rejected: 0, errors: [] });
    const row = await t.ctx.db.selectFrom('inbox_items').selectAll().where('external_id', '=', 'GD101').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ received_at: Date.UTC(2026, 10, 29, 2, 15), deadline_at: Date.UTC(2026, 10, 30, 2, 15) });
  });

  it('takes pushed tickets one by one with the token', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/inbox/hotline/tickets', headers: { authorization: `Bearer ${hotlineToken}` },
      payload: { tickets: [{ ticketNo: 'API-1', receivedAt: '2026-11-29 11:00', content: '独居老人家中断粮，需要帮助', phone: '13900009999', urgency: '紧急' }, { ticketNo: 'API-2', content: '缺时间' }] },
    });
    const r = res.json<IntakeResult>();
    expect(r.items.map((i) => i.status)).toEqual(['accepted', 'rejected']);
    expect(r.items[1]!.reason).toBe('第 2 条「受理时间」不能为空');
    expect(await t.ctx.db.selectFrom('inbox_items').select(['urgency', 'category']).where('external_id', '=', 'API-1').executeTakeFirstOrThrow()).toEqual({ urgency: 'tough', category: 'supplies' });
  });
});

describe('email (SMTP inbound)', () => {
  it('stores the sender and subject, refuses an oversized attachment with a reason and keeps the message', async () => {
    const inbound = (t.app as unknown as { smtpInbound: SmtpInbound }).smtpInbound;
    expect(inbound.port).toBeGreaterThan(0);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true });
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const info = await transport.sendMail({
      from: '"居民李四" <lisi@example.com>', to: 'inbox@gridline.local', subject: '小区污水外溢', text: '7号楼化粪池污水外溢，气味很大，请尽快处理。',
      attachments: [{ filename: '现场.png', content: png, contentType: 'image/png' }, { filename: '视频.mp4', content: Buffer.alloc(5000, 1), contentType: 'video/mp4' }],
    });
    expect(info.accepted).toEqual(['inbox@gridline.local']);
    const row = await t.ctx.db.selectFrom('inbox_items').selectAll().where('channel', '=', 'email').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ subject: '小区污水外溢', text: '7号楼化粪池污水外溢，气味很大，请尽快处理。', region_code: CODES.communityA, category: 'sanitation', reporter_name_masked: '居***' });
    const meta = JSON.parse(row.meta) as { from: string; attachments: { name: string; size: number; refused?: string }[] };
    expect(meta.from).toBe('lisi@example.com');
    expect(meta.attachments).toEqual([
      { name: '现场.png', size: png.length, contentType: 'image/png' },
      { name: '视频.mp4', size: 5000, contentType: 'video/mp4', refused: '附件「视频.mp4」大小 0.0 MB，超过 0.0 MB 上限，已拒收' },
    ]);
    expect(row.photo).toBe(`data:image/png;base64,${png.toString('base64')}`);
    // The same Message-ID again is the same item.
    await transport.sendMail({ from: 'lisi@example.com', to: 'inbox@gridline.local', subject: '小区污水外溢', text: '再发一次', messageId: '<m-1@example.com>' });
    await transport.sendMail({ from: 'lisi@example.com', to: 'inbox@gridline.local', subject: '小区污水外溢', text: '再发一次', messageId: '<m-1@example.com>' });
    expect(await t.ctx.db.selectFrom('inbox_items').select('id').where('external_id', '=', '<m-1@example.com>').execute()).toHaveLength(1);
  });
});

describe('keyword rules', () => {
  it('are edited and tested through the API, and apply to new items at once', async () => {
    const created = await call<InboxRule>(worker(), 'POST', '/api/inbox/rules', { name: '电梯', category: 'housing', urgency: 'emergency', keywords: ['电梯', '困人', ' 电梯 '], autoRoute: false, priority: 5 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ nodeCode: CODES.communityA, keywords: ['电梯', '困人'], minHits: 1, active: true });
    const tested = await call<{ category: string; urgency: string; matched: string[]; confidence: string }>(worker(), 'POST', '/api/inbox/rules/test', { text: '2号楼电梯困人了！' });
    expect(tested.body).toMatchObject({ category: 'housing', urgency: 'emergency', matched: ['电梯', '困人'], confidence: 'high' });
    const off = await call<InboxRule>(worker(), 'PATCH', `/api/inbox/rules/${created.body.id}`, { version: 1, active: false });
    expect(off.body).toMatchObject({ active: false, version: 2 });
    // Disabled: the street's "电梯故障" needs the whole phrase, so nothing matches any more.
    expect((await call<{ category: string | null }>(worker(), 'POST', '/api/inbox/rules/test', { text: '2号楼电梯困人了！' })).body.category).toBeNull();
    expect((await call<{ category: string | null }>(worker(), 'POST', '/api/inbox/rules/test', { text: '2号楼电梯故障' })).body.category).toBe('housing');
    // The street's rules are shown to the community (they apply to its items) but it cannot change them.
    const rules = await call<InboxRule[]>(worker(), 'GET', '/api/inbox/rules');
    const streetRule = rules.body.find((r) => r.nodeCode === CODES.streetA)!;
    expect((await call(worker(), 'PATCH', `/api/inbox/rules/${streetRule.id}`, { version: 1, active: false })).status).toBe(404);
  });
});

describe('scope', () => {
  it('gives another jurisdiction nothing', async () => {
    const b = 'b_worker';
    const list = await call<InboxPage>(b, 'GET', '/api/inbox?pageSize=200');
    expect(list.body).toMatchObject({ total: 0, items: [], counts: { new: 0, routed: 0, duplicate: 0, dismissed: 0 } });
    const any = await t.ctx.db.selectFrom('inbox_items').select('id').executeTakeFirstOrThrow();
    expect((await call(b, 'GET', `/api/inbox/${any.id}`)).status).toBe(404);
    expect((await call(b, 'POST', `/api/inbox/${any.id}/dismiss`, { version: 1, note: '越权驳回' })).status).toBe(404);
    expect((await call<unknown[]>(b, 'GET', '/api/inbox/rules')).body).toEqual([]);
    expect((await call<unknown[]>(b, 'GET', '/api/inbox/tokens')).body).toEqual([]);
    expect((await call(b, 'GET', `/api/inbox?node=${CODES.communityA}`)).status).toBe(403);
  });
});
