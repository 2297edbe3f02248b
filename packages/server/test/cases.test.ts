/**
 * Cases: numbering, the resident's node and address, a non-resident's sealed phone, the protocol version at the
 * anchor date (a case whose onset falls before the twenty measures keeps the ninth edition), reclassification
 * with its timeline (confirmation starts the 24-hour clock), closing with an outcome, optimistic versions, scope.
 */
import type { CaseDetail, CasePage, CaseView } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

interface ErrorBody {
  error: { code: string; fields?: { path: string; code: string; message: string }[] };
}

let t: TestApp;
const NOW = Date.UTC(2026, 10, 29, 1, 0, 0);
beforeAll(async () => {
  t = await createTestApp();
  await t.ctx.services.users.create(Scope.system('test'), { username: 'b_tracer', displayName: '乙方流调', role: 'tracer', nodeCode: CODES.streetB, password: TEST_PASSWORD });
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
});
afterAll(() => t.close());

const req = <T>(username: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.as<T>(username, method, url, payload);
const tracer = () => t.world.usernames.tracer;
const A = (i: number) => t.world.residentsA[i]!.resident;

describe('reporting a case', () => {
  let first: CaseView;

  it('numbers cases per day, takes the resident’s node and address, and starts the clock of a confirmed case', async () => {
    const res = await req<CaseView>(tracer(), 'POST', '/api/cases', { classification: 'confirmed', residentId: A(0).id, onsetDate: '2026-11-27', samplingDate: '2026-11-28', reportSource: '医院报告' });
    expect(res.status).toBe(201);
    first = res.body;
    const household = await t.ctx.db.selectFrom('households').select(['code', 'address']).where('id', '=', A(0).householdId).executeTakeFirstOrThrow();
    expect(first).toMatchObject({
      caseNo: 'BL-20261129-001', classification: 'confirmed', status: 'open', outcome: null, residentId: A(0).id, personName: A(0).name,
      regionCode: household.code, address: household.address, confirmedAt: NOW, protocolId: 'new-ten-2022-12', reportSource: '医院报告', version: 1,
    });
    expect(first.phoneMasked).toBe(A(0).phoneMasked);
    // A household code is not a region node: the case reads as its community and grid.
    expect(first.regionName).toBe('社区A 网格A');
    const second = (await req<CaseView>(tracer(), 'POST', '/api/cases', { classification: 'suspected', residentId: A(1).id, onsetDate: '2026-11-28', reportSource: '主动就诊' })).body;
    expect([second.caseNo, second.confirmedAt]).toEqual(['BL-20261129-002', null]);
  });

  it('records a person not in the register at a chosen node, with the phone sealed and only its masked form shown', async () => {
    const res = await req<CaseView>(tracer(), 'POST', '/api/cases', {
      classification: 'asymptomatic', person: { name: '外来务工人员', phone: '13912345678', regionCode: CODES.gridA, address: '某工地宿舍' }, samplingDate: '2026-11-28', reportSource: '核酸筛查',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ residentId: null, personName: '外来务工人员', regionCode: CODES.gridA, regionName: '社区A 网格A', phoneMasked: '139****5678', confirmedAt: NOW });
    const row = await t.ctx.db.selectFrom('cases').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row.phone_enc).not.toContain('13912345678');
    expect(t.ctx.cipher.decrypt(row.phone_enc!)).toBe('13912345678');
    expect(JSON.stringify(await t.ctx.db.selectFrom('audit_events').select('diff').where('entity_id', '=', res.body.id).execute())).not.toContain('13912345678');
  });

  it('refuses what cannot be true, field by field', async () => {
    const bad = async (b: object) => {
      const r = await req<ErrorBody>(tracer(), 'POST', '/api/cases', { classification: 'confirmed', reportSource: '医院报告', ...b });
      return [r.status, ...(r.body.error.fields ?? []).map((f) => f.path)];
    };
    expect(await bad({ residentId: A(2).id, onsetDate: '2026-11-30' })).toEqual([400, '/body/onsetDate']);
    expect(await bad({ residentId: A(2).id, samplingDate: '2026-02-30' })).toEqual([400, '/body/samplingDate']);
    expect(await bad({})).toEqual([400, '/body/residentId']);
    expect(await bad({ classification: 'asymptomatic', residentId: A(2).id, onsetDate: '2026-11-27' })).toEqual([400, '/body/onsetDate']);
    expect(await bad({ person: { name: '某人', phone: '12345', regionCode: CODES.gridA, address: '' } })).toEqual([400, '/body/person/phone']);
    expect(await bad({ residentId: t.world.residentsB[0]!.resident.id })).toEqual([409, '/body/residentId']);
  });

  it('lists with filters and counts, and hides everything from the other jurisdiction', async () => {
    const all = (await req<CasePage>(tracer(), 'GET', '/api/cases')).body;
    expect(all.total).toBe(3);
    expect(all.counts).toEqual({ open: 3, confirmed: 1, suspected: 1, asymptomatic: 1, confirmedToday: 2 });
    expect((await req<CasePage>(tracer(), 'GET', '/api/cases?classification=suspected')).body.items.map((c) => c.caseNo)).toEqual(['BL-20261129-002']);
    expect((await req<CasePage>(tracer(), 'GET', '/api/cases?q=BL-20261129-001')).body.items.map((c) => c.id)).toEqual([first.id]);
    expect((await req<CasePage>(tracer(), 'GET', `/api/cases?q=${encodeURIComponent('外来')}`)).body.total).toBe(1);
    expect((await req<CasePage>('b_tracer', 'GET', '/api/cases')).body.total).toBe(0);
    expect((await req<ErrorBody>('b_tracer', 'GET', `/api/cases/${first.id}`)).status).toBe(404);
    // A community worker reads cases but may not report them.
    expect((await req<CasePage>(t.world.usernames.community_worker, 'GET', '/api/cases')).body.total).toBe(3);
    expect((await req<ErrorBody>(t.world.usernames.community_worker, 'POST', '/api/cases', { classification: 'suspected', residentId: A(2).id, reportSource: '主动就诊' })).status).toBe(403);
  });
});

