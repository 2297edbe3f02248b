/**
 * 12345-style figures on a fixed dataset whose expected values are worked out by hand below: six whistles raised on
 * two days in two communities, handled by two departments, acknowledged and rated at chosen times on the test clock.
 * Also: department staff see their own department's figures only, the other jurisdiction gets nothing, the XLSX export.
 */
import ExcelJS from 'exceljs';
import type { Department, PerformanceReport } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const sys = Scope.system('test');
const COMMUNITY_A2 = '110105001002';
let t: TestApp;
let health: Department;
let police: Department;

async function get<T>(username: string, url: string) {
  const res = await t.app.inject({ url, headers: { cookie: await t.login(username) } });
  const json = (res.headers['content-type'] ?? '').toString().startsWith('application/json');
  return { status: res.statusCode, body: (json ? res.json<T>() : null) as T, raw: res };
}

beforeAll(async () => {
  t = await createTestApp();
  const s = t.ctx.services;
  await s.regions.create(sys, { code: COMMUNITY_A2, name: '社区A2' });
  for (const [username, role, nodeCode] of [['police_staff', 'department_staff', CODES.streetA], ['grid_b', 'grid_worker', CODES.gridB]] as const) {
    await s.users.create(sys, { username, displayName: username, role, nodeCode, password: TEST_PASSWORD });
  }
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
  health = await s.departments.create(sys, { name: '街道卫健办', kind: 'health', nodeCode: CODES.streetA, dutyContact: '王', dutyPhone: '010-65000001', categories: ['medical'] });
  police = await s.departments.create(sys, { name: '派出所', kind: 'police', nodeCode: CODES.streetA, dutyContact: '张', dutyPhone: '110', categories: ['public_order'] });
  await s.departments.addRoute(sys, { category: 'medical', nodeCode: CODES.streetA, departmentId: health.id });
  await s.departments.addRoute(sys, { category: 'public_order', nodeCode: CODES.streetA, departmentId: police.id });
  const idOf = async (u: string) => (await t.ctx.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;
  await s.users.update(sys, await idOf(t.world.usernames.department_staff), { departmentId: health.id });
  await s.users.update(sys, await idOf('police_staff'), { departmentId: police.id });

  // The dataset. Day 1 = 2026-11-29 (Shanghai), starting 09:00; emergency: 30 min to acknowledge, 24 h to resolve.
  //   #  community  dept    acknowledged      resolved   rating               solved
  //   1  A          health  +10 min (in time) +2 h       satisfied            yes
  //   2  A          health  +40 min (late)    +5 h       dissatisfied         no
  //   3  A2         health  +30 min (in time) +3 h       basically_satisfied  yes
  //   4  A2         police  +20 min (in time) +1 h       satisfied            yes
  //   5  A          police  never             —          —                    —      (raised day 1)
  //   6  A          health  +5 min (in time)  —          —                    —      (raised day 2, still being handled)
  const w = s.whistles;
  const start = Date.UTC(2026, 10, 29, 1, 0); // 09:00 Shanghai
  t.clock.set(start);
  const raise = (category: 'medical' | 'public_order', regionCode: string, title: string) =>
    w.raise(sys, { category, urgency: 'emergency', title, description: '测试数据', regionCode, source: 'worker' });
  const flow = async (id: string, ackAfter: number | null, resolveAfter: number | null, rating: 'satisfied' | 'basically_satisfied' | 'dissatisfied' | null, solved: boolean | null) => {
    const raisedAt = t.clock.now();
    if (ackAfter !== null) {
      t.clock.set(raisedAt + ackAfter);
      let d = await w.acknowledge(sys, id, { version: 1 });
      if (resolveAfter !== null) {
        t.clock.set(raisedAt + resolveAfter);
        d = await w.resolve(sys, id, { version: d.version, note: '已处置' });
        if (rating) await w.confirm(sys, id, { version: d.version, rating, solved: solved! });
      }
    }
    t.clock.set(raisedAt + 10 * MIN);
  };
  await flow((await raise('medical', CODES.gridA, '一')).id, 10 * MIN, 2 * HOUR, 'satisfied', true);
  await flow((await raise('medical', CODES.communityA, '二')).id, 40 * MIN, 5 * HOUR, 'dissatisfied', false);
  await flow((await raise('medical', COMMUNITY_A2, '三')).id, 30 * MIN, 3 * HOUR, 'basically_satisfied', true);
  await flow((await raise('public_order', COMMUNITY_A2, '四')).id, 20 * MIN, 1 * HOUR, 'satisfied', true);
  await flow((await raise('public_order', CODES.gridA, '五')).id, null, null, null, null);
  t.clock.set(start + 24 * HOUR);
  await flow((await raise('medical', CODES.gridA, '六')).id, 5 * MIN, null, null, null);
  // "Now" for the figures: day 2, 12:00 Shanghai.
  t.clock.set(start + 27 * HOUR);
  // A side-B whistle that must never count on side A.
  await raise('medical', CODES.gridB, '乙方');
});
afterAll(() => t.close());

describe('performance figures', () => {
  it('the three rates, average times and overdue counts in total (worked by hand)', async () => {
    const r = await get<PerformanceReport>(t.world.usernames.command, '/api/performance?from=2026-11-29&to=2026-11-30&period=day');
    expect(r.status).toBe(200);
    // 响应率: in time = #1, #3, #4, #6 → 4 of 6 = 0.6667
    // 解决率: rated #1 #2 #3 #4; solved #1 #3 #4 → 3/4 = 0.75
    // 满意率: "satisfied" #1 #4 → 2/4 = 0.5 (基本满意 #3 does not count)
    // avg acknowledgement: (10 + 40 + 30 + 20 + 5) / 5 = 21 min; avg resolution: (2 + 5 + 3 + 1) / 4 = 2.75 → 2.8 h (one decimal)
    // overdue now: #5 (no acknowledgement, due day 1 09:40+); #6 is due day 2 09:00 + 24 h — not yet. ackLate: #2, #5.
    expect(r.body.total).toEqual({
      dispatched: 6, respondedInTime: 4, rated: 4, solved: 3, satisfied: 2, responseRate: 0.6667, resolutionRate: 0.75, satisfactionRate: 0.5,
      avgAckMinutes: 21, avgResolveHours: 2.8, overdueNow: 1, ackLate: 2,
    });
    expect(r.body.formulas.satisfaction).toContain('基本满意');
  });

  it('by department, community and day', async () => {
    const r = (await get<PerformanceReport>(t.world.usernames.command, '/api/performance?from=2026-11-29&to=2026-11-30&period=day')).body;
    const pick = (rows: PerformanceReport['byDepartment']) => rows.map((x) => [x.name, x.dispatched, x.responseRate, x.resolutionRate, x.satisfactionRate]);
    // 卫健办: #1 #2 #3 #6 → in time 3/4; rated #1 #2 #3: solved 2/3, satisfied 1/3. 派出所: #4 #5 → 1/2; rated #4: 1/1, 1/1.
    expect(pick(r.byDepartment)).toEqual([['街道卫健办', 4, 0.75, 0.6667, 0.3333], ['派出所', 2, 0.5, 1, 1]]);
    // 社区A: #1 #2 #5 #6 → in time #1 #6 = 2/4; rated #1 #2 → 1/2, 1/2. 社区A2: #3 #4 → 2/2; rated both: 2/2 solved, 1/2 satisfied.
    expect(pick(r.byCommunity)).toEqual([['社区A', 4, 0.5, 0.5, 0.5], ['社区A2', 2, 1, 1, 0.5]]);
    // Day 1: #1–#5 → 3/5 in time; day 2: #6 → 1/1, nothing rated.
    expect(pick(r.byPeriod)).toEqual([['2026-11-29', 5, 0.6, 0.75, 0.5], ['2026-11-30', 1, 1, null, null]]);
  });

  it('department staff see their own department only; the other jurisdiction nothing', async () => {
    const mine = (await get<PerformanceReport>(t.world.usernames.department_staff, '/api/performance?from=2026-11-29&to=2026-11-30')).body;
    expect(mine.byDepartment.map((x) => x.name)).toEqual(['街道卫健办']);
    expect(mine.total.dispatched).toBe(4);
    const police = (await get<PerformanceReport>('police_staff', '/api/performance?from=2026-11-29&to=2026-11-30')).body;
    expect(police.total).toMatchObject({ dispatched: 2, responseRate: 0.5 });
    const b = (await get<PerformanceReport>('grid_b', '/api/performance?from=2026-11-29&to=2026-11-30')).status;
    expect(b).toBe(403); // grid workers hold no performance.read
    const other = await get<{ error: { code: string } }>(t.world.usernames.command, `/api/performance?node=${CODES.streetB}`);
    expect(other.body.error.code).toBe('GRIDLINE_OUT_OF_SCOPE');
    const bad = await get<{ error: { code: string } }>(t.world.usernames.command, '/api/performance?from=2026-12-01&to=2026-11-01');
    expect(bad.status).toBe(400);
  });

  it('exports the same figures as XLSX', async () => {
    const r = await get<unknown>(t.world.usernames.command, '/api/performance/export?from=2026-11-29&to=2026-11-30&period=week');
    expect(r.status).toBe(200);
    expect(r.raw.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.raw.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['总体', '按部门', '按社区', '按时段', '口径说明']);
    const total = wb.getWorksheet('总体')!.getRow(2).values as unknown[];
    expect(total.slice(1, 5)).toEqual(['2026-11-29 至 2026-11-30', 6, 4, 0.6667]);
    // Week keys are Mondays: 11-29 (Sunday) is in the week of 11-23; 11-30 starts the next.
    const weeks = wb.getWorksheet('按时段')!;
    expect([weeks.getRow(2).getCell(1).value, weeks.getRow(3).getCell(1).value]).toEqual(['2026-11-23', '2026-11-30']);
  });
});
