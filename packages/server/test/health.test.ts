/**
 * Health monitoring: one report per resident per Shanghai day (a second one updates it, audited), judged by the
 * protocol in force; an abnormal report flags the resident and raises exactly one open follow-up task for their
 * grid; the daily list of residents required to report who have not; the 'no_recent_test' passage check.
 */
import type { HealthFlag, HealthReportResult, HealthSummary, MissingReporter, MyHealthToday, Task } from '@gridline/shared';
import { shanghaiDayStart } from '@gridline/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMonthlyPartitions } from '../src/db/partitions.js';
import { Scope } from '../src/security/scope.js';
import { TEST_DIALECT } from './db.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const HOUR = 3_600_000;
interface Page<T> {
  items: T[];
  total: number;
}
interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[] };
}

let t: TestApp;
let grid: string;
let worker: string;
let resident: string;
const otherSide = 'b_command';

beforeAll(async () => {
  t = await createTestApp();
  grid = t.world.usernames.grid_worker;
  worker = t.world.usernames.community_worker;
  resident = t.world.usernames.resident;
  await t.ctx.services.users.create(Scope.system('test'), { username: otherSide, displayName: '乙方指挥', role: 'command', nodeCode: CODES.streetB, password: TEST_PASSWORD });
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
});
afterAll(() => t.close());

/** Signs in afresh for each request: the tests move the clock by days, past any session's life. */
const req = <T>(username: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) => t.as<T>(username, method, url, payload);
const normal = { temperatureC: 36.5, symptoms: [] };
const A = (i: number) => t.world.residentsA[i]!.resident;