describe('the protocol version at the anchor date', () => {
  it('keeps the ninth edition for a case whose onset falls before the twenty measures, whenever it is read', async () => {
    t.clock.set(Date.parse('2022-11-12T10:00:00+08:00'));
    const c = (await req<CaseView>(tracer(), 'POST', '/api/cases', { classification: 'confirmed', residentId: A(2).id, onsetDate: '2022-11-10', samplingDate: '2022-11-11', reportSource: '医院报告' })).body;
    // Asymptomatic: sampling decides; sampled on the twenty measures' first day.
    const asym = (await req<CaseView>(tracer(), 'POST', '/api/cases', { classification: 'asymptomatic', residentId: A(1).id, samplingDate: '2022-11-11', reportSource: '核酸筛查' })).body;
    // Reported without dates: the report day's version; the onset date given later re-reads it.
    const late = (await req<CaseView>(tracer(), 'POST', '/api/cases', { classification: 'suspected', residentId: A(0).id, reportSource: '主动就诊' })).body;
    const corrected = (await req<CaseView>(tracer(), 'PATCH', `/api/cases/${late.id}`, { version: late.version, onsetDate: '2022-11-09' })).body;
    t.clock.set(NOW);
    expect([late.protocolId, corrected.protocolId, corrected.onsetDate]).toEqual(['twenty-2022-11', 'ninth-2022-06', '2022-11-09']);
    expect([c.caseNo, c.protocolId, asym.protocolId]).toEqual(['BL-20221112-001', 'ninth-2022-06', 'twenty-2022-11']);
    expect((await req<CaseDetail>(tracer(), 'GET', `/api/cases/${c.id}`)).body.case).toMatchObject({ protocolId: 'ninth-2022-06', protocolName: '新型冠状病毒肺炎防控方案（第九版）' });
  });

  it('without dates, takes the version in force on the report day; edits are optimistic', async () => {
    const c = (await req<CaseView>(tracer(), 'POST', '/api/cases', { classification: 'suspected', person: { name: '路人甲', regionCode: CODES.gridA, address: '' }, reportSource: '流调发现' })).body;
    expect(c.protocolId).toBe('new-ten-2022-12');
    // The version in force on the report day; an edit to the note leaves it.
    const edited = (await req<CaseView>(tracer(), 'PATCH', `/api/cases/${c.id}`, { version: c.version, note: '补充' })).body;
    expect([edited.protocolId, edited.version]).toEqual(['new-ten-2022-12', 2]);
    expect((await req<ErrorBody>(tracer(), 'PATCH', `/api/cases/${c.id}`, { version: 1, note: '旧版本' })).body.error.code).toBe('GRIDLINE_STALE_VERSION');
  });
});

