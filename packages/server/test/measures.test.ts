/**
 * Control measures: the proportionality guard decides who must approve; a measure in force needs a legal basis,
 * an approver and an end (the database refuses anything else, on both databases); checkpoints deny exactly while
 * a measure is in force and not at its end time, with no job run; the protocol version in force at the start is
 * the measure's for good; sealed exits are refused; the other jurisdiction gets nothing.
 */
import type { Appeal, AppealPage, Compliance, Job, Measure, MeasureAssessment, MeasurePage } from '@gridline/shared';
import { buildResidentId, shanghaiDayStart } from '@gridline/shared';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/lib/ids.js';
import { Scope } from '../src/security/scope.js';
import { download, finished } from './files.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const HOUR = 3_600_000;
interface ErrorBody {
  error: { code: string; fields?: { path: string; code: string; message: string }[]; details?: Record<string, unknown> };
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.ctx.services.users.create(Scope.system('test'), { username: 'b_command', displayName: '乙方指挥', role: 'command', nodeCode: CODES.streetB, password: TEST_PASSWORD });
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
});
afterAll(() => t.close());

const req = <T>(username: string, method: 'GET' | 'POST', url: string, payload?: object) => t.as<T>(username, method, url, payload);
const worker = () => t.world.usernames.community_worker;
const command = () => t.world.usernames.command;
const A = (i: number) => t.world.residentsA[i]!.resident;
const home = { kind: 'home', name: '家中' };
const denials = async (residentId: string, at: number) =>
  (await t.ctx.passageChecks.evaluate({ db: t.ctx.db, residentId, at, place: { id: 'gate', kind: 'gate', regionCode: CODES.gridA }, protocol: await t.ctx.protocol.inForce(at) })).findings.filter(
    (f) => f.code === 'measure_in_force',
  );

