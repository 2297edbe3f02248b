/**
 * Personal codes and checkpoints: issuing in the portal; pass, deny with every reason, or refusal of forged,
 * tampered, expired and replayed codes (each recorded); exemptions overriding denials; place rules (fever,
 * residents only); the protocol's list of places that check codes; side B gets nothing.
 */
import crypto from 'node:crypto';
import { encodePersonalCode, PERSONAL_CODE_TTL_MS, type CheckpointDecision, type Exemption, type PersonalCode, type Place } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointsService } from '../src/modules/checkpoints/checkpoints.service.js';
import { exemptionCheck } from '../src/modules/checkpoints/exemptions.service.js';
import { PassageChecks } from '../src/modules/checkpoints/passage-checks.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const sys = Scope.system('test');
const HOUR = 3_600_000;

describe('personal codes and checkpoints', () => {
  let t: TestApp;
  let resident: string;
  let volunteer: string;
  let head: string;
  let bCommand: string;
  let gate: Place;
  let clinic: Place;
  let compound: Place;
  let zhang: string;
  let li: string;
  const denied = new Set<string>();

  const req = async <T>(method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}), headers: { cookie } });
    return { status: res.statusCode, body: res.json<T>(), text: res.body };
  };
  /** temperature null: none measured. */
  const decide = (place: Place, code: string, temperature: number | null = 36.5, cookie = volunteer) =>
    req<CheckpointDecision>('POST', `/api/checkpoints/${place.id}/decisions`, cookie, { code, ...(temperature !== null ? { temperature } : {}) });
  const issue = (residentId: string) => t.ctx.services.places.personalCodes.issue(residentId).code;

  beforeAll(async () => {
    t = await createTestApp();
    resident = await t.login(t.world.usernames.resident);
    volunteer = await t.login(t.world.usernames.volunteer);
    head = await t.login(t.world.usernames.community_head);
    await t.ctx.services.users.create(sys, { username: 'b_command', displayName: '乙方指挥', role: 'command', nodeCode: CODES.streetB, password: TEST_PASSWORD });
    await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', 'b_command').execute();
    bCommand = await t.login('b_command');
    const places = t.ctx.services.places.places;
    // The volunteer sits at building A: checkpoints there are theirs to operate.
    gate = await places.create(sys, { kind: 'gate', name: '1栋门岗', regionCode: CODES.buildingA, checkpoint: true });
    clinic = await places.create(sys, { kind: 'clinic', name: '社区卫生服务站', regionCode: CODES.buildingA, checkpoint: true });
    compound = await places.create(sys, { kind: 'care_home', name: '颐养院', regionCode: CODES.unitA, checkpoint: true, passageRules: { requireTemperature: false, feverDenies: false, residentsOnly: true } });
    zhang = t.world.residentsA[0]!.resident.id;
    li = t.world.residentsA[1]!.resident.id;
    // A stand-in for the checks other modules register (isolation after arrival …): it denies whoever is in `denied`.
    t.ctx.passageChecks.register({
      name: 'test_isolation',
      check: async (ctx) => (denied.has(ctx.residentId) ? [{ effect: 'deny', code: 'test_isolation', reason: '居家隔离中（测试）', until: null }] : []),
    });
  });
  afterAll(() => t.close());

  it('gives a resident a signed code valid for 60 seconds; only residents have one', async () => {
    const mine = await req<PersonalCode>('POST', '/api/me/personal-code', resident);
    expect(mine.status).toBe(200);
    expect(mine.body.code).toMatch(/^GL1\.[A-Za-z0-9_-]{60}$/);
    expect(mine.body).toMatchObject({ serverNow: t.clock.now(), residentMasked: '张*' });
    expect(mine.body.expiresAt - mine.body.issuedAt).toBe(PERSONAL_CODE_TTL_MS);
    expect(mine.text).not.toContain(zhang);
    expect(t.ctx.services.places.personalCodes.verify(mine.body.code, t.clock.now())).toMatchObject({ ok: true, residentId: zhang });
    const again = await req<PersonalCode>('POST', '/api/me/personal-code', resident);
    expect(again.body.code).not.toBe(mine.body.code);
    expect((await req<{ error: { code: string } }>('POST', '/api/me/personal-code', head)).body.error.code).toBe('GRIDLINE_FORBIDDEN');
  });

  it('lists the checkpoints the volunteer may operate; a gate the protocol does not check passes unchecked', async () => {
    const list = await req<{ id: string }[]>('GET', '/api/checkpoints', volunteer);
    expect(list.body.map((c) => c.id).sort()).toEqual([gate.id, clinic.id, compound.id].sort());
    // The test clock is 2026-11-29: the "new ten measures" check codes only at care homes, clinics and schools.
    denied.add(zhang);
    const d = await decide(gate, issue(zhang));
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ result: 'pass', checked: false, personMasked: '张*', protocolId: 'new-ten-2022-12', temperature: 36.5, fever: false, reasons: [] });
    expect(d.body.note).toBe('现行防控方案不要求在此类场所（小区/单位出入口）查验通行码，直接通行');
    expect(d.text).not.toContain('张伟');
    denied.delete(zhang);
  });

  it('denies with every reason where codes are checked, and records who, where, when, result, reasons, protocol and temperature', async () => {
    denied.add(li);
    const d = await decide(clinic, issue(li), 36.8);
    expect(d.body.result).toBe('deny');
    expect(d.body.checked).toBe(true);
    expect(d.body.reasons).toContainEqual({ effect: 'deny', code: 'test_isolation', reason: '居家隔离中（测试）', until: null });
    const row = await t.ctx.db.selectFrom('checkpoint_decisions').selectAll().where('id', '=', d.body.id).executeTakeFirstOrThrow();
    const operator = await t.ctx.db.selectFrom('users').select('id').where('username', '=', t.world.usernames.volunteer).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ place_id: clinic.id, operator_id: operator.id, resident_id: li, result: 'deny', protocol_id: 'new-ten-2022-12', temperature_tenths: 368, fever: 0, at: t.clock.now() });
    expect(JSON.parse(row.reasons)).toEqual(d.body.reasons);
    const scan = await t.ctx.db.selectFrom('scans').selectAll().where('id', '=', Number(row.scan_id)).executeTakeFirstOrThrow();
    expect(scan).toMatchObject({ place_id: clinic.id, person_id: li, source: 'checkpoint', temperature_tenths: 368 });
  });

  it('lets an exemption (managed by place.write users, audited) override a denial; revoked or ended, the denial returns', async () => {
    const now = t.clock.now();
    const created = await req<Exemption>('POST', '/api/exemptions', head, { residentId: li, category: 'medical_staff_on_duty', reason: '市一院急诊科在岗', validFrom: now - HOUR, validUntil: now + 8 * HOUR });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ residentMasked: '李*', active: true, approvedByName: '测试community_head' });
    const pass = await decide(clinic, issue(li));
    expect(pass.body.result).toBe('pass');
    expect(pass.body.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['test_isolation', 'medical_staff_on_duty']));
    expect(pass.body.reasons.find((r) => r.effect === 'exempt')?.reason).toContain('医护人员在岗');
    // A fever denies whatever the exemption (a health matter, not a measure).
    const fever = await decide(clinic, issue(li), 37.6);
    expect(fever.body).toMatchObject({ result: 'deny', fever: true, temperature: 37.6, feverThresholdC: 37.3 });
    expect(fever.body.reasons.find((r) => r.code === 'fever')?.reason).toContain('37.6℃');
    const list = await req<{ items: Exemption[] }>('GET', `/api/exemptions?residentId=${li}&activeOnly=true`, head);
    expect(list.body.items.map((e) => e.id)).toEqual([created.body.id]);
    const revoked = await req<Exemption>('POST', `/api/exemptions/${created.body.id}/revoke`, head, { reason: '已调离一线' });
    expect(revoked.body).toMatchObject({ active: false, revokeReason: '已调离一线' });
    expect((await req<{ error: { code: string } }>('POST', `/api/exemptions/${created.body.id}/revoke`, head, { reason: '再次撤销' })).status).toBe(409);
    expect((await decide(clinic, issue(li))).body.result).toBe('deny');
    const actions = await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', created.body.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['exemption.create', 'exemption.revoke']);
    // An exemption that has ended no longer counts.
    // (Ten minutes, so that the test's sessions stay within their idle limit.)
    const short = await t.ctx.services.places.exemptions.create(sys, { residentId: li, category: 'emergency_medical', reason: '送医', validFrom: now, validUntil: now + 10 * 60_000 });
    expect((await decide(clinic, issue(li))).body.result).toBe('pass');
    t.clock.advance(10 * 60_000);
    expect((await decide(clinic, issue(li))).body.result).toBe('deny');
    expect(short.active).toBe(true);
    denied.delete(li);
  });

  it('validates exemptions: order, at most 30 days, not already over, a reason, a resident in scope', async () => {
    const now = t.clock.now();
    const body = { residentId: li, category: 'supply_worker', reason: '保供车辆司机', validFrom: now, validUntil: now + HOUR };
    const bad = async (patch: Record<string, unknown>) => (await req<{ error: { code: string; fields?: { path: string; message: string }[] } }>('POST', '/api/exemptions', head, { ...body, ...patch })).body.error;
    expect((await bad({ validUntil: now - 1 })).fields?.[0]).toMatchObject({ path: '/body/validUntil', message: '结束时间应晚于开始时间' });
    expect((await bad({ validUntil: now + 31 * 24 * HOUR })).fields?.[0]?.message).toBe('豁免期限最长 30 天，到期后可重新办理');
    expect((await bad({ validFrom: now - 3 * HOUR, validUntil: now - HOUR })).fields?.map((f) => f.message)).toContain('结束时间已过，无需办理豁免');
    expect((await bad({ reason: '  ' })).fields?.[0]?.path).toBe('/body/reason');
    expect((await bad({ residentId: t.world.residentsB[0]!.resident.id })).code).toBe('GRIDLINE_REFERENCE_MISSING');
    expect((await req<{ error: { code: string } }>('POST', '/api/exemptions', volunteer, body)).body.error.code).toBe('GRIDLINE_FORBIDDEN');
  });

  it('refuses forged, tampered, malformed, expired and replayed codes, each recorded as a refused attempt', async () => {
    const before = (await t.ctx.db.selectFrom('checkpoint_decisions').select('id').execute()).length;
    const forged = encodePersonalCode({ residentId: zhang, issuedAt: t.clock.now(), nonce: new Uint8Array(8) }, (d) => new Uint8Array(crypto.createHmac('sha256', 'guessed-key').update(d).digest()));
    const good = issue(zhang);
    const flip = good.slice(0, 20) + (good[20] === 'A' ? 'B' : 'A') + good.slice(21);
    const cases: [string, string, string][] = [
      [forged, 'code_forged', '签名不符'],
      [flip, 'code_forged', '签名不符'],
      ['GL1.not-a-code', 'code_malformed', '格式不正确'],
      ['https://example.com/whatever', 'code_malformed', '格式不正确'],
    ];
    for (const [code, reasonCode, text] of cases) {
      const d = await decide(clinic, code);
      expect(d.body, code).toMatchObject({ result: 'refused', personMasked: null, reasons: [{ effect: 'deny', code: reasonCode }] });
      expect(d.body.reasons[0]!.reason).toContain(text);
    }
    const old = issue(zhang);
    t.clock.advance(PERSONAL_CODE_TTL_MS);
    const expired = await decide(clinic, old);
    expect(expired.body).toMatchObject({ result: 'refused', reasons: [{ code: 'code_expired' }] });
    expect(expired.body.reasons[0]!.reason).toContain('已过期');

    // Once per checkpoint within its lifetime: a screenshot shown again is refused; another checkpoint accepts it.
    const once = issue(zhang);
    expect((await decide(gate, once)).body.result).toBe('pass');
    const replay = await decide(gate, once);
    expect(replay.body).toMatchObject({ result: 'refused', reasons: [{ code: 'code_replayed' }] });
    expect((await decide(compound, once, null)).body.result).not.toBe('refused');

    const refused = await t.ctx.db.selectFrom('checkpoint_decisions').selectAll().where('result', '=', 'refused').execute();
    expect(refused.length).toBe(6);
    expect(refused.every((r) => r.resident_id === null && r.scan_id === null && r.operator_name === '测试volunteer')).toBe(true);
    expect((await t.ctx.db.selectFrom('checkpoint_decisions').select('id').execute()).length).toBe(before + 8);
    // Used nonces are forgotten once their code has expired.
    t.clock.advance(PERSONAL_CODE_TTL_MS);
    await t.ctx.services.places.sweep(t.clock.now());
    expect(await t.ctx.db.selectFrom('personal_code_uses').selectAll().execute()).toEqual([]);
  });

  it('applies the place’s rules: temperature required, readings validated, residents only', async () => {
    const missing = await decide(clinic, issue(zhang), null);
    expect(missing.body).toMatchObject({ error: { code: 'GRIDLINE_VALIDATION', fields: [{ path: '/body/temperature', message: '本卡口须先测量并填写体温' }] } });
    const absurd = await decide(clinic, issue(zhang), 45);
    expect(absurd.status).toBe(400);
    const outsider = t.world.residentsB[0]!.resident.id;
    const d = await decide(compound, issue(outsider), null);
    expect(d.body.result).toBe('deny');
    expect(d.body.reasons.find((r) => r.code === 'not_resident_here')?.reason).toBe('非本辖区居民：本卡口仅限1单元登记居民通行');
    expect(d.body.personMasked).toBe('赵*');
    expect(d.text).not.toContain(outsider);
    // A fever is flagged where the place does not deny on it.
    const warm = await decide(compound, issue(zhang), 38.2);
    expect(warm.body).toMatchObject({ fever: true, temperature: 38.2 });
  });

  it('passes a person nothing denies at a checked place (only this module’s exemption check registered)', async () => {
    const checks = new PassageChecks();
    checks.register(exemptionCheck);
    const service = new CheckpointsService({ db: t.ctx.db, clock: t.clock, protocol: t.ctx.protocol, passageChecks: checks, personalCodes: t.ctx.services.places.personalCodes });
    const scope = Scope.system('checkpoint');
    const d = await service.decide(scope, clinic.id, { code: issue(zhang), temperature: 36.4 });
    expect(d).toMatchObject({ result: 'pass', checked: true, reasons: [], fever: false });
  });

  it('lists a checkpoint’s decisions to its staff; side B gets nothing', async () => {
    const list = await req<{ items: CheckpointDecision[]; total: number }>('GET', `/api/checkpoints/${clinic.id}/decisions?pageSize=200`, volunteer);
    expect(list.body.total).toBeGreaterThan(5);
    expect(list.body.items[0]!.at).toBeGreaterThanOrEqual(list.body.items.at(-1)!.at);
    expect(list.text).not.toContain('张伟');
    const refusedOnly = await req<{ items: CheckpointDecision[] }>('GET', `/api/checkpoints/${clinic.id}/decisions?result=refused`, volunteer);
    expect(refusedOnly.body.items.every((d) => d.result === 'refused')).toBe(true);
    expect((await req<unknown[]>('GET', '/api/checkpoints', bCommand)).body).toEqual([]);
    for (const [method, url, payload] of [
      ['POST', `/api/checkpoints/${clinic.id}/decisions`, { code: issue(zhang), temperature: 36.5 }],
      ['GET', `/api/checkpoints/${clinic.id}/decisions`, undefined],
    ] as const) {
      const b = await req<{ error: { code: string } }>(method, url, bCommand, payload);
      expect([b.status, b.body.error.code]).toEqual([404, 'GRIDLINE_NOT_FOUND']);
    }
    const bExemptions = await req<{ items: Exemption[] }>('GET', '/api/exemptions?pageSize=200', bCommand);
    expect(bExemptions.body.items).toEqual([]);
    const anyExemption = await t.ctx.db.selectFrom('passage_exemptions').select('id').where('revoked_at', 'is', null).executeTakeFirstOrThrow();
    expect((await req<{ error: { code: string } }>('POST', `/api/exemptions/${anyExemption.id}/revoke`, bCommand, { reason: '越界撤销' })).status).toBe(404);
  });
});
