/**
 * Arrivals: the protocol in force at the arrival date decides what follows (the ninth edition and the twenty
 * measures give the same origin different consequences); a new person is registered through the register's
 * own rules; the 'arrival_isolation' passage check holds exactly until the isolation's end; withdrawing an
 * arrival cancels its tasks and monitoring; the other jurisdiction gets nothing.
 */
import type { Arrival, ArrivalRules, MissingReporter, Resident, TaskPage } from '@gridline/shared';
import { buildResidentId, shanghaiDayStart } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { arrivalsRepository } from '../src/modules/arrivals/arrivals.repository.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const HOUR = 3_600_000;
interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[]; details?: Record<string, unknown> };
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.ctx.services.users.create(Scope.system('test'), { username: 'b_command', displayName: '乙方指挥', role: 'command', nodeCode: CODES.streetB, password: TEST_PASSWORD });
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
});
afterAll(() => t.close());

const req = <T>(username: string, method: 'GET' | 'POST', url: string, payload?: object) => t.as<T>(username, method, url, payload);
const grid = () => t.world.usernames.grid_worker;
const A = (i: number) => t.world.residentsA[i]!.resident;
const travel = (arrivalDate: string, originRisk = 'high') => ({ originName: '某省某市某区', originRisk, arrivalDate, transport: 'train', transportNo: 'G123' });
const evaluate = async (residentId: string, at: number) =>
  (await t.ctx.passageChecks.evaluate({ db: t.ctx.db, residentId, at, place: { id: 'gate', kind: 'gate', regionCode: CODES.gridA }, protocol: await t.ctx.protocol.inForce(at) })).findings.filter(
    (f) => f.code === 'arrival_isolation',
  );

describe('arrivals under two protocol versions', () => {
  it('states each version’s risk levels and consequences', async () => {
    const ninth = (await req<ArrivalRules>(grid(), 'GET', '/api/arrivals/rules?date=2022-07-01')).body;
    expect(ninth.protocol.id).toBe('ninth-2022-06');
    expect(ninth.levels.map((l) => l.origin)).toEqual(['high', 'medium', 'low']);
    const twenty = (await req<ArrivalRules>(t.world.usernames.resident, 'GET', '/api/arrivals/rules?date=2022-11-20')).body;
    expect(twenty.levels.map((l) => [l.origin, l.plan.summary])).toEqual([
      ['high', '依据《关于进一步优化新冠肺炎疫情防控措施 科学精准做好防控工作的通知（二十条）》：居家隔离 7 天，第1、3、5、7天核酸'],
      ['low', '依据《关于进一步优化新冠肺炎疫情防控措施 科学精准做好防控工作的通知（二十条）》：无需隔离或健康监测'],
    ]);
    expect((await req<ErrorBody>(grid(), 'GET', '/api/arrivals/rules?date=2022-02-30')).status).toBe(400);
  });

  it('the ninth edition: centralized isolation for 7 days and five test tasks, no home reporting', async () => {
    t.clock.set(shanghaiDayStart('2022-07-01') + 10 * HOUR);
    const res = await req<Arrival>(grid(), 'POST', '/api/arrivals', { residentId: A(0).id, ...travel('2022-07-01') });
    expect(res.status).toBe(201);
    const a = res.body;
    expect(a.plan).toMatchObject({ protocolId: 'ninth-2022-06', rule: { measure: 'centralized_isolation', days: 7 }, monitoring: null });
    expect(a.plan.isolation).toEqual({ kind: 'centralized_isolation', start: shanghaiDayStart('2022-07-01'), end: shanghaiDayStart('2022-07-08') });
    expect(a.plan.summary).toBe('依据《新型冠状病毒肺炎防控方案（第九版）》：集中隔离 7 天，第1、2、3、5、7天核酸');
    expect(a.tasks.map((x) => [x.title, x.status, x.dueAt])).toEqual(
      [1, 2, 3, 5, 7].map((n) => [`第${n}天核酸`, 'open', shanghaiDayStart(`2022-07-0${n + 1}`)]),
    );
    expect(a).toMatchObject({ resident: { id: A(0).id, name: '张伟', phoneMasked: '139****1001' }, reportedBy: { kind: 'worker' }, newlyRegistered: false });
    expect(await t.ctx.db.selectFrom('health_monitoring').selectAll().where('source_id', '=', a.id).execute()).toEqual([]);
    const tasks = (await req<TaskPage>(grid(), 'GET', `/api/tasks?sourceType=arrival&sourceId=${a.id}`)).body;
    expect(tasks.items.every((x) => x.regionCode === CODES.gridA && x.type === 'arrival_test')).toBe(true);
  });

  it('the twenty measures: the same origin means 7 days home isolation, daily reports and four test tasks', async () => {
    t.clock.set(shanghaiDayStart('2022-11-20') + 10 * HOUR);
    const a = (await req<Arrival>(grid(), 'POST', '/api/arrivals', { residentId: A(1).id, ...travel('2022-11-20') })).body;
    expect(a.plan).toMatchObject({ protocolId: 'twenty-2022-11', rule: { measure: 'home_isolation' }, monitoring: { startDay: '2022-11-20', endDay: '2022-11-26' } });
    expect(a.tasks.map((x) => x.title)).toEqual(['第1天核酸', '第3天核酸', '第5天核酸', '第7天核酸']);
    const missing = (await req<{ items: MissingReporter[] }>(grid(), 'GET', '/api/health/missing')).body.items;
    expect(missing).toEqual([expect.objectContaining({ residentId: A(1).id, reason: '高风险地区来返（某省某市某区）', endDay: '2022-11-26' })]);
    // "Medium" no longer exists in this version.
    const medium = await req<ErrorBody>(grid(), 'POST', '/api/arrivals', { residentId: A(2).id, ...travel('2022-11-20', 'medium') });
    expect(medium.status).toBe(400);
    expect(medium.body.error.fields?.[0]).toMatchObject({ path: '/body/originRisk' });
    expect(medium.body.error.fields?.[0]?.message).toContain('未设“中风险”等级，请从高风险、低风险中选择');
  });

  it('reported late, only test days still to come get tasks; the plan keeps them all', async () => {
    t.clock.set(shanghaiDayStart('2022-11-24') + 10 * HOUR);
    const a = (await req<Arrival>(grid(), 'POST', '/api/arrivals', { residentId: A(2).id, ...travel('2022-11-20') })).body;
    expect(a.plan.tests.map((x) => x.day)).toEqual([1, 3, 5, 7]);
    expect(a.tasks.map((x) => x.title)).toEqual(['第5天核酸', '第7天核酸']);
    const tooFar = await req<ErrorBody>(grid(), 'POST', '/api/arrivals', { residentId: A(2).id, ...travel('2022-12-30') });
    expect(tooFar.body.error.fields?.[0]?.path).toBe('/body/arrivalDate');
  });
});