describe('person measures under the new ten measures', () => {
  const first = '2026-11-29';
  it('within the protocol (a close contact, 5 days at home): in force at once on the community’s own approval', async () => {
    t.clock.set(shanghaiDayStart(first) + 9 * HOUR);
    const res = await req<Measure>(worker(), 'POST', '/api/measures', { residentId: A(0).id, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: first, days: 5, place: home });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'active', inForce: true, proportionate: true, requiredApproval: 'community', protocol: { id: 'new-ten-2022-12' },
      legalBases: [{ id: 'cdl-2013-art39', article: '第三十九条', lawVersion: '2013年修正' }], resident: { id: A(0).id },
    });
    expect(res.body.plannedEndAt).toBe(shanghaiDayStart('2026-12-04'));
  });

  it('denies passage while in force, and not from its end time on, with no job run', async () => {
    const end = shanghaiDayStart('2026-12-04');
    expect(await denials(A(0).id, shanghaiDayStart(first) - 1)).toEqual([]);
    const during = await denials(A(0).id, end - 1);
    expect(during).toHaveLength(1);
    expect(during[0]!.reason).toMatch(/^居家隔离医学观察中，至/);
    expect(during[0]!.until).toBe(end);
    expect(await denials(A(0).id, end)).toEqual([]);
  });

  it('beyond the protocol (10 days): needs a written reason, then waits for the street', async () => {
    const body = { residentId: A(1).id, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: first, days: 10, place: home };
    const bare = await req<ErrorBody>(worker(), 'POST', '/api/measures', body);
    expect(bare.status).toBe(400);
    expect(bare.body.error.fields?.[0]).toMatchObject({ path: '/body/reason' });
    expect(bare.body.error.fields?.[0]?.message).toContain('超过可用的 5 天');
    const preview = await req<MeasureAssessment>(worker(), 'POST', '/api/measures/assess', body);
    expect(preview.body).toMatchObject({ proportionate: false, approval: 'street', reasonRequired: true, excesses: [{ code: 'longer' }] });

    const made = await req<Measure>(worker(), 'POST', '/api/measures', { ...body, reason: '同住人员为透析患者，需延长观察' });
    expect(made.body).toMatchObject({ status: 'pending', inForce: false, proportionate: false, requiredApproval: 'street' });
    // Pending: no effect at the checkpoint; the community cannot approve its own excess.
    expect(await denials(A(1).id, t.clock.now())).toEqual([]);
    const self = await req<ErrorBody>(worker(), 'POST', `/api/measures/${made.body.id}/decision`, { approve: true, reason: '同意' });
    expect(self.status).toBe(403);
    const approved = await req<Measure>(command(), 'POST', `/api/measures/${made.body.id}/decision`, { approve: true, reason: '同意延长，理由充分' });
    expect(approved.body).toMatchObject({ status: 'active', inForce: true, decision: { approved: true, reason: '同意延长，理由充分' } });
    expect(await denials(A(1).id, t.clock.now())).toHaveLength(1);
    const again = await req<ErrorBody>(command(), 'POST', `/api/measures/${made.body.id}/decision`, { approve: false, reason: '重复' });
    expect(again.status).toBe(409);
  });

  it('released by a person: stops denying at the release moment; audited', async () => {
    const list = await req<MeasurePage>(worker(), 'GET', `/api/measures?residentId=${A(1).id}`);
    const m = list.body.items[0]!;
    t.clock.set(t.clock.now() + HOUR);
    const released = await req<Measure>(worker(), 'POST', `/api/measures/${m.id}/release`, { note: '复核后解除' });
    expect(released.body).toMatchObject({ status: 'ended', inForce: false, endedAt: t.clock.now() });
    expect(await denials(A(1).id, t.clock.now())).toEqual([]);
    expect(await denials(A(1).id, t.clock.now() - 1)).toHaveLength(1);
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', m.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['measure.create', 'measure.approve', 'measure.release']);
  });

  it('refuses what the protocol never asks for, and gives the other jurisdiction nothing', async () => {
    // The new ten measures identify no secondary contacts: any measure on one is beyond the protocol.
    const sec = await req<MeasureAssessment>(worker(), 'POST', '/api/measures/assess', { residentId: A(2).id, measure: 'home_health_monitoring', subject: { kind: 'secondary_contact' }, firstDay: first, days: 3, place: home });
    expect(sec.body.excesses.map((f) => f.code)).toEqual(['not_prescribed']);
    const list = await req<MeasurePage>('b_command', 'GET', '/api/measures');
    expect(list.body.items).toEqual([]);
    const one = (await req<MeasurePage>(worker(), 'GET', '/api/measures')).body.items[0]!;
    expect((await req<ErrorBody>('b_command', 'GET', `/api/measures/${one.id}`)).status).toBe(404);
    const into = await req<ErrorBody>('b_command', 'POST', '/api/measures', { residentId: A(2).id, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: first, days: 5, place: home });
    expect(into.body.error.code).toBe('GRIDLINE_REFERENCE_MISSING');
  });
});

