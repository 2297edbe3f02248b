/**
 * Area controls in force (issue #7): residents affected, the lifting rule under the version at the start (met from
 * 00:00 Asia/Shanghai of the Nth infection-free day, with the negative round where the version asks for one), the
 * downgrade proposals, and acting on them — at once with the street's approval (the higher control ends and the lower
 * one starts in one transaction), pending the street otherwise; the other jurisdiction gets nothing.
 */
import type { AreaControlList, AreaStepDownResult, Measure } from '@gridline/shared';
import { shanghaiDayStart } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { measuresRepository } from '../src/modules/measures/measures.repository.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
interface ErrorBody {
  error: { code: string; fields?: { path: string; code: string; message: string }[]; details?: Record<string, unknown> };
}

let t: TestApp;
const sys = Scope.system('test');
beforeAll(async () => {
  t = await createTestApp();
  await t.ctx.services.users.create(sys, { username: 'b_command', displayName: '乙方指挥', role: 'command', nodeCode: CODES.streetB, password: TEST_PASSWORD });
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
  // Only the grid has a boundary: the building inside it is drawn with the grid's shape.
  const ring = [[116.45, 39.92], [116.46, 39.92], [116.46, 39.93], [116.45, 39.93], [116.45, 39.92]];
  await t.ctx.services.regions.importBoundaries(sys, { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { code: CODES.gridA } }] });
});
afterAll(() => t.close());

const req = <T>(username: string, method: 'GET' | 'POST', url: string, payload?: object) => t.as<T>(username, method, url, payload);
const worker = () => t.world.usernames.community_worker;
const command = () => t.world.usernames.command;
const A = (i: number) => t.world.residentsA[i]!.resident;
const areas = (user: string) => req<AreaControlList>(user, 'GET', '/api/measures/areas');
const proposals = (user: string) => req<AreaControlList>(user, 'GET', '/api/measures/areas/proposals');
const denials = async (residentId: string, at: number) =>
  (await t.ctx.passageChecks.evaluate({ db: t.ctx.db, residentId, at, place: { id: 'gate', kind: 'gate', regionCode: CODES.gridA }, protocol: await t.ctx.protocol.inForce(at) })).findings.filter(
    (f) => f.code === 'measure_in_force',
  );
