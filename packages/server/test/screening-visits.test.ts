import type { Campaign, CampaignProgress, RevisitList, Visit } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, type TestApp } from './harness.js';
import { call, fieldList, ok, staff, startedCampaign, visit, visitBody } from './screening-world.js';

type Page<T> = { items: T[]; total: number };
interface ErrorBody {
  error: { code: string; fields?: { path: string; code: string; message: string }[] };
}
const DAY = 86_400_000;
const sys = Scope.system('screening-test');

describe('screening visits', () => {
  let t: TestApp;
  let command: string;
  let grid: string;
  let colleague: string;
  let c: Campaign;

  beforeAll(async () => {
    t = await createTestApp();
    command = await t.login(t.world.usernames.command);
    grid = await t.login(t.world.usernames.grid_worker);
    colleague = await staff(t, 'a_colleague', 'community_worker', CODES.communityA);
    c = await startedCampaign(t, command, CODES.streetA);
  });
  afterAll(() => t.close());

  const progress = () => ok<CampaignProgress>(call(t, command, 'GET', `/api/screening/campaigns/${c.id}/progress`));
  const household = async (id: string, cookie = grid) => (await fieldList(t, cookie, c.id, CODES.gridA)).households.find((h) => h.id === id)!;

  it('stores a visit once however often its key is sent, and returns the stored visit each time', async () => {
    const h = await household(t.world.householdA);
    expect(h).toMatchObject({ state: 'pending', version: 0, unitName: '1单元', buildingName: '1栋' });
    expect(h.members.map((m) => m.name)).toEqual(['张伟', '李娜']);
    const body = visitBody(c, h);
    const first = await visit(t, grid, body);
    expect(first).toMatchObject({ status: 'accepted', outcome: 'visited', residents: 2, householdVersion: 1, visitedBy: { name: '测试grid_worker' } });
    const again = await visit(t, grid, body);
    const third = await visit(t, grid, { ...body, results: [] });
    expect(again).toEqual(first);
    expect(third).toEqual(first);
    expect(await t.ctx.db.selectFrom('screening_visits').select('id').where('client_key', '=', body.clientKey).execute()).toHaveLength(1);
    expect(await t.ctx.db.selectFrom('screening_results').select('resident_id').where('visit_id', '=', first.id).execute()).toHaveLength(2);
    expect((await progress()).totals).toMatchObject({ visited: 1, residentsScreened: 2 });
    expect(await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', first.id).execute()).toEqual([{ action: 'screening.visit' }]);
    // Sent at once (a retry racing the first attempt), the key still stores one visit.
    const racing = visitBody(c, await household(t.world.householdA2), { outcome: 'nobody_home', results: [] });
    const [r1, r2] = await Promise.all([visit(t, grid, racing), visit(t, grid, racing)]);
    expect(r1.id).toBe(r2.id);
    expect(await t.ctx.db.selectFrom('screening_visits').select('id').where('client_key', '=', racing.clientKey).execute()).toHaveLength(1);
    // Someone else presenting that key learns only that it is taken.
    const stolen = await call(t, colleague, 'POST', '/api/screening/visits', body);
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json<ErrorBody>().error.fields![0]!.path).toBe('/body/clientKey');
  });

  it('stores a visit made without seeing a colleague’s later one as a conflict, never over it; the author resolves it', async () => {
    const seen = await household(t.world.householdA, colleague);
    const before = await progress();
    // The colleague visits from the same list the grid worker holds offline.
    const theirs = await visit(t, colleague, visitBody(c, seen));
    expect(theirs.status).toBe('accepted');
    const mine = visitBody(c, seen);
    mine.results[0]!.answers.symptoms = ['fever'];
    const stored = await visit(t, grid, mine);
    expect(stored).toMatchObject({ status: 'conflict', abnormalResidents: 1, conflict: { visitId: theirs.id, visitedByName: 'a_colleague显示名', outcome: 'visited' } });
    const state = await t.ctx.db.selectFrom('screening_households').selectAll().where('household_id', '=', t.world.householdA).where('campaign_id', '=', c.id).executeTakeFirstOrThrow();
    expect(state.last_visit_id).toBe(theirs.id);
    const after = await progress();
    expect(after.totals.abnormalResidents).toBe(before.totals.abnormalResidents);
    expect(after.totals.visited).toBe(before.totals.visited);
    // The worker sees it among their conflicts and keeps the colleague's visit.
    const open = await ok<Page<Visit>>(call(t, grid, 'GET', '/api/screening/visits?status=conflict'));
    expect(open.items.map((v) => v.id)).toEqual([stored.id]);
    expect((await call(t, colleague, 'POST', `/api/screening/visits/${stored.id}/resolve`, { resolution: 'keep_theirs' })).statusCode).toBe(404);
    const kept = await ok<Visit>(call(t, grid, 'POST', `/api/screening/visits/${stored.id}/resolve`, { resolution: 'keep_theirs' }));
    expect(kept.status).toBe('discarded');
    expect((await call(t, grid, 'POST', `/api/screening/visits/${stored.id}/resolve`, { resolution: 'use_mine' })).statusCode).toBe(409);

    // Another round: this time the worker's own visit wins, applied over the colleague's.
    const current = await household(t.world.householdA);
    await visit(t, colleague, visitBody(c, current));
    const second = visitBody(c, current);
    second.results[1]!.answers.special_needs = ['dialysis'];
    const clash = await visit(t, grid, second);
    expect(clash.status).toBe('conflict');
    const applied = await ok<Visit>(call(t, grid, 'POST', `/api/screening/visits/${clash.id}/resolve`, { resolution: 'use_mine' }));
    expect(applied).toMatchObject({ status: 'accepted', householdVersion: current.version + 2 });
    expect((await household(t.world.householdA)).lastVisitedBy).toBe('测试grid_worker');
    expect((await progress()).totals.abnormalResidents).toBe(before.totals.abnormalResidents + 1);
    expect(await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', clash.id).orderBy('seq').execute()).toEqual([{ action: 'screening.visit' }, { action: 'screening.visit.resolve' }]);
  });

  it('applies the worker’s own later visits without a conflict (two visits queued offline for one household)', async () => {
    const h = await household(t.world.householdA2);
    const a = await visit(t, grid, visitBody(c, h, { outcome: 'nobody_home', results: [] }));
    const b = await visit(t, grid, visitBody(c, h));
    expect([a.status, b.status]).toEqual(['accepted', 'accepted']);
    expect(b.householdVersion).toBe(h.version + 2);
  });

  it('schedules a revisit the next day when nobody is home and lists it for the worker when due', async () => {
    t.clock.advance(60_000);
    const h = await t.ctx.services.households.create(sys, { unitCode: CODES.unitA, room: '0909' });
    const fresh = await household(h.id);
    const knock = await visit(t, grid, visitBody(c, fresh, { outcome: 'nobody_home', results: [], visitedAt: t.clock.now() }));
    expect(knock.revisitOn).toBe('2026-11-30');
    const due = () => ok<RevisitList>(call(t, grid, 'GET', '/api/screening/revisits'));
    expect((await due()).items.map((r) => r.householdId)).not.toContain(h.id);
    t.clock.advance(DAY);
    // A day later everyone signs in again (sessions end after 30 idle minutes).
    grid = await t.login(t.world.usernames.grid_worker);
    command = await t.login(t.world.usernames.command);
    colleague = await t.login('a_colleague');
    const tomorrow = await due();
    expect(tomorrow.today).toBe('2026-11-30');
    expect(tomorrow.items).toContainEqual(expect.objectContaining({ householdId: h.id, revisitOn: '2026-11-30', campaignName: c.name }));
    // Side B's worker never sees it; a visit with someone home clears it.
    const bGrid = await staff(t, 'b_grid_r', 'grid_worker', CODES.gridB);
    expect((await ok<RevisitList>(call(t, bGrid, 'GET', '/api/screening/revisits'))).items).toEqual([]);
    // A household registered after the campaign counted its grid joins the total on its first visit.
    const counters = await t.ctx.db.selectFrom('screening_grids').select('households_total').where('campaign_id', '=', c.id).executeTakeFirstOrThrow();
    expect(counters.households_total).toBe(3);
    expect((await progress()).totals).toMatchObject({ householdsTotal: 3, nobodyHome: 1, notReached: 0 });
    const chosen = await visit(t, grid, visitBody(c, await household(h.id), { outcome: 'nobody_home', results: [], revisitOn: '2026-12-03', visitedAt: t.clock.now() }));
    expect(chosen.revisitOn).toBe('2026-12-03');
    expect((await due()).items.map((r) => r.householdId)).not.toContain(h.id);
  });

  it('validates answers against the questionnaire with Chinese messages per resident and field', async () => {
    const h = await household(t.world.householdA);
    const body = visitBody(c, h);
    delete body.results[0]!.answers.symptoms;
    body.results[1]!.answers.latest_test = { date: '2026-12-30', result: 'negative' };
    const res = await call(t, grid, 'POST', '/api/screening/visits', body);
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields).toEqual([
      { path: '/body/results/0/answers/symptoms', code: 'required', message: '张伟：请回答“症状”' },
      { path: '/body/results/1/answers/latest_test', code: 'date', message: '李娜：“最近一次核酸检测”：检测日期不能晚于今天' },
    ]);
    const stranger = visitBody(c, h, { results: [{ residentId: t.world.residentsA[2]!.resident.id, answers: { presence: 'home', symptoms: [], special_needs: [] } }] });
    expect((await call(t, grid, 'POST', '/api/screening/visits', stranger)).json<ErrorBody>().error.fields![0]).toMatchObject({ path: '/body/results/0/residentId', code: 'not_member' });
    const empty = await call(t, grid, 'POST', '/api/screening/visits', visitBody(c, h, { results: [] }));
    expect(empty.json<ErrorBody>().error.fields![0]!.message).toBe('请至少登记一位居民的排查结果');
    const ahead = await call(t, grid, 'POST', '/api/screening/visits', visitBody(c, h, { baseVersion: h.version + 5 }));
    expect(ahead.json<ErrorBody>().error.fields![0]!.path).toBe('/body/baseVersion');
    // Someone away is only asked where they are.
    const away = visitBody(c, h);
    away.results[0]!.answers = { presence: 'away', travel: ['上海'] };
    expect((await visit(t, grid, away)).status).toBe('accepted');
  });

  it('records the protocol in force with each visit and judges symptoms by it', async () => {
    const h = await household(t.world.householdA);
    const body = visitBody(c, h);
    body.results[0]!.answers.symptoms = ['cough'];
    const v = await visit(t, grid, body);
    const row = await t.ctx.db.selectFrom('screening_visits').select('protocol_id').where('id', '=', v.id).executeTakeFirstOrThrow();
    const inForce = await t.ctx.protocol.inForce(v.visitedAt);
    expect(row.protocol_id).toBe(inForce.id);
    expect(v.abnormalResidents).toBe(inForce.abnormalSymptoms.includes('cough') ? 1 : 0);
  });
});