describe('the protocol version at the start is the measure’s', () => {
  it('7 days of centralized isolation for a close contact: within the ninth edition, beyond the twenty measures', async () => {
    t.clock.set(shanghaiDayStart('2022-11-08') + 9 * HOUR);
    const body = { residentId: A(2).id, measure: 'centralized_isolation', subject: { kind: 'close_contact' }, firstDay: '2022-11-08', days: 7, place: { kind: 'site', name: '区集中隔离点' } };
    const ninth = await req<Measure>(command(), 'POST', '/api/measures', body);
    expect(ninth.body).toMatchObject({ status: 'active', proportionate: true, requiredApproval: 'street', protocol: { id: 'ninth-2022-06' } });
    t.clock.set(shanghaiDayStart('2022-11-12') + 9 * HOUR);
    // Viewed after the twenty measures took effect, the measure keeps its version.
    expect((await req<Measure>(command(), 'GET', `/api/measures/${ninth.body.id}`)).body.protocol.id).toBe('ninth-2022-06');
    const twenty = await req<MeasureAssessment>(command(), 'POST', '/api/measures/assess', { ...body, firstDay: '2022-11-12' });
    expect(twenty.body).toMatchObject({ proportionate: false, approval: 'district', protocol: { id: 'twenty-2022-11' }, excesses: [{ code: 'longer' }] });
    // Extending it by a day goes beyond the ninth edition's 7: the street cannot, only the district could.
    const longer = await req<ErrorBody>(command(), 'POST', `/api/measures/${ninth.body.id}/extend`, { days: 1, reason: '第7天核酸待复核' });
    expect(longer.status).toBe(403);
    expect(longer.body.error.details?.reason).toBe('延长至 8 天超出防控方案，须由区决定');
  });

  it('an extension is judged by the version at the start: 7 + 3 days of home monitoring stays within the ninth edition', async () => {
    t.clock.set(shanghaiDayStart('2022-11-08') + 9 * HOUR);
    const m = await req<Measure>(worker(), 'POST', '/api/measures', { residentId: A(1).id, measure: 'home_health_monitoring', subject: { kind: 'close_contact' }, firstDay: '2022-11-08', days: 7, place: home });
    expect(m.body).toMatchObject({ status: 'active', protocol: { id: 'ninth-2022-06' } });
    t.clock.set(shanghaiDayStart('2022-11-12') + 9 * HOUR);
    // Under the twenty measures (in force now) 10 days of monitoring would exceed 8; under the ninth edition it is within 10.
    const ext = await req<Measure>(worker(), 'POST', `/api/measures/${m.body.id}/extend`, { days: 3, reason: '按方案完成3天居家健康监测' });
    expect(ext.status).toBe(200);
    expect(ext.body).toMatchObject({ proportionate: true, plannedEndAt: shanghaiDayStart('2022-11-18'), protocol: { id: 'ninth-2022-06' } });
    const bare = await req<ErrorBody>(worker(), 'POST', `/api/measures/${m.body.id}/extend`, { days: 1, reason: '' });
    expect(bare.status).toBe(400);
  });
});

describe('area controls', () => {
  it('sealed exits are refused whatever the approval', async () => {
    t.clock.set(shanghaiDayStart('2026-11-29') + 9 * HOUR);
    const res = await req<ErrorBody>(command(), 'POST', '/api/measures/areas', { level: 'high', scopeCode: CODES.buildingA, firstDay: '2026-11-29', plannedDays: 5, sealsExits: true, reason: '上级要求' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.code)).toEqual(['seals_exits']);
  });

  it('a whole community for a building’s case waits for the district; the building is in force and denies its residents', async () => {
    const wide = await req<MeasureAssessment>(command(), 'POST', '/api/measures/areas/assess', { level: 'high', scopeCode: CODES.communityA, firstDay: '2026-11-29', plannedDays: 5 });
    expect(wide.body).toMatchObject({ proportionate: false, approval: 'district' });
    expect(wide.body.excesses.map((f) => f.code)).toEqual(['wider', 'no_case']);

    // A confirmed case at home in building 1: the building is what the protocol draws.
    await t.ctx.services.cases.create(Scope.system('test'), { classification: 'confirmed', residentId: A(0).id, onsetDate: '2026-11-28', reportSource: '医院报告' });
    const building = await req<Measure>(command(), 'POST', '/api/measures/areas', { level: 'high', scopeCode: CODES.buildingA, firstDay: '2026-11-29', plannedDays: 5 });
    expect(building.body).toMatchObject({ status: 'active', proportionate: true, kind: 'area_control', areaLevel: 'high', requiredApproval: 'street' });
    const found = await denials(A(2).id, t.clock.now());
    expect(found.map((f) => f.reason)).toContain(`位于高风险区，至12月3日24时`);
    // Side B's resident lives outside the area.
    expect(await denials(t.world.residentsB[0]!.resident.id, t.clock.now())).toEqual([]);
    // Over the whole community, now with a case in it: still wider than the protocol draws it.
    const community = await req<Measure>(command(), 'POST', '/api/measures/areas', { level: 'high', scopeCode: CODES.communityA, firstDay: '2026-11-29', plannedDays: 5, reason: '楼栋间共用出入口' });
    expect(community.body).toMatchObject({ status: 'pending', requiredApproval: 'district', excesses: [{ code: 'wider' }] });
  });
});

