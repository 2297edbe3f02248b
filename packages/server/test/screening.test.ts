import crypto from 'node:crypto';
import { buildResidentId, coverageOf, defaultQuestionnaire, type Campaign, type CampaignGrid, type CampaignMap, type CampaignProgress, type FollowUpHousehold, type Job, type Visit } from '@gridline/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.js';
import { Scope } from '../src/security/scope.js';
import { download, finished } from './files.js';
import { CODES, createTestApp, type TestApp } from './harness.js';
import { call, fieldList, ok, sideBCampaign, startedCampaign, visit, visitBody } from './screening-world.js';

const sys = Scope.system('screening-test');
type Page<T> = { items: T[]; total: number };

describe('screening campaigns', () => {
  let t: TestApp;
  let command: string;
  let grid: string;
  let sideB: Awaited<ReturnType<typeof sideBCampaign>>;

  beforeAll(async () => {
    t = await createTestApp();
    command = await t.login(t.world.usernames.command);
    grid = await t.login(t.world.usernames.grid_worker);
    sideB = await sideBCampaign(t);
  });
  afterAll(() => t.close());

  it('drafts a campaign split into the node’s grids, each given to its grid worker, with the default questionnaire', async () => {
    const draft = await ok<Campaign>(call(t, command, 'POST', '/api/screening/campaigns', { name: '冬季入户排查', nodeCode: CODES.streetA, startsOn: '2026-11-29', endsOn: '2026-12-03' }), 201);
    expect(draft).toMatchObject({ status: 'draft', nodeName: '街道A', gridCount: 1, version: 1, questionnaire: defaultQuestionnaire() });
    const grids = await ok<CampaignGrid[]>(call(t, command, 'GET', `/api/screening/campaigns/${draft.id}/grids`));
    expect(grids).toHaveLength(1);
    expect(grids[0]).toMatchObject({ gridCode: CODES.gridA, gridName: '网格A', communityName: '社区A', workers: [{ username: 'u_grid_worker' }] });
    // Who else may take the grid: staff who may visit and whose node covers it (the community worker), never side B's.
    expect(grids[0]!.candidates.map((c) => c.username).sort()).toEqual(['u_command', 'u_community_head', 'u_community_worker', 'u_grid_worker']);
    const audit = await t.ctx.db.selectFrom('audit_events').select(['action', 'region_code']).where('entity_id', '=', draft.id).execute();
    expect(audit).toEqual([{ action: 'screening.campaign.create', region_code: CODES.streetA }]);
  });

  it('gives a grid only to staff who may visit and whose jurisdiction covers it', async () => {
    const c = await startedCampaign(t, command, CODES.streetA, { name: '分工调整' });
    const id = async (username: string) => (await t.ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
    const refused = await call(t, command, 'PUT', `/api/screening/campaigns/${c.id}/grids/${CODES.gridA}/workers`, { userIds: [await id('u_community_worker'), await id('b_grid'), await id('u_volunteer')] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ error: { fields: { path: string; code: string }[] } }>().error.fields.map((f) => `${f.path} ${f.code}`)).toEqual(['/body/userIds/1 not_eligible', '/body/userIds/2 not_eligible']);
    const assigned = await ok<CampaignGrid>(call(t, command, 'PUT', `/api/screening/campaigns/${c.id}/grids/${CODES.gridA}/workers`, { userIds: [await id('u_community_worker')] }));
    expect(assigned.workers.map((w) => w.username)).toEqual(['u_community_worker']);
    // The community worker now finds the grid's households among their own; the grid worker no longer does.
    const worker = await t.login(t.world.usernames.community_worker);
    expect((await fieldList(t, worker, c.id)).households.map((h) => h.id)).toContain(t.world.householdA);
    expect((await fieldList(t, grid, c.id)).households).toEqual([]);
    expect((await ok<Page<Campaign>>(call(t, grid, 'GET', '/api/screening/campaigns?mine=true&pageSize=200'))).items.map((x) => x.id)).not.toContain(c.id);
  });

  it('refuses a questionnaire that breaks the rules, with Chinese messages per field', async () => {
    const q = defaultQuestionnaire();
    const bad = { items: [q.items[1]!, q.items[0]!, { id: 'c1', kind: 'single', label: '出行方式', required: true, options: [{ value: 'bus', label: '公交' }] }] };
    const res = await call(t, command, 'POST', '/api/screening/campaigns', { name: '错误问卷', nodeCode: CODES.streetA, startsOn: '2026-12-02', endsOn: '2026-12-01', questionnaire: bad });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ error: { fields: { path: string; message: string }[] } }>().error.fields;
    expect(fields).toEqual(expect.arrayContaining([
      { path: '/body/endsOn', code: 'before_start', message: '结束日期不能早于开始日期' },
      expect.objectContaining({ path: '/body/questionnaire/items/0', message: '第一项须为必填的“在家情况”' }),
      expect.objectContaining({ path: '/body/questionnaire/items/2/options', message: '选择题至少需要 2 个选项' }),
    ]));
    const below = await call(t, command, 'POST', '/api/screening/campaigns', { name: '楼栋排查', nodeCode: CODES.buildingA, startsOn: '2026-12-01', endsOn: '2026-12-02' });
    expect(below.json<{ error: { fields: { message: string }[] } }>().error.fields[0]!.message).toBe('排查范围须为区县、街道、社区或网格');
  });

  it('keeps the questionnaire fixed once started, and refuses stale versions', async () => {
    const c = await startedCampaign(t, command, CODES.communityA, { name: '社区排查' });
    expect(c.status).toBe('active');
    const change = await call(t, command, 'PATCH', `/api/screening/campaigns/${c.id}`, { version: c.version, questionnaire: defaultQuestionnaire() });
    expect(change.statusCode).toBe(409);
    const stale = await call(t, command, 'PATCH', `/api/screening/campaigns/${c.id}`, { version: 1, name: '改名' });
    expect(stale.json<{ error: { code: string } }>().error.code).toBe('GRIDLINE_STALE_VERSION');
    const renamed = await ok<Campaign>(call(t, command, 'PATCH', `/api/screening/campaigns/${c.id}`, { version: c.version, name: '社区排查（第二轮）' }));
    expect(renamed.name).toBe('社区排查（第二轮）');
    const closed = await ok<Campaign>(call(t, command, 'POST', `/api/screening/campaigns/${c.id}/close`, { version: renamed.version }));
    expect(closed.status).toBe('closed');
    const list = await fieldList(t, grid, c.id);
    const refused = await call(t, grid, 'POST', '/api/screening/visits', visitBody(c, list.households[0]!));
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { fields: { message: string }[] } }>().error.fields[0]!.message).toBe('排查活动已结束，不能再登记走访');
  });

  it('gives side-A users nothing of side B: no campaign, no households, no visits to its households', async () => {
    const b = sideB.campaign;
    for (const cookie of [command, grid]) {
      const list = await ok<Page<Campaign>>(call(t, cookie, 'GET', '/api/screening/campaigns?pageSize=200'));
      expect(list.items.map((c) => c.id)).not.toContain(b.id);
      for (const url of [`/api/screening/campaigns/${b.id}`, `/api/screening/campaigns/${b.id}/progress`, `/api/screening/campaigns/${b.id}/map`, `/api/screening/campaigns/${b.id}/follow-up`, `/api/screening/campaigns/${b.id}/abnormal`]) {
        const res = await call(t, cookie, 'GET', url);
        expect(res.statusCode, url).toBe(404);
      }
    }
    expect((await call(t, grid, 'GET', `/api/screening/campaigns/${b.id}/households`)).statusCode).toBe(404);
    expect((await call(t, grid, 'GET', `/api/screening/campaigns/${b.id}/households?grid=${CODES.gridB}`)).statusCode).toBe(403);
    // Visiting a side-B household reads exactly like visiting one that does not exist, and stores nothing.
    const bList = await fieldList(t, sideB.grid, b.id);
    const body = visitBody(b, bList.households[0]!);
    const refused = await call(t, grid, 'POST', '/api/screening/visits', body);
    const missing = await call(t, grid, 'POST', '/api/screening/visits', { ...body, clientKey: crypto.randomUUID(), householdId: crypto.randomUUID() });
    expect({ status: refused.statusCode, body: refused.json<unknown>() }).toEqual({ status: missing.statusCode, body: missing.json<unknown>() });
    expect(refused.statusCode).toBe(404);
    expect(await t.ctx.db.selectFrom('screening_visits').select('id').where('household_id', '=', t.world.householdB).execute()).toEqual([]);
    // Side B's own worker visits it fine, and side A still sees nothing of that.
    const v = await visit(t, sideB.grid, body);
    expect(v.status).toBe('accepted');
    expect((await ok<Page<Visit>>(call(t, grid, 'GET', '/api/screening/visits?pageSize=200'))).items.map((x) => x.id)).not.toContain(v.id);
    const replay = await call(t, grid, 'POST', '/api/screening/visits', body);
    expect(replay.statusCode).toBe(404);
    // A grid worker cannot manage campaigns at all.
    expect((await call(t, grid, 'POST', '/api/screening/campaigns', { name: '越权', nodeCode: CODES.gridA, startsOn: '2026-12-01', endsOn: '2026-12-02' })).statusCode).toBe(403);
  });

  it('counts progress per grid and overall exactly as the households and visits are', async () => {
    // A larger grid: 12 households in unit A (the two seeded ones, ten new ones with one to three residents).
    for (let i = 0; i < 10; i++) {
      const h = await t.ctx.services.households.create(sys, { unitCode: CODES.unitA, room: `05${String(i).padStart(2, '0')}` });
      for (let j = 0; j <= i % 3; j++) {
        await t.ctx.services.residents.create(sys, {
          householdId: h.id, name: `${'赵钱孙李周吴郑王冯陈'[i]}${'甲乙丙'[j]}`, docType: 'resident_id', docNumber: buildResidentId('110105', `1990-0${(j % 9) + 1}-1${i % 9}`, 300 + i * 3 + j), relationToHead: j ? 'child' : 'head', residenceStatus: 'registered',
        });
      }
    }
    const c = await startedCampaign(t, command, CODES.streetA, { name: '进度核对' });
    const list = await fieldList(t, grid, c.id);
    expect(list.households).toHaveLength(12);
    const hs = list.households;
    // Visits: six visited (two with fever), three nobody home, one of those later visited; the rest not reached.
    for (const [i, h] of hs.slice(0, 6).entries()) {
      const body = visitBody(c, h);
      if (i < 2) body.results[0]!.answers.symptoms = ['fever'];
      await visit(t, grid, body);
    }
    for (const h of hs.slice(6, 9)) await visit(t, grid, visitBody(c, h, { outcome: 'nobody_home', results: [] }));
    const again = (await fieldList(t, grid, c.id)).households[6]!;
    await visit(t, grid, visitBody(c, again));

    const p = await ok<CampaignProgress>(call(t, command, 'GET', `/api/screening/campaigns/${c.id}/progress`));
    // Counted truth, straight from the tables.
    const db = t.ctx.db;
    const households = (await db.selectFrom('households').select('id').where('code', 'like', `${CODES.gridA}%`).execute()).length;
    const states = await db.selectFrom('screening_households').selectAll().where('campaign_id', '=', c.id).execute();
    const visited = states.filter((s) => s.state === 'visited');
    const results = await db.selectFrom('screening_results').selectAll().where('visit_id', 'in', visited.map((s) => s.last_visit_id)).execute();
    const truth = coverageOf({
      householdsTotal: households, visited: visited.length, nobodyHome: states.filter((s) => s.state === 'nobody_home').length,
      residentsScreened: results.length, abnormalResidents: results.filter((r) => r.abnormal === 1).length,
    });
    expect(truth).toMatchObject({ householdsTotal: 12, visited: 7, nobodyHome: 2, notReached: 3, abnormalResidents: 2 });
    expect(p.totals).toEqual(truth);
    expect(p.grids).toEqual([expect.objectContaining({ gridCode: CODES.gridA, ...truth, workers: [expect.objectContaining({ username: 'u_grid_worker' })] })]);

    const follow = await ok<Page<FollowUpHousehold>>(call(t, command, 'GET', `/api/screening/campaigns/${c.id}/follow-up?pageSize=50`));
    expect(follow.total).toBe(5);
    expect(follow.items.filter((f) => f.state === 'nobody_home')).toHaveLength(2);
    const pending = await ok<Page<FollowUpHousehold>>(call(t, command, 'GET', `/api/screening/campaigns/${c.id}/follow-up?state=pending`));
    expect(pending.items.map((f) => f.id).sort()).toEqual(hs.slice(9).map((h) => h.id).sort());
    const abnormal = await ok<Page<{ name: string; reasons: string[] }>>(call(t, command, 'GET', `/api/screening/campaigns/${c.id}/abnormal`));
    expect(abnormal.total).toBe(2);
    expect(abnormal.items.every((a) => a.reasons.includes('symptoms:fever'))).toBe(true);

    const map = await ok<CampaignMap>(call(t, command, 'GET', `/api/screening/campaigns/${c.id}/map`));
    expect(map.features).toEqual([]);
    await t.ctx.services.regions.importBoundaries(sys, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: CODES.gridA }, geometry: { type: 'Polygon', coordinates: [[[116.45, 39.92], [116.46, 39.92], [116.46, 39.93], [116.45, 39.92]]] } }] });
    const drawn = await ok<CampaignMap>(call(t, command, 'GET', `/api/screening/campaigns/${c.id}/map`));
    expect(drawn.features[0]!.properties).toMatchObject({ code: CODES.gridA, visited: 7, band: 2 });

    // The street's report: coverage per grid and total, households to follow up, abnormal residents.
    const job = await ok<Job>(call(t, command, 'POST', `/api/screening/campaigns/${c.id}/export`), 202);
    const done = await finished(t, command, job.id);
    expect(done, done.error ?? '').toMatchObject({ status: 'succeeded', kind: 'screening_report', result: { grids: 1, followUps: 5, abnormal: 2 } });
    const file = await download(t, command, job.id);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '未走访户', '异常人员']);
    const summary = wb.getWorksheet('汇总')!;
    expect(summary.getRow(3).values).toEqual([undefined, '社区A', '网格A', '测试grid_worker', 12, 7, 2, 3, '58.3%', truth.residentsScreened, 2]);
    expect(summary.getRow(4).getCell(1).value).toBe('合计');
    expect(wb.getWorksheet('未走访户')!.rowCount).toBe(6);
    expect(String(wb.getWorksheet('异常人员')!.getRow(2).getCell(3).value)).toContain('症状：发热');
    expect(await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', job.id).execute()).toEqual(expect.arrayContaining([{ action: 'screening.export' }]));
  });
});