describe('reports and follow-ups', () => {
  it('records a normal report for today, then replaces it on a second report the same day (audited)', async () => {
    const first = await req<HealthReportResult>(grid, 'POST', '/api/health/reports', { residentId: A(2).id, ...normal });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ updated: false, followUpTaskId: null, report: { day: '2026-11-29', temperatureC: 36.5, abnormal: false, protocolId: 'new-ten-2022-12', reportedBy: { kind: 'worker' } } });
    const second = await req<HealthReportResult>(grid, 'POST', '/api/health/reports', { residentId: A(2).id, temperatureC: 36.8, symptoms: ['cough'], note: '电话询问' });
    expect(second.body.updated).toBe(true);
    expect(second.body.report.id).toBe(first.body.report.id);
    expect(second.body.report).toMatchObject({ temperatureC: 36.8, version: 2, abnormal: false });
    const list = await req<Page<{ id: string }>>(worker, 'GET', `/api/health/reports?residentId=${A(2).id}`);
    expect(list.body.total).toBe(1);
    const audit = await t.ctx.db.selectFrom('audit_events').select(['action']).where('entity_id', '=', first.body.report.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['health.report.create', 'health.report.update']);
  });

  it('turns a fever into exactly one open follow-up task for the resident’s grid, however often it is reported', async () => {
    const fever = await req<HealthReportResult>(resident, 'PUT', '/api/me/health', { temperatureC: 38.5, symptoms: ['fatigue', 'breathing_difficulty'] });
    expect(fever.status).toBe(200);
    // Under the new ten measures fatigue alone is no longer abnormal; fever and breathing difficulty are.
    expect(fever.body.report).toMatchObject({ abnormal: true, abnormalReasons: ['体温 38.5℃ ≥ 37.3℃', 'breathing_difficulty'], reportedBy: { kind: 'self' } });
    expect(fever.body.followUpTaskId).toBeTruthy();
    // Reported again the same day by a worker, and the next day too: still one open follow-up.
    const again = await req<HealthReportResult>(grid, 'POST', '/api/health/reports', { residentId: A(0).id, temperatureC: 38.9, symptoms: [] });
    expect(again.body.followUpTaskId).toBe(fever.body.followUpTaskId);
    t.clock.advance(24 * HOUR);
    const nextDay = await req<HealthReportResult>(resident, 'PUT', '/api/me/health', { temperatureC: 37.6, symptoms: [] });
    expect(nextDay.body.updated).toBe(false);
    expect(nextDay.body.followUpTaskId).toBe(fever.body.followUpTaskId);
    const tasks = await t.ctx.db.selectFrom('tasks').selectAll().where('resident_id', '=', A(0).id).execute();
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ type: 'health_followup', status: 'open', region_code: CODES.gridA, source_type: 'health_report', source_id: fever.body.report.id });

    // The grid worker sees it; the resident is flagged in the register.
    const mine = await req<Page<Task>>(grid, 'GET', '/api/tasks?status=open');
    const task = mine.body.items.find((x) => x.id === fever.body.followUpTaskId);
    expect(task).toMatchObject({ title: '健康异常随访', resident: { id: A(0).id, name: '张伟', phoneMasked: '139****1001' } });
    expect(task!.detail).toContain('体温 38.5℃ ≥ 37.3℃；呼吸困难');
    const flags = await req<{ items: HealthFlag[] }>(worker, 'GET', `/api/health/flags?ids=${A(0).id}&ids=${A(1).id}`);
    // The flag shows the day's report as it stands now (the worker's later reading replaced the resident's).
    expect(flags.body.items).toEqual([{ residentId: A(0).id, abnormal: { day: '2026-11-29', reasons: ['体温 38.9℃ ≥ 37.3℃'], taskId: task!.id }, monitoring: null }]);

    // Once followed up and closed, the flag is gone and a new fever raises a new task.
    expect((await req(grid, 'PATCH', `/api/tasks/${task!.id}`, { version: task!.version, status: 'done', note: '已电话随访，建议就医' })).status).toBe(200);
    expect((await req<{ items: HealthFlag[] }>(worker, 'GET', `/api/health/flags?ids=${A(0).id}`)).body.items).toEqual([]);
    const later = await req<HealthReportResult>(resident, 'PUT', '/api/me/health', { temperatureC: 38.1, symptoms: [] });
    expect(later.body.followUpTaskId).not.toBe(fever.body.followUpTaskId);
    t.clock.advance(-24 * HOUR);
  });

  it('refuses impossible temperatures and future test times with Chinese field messages', async () => {
    for (const temperatureC of [33.9, 43.1]) {
      const res = await req<ErrorBody>(grid, 'POST', '/api/health/reports', { residentId: A(1).id, temperatureC, symptoms: [] });
      expect(res.status).toBe(400);
      expect(res.body.error.fields?.[0]?.path).toBe('/body/temperatureC');
    }
    const future = await req<ErrorBody>(resident, 'PUT', '/api/me/health', { ...normal, test: { sampledAt: t.clock.now() + 2 * HOUR, result: 'negative' } });
    expect(future.status).toBe(400);
    expect(future.body.error.fields).toEqual([{ path: '/body/test/sampledAt', code: 'range', message: '采样时间须在最近 14 天内，且不能晚于现在' }]);
    const symptom = await req<ErrorBody>(grid, 'POST', '/api/health/reports', { residentId: A(1).id, temperatureC: 36.5, symptoms: ['sneezing'] });
    expect(symptom.status).toBe(400);
  });

  it('gives the other jurisdiction nothing, and refuses its residents as if they did not exist', async () => {
    const b = t.world.residentsB[0]!.resident;
    const refused = await req<ErrorBody>(grid, 'POST', '/api/health/reports', { residentId: b.id, ...normal });
    const twin = await req<ErrorBody>(grid, 'POST', '/api/health/reports', { residentId: '01900000-0000-7000-8000-000000000000', ...normal });
    expect(refused).toEqual(twin);
    expect(refused.status).toBe(409);
    for (const url of ['/api/health/reports', '/api/health/missing', '/api/health/monitoring', '/api/tasks']) {
      const res = await req<Page<unknown>>(otherSide, 'GET', url);
      expect(res.status, url).toBe(200);
      expect(res.body.items, url).toEqual([]);
    }
    const summary = await req<HealthSummary>(otherSide, 'GET', '/api/health/summary');
    expect(summary.body.totals).toEqual({ reports: 0, abnormal: 0, required: 0, missing: 0 });
    expect(JSON.stringify(summary.body)).not.toContain(CODES.gridA);
    expect((await req<{ items: HealthFlag[] }>(otherSide, 'GET', `/api/health/flags?ids=${A(0).id}`)).body.items).toEqual([]);
    expect((await req<ErrorBody>(otherSide, 'GET', `/api/health/summary?node=${CODES.communityA}`)).status).toBe(403);
  });
});