describe('the database refuses a measure in force without legal basis, approver or end', () => {
  const base = () => ({
    id: newId(), kind: 'home_isolation', status: 'active', subject_kind: 'close_contact', resident_id: A(0).id, region_code: A(0).regionCode, area_level: null, denies_passage: 1,
    place_kind: 'home', place_name: '家中', legal_basis: '["cdl-2013-art39"]', protocol_id: 'new-ten-2022-12', start_at: 1000, planned_end_at: 2000, ended_at: null, end_note: null,
    proportionate: 1, assessment: '{}', required_approval: 'community', reason: '', decided_by: 'u', decided_by_name: '审批人', decided_at: 1000, decision_reason: 'ok',
    source_type: null, source_id: null, created_by: null, created_by_name: 'test', created_at: 1000, updated_at: 1000, version: 1,
  });
  it.each([
    ['no legal basis', { legal_basis: '[]' }],
    ['no approver', { decided_by: null, decided_at: null }],
    ['an end before its start', { planned_end_at: 1000 }],
  ])('%s', async (_label, patch) => {
    await expect(t.ctx.db.insertInto('measures').values({ ...base(), ...patch }).execute()).rejects.toThrow();
  });
  it('the same row with all three is accepted (the checks above fail for their own reason)', async () => {
    await t.ctx.db.insertInto('measures').values(base()).execute();
  });
});

describe('appeals and complaints', () => {
  const resident = () => t.world.usernames.resident;
  it('the person sees the notice, appeals to the street; the community cannot decide; the street revokes and the person sees it', async () => {
    t.clock.set(shanghaiDayStart('2026-11-30') + 9 * HOUR);
    const notices = await req<Measure[]>(resident(), 'GET', '/api/me/measures');
    const mine = notices.body.find((m) => m.kind === 'home_isolation' && m.inForce)!;
    expect(mine).toMatchObject({ resident: { id: A(0).id }, legalBases: [{ article: '第三十九条' }], protocol: { id: 'new-ten-2022-12' } });
    const filed = await req<Appeal>(resident(), 'POST', '/api/me/appeals', { kind: 'appeal', measureId: mine.id, text: '我已核酸阴性，且未与病例接触，请求解除' });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ kind: 'appeal', handlerLevel: 'street', status: 'open', overdue: false, dueAt: t.clock.now() + 3 * 86_400_000 });
    // Someone else's measure cannot be appealed by this resident.
    const others = (await req<MeasurePage>(worker(), 'GET', `/api/measures?residentId=${A(1).id}`)).body.items[0]!;
    expect((await req<ErrorBody>(resident(), 'POST', '/api/me/appeals', { kind: 'appeal', measureId: others.id, text: '不是我的措施' })).body.error.code).toBe('GRIDLINE_REFERENCE_MISSING');

    const byCommunity = await req<ErrorBody>(worker(), 'POST', `/api/appeals/${filed.body.id}/decision`, { outcome: 'revoked', decision: '同意解除' });
    expect(byCommunity.status).toBe(403);
    const decided = await req<Appeal>(command(), 'POST', `/api/appeals/${filed.body.id}/decision`, { outcome: 'revoked', decision: '经核实非密接，撤销居家隔离' });
    expect(decided.body).toMatchObject({ status: 'decided', outcome: 'revoked', decision: '经核实非密接，撤销居家隔离' });
    expect((await req<Measure>(command(), 'GET', `/api/measures/${mine.id}`)).body).toMatchObject({ status: 'ended', inForce: false });
    expect(await denials(A(0).id, t.clock.now())).toEqual(expect.not.arrayContaining([expect.objectContaining({ reason: expect.stringMatching(/^居家隔离/) })]));
    const outcome = await req<Appeal[]>(resident(), 'GET', '/api/me/appeals');
    expect(outcome.body[0]).toMatchObject({ id: filed.body.id, outcome: 'revoked', decidedBy: expect.any(String) });
  });

  it('a complaint about conduct reaches the auditor, not the staff it concerns', async () => {
    const filed = await req<Appeal>(resident(), 'POST', '/api/me/appeals', { kind: 'complaint', complaintKind: 'sealed_doors', text: '单元门被铁丝封住，无法外出就医' });
    expect(filed.body).toMatchObject({ kind: 'complaint', handlerLevel: 'auditor' });
    expect((await req<AppealPage>(worker(), 'GET', '/api/appeals')).body.items.map((a) => a.id)).not.toContain(filed.body.id);
    expect((await req<AppealPage>(t.world.usernames.auditor, 'GET', '/api/appeals?kind=complaint')).body.items.map((a) => a.id)).toContain(filed.body.id);
    expect((await req<ErrorBody>(command(), 'POST', `/api/appeals/${filed.body.id}/decision`, { outcome: 'substantiated', decision: '已核实情况' })).status).toBe(404);
    expect((await req<AppealPage>('b_command', 'GET', '/api/appeals')).body.items).toEqual([]);
  });
});