describe("passage check 'arrival_isolation' and withdrawing", () => {
  let a: Arrival;
  it('denies from the isolation’s start until exactly its end, naming the end date', async () => {
    t.clock.set(shanghaiDayStart('2022-11-28') + 9 * HOUR);
    a = (await req<Arrival>(grid(), 'POST', '/api/arrivals', { residentId: A(0).id, ...travel('2022-11-28') })).body;
    const end = shanghaiDayStart('2022-12-05');
    expect(a.plan.isolation?.end).toBe(end);
    expect(await evaluate(A(0).id, shanghaiDayStart('2022-11-28') - 1)).toEqual([]);
    expect(await evaluate(A(0).id, shanghaiDayStart('2022-11-28'))).toEqual([
      { effect: 'deny', code: 'arrival_isolation', reason: '居家隔离中（高风险地区来返：某省某市某区），至12月4日24时', until: end },
    ]);
    expect(await evaluate(A(0).id, end - 1)).toHaveLength(1);
    expect(await evaluate(A(0).id, end)).toEqual([]);
    const res = await t.ctx.passageChecks.evaluate({ db: t.ctx.db, residentId: A(0).id, at: end - 1, place: { id: 'gate', kind: 'gate', regionCode: CODES.gridA }, protocol: await t.ctx.protocol.inForce(end - 1) });
    expect(res.pass).toBe(false);
  });

  it('withdrawn: tasks cancelled, monitoring ended, no longer denied; audited', async () => {
    const res = await req<Arrival>(t.world.usernames.community_worker, 'POST', `/api/arrivals/${a.id}/cancel`, { reason: '录入错误，实为他人' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: '录入错误，实为他人' });
    expect(res.body.tasks.every((x) => x.status === 'cancelled')).toBe(true);
    expect(await evaluate(A(0).id, t.clock.now())).toEqual([]);
    const m = await t.ctx.db.selectFrom('health_monitoring').select(['ended_at', 'end_note']).where('source_id', '=', a.id).executeTakeFirstOrThrow();
    expect(m.end_note).toBe('来返报备撤销：录入错误，实为他人');
    const again = await req<ErrorBody>(grid(), 'POST', `/api/arrivals/${a.id}/cancel`, { reason: '再次撤销' });
    expect(again.status).toBe(400);
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', a.id).orderBy('seq').execute();
    expect(audit.map((x) => x.action)).toEqual(['arrival.create', 'arrival.cancel']);
  });
});