describe('who must report, and who has not yet today', () => {
  it('lists a monitored resident as missing until they report, and again after Shanghai midnight', async () => {
    // 2026-11-29 23:50 in Shanghai.
    t.clock.set(shanghaiDayStart('2026-11-29') + 23 * HOUR + 50 * 60_000);
    const added = await req<{ id: string; active: boolean }>(worker, 'POST', '/api/health/monitoring', { residentId: A(1).id, note: '外地就医返回', endDate: '2026-12-02' });
    expect(added.status).toBe(201);
    expect(added.body.active).toBe(true);
    const missingIds = async () => (await req<Page<MissingReporter>>(grid, 'GET', '/api/health/missing')).body.items.map((m) => m.residentId);
    const before = await req<Page<MissingReporter>>(grid, 'GET', '/api/health/missing');
    expect(before.body.items).toEqual([
      expect.objectContaining({ residentId: A(1).id, name: '李娜', phoneMasked: '139****1002', gridCode: CODES.gridA, reason: '外地就医返回', endDay: '2026-12-02', lastReportDay: null }),
    ]);
    expect(JSON.stringify(before.body)).not.toContain('13900001002');
    const me = await req<MyHealthToday>(resident, 'GET', '/api/me/health');
    expect(me.body.required).toBe(false);

    await req(grid, 'POST', '/api/health/reports', { residentId: A(1).id, ...normal });
    expect(await missingIds()).toEqual([]);
    let summary = (await req<HealthSummary>(worker, 'GET', '/api/health/summary')).body;
    expect(summary.grids.find((g) => g.code === CODES.gridA)).toMatchObject({ name: '网格A', required: 1, missing: 0 });

    // Twenty minutes later it is 30 November in Shanghai: yesterday's report no longer counts.
    t.clock.advance(20 * 60_000);
    expect(await missingIds()).toEqual([A(1).id]);
    summary = (await req<HealthSummary>(worker, 'GET', '/api/health/summary')).body;
    expect(summary.day).toBe('2026-11-30');
    expect(summary.totals).toMatchObject({ required: 1, missing: 1 });
    expect((await req<Page<MissingReporter>>(grid, 'GET', '/api/health/missing')).body.items[0]!.lastReportDay).toBe('2026-11-29');
    const flags = await req<{ items: HealthFlag[] }>(worker, 'GET', `/api/health/flags?ids=${A(1).id}`);
    expect(flags.body.items[0]!.monitoring).toEqual({ endDay: '2026-12-02', reason: 'manual', reportedToday: false });

    // After the last day nobody is required any more; ending it early works the same.
    t.clock.set(shanghaiDayStart('2026-12-03') + HOUR);
    expect(await missingIds()).toEqual([]);
    t.clock.set(shanghaiDayStart('2026-12-01') + HOUR);
    expect(await missingIds()).toEqual([A(1).id]);
    const ended = await req<{ active: boolean; endNote: string }>(worker, 'POST', `/api/health/monitoring/${added.body.id}/end`, { note: '核实为误报' });
    expect(ended.body).toMatchObject({ active: false, endNote: '核实为误报' });
    expect(await missingIds()).toEqual([]);
  });

  it('refuses a manual monitoring that ends before it starts or runs too long', async () => {
    t.clock.set(shanghaiDayStart('2026-12-01') + HOUR);
    const back = await req<ErrorBody>(worker, 'POST', '/api/health/monitoring', { residentId: A(2).id, note: '测试', endDate: '2026-11-30' });
    expect(back.body.error.fields?.[0]?.path).toBe('/body/endDate');
    const long = await req<ErrorBody>(worker, 'POST', '/api/health/monitoring', { residentId: A(2).id, note: '测试', endDate: '2027-02-01' });
    expect(long.body.error.fields?.[0]?.message).toContain('最长 30 天');
  });
});