describe('changes and their timeline', () => {
  it('confirms a suspected case (starting its clock), refuses impossible changes, closes with an outcome and shows who did what', async () => {
    const c = (await req<CaseView>(tracer(), 'POST', '/api/cases', { classification: 'suspected', residentId: A(1).id, onsetDate: '2026-11-28', reportSource: '主动就诊' })).body;
    t.clock.set(NOW + 3_600_000);
    const confirmed = await req<CaseView>(tracer(), 'POST', `/api/cases/${c.id}/reclassify`, { version: c.version, classification: 'confirmed', reason: '核酸复核阳性' });
    expect(confirmed.body).toMatchObject({ classification: 'confirmed', confirmedAt: NOW + 3_600_000, version: 2 });
    const back = await req<ErrorBody>(tracer(), 'POST', `/api/cases/${c.id}/reclassify`, { version: 2, classification: 'suspected', reason: '误报' });
    expect([back.status, back.body.error.fields?.[0]?.path]).toEqual([400, '/body/classification']);
    const ruledOut = await req<ErrorBody>(tracer(), 'POST', `/api/cases/${c.id}/close`, { version: 2, outcome: 'ruled_out', reason: '误报' });
    expect([ruledOut.status, ruledOut.body.error.fields?.[0]?.path]).toEqual([400, '/body/outcome']);
    t.clock.set(NOW + 10 * 86_400_000);
    const closed = await req<CaseView>(t.world.usernames.command, 'POST', `/api/cases/${c.id}/close`, { version: 2, outcome: 'recovered', reason: '治愈出院' });
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'recovered', confirmedAt: NOW + 3_600_000 });
    t.clock.set(NOW);
    const again = await req<ErrorBody>(tracer(), 'POST', `/api/cases/${c.id}/reclassify`, { version: 3, classification: 'confirmed', reason: '再次' });
    expect(again.status).toBe(400);
    const detail = (await req<CaseDetail>(tracer(), 'GET', `/api/cases/${c.id}`)).body;
    expect(detail.changes.map((x) => [x.field, x.from, x.to, x.actorName, x.at])).toEqual([
      ['created', null, 'suspected', `测试tracer`, NOW],
      ['classification', 'suspected', 'confirmed', `测试tracer`, NOW + 3_600_000],
      ['status', 'open', 'closed', '测试command', NOW + 10 * 86_400_000],
      ['outcome', null, 'recovered', '测试command', NOW + 10 * 86_400_000],
    ]);
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', c.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['case.create', 'case.reclassify', 'case.close']);
  });

  it('an asymptomatic infection that develops symptoms keeps the clock started when it was found', async () => {
    const c = (await req<CaseView>(tracer(), 'POST', '/api/cases', { classification: 'asymptomatic', residentId: A(2).id, samplingDate: '2026-11-28', reportSource: '核酸筛查' })).body;
    t.clock.set(NOW + 86_400_000);
    const r = (await req<CaseView>(tracer(), 'POST', `/api/cases/${c.id}/reclassify`, { version: 1, classification: 'confirmed', reason: '出现发热症状' })).body;
    t.clock.set(NOW);
    expect([r.classification, r.confirmedAt]).toEqual(['confirmed', NOW]);
  });
});
