/**
 * Measures proposed from confirmed contacts (issue #7): each contact's measure follows the protocol version at its
 * last exposure; bulk imposition goes through the guard per contact, keeps the others when one fails, never imposes
 * twice; the other jurisdiction gets nothing. Exemptions: a dialysis exemption lets a home-isolated person pass a
 * checkpoint (a job exemption does not), a fever still denies, each category has its own longest grant.
 */
import {
  buildResidentId, shanghaiDayStart, type CheckpointDecision, type Exemption, type ImposeProposalsResult, type MeasureProposal, type MeasureProposalList, type Place,
} from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passes } from '../src/modules/checkpoints/passage-checks.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const sys = Scope.system('test');
const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
interface ErrorBody {
  error: { code: string; fields?: { path: string; message: string }[] };
}

let t: TestApp;
const r: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  await t.ctx.services.users.create(sys, { username: 'b_command', displayName: '乙方指挥', role: 'command', nodeCode: CODES.streetB, password: TEST_PASSWORD });
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
  const names = ['周一', '吴二', '郑三', '冯四', '陈五', '褚六'];
  for (const [i, name] of names.entries()) {
    const docNumber = buildResidentId('110105', `1985-0${i + 1}-1${i}`, 300 + i);
    r.push((await t.ctx.services.residents.create(sys, { householdId: t.world.householdA2, name, docType: 'resident_id', docNumber, relationToHead: 'child', residenceStatus: 'permanent' })).id);
  }
});
afterAll(() => t.close());

const req = <T>(username: string, method: 'GET' | 'POST', url: string, payload?: object) => t.as<T>(username, method, url, payload);
const worker = () => t.world.usernames.community_worker;
const proposals = async (username = worker(), query = '') => (await req<MeasureProposalList>(username, 'GET', `/api/measures/proposals${query}`)).body.items;
const byContact = (items: MeasureProposal[], id: string) => items.find((p) => p.contactId === id);

let n = 0;
async function newCase(regionCode: string = CODES.gridA): Promise<string> {
  n++;
  return (await t.ctx.services.cases.create(sys, { classification: 'confirmed', person: { name: `病例${n}`, regionCode, address: `测试路${n}号` }, reportSource: '医院报告' })).id;
}
/** A contact entered by the tracer and confirmed (the version at its exposure is recorded with it). */
async function confirmed(caseId: string, who: { residentId: string } | { name: string; phone: string }, exposureAt: number): Promise<string> {
  const k = await t.ctx.services.tracing.tracing.enter(sys, caseId, { ...who, relation: '同事', exposureAt });
  await t.ctx.services.tracing.tracing.bulk(sys, { ids: [k.id], action: 'confirm' });
  return k.id;
}

const k = { ninth: '', newTen: '', twenty: '', visitor: '', secondary: '', fifth: '' };