describe('the demo street’s campaign', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    await seedDemo(t.ctx, 2026, 800);
  });
  afterAll(() => t.close());

  it('is under way, with counters that match its visits and the register', async () => {
    const db = t.ctx.db;
    const c = await db.selectFrom('screening_campaigns').selectAll().executeTakeFirstOrThrow();
    expect(c.status).toBe('active');
    const p = await t.ctx.services.screening.progress.progress(sys, c.id);
    expect(p.grids).toHaveLength(40);
    const states = await db.selectFrom('screening_households').selectAll().where('campaign_id', '=', c.id).execute();
    const visited = states.filter((s) => s.state === 'visited');
    const results = await db.selectFrom('screening_results').selectAll().where('visit_id', 'in', visited.map((s) => s.last_visit_id)).execute();
    expect(p.totals).toEqual(coverageOf({
      householdsTotal: Number((await db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
      visited: visited.length, nobodyHome: states.length - visited.length, residentsScreened: results.length, abnormalResidents: results.filter((r) => r.abnormal === 1).length,
    }));
    expect(p.totals.visited).toBeGreaterThan(0);
    expect(p.totals.abnormalResidents).toBeGreaterThan(0);
    // The demo grid worker has their grid, with work left to do.
    const mine = p.grids.find((g) => g.workers.some((w) => w.username === 'grid'))!;
    expect(mine.notReached).toBeGreaterThan(0);
    expect((await t.ctx.services.audit.verify(db)).ok).toBe(true);
  });
});