describe('bulk notices', () => {
  it('500 notices as one DOCX and one PDF through the job queue, each naming its person, dates and legal basis', async () => {
    t.clock.set(shanghaiDayStart('2026-11-29') + 9 * HOUR);
    const sys = Scope.system('test');
    const names: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 500; i++) {
      const name = `通知${[...String(i).padStart(3, '0')].map((d) => '〇一二三四五六七八九'[Number(d)]).join('')}`;
      const r = await t.ctx.services.residents.create(sys, { householdId: t.world.householdA2, name, docType: 'resident_id', docNumber: buildResidentId('110105', '1990-01-01', 200 + i), relationToHead: 'non_relative', residenceStatus: 'registered' } as never);
      const m = await t.ctx.services.measures.createPerson(sys, { residentId: r.id, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: '2026-11-29', days: 5, place: home } as never);
      names.push(name);
      ids.push(m.id);
    }
    const cookie = await t.login(worker());
    const docx = await t.app.inject({ method: 'POST', url: '/api/measures/notices', headers: { cookie }, payload: { measureIds: ids, document: 'notice', format: 'docx' } });
    expect(docx.statusCode).toBe(202);
    const done = await finished(t, cookie, docx.json<Job>().id);
    expect(done).toMatchObject({ status: 'succeeded', progress: 500, total: 500, result: { documents: 500 }, message: '已生成告知书 500 份' });
    const xml = await (await JSZip.loadAsync((await download(t, cookie, done.id)).rawPayload)).file('word/document.xml')!.async('string');
    const text = xml.replace(/<[^>]+>/g, '');
    for (const n of names) expect(text).toContain(`${n}（住址：`);
    expect(text.split('居家隔离医学观察告知书').length - 1).toBe(500);
    expect(text).toContain('《中华人民共和国传染病防治法》（2013年修正）第三十九条');
    expect(text).toContain('期限自 2026-11-29 起至 12月3日24时止');

    const pdf = await t.app.inject({ method: 'POST', url: '/api/measures/notices', headers: { cookie }, payload: { measureIds: ids.slice(0, 20), document: 'release', format: 'pdf' } });
    const pdfJob = await finished(t, cookie, pdf.json<Job>().id);
    const bytes = (await download(t, cookie, pdfJob.id)).rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1').match(/\/Type \/Page\b/g)?.length).toBe(20);
    // The other jurisdiction cannot have any of them printed.
    const other = await req<ErrorBody>('b_command', 'POST', '/api/measures/notices', { measureIds: ids.slice(0, 2), document: 'notice', format: 'pdf' });
    expect(other.body.error.code).toBe('GRIDLINE_REFERENCE_MISSING');
  }, 120_000);
});

describe('the auditor’s compliance view', () => {
  it('counts per community what went beyond the protocol, what is late, and the appeals; nothing for the other street', async () => {
    const res = await req<Compliance>(t.world.usernames.auditor, 'GET', '/api/measures/compliance');
    expect(res.status).toBe(200);
    const a = res.body.rows.find((r) => r.code === CODES.communityA)!;
    // One approved override (10 days at home, approved by the street), one appeal revoked by the street, one complaint.
    expect(a).toMatchObject({ name: '社区A', withoutLegalBasis: 0, overrides: 1, refused: 0, appeals: 1, appealsRevoked: 1, complaints: 1 });
    expect(a.appealHours).toEqual(expect.any(Number));
    expect(res.body.total).toMatchObject({ name: '合计', withoutLegalBasis: 0, overrides: 1 });
    expect((await req<Compliance>('b_command', 'GET', '/api/measures/compliance')).body.rows.map((r) => r.code)).not.toContain(CODES.communityA);
  });
});