const stored = (id: string) => t.ctx.db.selectFrom('measures').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('ninth edition: high steps down to medium after 7 days and a negative round', () => {
  let building = '';
  let unit = '';
  it('shows residents affected, the shape (inherited from the grid) and what is missing', async () => {
    // The infection is found on 06-30 (onset 06-29); the controls start the next day.
    t.clock.set(shanghaiDayStart('2022-06-30') + 10 * HOUR);
    await t.ctx.services.cases.create(sys, { classification: 'confirmed', residentId: A(2).id, onsetDate: '2022-06-29', reportSource: '医院报告' });
    t.clock.set(shanghaiDayStart('2022-07-01') + 9 * HOUR);
    const b = await req<Measure>(command(), 'POST', '/api/measures/areas', { level: 'high', scopeCode: CODES.buildingA, firstDay: '2022-07-01', plannedDays: 7 });
    const u = await req<Measure>(command(), 'POST', '/api/measures/areas', { level: 'high', scopeCode: CODES.unitA, firstDay: '2022-07-01', plannedDays: 7 });
    expect([b.body.status, u.body.status, b.body.protocol.id]).toEqual(['active', 'active', 'ninth-2022-06']);
    expect(b.body.residentsAffected).toBe(3);
    building = b.body.id;
    unit = u.body.id;

    const list = await areas(worker());
    expect(list.status).toBe(200);
    const row = list.body.items.find((c) => c.id === building)!;
    expect(row).toMatchObject({
      regionCode: CODES.buildingA, nodeName: '1栋', placeName: '社区A 网格A', nodeLevel: 'building', areaLevel: 'high', residents: 3, inForce: true, pendingStepDown: null,
      map: { code: CODES.gridA, name: '网格A', inherited: true, geometry: { type: 'Polygon' } },
      lifting: {
        status: 'not_met', action: 'step_down', stepsDownTo: 'medium', cleanFrom: '2022-07-01', cleanDays: 1, daysNeeded: 7, lastInfectionDay: '2022-06-30',
        // The infected resident is treated elsewhere: two in residence, neither tested yet.
        missing: ['还需连续 6 天无新增', '尚缺全员核酸阴性：2 人未检测'], round: { inResidence: 2, untested: 2, positives: 0, windowHours: 48 },
      },
    });
    expect(list.body.items.map((c) => c.id)).toContain(unit);
    expect((await proposals(worker())).body.items).toEqual([]);
  });

  it('on the 7th day the days are met; the round is met once everyone in residence has a negative test in the last 48 h', async () => {
    const day7 = shanghaiDayStart('2022-07-07');
    t.clock.set(day7 - 1);
    expect((await areas(worker())).body.items.find((c) => c.id === building)!.lifting.missing).toEqual(['还需连续 1 天无新增', '尚缺全员核酸阴性：2 人未检测']);
    t.clock.set(day7 + 9 * HOUR);
    // A test 49 hours old is outside the round; a fresh one counts.
    await t.ctx.services.health.report(sys, { residentId: A(0).id, temperatureC: 36.5, symptoms: [], test: { sampledAt: day7 + 9 * HOUR - 49 * HOUR, result: 'negative' } });
    expect((await areas(worker())).body.items.find((c) => c.id === building)!.lifting.missing).toEqual(['尚缺全员核酸阴性：2 人未检测']);
    await t.ctx.services.health.report(sys, { residentId: A(1).id, temperatureC: 36.6, symptoms: [], test: { sampledAt: day7 + 7 * HOUR, result: 'negative' } });
    expect((await areas(worker())).body.items.find((c) => c.id === building)!.lifting.missing).toEqual(['尚缺全员核酸阴性：1 人未检测']);
    t.clock.set(day7 + 10 * HOUR);
    // The day's report corrected with today's sample.
    await t.ctx.services.health.report(sys, { residentId: A(0).id, temperatureC: 36.5, symptoms: [], test: { sampledAt: day7 + 8 * HOUR, result: 'negative' } });
    const row = (await areas(worker())).body.items.find((c) => c.id === building)!;
    expect(row.lifting).toMatchObject({ status: 'met', metOn: '2022-07-07', missing: [], round: { inResidence: 2, untested: 0 } });
    expect((await proposals(worker())).body.items.map((c) => c.id).sort()).toEqual([building, unit].sort());
  });

  it('the street steps the building down at once: the high control ends now and the medium one starts now, linked to it', async () => {
    const now = t.clock.now();
    const version = (await stored(building)).version;
    const res = await req<AreaStepDownResult>(command(), 'POST', `/api/measures/areas/${building}/step-down`, { version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'stepped_down', ended: { id: building, status: 'ended', endedAt: now, inForce: false }, created: { status: 'active', areaLevel: 'medium', startAt: now, plannedEndAt: now + 7 * DAY, inForce: true, residentsAffected: 3 } });
    const lower = await stored(res.body.created!.id);
    expect([lower.source_type, lower.source_id, lower.protocol_id, lower.denies_passage]).toEqual(['area_control', building, 'ninth-2022-06', 1]);
    const audit = await t.ctx.db.selectFrom('audit_events').select(['action', 'entity_id']).where('entity_id', 'in', [building, lower.id]).orderBy('seq').execute();
    expect(audit.slice(-2)).toEqual([{ action: 'measure.release', entity_id: building }, { action: 'measure.create', entity_id: lower.id }]);
    // Residents of the building are now in a medium-risk area.
    expect((await denials(A(0).id, now)).map((f) => f.reason)).toContain('位于中风险区，至7月14日10:00');
  });

  it('a failure after ending the higher control rolls both back (one transaction)', async () => {
    const before = await stored(unit);
    const spy = vi.spyOn(measuresRepository, 'insert').mockRejectedValueOnce(new Error('disk full'));
    try {
      const res = await req<ErrorBody>(command(), 'POST', `/api/measures/areas/${unit}/step-down`, { version: before.version });
      expect(res.status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(await stored(unit)).toEqual(before);
    expect((await t.ctx.db.selectFrom('measures').select('id').where('source_id', '=', unit).execute()).length).toBe(0);
  });

  it('a community worker’s step-down waits for the street; approving it ends the higher control and starts the lower from then', async () => {
    const version = (await stored(unit)).version;
    const stale = await req<ErrorBody>(worker(), 'POST', `/api/measures/areas/${unit}/step-down`, { version: version + 1 });
    expect(stale.body.error.code).toBe('GRIDLINE_STALE_VERSION');
    const res = await req<AreaStepDownResult>(worker(), 'POST', `/api/measures/areas/${unit}/step-down`, { version });
    expect(res.body).toMatchObject({ outcome: 'pending', ended: null, created: { status: 'pending', areaLevel: 'medium', requiredApproval: 'street' } });
    expect((await stored(unit)).status).toBe('active');
    const row = (await areas(worker())).body.items.find((c) => c.id === unit)!;
    expect(row.pendingStepDown).toEqual({ id: res.body.created!.id, toLevel: 'medium' });
    expect((await proposals(worker())).body.items.map((c) => c.id)).not.toContain(unit);
    const again = await req<ErrorBody>(worker(), 'POST', `/api/measures/areas/${unit}/step-down`, { version });
    expect(again.body.error.fields?.[0]).toMatchObject({ path: '/params/id', code: 'pending' });

    t.clock.advance(2 * HOUR);
    const at = t.clock.now();
    const approved = await req<Measure>(command(), 'POST', `/api/measures/${res.body.created!.id}/decision`, { approve: true, reason: '第7天全员核酸阴性，同意降级' });
    expect(approved.body).toMatchObject({ status: 'active', inForce: true, startAt: at, plannedEndAt: at + 7 * DAY });
    expect(await stored(unit)).toMatchObject({ status: 'ended', ended_at: at });
  });
});

describe('new ten measures: a high-risk area is lifted after 5 days (no round)', () => {
  let id = '';
  it('is not met one millisecond before 00:00 of the 5th day, and is met at it', async () => {
    t.clock.set(shanghaiDayStart('2026-11-28') + 15 * HOUR);
    await t.ctx.services.cases.create(sys, { classification: 'confirmed', residentId: A(0).id, onsetDate: '2026-11-27', reportSource: '医院报告' });
    t.clock.set(shanghaiDayStart('2026-11-29') + 9 * HOUR);
    const m = await req<Measure>(command(), 'POST', '/api/measures/areas', { level: 'high', scopeCode: CODES.unitA, firstDay: '2026-11-29', plannedDays: 5 });
    expect(m.body).toMatchObject({ status: 'active', protocol: { id: 'new-ten-2022-12' } });
    id = m.body.id;
    // Infection-free days 11-29 … 12-03: met from 2026-12-03 00:00 +08:00 (= 12-02 16:00 UTC).
    t.clock.set(shanghaiDayStart('2026-12-03') - 1);
    const before = (await areas(worker())).body.items.find((c) => c.id === id)!;
    expect(before.lifting).toMatchObject({ status: 'not_met', missing: ['还需连续 1 天无新增'], round: null, action: 'lift' });
    const refused = await req<ErrorBody>(command(), 'POST', `/api/measures/areas/${id}/step-down`, { version: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.fields).toEqual([{ path: '/params/id', code: 'rule_not_met', message: '尚不符合解除条件：还需连续 1 天无新增' }]);
    t.clock.set(shanghaiDayStart('2026-12-03'));
    const on = (await proposals(worker())).body.items.find((c) => c.id === id)!;
    expect(on.lifting).toMatchObject({ status: 'met', metOn: '2026-12-03', action: 'lift', stepsDownTo: null, cleanDays: 5 });
  });

  it('the other street sees nothing and cannot act on it', async () => {
    expect((await areas('b_command')).body.items).toEqual([]);
    expect((await proposals('b_command')).body.items).toEqual([]);
    expect((await req<ErrorBody>('b_command', 'GET', `/api/measures/areas?node=${CODES.communityA}`)).body.error.code).toBe('GRIDLINE_OUT_OF_SCOPE');
    const other = await req<ErrorBody>('b_command', 'POST', `/api/measures/areas/${id}/step-down`, { version: 1 });
    expect(other.status).toBe(404);
  });

  it('a lift needs the street: the community is refused, the street lifts it and the checkpoint stops denying', async () => {
    const community = await req<ErrorBody>(worker(), 'POST', `/api/measures/areas/${id}/step-down`, { version: 1 });
    expect(community.status).toBe(403);
    expect(community.body.error.details?.reason).toBe('解除区域管控须由街道决定');
    const now = t.clock.now();
    expect(await denials(A(1).id, now)).toHaveLength(1);
    const lifted = await req<AreaStepDownResult>(command(), 'POST', `/api/measures/areas/${id}/step-down`, { version: 1, note: '连续5天无新增，解除' });
    expect(lifted.body).toMatchObject({ outcome: 'lifted', created: null, ended: { id, status: 'ended', endedAt: now } });
    expect(await denials(A(1).id, now)).toEqual([]);
    expect((await areas(worker())).body.items.map((c) => c.id)).not.toContain(id);
    const ended = await req<ErrorBody>(command(), 'POST', `/api/measures/areas/${id}/step-down`, { version: 2 });
    expect(ended.body.error.fields?.[0]).toMatchObject({ code: 'not_active' });
  });
});
