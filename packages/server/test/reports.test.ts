/**
 * 直报: a report goes straight to the district command, stored exactly as written with its sha256; the sender
 * sees delivery and the read receipt (when, by whom); nobody in between sees, edits or holds it.
 */
import crypto from 'node:crypto';
import type { DirectReport, ReportPage } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const sys = Scope.system('test');
let t: TestApp;
const call = async <T>(username: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) => {
  const res = await t.app.inject({ method, url, headers: { cookie: await t.login(username) }, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.json<T>() };
};

beforeAll(async () => {
  t = await createTestApp();
  for (const [username, displayName, role, nodeCode] of [['district_cmd', '区指挥部值班员', 'command', CODES.district], ['b_grid', '乙方网格员', 'grid_worker', CODES.gridB]] as const) {
    await t.ctx.services.users.create(sys, { username, displayName, role, nodeCode, password: TEST_PASSWORD });
  }
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
});
afterAll(() => t.close());

describe('direct reports', () => {
  const title = '网格A发现聚集性发热';
  // Deliberately untidy: stored and hashed exactly as written (spaces, blank lines, full-width punctuation).
  const body = '  3号楼本周有 4 户出现发热，\n\n已上报社区但未见处置。 ';

  it('are delivered exactly as written to the district command, with a receipt for the sender', async () => {
    const grid = t.world.usernames.grid_worker;
    const sent = await call<DirectReport>(grid, 'POST', '/api/reports', { title, body });
    expect(sent.status).toBe(201);
    const hash = crypto.createHash('sha256').update(`${title}\n${body}`, 'utf8').digest('hex');
    expect(sent.body).toMatchObject({ title, body, contentHash: hash, targetNode: CODES.district, targetName: '朝阳区', sentAt: t.clock.now(), deliveredAt: t.clock.now(), readAt: null, readBy: null });
    expect(sent.body.sender).toMatchObject({ name: '测试grid_worker', role: 'grid_worker', nodeCode: CODES.gridA, nodeName: '网格A' });

    // Those in between (the street command, the community) do not receive it.
    const street = await call<ReportPage>(t.world.usernames.command, 'GET', '/api/reports/received');
    expect(street.body).toMatchObject({ total: 0, items: [] });
    expect((await call(t.world.usernames.command, 'GET', `/api/reports/${sent.body.id}`)).status).toBe(404);
    expect((await call(t.world.usernames.community_head, 'GET', `/api/reports/${sent.body.id}`)).status).toBe(404);
    // There is no way to change it.
    expect((await call(t.world.usernames.command, 'PATCH', `/api/reports/${sent.body.id}`, { body: '改过的' })).status).toBe(404);

    const district = await call<ReportPage>('district_cmd', 'GET', '/api/reports/received');
    expect(district.body).toMatchObject({ total: 1, unread: 1 });
    expect(district.body.items[0]).toMatchObject({ id: sent.body.id, body, contentHash: hash });
    const note = await t.ctx.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').select(['u.username', 'n.kind', 'n.link']).where('n.kind', '=', 'report.received').execute();
    expect(note).toEqual([{ username: 'district_cmd', kind: 'report.received', link: `/reports?id=${sent.body.id}` }]);

    t.clock.advance(600_000);
    const read = await call<DirectReport>('district_cmd', 'POST', `/api/reports/${sent.body.id}/read`);
    expect(read.body).toMatchObject({ readAt: t.clock.now(), readBy: '区指挥部值班员' });
    // A second read keeps the first receipt.
    t.clock.advance(60_000);
    expect((await call<DirectReport>('district_cmd', 'POST', `/api/reports/${sent.body.id}/read`)).body.readAt).toBe(read.body.readAt);

    const mine = await call<ReportPage>(grid, 'GET', '/api/reports/sent');
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ readAt: read.body.readAt, readBy: '区指挥部值班员', contentHash: hash });
    const told = await t.ctx.db.selectFrom('notifications').select(['title']).where('kind', '=', 'report.read').execute();
    expect(told).toEqual([{ title: `直报已阅：${title}` }]);

    // Audited with the hash, not the text.
    const audit = await t.ctx.db.selectFrom('audit_events').select(['action', 'diff']).where('entity_id', '=', sent.body.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['report.send', 'report.read']);
    expect(audit[0]!.diff).toContain(hash);
    expect(audit[0]!.diff).not.toContain('发热');
  });

  it('are seen by nobody else: another sender, another jurisdiction', async () => {
    const other = await call<ReportPage>('b_grid', 'GET', '/api/reports/sent');
    expect(other.body.total).toBe(0);
    const any = await t.ctx.db.selectFrom('direct_reports').select('id').executeTakeFirstOrThrow();
    expect((await call('b_grid', 'GET', `/api/reports/${any.id}`)).status).toBe(404);
    expect((await call(t.world.usernames.community_worker, 'GET', `/api/reports/${any.id}`)).status).toBe(404);
    // Roles without the permission are refused outright.
    expect((await call(t.world.usernames.volunteer, 'POST', '/api/reports', { title, body })).status).toBe(403);
    expect((await call(t.world.usernames.grid_worker, 'GET', '/api/reports/received')).status).toBe(403);
  });
});
