/**
 * The life of an isolation order (issue #7): activation sets daily monitoring and test tasks on exactly the test
 * days of the version at its start (pending measures set nothing until approved); ending early ends the monitoring
 * and cancels open tasks; extension adds what now falls inside; release proposals appear on the due day (Asia/
 * Shanghai) and not before, released in bulk by a person; deliveries of notices are recorded, the portal's first
 * view once; the other jurisdiction gets nothing.
 */
import type { BulkReleaseResult, Compliance, Measure, MeasureDelivery, RecordDeliveriesResult, ReleaseProposalPage } from '@gridline/shared';
import { buildResidentId, shanghaiDayStart } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const HOUR = 3_600_000;
interface ErrorBody {
  error: { code: string; fields?: { path: string; code: string; message: string }[] };
}

let t: TestApp;
const sys = Scope.system('test');
beforeAll(async () => {
  t = await createTestApp();
  await t.ctx.services.users.create(sys, { username: 'b_command', displayName: '乙方指挥', role: 'command', nodeCode: CODES.streetB, password: TEST_PASSWORD });
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
});
afterAll(() => t.close());

const req = <T>(username: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.as<T>(username, method, url, payload);
const worker = () => t.world.usernames.community_worker;
const command = () => t.world.usernames.command;
const home = { kind: 'home', name: '家中' };
const site = { kind: 'site', name: '区集中隔离点' };
let seq = 0;
/** A fresh side-A resident (each scenario its own person, so their measures do not meet). */
const person = async (name: string) =>
  (await t.ctx.services.residents.create(sys, {
    householdId: t.world.householdA2, name, docType: 'resident_id', docNumber: buildResidentId('110105', '1988-03-03', 700 + seq++), relationToHead: 'non_relative', residenceStatus: 'registered',
  } as never)).id;
const tasksOf = (measureId: string) =>
  t.ctx.db.selectFrom('tasks').select(['title', 'type', 'status', 'due_at', 'region_code']).where('source_type', '=', 'measure').where('source_id', '=', measureId).orderBy('due_at').execute();
const monitoringOf = (measureId: string) =>
  t.ctx.db.selectFrom('health_monitoring').select(['start_day', 'end_day', 'ended_at']).where('source_type', '=', 'measure').where('source_id', '=', measureId).orderBy('start_day').execute();
const due = (d: string) => Number(shanghaiDayStart(d));

describe('activation', () => {
  it('a close contact’s centralized isolation under the ninth edition: monitoring for its window and tasks on days 1, 2, 3, 5, 7 for the grid', async () => {
    t.clock.set(shanghaiDayStart('2022-11-01') + 9 * HOUR);
    const rid = await person('隔离甲');
    const m = await req<Measure>(command(), 'POST', '/api/measures', { residentId: rid, measure: 'centralized_isolation', subject: { kind: 'close_contact' }, firstDay: '2022-11-01', days: 7, place: site });
    expect(m.body).toMatchObject({ status: 'active', protocol: { id: 'ninth-2022-06' } });
    expect(await monitoringOf(m.body.id)).toEqual([{ start_day: '2022-11-01', end_day: '2022-11-07', ended_at: null }]);
    const tasks = await tasksOf(m.body.id);
    expect(tasks.map((x) => [x.title, Number(x.due_at)])).toEqual([
      ['第1天核酸', due('2022-11-02')], ['第2天核酸', due('2022-11-03')], ['第3天核酸', due('2022-11-04')], ['第5天核酸', due('2022-11-06')], ['第7天核酸', due('2022-11-08')],
    ]);
    expect(new Set(tasks.map((x) => `${x.type}/${x.status}/${x.region_code}`))).toEqual(new Set([`measure_test/open/${CODES.gridA}`]));
    // The grid worker sees the person among those who must report today and have not.
    const missing = await req<{ items: { residentId: string }[] }>(t.world.usernames.grid_worker, 'GET', '/api/health/missing?pageSize=200');
    expect(missing.body.items.map((x) => x.residentId)).toContain(rid);
  });

  it('keeps the version at the start: entered after the twenty measures took effect, days 5 and 7 of the ninth edition (not 5 and 6)', async () => {
    t.clock.set(shanghaiDayStart('2022-11-12') + 9 * HOUR);
    const rid = await person('隔离乙');
    const m = await req<Measure>(command(), 'POST', '/api/measures', { residentId: rid, measure: 'centralized_isolation', subject: { kind: 'close_contact' }, firstDay: '2022-11-08', days: 7, place: site });
    expect(m.body.protocol.id).toBe('ninth-2022-06');
    // Days 1–3 (8–10 November) are over: no task can be done for them any more.
    expect((await tasksOf(m.body.id)).map((x) => [x.title, Number(x.due_at)])).toEqual([['第5天核酸', due('2022-11-13')], ['第7天核酸', due('2022-11-15')]]);
  });

  it('a pending measure sets nothing going until it is approved', async () => {
    t.clock.set(shanghaiDayStart('2026-11-29') + 9 * HOUR);
    const rid = await person('待批丙');
    const m = await req<Measure>(worker(), 'POST', '/api/measures', { residentId: rid, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: '2026-11-29', days: 10, place: home, reason: '同住家人为透析患者' });
    expect(m.body.status).toBe('pending');
    expect(await tasksOf(m.body.id)).toEqual([]);
    expect(await monitoringOf(m.body.id)).toEqual([]);
    const ok = await req<Measure>(command(), 'POST', `/api/measures/${m.body.id}/decision`, { approve: true, reason: '同意，理由充分' });
    expect(ok.body.status).toBe('active');
    expect((await tasksOf(m.body.id)).map((x) => [x.title, Number(x.due_at)])).toEqual([['第5天核酸', due('2026-12-04')]]);
    expect(await monitoringOf(m.body.id)).toEqual([{ start_day: '2026-11-29', end_day: '2026-12-08', ended_at: null }]);
  });
});

describe('ending early and extending', () => {
  it('a release before the end ends the monitoring and cancels the open tasks; a done task stays done', async () => {
    t.clock.set(shanghaiDayStart('2022-11-01') + 9 * HOUR);
    const rid = await person('提前丁');
    const m = await req<Measure>(command(), 'POST', '/api/measures', { residentId: rid, measure: 'centralized_isolation', subject: { kind: 'close_contact' }, firstDay: '2022-11-01', days: 7, place: site });
    const first = await t.ctx.db.selectFrom('tasks').select(['id', 'version']).where('source_id', '=', m.body.id).where('title', '=', '第1天核酸').executeTakeFirstOrThrow();
    const cookie = await t.login(worker());
    expect((await t.app.inject({ method: 'PATCH', url: `/api/tasks/${first.id}`, headers: { cookie }, payload: { version: first.version, status: 'done', note: '已采样' } })).statusCode).toBe(200);
    t.clock.set(shanghaiDayStart('2022-11-03') + 10 * HOUR);
    const released = await req<Measure>(worker(), 'POST', `/api/measures/${m.body.id}/release`, { note: '经核实非密接' });
    expect(released.body.status).toBe('ended');
    expect((await tasksOf(m.body.id)).map((x) => `${x.title}:${x.status}`)).toEqual(['第1天核酸:done', '第2天核酸:cancelled', '第3天核酸:cancelled', '第5天核酸:cancelled', '第7天核酸:cancelled']);
    expect((await monitoringOf(m.body.id))[0]!.ended_at).toBe(t.clock.now());
  });

  it('extending brings the test day that now falls inside, and monitoring for the added days', async () => {
    t.clock.set(shanghaiDayStart('2026-11-29') + 9 * HOUR);
    const rid = await person('延长戊');
    const m = await req<Measure>(worker(), 'POST', '/api/measures', { residentId: rid, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: '2026-11-29', days: 4, place: home });
    expect(await tasksOf(m.body.id)).toEqual([]);
    const ext = await req<Measure>(worker(), 'POST', `/api/measures/${m.body.id}/extend`, { days: 1, reason: '补足方案规定天数' });
    expect(ext.status).toBe(200);
    expect((await tasksOf(m.body.id)).map((x) => [x.title, Number(x.due_at)])).toEqual([['第5天核酸', due('2026-12-04')]]);
    expect((await monitoringOf(m.body.id)).map((x) => [x.start_day, x.end_day])).toEqual([['2026-11-29', '2026-12-02'], ['2026-12-03', '2026-12-03']]);
  });
});

describe('release proposals at the due date', () => {
  let due5 = '';
  let noTest = '';
  const ids = (b: ReleaseProposalPage) => b.items.map((x) => x.id);
  it('appear on the last day in force (Shanghai midnight) and not a millisecond before', async () => {
    t.clock.set(shanghaiDayStart('2026-11-29') + 9 * HOUR);
    const a = await req<Measure>(worker(), 'POST', '/api/measures', { residentId: t.world.residentsA[0]!.resident.id, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: '2026-11-29', days: 5, place: home });
    const b = await req<Measure>(worker(), 'POST', '/api/measures', { residentId: await person('缺检己'), measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: '2026-11-29', days: 5, place: home });
    due5 = a.body.id;
    noTest = b.body.id;
    t.clock.set(shanghaiDayStart('2026-12-03') - 1);
    expect(ids((await req<ReleaseProposalPage>(worker(), 'GET', '/api/measures/releases?pageSize=200')).body)).not.toContain(due5);
    t.clock.set(shanghaiDayStart('2026-12-03'));
    const list = await req<ReleaseProposalPage>(worker(), 'GET', `/api/measures/releases?node=${CODES.communityA}&pageSize=200`);
    const p = list.body.items.find((x) => x.id === due5)!;
    expect(p).toMatchObject({ dueDay: '2026-12-03', overdue: false, extendable: true, met: false, summary: '不满足：缺第5天核酸', protocol: { id: 'new-ten-2022-12' } });
  });

  it('conditions hold once the day-5 test is reported negative; the bulk release records it and ends it now', async () => {
    t.clock.set(shanghaiDayStart('2026-12-03') + 8 * HOUR);
    const reported = await req(t.world.usernames.resident, 'PUT', '/api/me/health', { temperatureC: 36.5, symptoms: [], test: { sampledAt: shanghaiDayStart('2026-12-03') + 7 * HOUR, result: 'negative' } });
    expect(reported.status).toBe(200);
    const p = (await req<ReleaseProposalPage>(worker(), 'GET', '/api/measures/releases?pageSize=200')).body.items.find((x) => x.id === due5)!;
    expect(p).toMatchObject({ met: true, summary: '条件满足' });
    const res = await req<BulkReleaseResult>(worker(), 'POST', '/api/measures/releases', { measureIds: [due5, noTest] });
    expect(res.status).toBe(200);
    expect(res.body.released).toBe(1);
    expect(res.body.results).toEqual([
      { id: due5, released: true, problem: null },
      { id: noTest, released: false, problem: '不满足：缺第5天核酸（须延长，或写明理由后解除）' },
    ]);
    const m = (await req<Measure>(worker(), 'GET', `/api/measures/${due5}`)).body;
    expect(m).toMatchObject({ status: 'ended', endedAt: t.clock.now(), inForce: false });
    expect(ids((await req<ReleaseProposalPage>(worker(), 'GET', '/api/measures/releases?pageSize=200')).body)).not.toContain(due5);
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', due5).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['measure.create', 'measure.release']);
  });

  it('after the planned end, a release with a written reason records the end as it happened', async () => {
    t.clock.set(shanghaiDayStart('2026-12-05') + 9 * HOUR);
    const p = (await req<ReleaseProposalPage>(worker(), 'GET', '/api/measures/releases?pageSize=200')).body.items.find((x) => x.id === noTest)!;
    expect(p).toMatchObject({ overdue: true, extendable: false, met: false });
    const res = await req<BulkReleaseResult>(worker(), 'POST', '/api/measures/releases', { measureIds: [noTest], overrideReason: '第5天在医院采样，结果阴性（纸质报告）' });
    expect(res.body.released).toBe(1);
    expect((await req<Measure>(worker(), 'GET', `/api/measures/${noTest}`)).body).toMatchObject({ status: 'ended', endedAt: shanghaiDayStart('2026-12-04') });
  });
});

describe('delivery records', () => {
  it('the portal’s first view is recorded once; staff record other channels in bulk; the compliance view counts what is undelivered', async () => {
    t.clock.set(shanghaiDayStart('2026-12-05') + 10 * HOUR);
    const mine = (await req<Measure[]>(t.world.usernames.resident, 'GET', '/api/me/measures')).body;
    const released = mine.find((m) => m.status === 'ended' && m.kind === 'home_isolation')!;
    const before = (await req<Compliance>(t.world.usernames.auditor, 'GET', '/api/measures/compliance')).body.rows.find((r) => r.code === CODES.communityA)!.undeliveredNotices;
    const first = await req<RecordDeliveriesResult>(t.world.usernames.resident, 'POST', '/api/me/measures/viewed', { measureIds: [released.id] });
    expect(first.body).toEqual({ recorded: 2, already: 0 });
    const firstAt = t.clock.now();
    t.clock.set(firstAt + HOUR);
    expect((await req<RecordDeliveriesResult>(t.world.usernames.resident, 'POST', '/api/me/measures/viewed', { measureIds: [released.id] })).body).toEqual({ recorded: 0, already: 2 });
    const after = (await req<Compliance>(t.world.usernames.auditor, 'GET', '/api/measures/compliance')).body.rows.find((r) => r.code === CODES.communityA)!.undeliveredNotices;
    expect(after).toBe(before - 1);

    const staff = await req<RecordDeliveriesResult>(worker(), 'POST', '/api/measures/deliveries', { measureIds: [released.id], document: 'release', channel: 'in_person', note: '本人签收' });
    expect(staff.body).toEqual({ recorded: 1, already: 0 });
    const list = await req<MeasureDelivery[]>(worker(), 'GET', `/api/measures/${released.id}/deliveries`);
    expect(list.body.map((d) => [d.document, d.channel, d.deliveredAt])).toEqual([['notice', 'portal', firstAt], ['release', 'portal', firstAt], ['release', 'in_person', firstAt + HOUR]]);
    expect(list.body[2]!.recordedBy).toBe('测试community_worker');

    // A release certificate exists only once released; the delivery time cannot be in the future.
    const active = (await req<{ items: Measure[] }>(worker(), 'GET', '/api/measures?status=active&pageSize=1')).body.items[0]!;
    const noCert = await req<ErrorBody>(worker(), 'POST', '/api/measures/deliveries', { measureIds: [active.id], document: 'release', channel: 'posted' });
    expect(noCert.status).toBe(400);
    // The refusal names whose measure it is, so that the worker knows which row to untick.
    expect(active.resident?.name).toBeTruthy();
    expect(noCert.body.error.fields?.[0]).toMatchObject({ path: '/body/measureIds', message: `${active.resident!.name}的措施尚未解除，没有解除证明可送达` });
    const future = await req<ErrorBody>(worker(), 'POST', '/api/measures/deliveries', { measureIds: [active.id], document: 'notice', channel: 'posted', deliveredAt: t.clock.now() + 2 * HOUR });
    expect(future.body.error.fields?.[0]?.path).toBe('/body/deliveredAt');
  });
});

describe('the other jurisdiction', () => {
  it('gets no proposals, cannot release, record or read deliveries; a resident cannot mark someone else’s notice', async () => {
    const aMeasure = (await req<{ items: Measure[] }>(worker(), 'GET', '/api/measures?pageSize=1')).body.items[0]!;
    expect((await req<ReleaseProposalPage>('b_command', 'GET', '/api/measures/releases?pageSize=200')).body.items).toEqual([]);
    expect((await req<ErrorBody>('b_command', 'GET', `/api/measures/releases?node=${CODES.communityA}`)).status).toBe(403);
    expect((await req<ErrorBody>('b_command', 'POST', '/api/measures/releases', { measureIds: [aMeasure.id] })).body.error.code).toBe('GRIDLINE_REFERENCE_MISSING');
    expect((await req<ErrorBody>('b_command', 'POST', '/api/measures/deliveries', { measureIds: [aMeasure.id], document: 'notice', channel: 'posted' })).body.error.code).toBe('GRIDLINE_REFERENCE_MISSING');
    expect((await req<ErrorBody>('b_command', 'GET', `/api/measures/${aMeasure.id}/deliveries`)).status).toBe(404);
    // The household neighbour's notice: the resident's portal view records nothing for it.
    const spouse = await req<Measure>(worker(), 'POST', '/api/measures', { residentId: t.world.residentsA[1]!.resident.id, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: '2026-12-05', days: 5, place: home });
    expect(spouse.body.status).toBe('active');
    const before = await t.ctx.db.selectFrom('measure_deliveries').select('id').execute();
    expect((await req<RecordDeliveriesResult>(t.world.usernames.resident, 'POST', '/api/me/measures/viewed', { measureIds: [spouse.body.id] })).body).toEqual({ recorded: 0, already: 0 });
    expect((await t.ctx.db.selectFrom('measure_deliveries').select('id').execute()).length).toBe(before.length);
  });
});
