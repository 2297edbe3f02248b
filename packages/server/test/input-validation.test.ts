/**
 * Input validation at the HTTP edge and in the register's rules: every refusal is a 4xx in the one error shape,
 * names the offending field with a Chinese message, and writes nothing.
 */
import { buildResidentId, PHONE_MESSAGE, RESIDENT_ID_MESSAGES } from '@gridline/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODES, createTestApp, type TestApp } from './harness.js';

interface ErrorBody {
  error: { code: string; message: string; messageEn: string; fields?: { path: string; code: string; message: string }[] };
}

const HAN = /\p{Script=Han}/u;

/** Row counts of everything a refused request could have written. */
async function counts(t: TestApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['residents', 'resident_tags', 'households', 'household_moves', 'region_nodes', 'users', 'audit_events'] as const) {
    const r = await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

function expectError(res: LightMyRequestResponse, status: number, code: string): ErrorBody['error'] {
  expect(res.statusCode, res.body).toBe(status);
  const err = res.json<ErrorBody>().error;
  expect(err.code).toBe(code);
  expect(err.message).toMatch(HAN);
  return err;
}

function expectField(err: ErrorBody['error'], path: string, code?: string, message?: string | RegExp): void {
  const f = err.fields?.find((x) => x.path === path);
  expect(f, `no field error at ${path}: ${JSON.stringify(err.fields)}`).toBeDefined();
  expect(f!.message).toMatch(HAN);
  if (code) expect(f!.code).toBe(code);
  if (typeof message === 'string') expect(f!.message).toBe(message);
  else if (message) expect(f!.message).toMatch(message);
}

/** A valid resident ID whose check character is X. */
function idEndingInX(): string {
  for (let seq = 1; seq < 1000; seq++) {
    const id = buildResidentId('110105', '1990-05-17', seq);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X check digit found');
}

/** Same first 17 characters, a wrong 18th. */
function withWrongCheckDigit(id: string): string {
  const last = id.slice(-1);
  return id.slice(0, 17) + (last === '0' ? '1' : '0');
}

describe('request validation', () => {
  let t: TestApp;
  let cookie: string;
  let base: Record<string, unknown>;
  let seq = 0;
  const doc = () => buildResidentId('110105', '1992-03-04', 500 + ++seq * 2); // even sequence: female

  beforeAll(async () => {
    t = await createTestApp();
    cookie = await t.login(t.world.usernames.community_worker);
    base = { householdId: t.world.householdA2, name: '陈晓', docType: 'resident_id', relationToHead: 'child', residenceStatus: 'permanent' };
  });
  afterAll(() => t.close());

  const post = (payload: unknown, url = '/api/residents') =>
    t.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as Record<string, unknown> });

  /** Runs a request that must be refused and asserts nothing was written. */
  async function refused(run: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
    const before = await counts(t);
    const res = await run();
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(await counts(t)).toEqual(before);
    return res;
  }

  it('accepts the valid base request (so every refusal below is caused by the one thing it breaks)', async () => {
    const res = await post({ ...base, docNumber: doc() });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('bad JSON → 400 GRIDLINE_BAD_JSON', async () => {
    for (const payload of ['{"name": ', '{name: "陈晓"}', '']) {
      const res = await refused(() =>
        t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie, 'content-type': 'application/json' }, payload }),
      );
      expectError(res, 400, 'GRIDLINE_BAD_JSON');
    }
  });

  it('a body that is not JSON: plain text is refused on /body, any other type → 415', async () => {
    const text = await refused(() =>
      t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie, 'content-type': 'text/plain' }, payload: 'name=陈晓' }),
    );
    expectField(expectError(text, 400, 'GRIDLINE_VALIDATION'), '/body', 'type', '类型应为对象');
    const xml = await refused(() =>
      t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie, 'content-type': 'application/xml' }, payload: '<name>陈晓</name>' }),
    );
    expectError(xml, 415, 'GRIDLINE_UNSUPPORTED_MEDIA_TYPE');
  });

  it.each([
    ['name: 5', { name: 5 }, '/body/name', 'type', '类型应为文本'],
    ['tags: "x"', { tags: 'x' }, '/body/tags', 'type', '类型应为列表'],
    ['tags with an unknown tag', { tags: ['vip'] }, '/body/tags/0', 'enum', undefined],
    ['repeated tags', { tags: ['infant', 'infant'] }, '/body/tags', 'uniqueItems', undefined],
    ['phone: 13800000000 (a number)', { phone: 13800000000 }, '/body/phone', undefined, undefined],
    ['sex: "unknown"', { sex: 'unknown' }, '/body/sex', 'enum', '取值不在允许的范围内'],
    ['docType: "driver_license"', { docType: 'driver_license' }, '/body/docType', 'enum', undefined],
    ['relationToHead: null', { relationToHead: null }, '/body/relationToHead', undefined, undefined],
    ['householdId not a uuid', { householdId: '12345' }, '/body/householdId', 'format', '格式不正确'],
    ['birthDate not a date', { birthDate: '1992/03/04' }, '/body/birthDate', 'pattern', undefined],
    ['unknown field', { nickname: '小陈' }, '/body/nickname', 'additionalProperties', '不允许的字段'],
    ['missing name', { name: undefined }, '/body/name', 'required', '此项为必填项'],
    ['name of 51 characters', { name: '陈'.repeat(51) }, '/body/name', 'maxLength', '最多 50 个字符'],
    ['notes of 501 characters', { notes: '备'.repeat(501) }, '/body/notes', 'maxLength', '最多 500 个字符'],
    ['empty name', { name: '' }, '/body/name', 'minLength', '不能为空'],
  ] as const)('POST /api/residents with %s → 400 GRIDLINE_VALIDATION naming the field', async (_what, patch, path, code, message) => {
    const payload: Record<string, unknown> = { ...base, docNumber: doc(), ...patch };
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete payload[k];
    const err = expectError(await refused(() => post(payload)), 400, 'GRIDLINE_VALIDATION');
    expectField(err, path, code, message);
  });

  it.each([
    ['page=abc', 'page=abc', '/querystring/page', 'type'],
    ['page=0', 'page=0', '/querystring/page', 'minimum'],
    ['pageSize=201', 'pageSize=201', '/querystring/pageSize', 'maximum'],
    ['an unknown parameter', 'colour=red', '/querystring/colour', 'additionalProperties'],
    ['node that is not a code', 'node=abc', '/querystring/node', 'pattern'],
    ['tag outside the vocabulary', 'tags=vip', '/querystring/tags/0', 'enum'],
  ] as const)('GET /api/residents?%s → 400 naming the parameter', async (_what, query, path, code) => {
    const res = await t.app.inject({ url: `/api/residents?${query}`, headers: { cookie } });
    expectField(expectError(res, 400, 'GRIDLINE_VALIDATION'), path, code);
  });

  it('a malformed id in the path → 400 naming /params/id', async () => {
    for (const url of ['/api/residents/not-a-uuid', '/api/households/123']) {
      const res = await t.app.inject({ url, headers: { cookie } });
      expectField(expectError(res, 400, 'GRIDLINE_VALIDATION'), '/params/id', 'format');
    }
  });

  it('several problems at once are all reported', async () => {
    const err = expectError(await refused(() => post({ ...base, docNumber: doc(), name: 5, tags: 'x', extra: 1 })), 400, 'GRIDLINE_VALIDATION');
    for (const p of ['/body/name', '/body/tags', '/body/extra']) expectField(err, p);
  });

  describe('the register rules (after the schema)', () => {
    const valid = () => buildResidentId('110105', '1985-07-09', 123); // male, 1985-07-09

    it.each([
      ['a wrong check digit', () => withWrongCheckDigit(valid()), 'ID_CHECKDIGIT', RESIDENT_ID_MESSAGES.checkDigit.zh],
      ['a 15-digit legacy ID', () => '110105850709123', 'ID_LEGACY15', RESIDENT_ID_MESSAGES.legacy15.zh],
      ['an impossible birth date', () => buildResidentId('110105', '1985-02-30', 123), 'ID_BIRTHDATE', RESIDENT_ID_MESSAGES.birthDate.zh],
      ['a birth date after today', () => buildResidentId('110105', '2027-01-01', 123), 'ID_BIRTHDATE', RESIDENT_ID_MESSAGES.birthDate.zh],
      ['an unknown province', () => buildResidentId('990105', '1985-07-09', 123), 'ID_REGION', RESIDENT_ID_MESSAGES.region.zh],
      ['letters inside', () => '11010519850709A234', 'ID_FORMAT', RESIDENT_ID_MESSAGES.format.zh],
    ])('a resident ID with %s → field error on docNumber', async (_what, make, code, message) => {
      const err = expectError(await refused(() => post({ ...base, docNumber: make() })), 400, 'GRIDLINE_VALIDATION');
      expectField(err, '/body/docNumber', code, message);
    });

    it.each(['12345', '23800001111', '1380000111', '138000011112', '12800001111', '+1 138 0000 1111', '138-0000-111a'])(
      'phone %s → field error on phone',
      async (phone) => {
        const err = expectError(await refused(() => post({ ...base, docNumber: doc(), phone })), 400, 'GRIDLINE_VALIDATION');
        expectField(err, '/body/phone', 'format', PHONE_MESSAGE.zh);
      },
    );

    it('sex contradicting the resident ID → field error on sex', async () => {
      const err = expectError(await refused(() => post({ ...base, docNumber: valid(), sex: 'female' })), 400, 'GRIDLINE_VALIDATION');
      expectField(err, '/body/sex', 'mismatch', /男/);
      expect(err.fields).toHaveLength(1);
    });

    it('birth date contradicting the resident ID → field error on birthDate', async () => {
      const err = expectError(await refused(() => post({ ...base, docNumber: valid(), birthDate: '1985-07-10' })), 400, 'GRIDLINE_VALIDATION');
      expectField(err, '/body/birthDate', 'mismatch', /1985-07-09/);
      expect(err.fields).toHaveLength(1);
    });

    it('a name of spaces or with digits and symbols → field error on name', async () => {
      for (const name of ['   ', '陈晓1', '陈@晓']) {
        const err = expectError(await refused(() => post({ ...base, docNumber: doc(), name })), 400, 'GRIDLINE_VALIDATION');
        expectField(err, '/body/name');
      }
    });

    it('other document types need sex and a real birth date', async () => {
      const passport = { ...base, docType: 'passport', docNumber: 'E12345678' };
      let err = expectError(await refused(() => post(passport)), 400, 'GRIDLINE_VALIDATION');
      expectField(err, '/body/sex', 'required');
      expectField(err, '/body/birthDate', 'required');
      err = expectError(await refused(() => post({ ...passport, sex: 'male', birthDate: '1990-02-30' })), 400, 'GRIDLINE_VALIDATION');
      expectField(err, '/body/birthDate', 'invalid');
      err = expectError(await refused(() => post({ ...passport, docNumber: 'E1', sex: 'male', birthDate: '1990-02-03' })), 400, 'GRIDLINE_VALIDATION');
      expectField(err, '/body/docNumber', 'DOC_FORMAT');
    });

    it('matching sex and birth date are accepted with the ID', async () => {
      const res = await post({ ...base, docNumber: buildResidentId('110105', '1985-07-09', 125), sex: 'male', birthDate: '1985-07-09' });
      expect(res.statusCode, res.body).toBe(201);
    });

    it('a lowercase x is accepted and stored as X (read back through unmask)', async () => {
      const id = idEndingInX();
      const res = await post({ ...base, docNumber: id.toLowerCase() });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json<{ id: string; docNumberMasked: string }>();
      expect(created.docNumberMasked.endsWith('X')).toBe(true);
      const unmasked = await post({ purpose: '核对证件' }, `/api/residents/${created.id}/unmask`);
      expect(unmasked.statusCode, unmasked.body).toBe(200);
      expect(unmasked.json<{ docNumber: string }>().docNumber).toBe(id);
      // And the uppercase form is now a duplicate of it.
      const dup = await refused(() => post({ ...base, docNumber: id }));
      expectError(dup, 409, 'GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT');
    });

    it('a change that contradicts the stored ID is refused on the changed field', async () => {
      const created = await post({ ...base, docNumber: buildResidentId('110105', '1979-11-30', 201) });
      expect(created.statusCode, created.body).toBe(201);
      const r = created.json<{ id: string; version: number }>();
      const patch = (payload: Record<string, unknown>) =>
        t.app.inject({ method: 'PATCH', url: `/api/residents/${r.id}`, headers: { cookie }, payload: { version: r.version, ...payload } });
      expectField(expectError(await refused(() => patch({ sex: 'female' })), 400, 'GRIDLINE_VALIDATION'), '/body/sex', 'mismatch');
      expectField(expectError(await refused(() => patch({ birthDate: '1979-12-01' })), 400, 'GRIDLINE_VALIDATION'), '/body/birthDate', 'mismatch');
      expectField(expectError(await refused(() => patch({ docNumber: withWrongCheckDigit(doc()) })), 400, 'GRIDLINE_VALIDATION'), '/body/docNumber', 'ID_CHECKDIGIT');
      expectField(expectError(await refused(() => patch({ phone: '12345' })), 400, 'GRIDLINE_VALIDATION'), '/body/phone', 'format');
      expectField(expectError(await refused(() => patch({ version: '1' })), 400, 'GRIDLINE_VALIDATION'), '/body/version', 'type');
      expectField(expectError(await refused(() => patch({ name: 'x'.repeat(51) })), 400, 'GRIDLINE_VALIDATION'), '/body/name', 'maxLength');
      expectField(expectError(await refused(() => patch({ notes: 'n'.repeat(501) })), 400, 'GRIDLINE_VALIDATION'), '/body/notes', 'maxLength');
      expectField(expectError(await refused(() => patch({ id: r.id })), 400, 'GRIDLINE_VALIDATION'), '/body/id', 'additionalProperties');
    });
  });

  describe('other routes validate the same way', () => {
    let commandCookie: string | undefined;
    it.each([
      ['POST /api/households room "12"', 'POST', '/api/households', () => ({ unitCode: CODES.unitA, room: '12' }), '/body/room', 'pattern'],
      ['POST /api/households unknown field', 'POST', '/api/households', () => ({ unitCode: CODES.unitA, room: '0808', floor: 8 }), '/body/floor', 'additionalProperties'],
      ['POST /api/households unit code with letters', 'POST', '/api/households', () => ({ unitCode: 'abc', room: '0808' }), '/body/unitCode', 'pattern'],
      ['POST /api/households a building, not a unit', 'POST', '/api/households', () => ({ unitCode: CODES.buildingA, room: '0808' }), '/body/unitCode', 'level'],
      ['POST /api/households/:id/move one-character reason', 'POST', 'move', () => ({ unitCode: CODES.unitA, room: '0909', reason: '搬' }), '/body/reason', 'minLength'],
      ['POST /api/regions code of 7 digits', 'POST', '/api/regions', () => ({ code: '1101050', name: '错' }), '/body/code', 'length'],
      ['POST /api/regions name of 61 characters', 'POST', '/api/regions', () => ({ code: `${CODES.buildingA}09`, name: '名'.repeat(61) }), '/body/name', 'maxLength'],
      ['PATCH /api/regions/:code empty name', 'PATCH', `/api/regions/${CODES.unitA}`, () => ({ name: '' }), '/body/name', 'minLength'],
      ['POST /api/residents/:id/unmask purpose too long', 'POST', 'unmask', () => ({ purpose: '因'.repeat(201) }), '/body/purpose', 'maxLength'],
    ] as const)('%s → field error', async (_what, method, url, payload, path, code) => {
      const resolved = url === 'move' ? `/api/households/${t.world.householdA2}/move` : url === 'unmask' ? `/api/residents/${t.world.residentsA[0]!.resident.id}/unmask` : url;
      commandCookie ??= await t.login(t.world.usernames.command);
      const res = await refused(() => t.app.inject({ method, url: resolved, headers: { cookie: commandCookie }, payload: payload() }));
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorBody>().error.message).toMatch(HAN);
      expectField(res.json<ErrorBody>().error, path, code);
    });

    it('the resident portal refuses a bad phone and unknown fields', async () => {
      const residentCookie = await t.login(t.world.usernames.resident);
      const put = (payload: Record<string, unknown>) => t.app.inject({ method: 'PUT', url: '/api/me/phone', headers: { cookie: residentCookie }, payload });
      expectField(expectError(await refused(() => put({ phone: '12345' })), 400, 'GRIDLINE_VALIDATION'), '/body/phone', 'format', PHONE_MESSAGE.zh);
      // A resident cannot aim the change at someone else.
      expectField(expectError(await refused(() => put({ phone: '13900001001', residentId: t.world.residentsA[2]!.resident.id })), 400, 'GRIDLINE_VALIDATION'), '/body/residentId', 'additionalProperties');
    });
  });
});

describe('body size limit (BODY_LIMIT=2048)', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT: '2048' } });
    cookie = await t.login(t.world.usernames.community_worker);
  });
  afterAll(() => t.close());

  it('a body over the limit → 413 GRIDLINE_PAYLOAD_TOO_LARGE, nothing written; one under it is accepted', async () => {
    const payload = {
      householdId: t.world.householdA2, name: '大包', docType: 'resident_id', docNumber: buildResidentId('110105', '1991-01-01', 611),
      relationToHead: 'child', residenceStatus: 'permanent',
    };
    const big = JSON.stringify({ ...payload, notes: 'x'.repeat(3000) });
    expect(Buffer.byteLength(big)).toBeGreaterThan(2048);
    const before = await counts(t);
    const res = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie, 'content-type': 'application/json' }, payload: big });
    expectError(res, 413, 'GRIDLINE_PAYLOAD_TOO_LARGE');
    expect(await counts(t)).toEqual(before);

    // Multi-byte characters count as bytes: 500 Chinese characters are ~1.5 KB, still under the limit.
    const ok = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie }, payload: { ...payload, notes: '备'.repeat(500) } });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