describe('new persons and the portal', () => {
  const doc = buildResidentId('110105', '1990-05-06', 321);
  it('registers a person not yet in the register at the arrival address, through the register’s rules', async () => {
    t.clock.set(shanghaiDayStart('2026-11-29') + 9 * HOUR);
    const person = { householdId: t.world.householdA2, name: '陈新', docType: 'resident_id', docNumber: doc, phone: '13912345678' };
    const res = await req<Arrival>(grid(), 'POST', '/api/arrivals', { person, ...travel('2026-11-29', 'low') });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ newlyRegistered: true, resident: { name: '陈新', phoneMasked: '139****5678' }, plan: { protocolId: 'new-ten-2022-12', rule: { measure: 'none' } }, tasks: [] });
    expect(res.body.plan.summary).toBe('依据《关于进一步优化落实新冠肺炎疫情防控措施的通知（新十条）》：无需隔离或健康监测');
    const registered = (await req<Resident>(grid(), 'GET', `/api/residents/${res.body.resident.id}`)).body;
    expect(registered).toMatchObject({ householdId: t.world.householdA2, residenceStatus: 'floating', sex: 'male', birthDate: '1990-05-06' });
    expect(JSON.stringify(res.body)).not.toContain(doc);

    // The same document again: the register refuses it, pointing at the person's fields.
    const dup = await req<ErrorBody>(grid(), 'POST', '/api/arrivals', { person, ...travel('2026-11-29', 'low') });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT');
    expect(dup.body.error.fields?.[0]?.path).toBe('/body/person/docNumber');
    const bad = await req<ErrorBody>(grid(), 'POST', '/api/arrivals', { person: { ...person, docNumber: '110105199005063211' }, ...travel('2026-11-29', 'low') });
    expect(bad.body.error.fields?.[0]?.path).toBe('/body/person/docNumber');
    const both = await req<ErrorBody>(grid(), 'POST', '/api/arrivals', { residentId: A(0).id, person, ...travel('2026-11-29', 'low') });
    expect(both.body.error.fields?.[0]?.message).toContain('二选一');
  });

  it('leaves no half-registered person when the arrival cannot be stored', async () => {
    const other = buildResidentId('110105', '1992-02-02', 456);
    const person = { householdId: t.world.householdA2, name: '林半', docType: 'resident_id', docNumber: other };
    // The arrival's own write fails after the person was registered in the same transaction.
    const failing = vi.spyOn(arrivalsRepository, 'insert').mockRejectedValueOnce(new Error('disk full'));
    const res = await req<ErrorBody>(grid(), 'POST', '/api/arrivals', { person, ...travel('2026-11-29', 'low') });
    failing.mockRestore();
    expect(res.status).toBe(500);
    const found = await t.ctx.db.selectFrom('residents').select('id').where('name', '=', '林半').execute();
    expect(found).toEqual([]);
    // Nothing blocks the retry: the same person and arrival go through once the write succeeds.
    const again = await req<Arrival>(grid(), 'POST', '/api/arrivals', { person, ...travel('2026-11-29', 'low') });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ newlyRegistered: true, resident: { name: '林半' } });
  });

  it('lets a resident report their own arrival and see it', async () => {
    const res = await req<Arrival>(t.world.usernames.resident, 'POST', '/api/me/arrivals', travel('2026-11-28', 'low'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ resident: { id: A(0).id }, reportedBy: { kind: 'self' } });
    const mine = (await req<{ items: Arrival[] }>(t.world.usernames.resident, 'GET', '/api/me/arrivals')).body.items;
    expect(mine[0]!.id).toBe(res.body.id);
    expect(mine.every((x) => x.resident.id === A(0).id)).toBe(true);
  });

  it('gives the other jurisdiction nothing', async () => {
    const list = await req<{ items: Arrival[] }>('b_command', 'GET', '/api/arrivals');
    expect(list.body.items).toEqual([]);
    const one = (await req<{ items: Arrival[] }>(grid(), 'GET', '/api/arrivals')).body.items[0]!;
    expect((await req<ErrorBody>('b_command', 'GET', `/api/arrivals/${one.id}`)).status).toBe(404);
    expect((await req<ErrorBody>('b_command', 'POST', `/api/arrivals/${one.id}/cancel`, { reason: '越界撤销' })).status).toBe(404);
    const named = await req<ErrorBody>('b_command', 'POST', '/api/arrivals', { residentId: A(0).id, ...travel('2026-11-29', 'low') });
    expect(named.status).toBe(409);
    const intoA = await req<ErrorBody>('b_command', 'POST', '/api/arrivals', { person: { householdId: t.world.householdA, name: '越界', docType: 'resident_id', docNumber: buildResidentId('110105', '1991-01-01', 11) }, ...travel('2026-11-29', 'low') });
    expect(intoA.status).toBe(409);
    expect(intoA.body.error.fields?.[0]?.path).toBe('/body/person/householdId');
  });
});
