/**
 * Contact tracing end to end through the HTTP API on a real database: proposals from the household and from
 * co-located scans (window edges, across midnight, a visitor), idempotent re-runs, bulk confirm with follow-up
 * tasks, secondary contacts by the version in force, the grid worker's follow-up view, another jurisdiction
 * getting nothing, the 24-hour clock, the DOCX/XLSX report and the chain graph.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { buildResidentId, type BulkContactsResult, type CaseTracing, type ClockSummary, type ClusterDetail, type ClusterPage, type FollowupPage, type GraphSearchResult, type TraceResult } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scansRepository } from '../src/modules/places/scans.repository.js';
import { scanRow } from '../src/modules/places/scans.service.js';
import { phoneHash } from '../src/modules/residents/personal-fields.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const HOUR = 3_600_000;
const sys = Scope.system('test');
const at = (iso: string) => Date.parse(iso);
let t: TestApp;
let caseId: string;
let caseNo: string;
let son: string;
const users = { tracerB: 'tracer_b', gridB: 'grid_b' };

const req = async <T>(username: string, method: 'GET' | 'POST', url: string, payload?: object) => {
  const cookie = await t.login(username);
  const res = await t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const json = String(res.headers['content-type'] ?? '').includes('json');
  return { status: res.statusCode, body: (json ? res.json<T>() : null) as T, raw: res.rawPayload, headers: res.headers };
};
const tracer = () => t.world.usernames.tracer;
const names = (c: CaseTracing) => c.contacts.map((k) => k.personName).sort();

beforeAll(async () => {
  t = await createTestApp();
  // Under the ninth edition (in force from 2022-06-28): look-back 4 days, stays of 30 min, overlap ≥ 10 min, 次密接 identified.
  t.clock.set(at('2022-07-25T10:00:00+08:00'));
  for (const [username, role, nodeCode] of [[users.tracerB, 'tracer', CODES.streetB], [users.gridB, 'grid_worker', CODES.gridB]] as const) {
    await t.ctx.services.users.create(sys, { username, displayName: username, role, nodeCode, password: TEST_PASSWORD });
  }
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
  const { places, residents, cases } = t.ctx.services;
  son = (await residents.create(sys, { householdId: t.world.householdA2, name: '王小明', docType: 'resident_id', docNumber: buildResidentId('110105', '2010-05-05', 200), relationToHead: 'child', residenceStatus: 'registered' })).id;
  const market = await places.places.create(sys, { kind: 'market', name: '梅园菜市场', address: '梅园路1号', regionCode: CODES.gridA });
  const pharmacy = await places.places.create(sys, { kind: 'pharmacy', name: '仁心药房', address: '梅园路8号', regionCode: CODES.gridA });
  const visitor = async (name: string, phone: string) => {
    await places.scans.checkInVisitor(market.code, { name, phone });
    return (await scansRepository.visitorByPhoneHash(t.ctx.db, phoneHash(t.ctx.cipher, phone)))!.id;
  };
  const [passerA, passerB, passerC] = [await visitor('路人甲', '13900009999'), await visitor('路人乙', '13900007777'), await visitor('路人丙', '13900008888')];
  // Only the scans below count: drop the ones the visitor sign-ups just made.
  await t.ctx.db.deleteFrom('scans').execute();
  const m = { id: market.id, region_code: market.regionCode };
  const ph = { id: pharmacy.id, region_code: pharmacy.regionCode };
  const [zhang, , wang] = t.world.residentsA.map((r) => r.resident.id);
  const zhao = t.world.residentsB[0]!.resident.id;
  const r = (id: string) => ({ kind: 'resident' as const, id: id! });
  const v = (id: string) => ({ kind: 'visitor' as const, id });
  await t.ctx.db.insertInto('scans').values([
    scanRow(m, r(zhang!), at('2022-07-20T10:00:00+08:00'), 'self'),
    scanRow(m, r(wang!), at('2022-07-20T10:15:00+08:00'), 'self'), // 15 min shared → close
    scanRow(m, v(passerA), at('2022-07-20T10:25:00+08:00'), 'visitor'), // 5 min → no
    scanRow(m, r(zhao), at('2022-07-20T09:50:00+08:00'), 'self'), // 20 min, lives in street B
    // One minute before the window (2022-07-18 00:00): nobody is traced through it.
    scanRow(ph, r(zhang!), at('2022-07-17T23:59:00+08:00'), 'self'),
    scanRow(ph, v(passerB), at('2022-07-18T00:05:00+08:00'), 'visitor'),
    // Exactly at the window's start; the visitor arrived before midnight: 15 min shared after midnight.
    scanRow(m, r(zhang!), at('2022-07-18T00:00:00+08:00'), 'self'),
    scanRow(m, v(passerC), at('2022-07-17T23:45:00+08:00'), 'visitor'),
  ]).execute();
  const c = await cases.create(sys, { classification: 'confirmed', residentId: zhang!, onsetDate: '2022-07-22', reportSource: '医院报告' });
  caseId = c.id;
  caseNo = c.caseNo;
});
afterAll(() => t.close());

describe('tracing a case', () => {
  it('proposes the household and the co-located people in the window, with their evidence', async () => {
    const run = await req<TraceResult>(tracer(), 'POST', `/api/tracing/cases/${caseId}/trace`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ added: 4, merged: 0, bySource: { household: 1, colocation: 3, secondary: 0 } });
    expect(run.body.window).toMatchObject({ from: at('2022-07-18T00:00:00+08:00'), anchor: 'onset', lookbackDays: 4, protocolId: 'ninth-2022-06' });
    const view = await req<CaseTracing>(tracer(), 'GET', `/api/tracing/cases/${caseId}`);
    // 赵敏 lives in street B: counted as elsewhere, never shown to street A.
    expect(names(view.body)).toEqual(['李娜', '王芳', '路人丙']);
    expect(view.body.counts).toMatchObject({ proposed: 3, close: 3, elsewhere: 1 });
    const wang = view.body.contacts.find((k) => k.personName === '王芳')!;
    expect(wang).toMatchObject({ category: 'close', source: 'colocation', status: 'proposed', exposureAt: at('2022-07-20T10:30:00+08:00'), protocolId: 'ninth-2022-06' });
    expect(wang.evidence).toEqual([{ kind: 'colocation', placeId: expect.any(String), placeName: '梅园菜市场', caseScans: [at('2022-07-20T10:00:00+08:00')], contactScans: [at('2022-07-20T10:15:00+08:00')], from: at('2022-07-20T10:15:00+08:00'), to: at('2022-07-20T10:30:00+08:00'), overlapMinutes: 15 }]);
    const passer = view.body.contacts.find((k) => k.personName === '路人丙')!;
    expect(passer).toMatchObject({ residentId: null, phoneMasked: '139****8888' });
    expect(passer.evidence[0]).toMatchObject({ overlapMinutes: 15, from: at('2022-07-18T00:00:00+08:00'), to: at('2022-07-18T00:15:00+08:00') });
    expect(view.body.contacts.find((k) => k.personName === '李娜')).toMatchObject({ source: 'household', evidence: [{ kind: 'household' }] });
  });

  it('is idempotent: a second run adds and merges nothing', async () => {
    const again = await req<TraceResult>(tracer(), 'POST', `/api/tracing/cases/${caseId}/trace`);
    expect(again.body).toMatchObject({ added: 0, merged: 0 });
    const n = await t.ctx.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(4);
  });

  it('merges an entered contact into the same person, and adds a new one with a sealed phone', async () => {
    const wangId = t.world.residentsA[2]!.resident.id;
    const merged = await req<{ id: string; evidence: unknown[]; source: string }>(tracer(), 'POST', `/api/tracing/cases/${caseId}/contacts`, { residentId: wangId, relation: '同事', exposureAt: at('2022-07-21T12:00:00+08:00'), note: '午餐同桌' });
    expect(merged.status).toBe(201);
    expect(merged.body.evidence).toHaveLength(2);
    const added = await req<{ phoneMasked: string; source: string; regionCode: string }>(tracer(), 'POST', `/api/tracing/cases/${caseId}/contacts`, { name: '快递员刘', phone: '13600001111', relation: '送货', exposureAt: at('2022-07-21T15:00:00+08:00'), category: 'general' });
    expect(added.body).toMatchObject({ phoneMasked: '136****1111', source: 'entered' });
    const stored = await t.ctx.db.selectFrom('contacts').select(['phone_enc', 'phone_masked']).where('person_name', '=', '快递员刘').executeTakeFirstOrThrow();
    expect(stored.phone_enc).not.toContain('13600001111');
    const bad = await req(tracer(), 'POST', `/api/tracing/cases/${caseId}/contacts`, { name: '某人', relation: '邻居', exposureAt: t.clock.now() + HOUR });
    expect(bad.status).toBe(400);
  });

  it('confirms a batch in one request: follow-up tasks for each grid, audited; then finds secondary contacts', async () => {
    t.clock.advance(HOUR);
    const view = await req<CaseTracing>(tracer(), 'GET', `/api/tracing/cases/${caseId}`);
    const pick = view.body.contacts.filter((k) => ['李娜', '王芳'].includes(k.personName)).map((k) => k.id);
    const zhaoRow = await t.ctx.db.selectFrom('contacts').select('id').where('person_name', '=', '赵敏').executeTakeFirstOrThrow();
    const res = await req<BulkContactsResult>(tracer(), 'POST', '/api/tracing/contacts/bulk', { ids: [...pick, zhaoRow.id], action: 'confirm' });
    // 赵敏 is street B's: skipped, untouched.
    expect(res.body).toEqual({ updated: 2, skipped: 1, tasksCreated: 2 });
    const tasks = await t.ctx.db.selectFrom('tasks').selectAll().where('type', '=', 'contact_followup').execute();
    expect(tasks.map((x) => x.region_code).sort()).toEqual([CODES.gridA, CODES.gridA]);
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('action', '=', 'contact.confirm').execute();
    expect(audit).toHaveLength(2);
    expect((await t.ctx.db.selectFrom('contacts').select('status').where('id', '=', zhaoRow.id).executeTakeFirstOrThrow()).status).toBe('proposed');
    // 王芳 is now a confirmed close contact: her son (same household) is a secondary contact under the ninth edition.
    const again = await req<TraceResult>(tracer(), 'POST', `/api/tracing/cases/${caseId}/trace`);
    expect(again.body).toMatchObject({ added: 1, bySource: { secondary: 1 } });
    const after = await req<CaseTracing>(tracer(), 'GET', `/api/tracing/cases/${caseId}`);
    const sec = after.body.contacts.find((k) => k.residentId === son)!;
    const wang = after.body.contacts.find((k) => k.personName === '王芳')!;
    expect(sec).toMatchObject({ category: 'secondary', source: 'secondary', viaContactId: wang.id, exposureAt: wang.exposureAt, evidence: [{ kind: 'secondary', viaName: '王芳' }] });
  });

  it('shows a grid worker only its grid’s confirmed contacts, without evidence, with the prescribed measure', async () => {
    const mine = await req<FollowupPage>(t.world.usernames.grid_worker, 'GET', '/api/tracing/followup');
    expect(mine.body.items.map((k) => k.personName).sort()).toEqual(['李娜', '王芳']);
    const wang = mine.body.items.find((k) => k.personName === '王芳')!;
    expect(wang).toEqual({
      id: expect.any(String), caseNo, personName: '王芳', phoneMasked: '139****1003', address: expect.stringContaining('0102'), regionCode: expect.any(String), category: 'close',
      exposureAt: at('2022-07-21T12:00:00+08:00'), notifiedAt: null, measure: { centralizedDays: 7, homeIsolationDays: 0, homeMonitoringDays: 3, testDays: [1, 2, 3, 5, 7, 10] },
      protocolId: 'ninth-2022-06', untilDate: '2022-07-31', taskId: expect.any(String),
    });
    expect(JSON.stringify(mine.body)).not.toContain('evidence');
    const other = await req<FollowupPage>(users.gridB, 'GET', '/api/tracing/followup');
    expect(other.body).toMatchObject({ items: [], total: 0 });
    // What the measures issue picks up: confirmed contacts only, with the version at their exposure.
    const handed = await t.ctx.services.tracing.confirmedContacts(sys, {});
    expect(handed.items.map((k) => [k.personName, k.protocolId]).sort()).toEqual([['李娜', 'ninth-2022-06'], ['王芳', 'ninth-2022-06']]);
    // Tracing itself stays closed to grid workers.
    expect((await req(t.world.usernames.grid_worker, 'GET', `/api/tracing/cases/${caseId}`)).status).toBe(403);
  });

  it('gives another jurisdiction nothing', async () => {
    expect((await req(users.tracerB, 'GET', `/api/tracing/cases/${caseId}`)).status).toBe(404);
    expect((await req(users.tracerB, 'POST', `/api/tracing/cases/${caseId}/trace`)).status).toBe(404);
    const ids = (await t.ctx.db.selectFrom('contacts').select('id').where('case_id', '=', caseId).execute()).map((r) => r.id);
    expect((await req<BulkContactsResult>(users.tracerB, 'POST', '/api/tracing/contacts/bulk', { ids, action: 'reject' })).body).toEqual({ updated: 0, skipped: ids.length, tasksCreated: 0 });
    expect((await req<ClusterPage>(users.tracerB, 'GET', '/api/tracing/clusters')).body.total).toBe(0);
    expect((await req<ClockSummary>(users.tracerB, 'GET', '/api/tracing/clock')).body.totals.cases).toBe(0);
  });

  it('runs the 24-hour clock: identified at the first confirmation, done when every confirmed contact is notified', async () => {
    const before = await req<CaseTracing>(tracer(), 'GET', `/api/tracing/cases/${caseId}`);
    expect(before.body.clock).toMatchObject({ identifiedAt: at('2022-07-25T11:00:00+08:00'), notifiedAt: null, done: false, met: null });
    t.clock.advance(HOUR);
    const confirmed = before.body.contacts.filter((k) => k.status === 'confirmed').map((k) => k.id);
    expect((await req<BulkContactsResult>(tracer(), 'POST', '/api/tracing/contacts/bulk', { ids: confirmed, action: 'notify' })).body.updated).toBe(2);
    const after = await req<CaseTracing>(tracer(), 'GET', `/api/tracing/cases/${caseId}`);
    expect(after.body.clock).toMatchObject({ notifiedAt: at('2022-07-25T12:00:00+08:00'), elapsedMs: 2 * HOUR, done: true, met: true, atRisk: false });
    // A second case confirmed now, nobody confirmed 19 hours later: at risk.
    const late = await t.ctx.services.cases.create(sys, { classification: 'confirmed', residentId: t.world.residentsA[1]!.resident.id, onsetDate: '2022-07-24', reportSource: '核酸筛查' });
    t.clock.advance(19 * HOUR);
    const clock = await req<ClockSummary>(tracer(), 'GET', '/api/tracing/clock');
    expect(clock.body.atRisk.map((c) => c.caseNo)).toEqual([late.caseNo]);
    expect(clock.body.totals).toEqual({ cases: 2, met: 1, missed: 0, running: 1 });
  });

  it('exports the report as XLSX and DOCX with the timeline and the contacts by category', async () => {
    const xlsx = await req(tracer(), 'GET', `/api/tracing/cases/${caseId}/report?format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent(`流调报告-${caseNo}`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['病例信息', '活动轨迹', '接触者', '网格统计']);
    const timeline = wb.getWorksheet('活动轨迹')!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(2, 4));
    // The pharmacy scan one minute before the window is not in the timeline.
    expect(timeline).toEqual([['2022-07-18 00:00', '梅园菜市场'], ['2022-07-20 10:00', '梅园菜市场']]);
    const contacts = wb.getWorksheet('接触者')!.getSheetValues().slice(2).map((r) => [(r as unknown[])[2], (r as unknown[])[3], (r as unknown[])[10]]);
    expect(contacts).toEqual([
      ['李娜', '密切接触者', '已确认'], ['王芳', '密切接触者', '已确认'], ['路人丙', '密切接触者', '待核实'], ['王小明', '密接的密接', '待核实'], ['快递员刘', '一般接触者', '待核实'],
    ]);
    const grids = wb.getWorksheet('网格统计')!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
    expect(grids).toEqual([[CODES.gridA, 2, 0, 0, 2]]);
    const docx = await req(tracer(), 'GET', `/api/tracing/cases/${caseId}/report?format=docx`);
    const xml = await (await JSZip.loadAsync(docx.raw)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    for (const s of ['流行病学调查报告', caseNo, '三、密切接触者（3人）', '四、密接的密接（1人）', '五、一般接触者（1人）', '王芳', '梅园菜市场', '新型冠状病毒肺炎防控方案（第九版）']) expect(text).toContain(s);
    expect(text).not.toContain('赵敏');
  });

  it('draws the chain: one cluster with the case and its contacts, a search that focuses a node', async () => {
    const list = await req<ClusterPage>(tracer(), 'GET', '/api/tracing/clusters');
    // The second case (李娜) is also the first case's household contact: one cluster.
    expect(list.body.totals).toEqual({ cases: 2, contacts: 4, clusters: 1 });
    const top = list.body.items[0]!;
    expect(top).toMatchObject({ size: 6, cases: 2, contacts: 4, places: ['梅园菜市场'] });
    const detail = await req<ClusterDetail>(tracer(), 'GET', `/api/tracing/clusters/${encodeURIComponent(top.id)}`);
    expect(detail.body.nodes).toHaveLength(6);
    expect(detail.body.edges.map((e) => e.type).sort()).toEqual(['became_case', 'colocation', 'colocation', 'entered', 'secondary']);
    const found = await req<GraphSearchResult>(tracer(), 'GET', `/api/tracing/search?q=${encodeURIComponent('王小')}`);
    expect(found.body.matches).toEqual([{ clusterId: top.id, nodeId: `r:${son}`, label: '王小明', kind: 'contact' }]);
  });
});