describe('proposals follow the protocol version at each contact’s exposure', () => {
  it('a close contact exposed under the ninth edition: 7 days of centralized isolation, for the street to approve', async () => {
    t.clock.set(at('2022-11-09T12:00:00+08:00'));
    k.ninth = await confirmed(await newCase(), { residentId: r[0]! }, at('2022-11-08T10:00:00+08:00'));
    const p = byContact(await proposals(), k.ninth);
    expect(p).toMatchObject({
      category: 'close', residentId: r[0], protocol: { id: 'ninth-2022-06' }, blocked: null, note: null,
      measure: { kind: 'centralized_isolation', place: 'site', firstDay: '2022-11-08', lastDay: '2022-11-14', days: 7, approval: 'street' },
    });
    expect(p!.prescribed).toContain('集中隔离医学观察 7 天 + 居家健康监测 3 天');
  });

  it('under the new ten measures 5 days at home; a contact exposed under the twenty measures the day before still gets 5 days centralized', async () => {
    t.clock.set(at('2022-12-08T12:00:00+08:00'));
    const c = await newCase();
    k.newTen = await confirmed(c, { residentId: r[1]! }, at('2022-12-07T09:00:00+08:00'));
    k.twenty = await confirmed(c, { residentId: r[2]! }, at('2022-12-06T20:00:00+08:00'));
    k.visitor = await confirmed(c, { name: '外地访客', phone: '13712345678' }, at('2022-12-07T09:00:00+08:00'));
    k.secondary = await confirmed(c, { residentId: r[3]! }, at('2022-12-07T09:00:00+08:00'));
    await t.ctx.db.updateTable('contacts').set({ category: 'secondary' }).where('id', '=', k.secondary).execute();
    k.fifth = await confirmed(c, { residentId: r[4]! }, at('2022-12-07T09:00:00+08:00'));
    const items = await proposals();
    expect(byContact(items, k.newTen)).toMatchObject({
      protocol: { id: 'new-ten-2022-12' }, blocked: null, measure: { kind: 'home_isolation', place: 'home', firstDay: '2022-12-07', lastDay: '2022-12-11', days: 5, approval: 'community' },
    });
    expect(byContact(items, k.twenty)).toMatchObject({
      protocol: { id: 'twenty-2022-11' }, blocked: null, measure: { kind: 'centralized_isolation', place: 'site', firstDay: '2022-12-06', lastDay: '2022-12-10', days: 5, approval: 'street' },
    });
    // The ninth edition's 7 + 3 days from 8 November are over: nothing to impose now.
    expect(byContact(items, k.ninth)).toMatchObject({ blocked: 'period_over', measure: null, note: '规定期限已满（2022-11-17 止），无需再采取措施' });
    // The new ten measures manage no secondary contacts.
    expect(byContact(items, k.secondary)).toMatchObject({ category: 'secondary', blocked: 'not_prescribed', measure: null });
    expect(byContact(items, k.secondary)!.note).toContain('不要求隔离或健康监测');
    // Someone outside the register is listed for handing over, with what the protocol prescribes.
    expect(byContact(items, k.visitor)).toMatchObject({ residentId: null, blocked: 'not_resident', note: '非本辖区登记居民，需转交', measure: { kind: 'home_isolation', days: 5 } });
    // Filtered to the case (the tracing page's link).
    const ofCase = await proposals(worker(), `?caseId=${c}`);
    expect(ofCase.map((p) => p.contactId).sort()).toEqual([k.newTen, k.twenty, k.visitor, k.secondary, k.fifth].sort());
  });
});