describe("passage check 'no_recent_test'", () => {
  const place = (kind: string) => ({ id: 'p1', kind, regionCode: CODES.gridA });
  const evaluate = async (at: number, kind: string) =>
    (await t.ctx.passageChecks.evaluate({ db: t.ctx.db, residentId: A(2).id, at, place: place(kind), protocol: await t.ctx.protocol.inForce(at) })).findings.filter((f) => f.code === 'no_recent_test');

  it('denies without a negative test within the protocol’s hours, where the protocol checks that place kind', async () => {
    // Under the ninth edition every checkpoint asks for a 48-hour negative test.
    const sampled = Date.UTC(2022, 6, 1, 2);
    t.clock.set(sampled + 3 * HOUR);
    expect(await evaluate(t.clock.now(), 'market')).toEqual([{ effect: 'deny', code: 'no_recent_test', reason: '无 48 小时内核酸阴性记录', until: null }]);
    await req(grid, 'POST', '/api/health/reports', { residentId: A(2).id, ...normal, test: { sampledAt: sampled, result: 'negative' } });
    expect(await evaluate(sampled + 3 * HOUR, 'market')).toEqual([]);
    expect(await evaluate(sampled + 48 * HOUR, 'market')).toEqual([]);
    expect(await evaluate(sampled + 48 * HOUR + 1, 'market')).toHaveLength(1);
    expect((await t.ctx.passageChecks.evaluate({ db: t.ctx.db, residentId: A(2).id, at: sampled + 3 * HOUR, place: place('market'), protocol: await t.ctx.protocol.inForce(sampled) })).pass).toBe(true);

    // A later positive outweighs the earlier negative.
    t.clock.set(sampled + 26 * HOUR);
    await req(grid, 'POST', '/api/health/reports', { residentId: A(2).id, ...normal, test: { sampledAt: sampled + 24 * HOUR, result: 'positive' } });
    expect((await evaluate(sampled + 30 * HOUR, 'market'))[0]?.reason).toBe('48 小时内最近一次核酸结果为阳性');
  });

  it('asks nothing where the new ten measures stopped checking, but still at care homes', async () => {
    const at = Date.UTC(2026, 11, 5, 2);
    expect(await evaluate(at, 'market')).toEqual([]);
    expect(await evaluate(at, 'care_home')).toHaveLength(1);
  });
});

describe('storage', () => {
  it(TEST_DIALECT === 'postgres' ? 'partitions reports by month of their day on PostgreSQL' : 'keeps reports in one table on SQLite', async () => {
    const day = Date.UTC(2026, 11, 10, 2);
    t.clock.set(day);
    const saved = await req<HealthReportResult>(grid, 'POST', '/api/health/reports', { residentId: A(2).id, ...normal });
    expect(saved.status).toBe(200);
    if (TEST_DIALECT === 'postgres') {
      const kind = await sql<{ k: string }>`select relkind as k from pg_class where oid = 'health_reports'::regclass`.execute(t.ctx.db);
      expect(kind.rows[0]!.k).toBe('p');
      await ensureMonthlyPartitions(t.ctx.db, day, 0, ['health_reports']);
      const where = await sql<{ p: string }>`select tableoid::regclass::text as p from health_reports where id = ${saved.body.report.id}`.execute(t.ctx.db);
      expect(where.rows[0]!.p.replace(/^.*\./, '')).toBe('health_reports_202612');
    } else {
      expect(await t.ctx.dialect.ensurePartitions(t.ctx.db, day)).toEqual([]);
    }
    // The same day again replaces the row wherever it lives.
    const again = await req<HealthReportResult>(grid, 'POST', '/api/health/reports', { residentId: A(2).id, temperatureC: 36.9, symptoms: [] });
    expect(again.body).toMatchObject({ updated: true, report: { id: saved.body.report.id, version: 2 } });
  });
});