describe('bulk imposition', () => {
  it('imposes each through the guard; one contact’s failure keeps the others; every result says why in Chinese', async () => {
    const missing = '01890000-0000-7000-8000-000000000000';
    const res = await req<ImposeProposalsResult>(worker(), 'POST', '/api/measures/proposals/impose', {
      items: [{ contactId: k.ninth }, { contactId: k.newTen }, { contactId: k.visitor }, { contactId: missing }, { contactId: k.twenty, siteName: '区隔离酒店A' }, { contactId: k.secondary }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, pending: 1, refused: 4 });
    const out = new Map(res.body.results.map((x) => [x.contactId, x]));
    expect(out.get(k.newTen)).toMatchObject({ outcome: 'accepted', personName: '吴二', message: '已实施：居家隔离医学观察 5 天（2022-12-07 至 2022-12-11）' });
    expect(out.get(k.twenty)).toMatchObject({ outcome: 'pending', message: '已提交，待街道审批：集中隔离医学观察 5 天（2022-12-06 至 2022-12-10）' });
    expect(out.get(k.ninth)).toMatchObject({ outcome: 'refused', measureId: null, message: '规定期限已满（2022-11-17 止），无需再采取措施' });
    expect(out.get(k.visitor)).toMatchObject({ outcome: 'refused', message: '非本辖区登记居民，需转交' });
    expect(out.get(missing)).toMatchObject({ outcome: 'refused', personName: '', message: '接触者不存在、尚未确认或不在您的管辖范围内' });
    expect(out.get(k.secondary)!.outcome).toBe('refused');

    const rows = await t.ctx.db.selectFrom('measures').selectAll().where('source_type', '=', 'contact').orderBy('created_at').orderBy('id').execute();
    expect(rows.map((m) => m.source_id).sort()).toEqual([k.newTen, k.twenty].sort());
    const home = rows.find((m) => m.source_id === k.newTen)!;
    expect(home).toMatchObject({
      id: out.get(k.newTen)!.measureId, resident_id: r[1], status: 'active', kind: 'home_isolation', place_kind: 'home', protocol_id: 'new-ten-2022-12', subject_kind: 'close_contact',
    });
    expect(Number(home.start_at)).toBe(shanghaiDayStart('2022-12-07'));
    expect(Number(home.planned_end_at)).toBe(shanghaiDayStart('2022-12-12'));
    expect(rows.find((m) => m.source_id === k.twenty)).toMatchObject({ status: 'pending', place_kind: 'site', place_name: '区隔离酒店A', required_approval: 'street', protocol_id: 'twenty-2022-11' });
    const audited = await t.ctx.db.selectFrom('audit_events').select(['action', 'entity_id']).where('entity_id', 'in', rows.map((m) => m.id)).execute();
    expect(audited.map((a) => a.action)).toEqual(['measure.create', 'measure.create']);

    // Imposed and pending contacts leave the list; the rest stay.
    const left = (await proposals()).map((p) => p.contactId);
    expect(left).not.toContain(k.newTen);
    expect(left).not.toContain(k.twenty);
    expect(left).toEqual(expect.arrayContaining([k.visitor, k.ninth, k.fifth]));
  });

  it('never imposes twice: a re-run is refused, and two runs at once make one measure', async () => {
    const again = await req<ImposeProposalsResult>(worker(), 'POST', '/api/measures/proposals/impose', { items: [{ contactId: k.newTen }] });
    expect(again.body).toMatchObject({ accepted: 0, refused: 1 });
    expect(again.body.results[0]!.message).toMatch(/^已有居家隔离医学观察（执行中，至/);
    const u = await t.ctx.db.selectFrom('users').select(['id', 'username', 'display_name']).where('username', '=', worker()).executeTakeFirstOrThrow();
    const actor = new Scope({
      kind: 'user', userId: u.id, username: u.username, displayName: u.display_name, role: 'community_worker', node: CODES.communityA, householdId: null, residentId: null, sessionId: null, ip: null,
    });
    const both = await Promise.all([1, 2].map(() => t.ctx.services.measureProposals.impose(actor, { items: [{ contactId: k.fifth }] })));
    expect(both.map((b) => b.accepted).sort()).toEqual([0, 1]);
    const loser = both.find((b) => b.accepted === 0)!.results[0]!;
    expect(loser.outcome).toBe('refused');
    expect(loser.message).toMatch(/已对该接触者采取过措施|已有居家隔离医学观察/);
    expect(await t.ctx.db.selectFrom('measures').select('id').where('source_id', '=', k.fifth).execute()).toHaveLength(1);
  });

  it('the other jurisdiction gets nothing: not listed, not imposed, out of scope by node', async () => {
    const bCase = await newCase(CODES.gridB);
    const bContact = await confirmed(bCase, { residentId: t.world.residentsB[1]!.resident.id }, at('2022-12-07T09:00:00+08:00'));
    const mine = (await proposals()).map((p) => p.contactId);
    expect(mine).not.toContain(bContact);
    const theirs = (await proposals('b_command')).map((p) => p.contactId);
    expect(theirs).toEqual([bContact]);
    const cross = await req<ImposeProposalsResult>(worker(), 'POST', '/api/measures/proposals/impose', { items: [{ contactId: bContact }] });
    expect(cross.body).toEqual({ results: [{ contactId: bContact, personName: '', outcome: 'refused', measureId: null, message: '接触者不存在、尚未确认或不在您的管辖范围内' }], accepted: 0, pending: 0, refused: 1 });
    const reverse = await req<ImposeProposalsResult>('b_command', 'POST', '/api/measures/proposals/impose', { items: [{ contactId: k.visitor }] });
    expect(reverse.body.results[0]).toMatchObject({ outcome: 'refused', personName: '' });
    expect((await req<ErrorBody>(worker(), 'GET', `/api/measures/proposals?node=${CODES.communityB}`)).body.error.code).toBe('GRIDLINE_OUT_OF_SCOPE');
    expect(await t.ctx.db.selectFrom('measures').select('id').where('source_id', '=', bContact).execute()).toEqual([]);
    // Reading proposals needs measure.write: a grid worker (measure.read only) is refused.
    expect((await req<ErrorBody>(t.world.usernames.grid_worker, 'GET', '/api/measures/proposals')).status).toBe(403);
  });
});

describe('exemptions for a person under isolation', () => {
  let clinic: Place;
  let isolated: string;
  let measureId: string;
  beforeAll(async () => {
    clinic = await t.ctx.services.places.places.create(sys, { kind: 'clinic', name: '社区卫生服务站', regionCode: CODES.buildingA, checkpoint: true });
    isolated = r[1]!;
    measureId = (await t.ctx.db.selectFrom('measures').select('id').where('source_id', '=', k.newTen).executeTakeFirstOrThrow()).id;
  });
  const decide = async (temperature = 36.6) =>
    (await req<CheckpointDecision>(t.world.usernames.volunteer, 'POST', `/api/checkpoints/${clinic.id}/decisions`, { code: t.ctx.services.places.personalCodes.issue(isolated).code, temperature })).body;
  const grant = (category: string, days: number, reason: string) =>
    req<Exemption & ErrorBody>(worker(), 'POST', '/api/exemptions', { residentId: isolated, category, reason, validFrom: t.clock.now(), validUntil: t.clock.now() + days * DAY });

  it('home isolation denies; a job exemption does not lift it; a dialysis exemption does; a fever still denies', async () => {
    const before = await decide();
    expect(before.result).toBe('deny');
    expect(before.reasons.find((x) => x.code === 'measure_in_force')?.reason).toMatch(/^居家隔离医学观察中，至/);

    expect((await grant('essential_worker', 5, '超市理货员')).status).toBe(201);
    const job = await decide();
    expect(job.result).toBe('deny');
    expect(job.reasons.map((x) => x.code)).toEqual(expect.arrayContaining(['measure_in_force', 'essential_worker']));

    const dialysis = await grant('dialysis', 30, '每周一三五 市一院透析');
    expect(dialysis.status).toBe(201);
    expect(dialysis.body).toMatchObject({ category: 'dialysis', active: true, approvedByName: expect.any(String) });
    const pass = await decide();
    expect(pass.result).toBe('pass');
    expect(pass.reasons.find((x) => x.code === 'dialysis')?.reason).toContain('通行豁免：血液透析（每周一三五 市一院透析）');
    const fever = await decide(38.1);
    expect(fever).toMatchObject({ result: 'deny', fever: true });
    expect(fever.reasons.map((x) => x.code)).toContain('fever');
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', dialysis.body.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['exemption.create']);
  });

  it('each category has its own longest grant', async () => {
    const long = await grant('dialysis', 31, '长期透析');
    expect(long.body.error.fields?.[0]).toMatchObject({ path: '/body/validUntil', message: '豁免期限最长 30 天，到期后可重新办理' });
    const trip = await grant('emergency_medical', 2, '急诊');
    expect(trip.body.error.fields?.[0]?.message).toBe('紧急就医豁免期限最长 1 天，到期后可重新办理');
    expect((await grant('other', 8, '其他事由')).body.error.fields?.[0]?.message).toBe('其他豁免期限最长 7 天，到期后可重新办理');
    expect((await grant('childbirth', 30, '预产期 12月20日')).status).toBe(201);
  });

  it('the measure’s drawer lists the exemptions inside its window, for whoever may read the measure', async () => {
    const list = await req<Exemption[]>(t.world.usernames.grid_worker, 'GET', `/api/measures/${measureId}/exemptions`);
    expect(list.status).toBe(200);
    expect(list.body.map((e) => [e.category, e.reason])).toEqual([
      ['essential_worker', '超市理货员'], ['dialysis', '每周一三五 市一院透析'], ['childbirth', '预产期 12月20日'],
    ]);
    expect((await req<ErrorBody>('b_command', 'GET', `/api/measures/${measureId}/exemptions`)).status).toBe(404);
  });

  it('combines findings: an isolation yields only to its listed exemptions, any other denial to any exemption', () => {
    const iso = { effect: 'deny' as const, code: 'measure_in_force', reason: '', overridableBy: ['dialysis'] };
    const area = { effect: 'deny' as const, code: 'measure_in_force', reason: '' };
    const job = { effect: 'exempt' as const, code: 'supply_worker', reason: '' };
    const med = { effect: 'exempt' as const, code: 'dialysis', reason: '' };
    expect(passes([iso, job])).toBe(false);
    expect(passes([iso, med])).toBe(true);
    expect(passes([area, job])).toBe(true);
    expect(passes([iso, area, med])).toBe(true);
    expect(passes([area])).toBe(false);
    expect(passes([])).toBe(true);
  });
});
