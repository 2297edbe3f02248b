/**
 * Personal data leaves the server masked: no route that returns residents carries a plaintext document number or
 * phone; the plain values come only from /unmask, for a stated purpose, and that view is audited. The audit log
 * itself keeps masked values only.
 */
import { buildResidentId, maskDocument, maskPhone, parseResidentId, type Household, type Resident } from '@gridline/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODES, createTestApp, type TestApp } from './harness.js';

interface AuditEventBody {
  action: string;
  entityId: string | null;
  purpose: string | null;
  actorName: string | null;
  diff: Record<string, unknown> | null;
}
interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; code: string; message: string }[] };
}

let t: TestApp;
let worker: string;
let auditor: string;
let residentCookie: string;
/** Every plaintext document number and phone this file has put in the register. */
const plaintext: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  for (const r of [...t.world.residentsA, ...t.world.residentsB]) plaintext.push(r.docNumber, r.phone);
  worker = await t.login(t.world.usernames.community_worker);
  auditor = await t.login(t.world.usernames.auditor);
  residentCookie = await t.login(t.world.usernames.resident);
});
afterAll(() => t.close());

/** No plaintext value anywhere in the raw body, and no other thing that looks like a whole ID number or mobile phone. */
function expectNothingPlain(res: LightMyRequestResponse, label: string): void {
  for (const value of plaintext) expect(res.body.includes(value), `${label} contains plaintext ${value}`).toBe(false);
  // Ids are UUIDs and audit hashes are 64 hex digits; either could by chance hold a run of digits that looks like a
  // number, so both are blanked. Everything else is scanned.
  const body = res.body
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/gi, '<hash>');
  for (const m of body.matchAll(/(?<![\dX])\d{17}[\dX](?![\dX])/g)) {
    expect(parseResidentId(m[0], '2100-01-01').ok, `${label} contains a resident ID ${m[0]}`).toBe(false);
  }
  for (const m of body.matchAll(/(?<!\d)1[3-9]\d{9}(?!\d)/g)) expect.fail(`${label} contains a phone number ${m[0]}`);
}

function expectMasked(r: Resident, docNumber: string, phone: string | null): void {
  expect(r.docNumberMasked).toBe(maskDocument(docNumber));
  expect(r.docNumberMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
  expect(r.phoneMasked).toBe(phone === null ? null : maskPhone(phone));
  if (phone !== null) expect(r.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
}

let docSeq = 0;
let phoneSeq = 0;
function newDoc(): string {
  docSeq += 1;
  const doc = buildResidentId('110105', `1988-0${(docSeq % 9) + 1}-2${docSeq % 9}`, 300 + docSeq);
  plaintext.push(doc);
  return doc;
}
function newPhone(): string {
  phoneSeq += 1;
  const phone = `1377700${String(1000 + phoneSeq)}`;
  plaintext.push(phone);
  return phone;
}

async function call(cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>) {
  return t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
}

async function auditEvents(query: string): Promise<AuditEventBody[]> {
  const res = await call(auditor, 'GET', `/api/audit/events?pageSize=200&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  expectNothingPlain(res, 'GET /api/audit/events');
  return res.json<{ items: AuditEventBody[] }>().items;
}

describe('routes that return residents show masked values only', () => {
  it('the seeded residents read masked in the list, by id, and in their household', async () => {
    const seeded = t.world.residentsA[0]!;
    expect(seeded.resident.docNumberMasked).toMatch(/^1101\*{10}[\dX]{4}$/);
    expect(seeded.resident.phoneMasked).toBe('139****1001');

    const list = await call(worker, 'GET', '/api/residents?pageSize=200');
    expect(list.statusCode).toBe(200);
    expectNothingPlain(list, 'GET /api/residents');
    const items = list.json<{ items: Resident[] }>().items;
    expect(items).toHaveLength(3);
    for (const s of t.world.residentsA) expectMasked(items.find((r) => r.id === s.resident.id)!, s.docNumber, s.phone);

    for (const s of t.world.residentsA) {
      const one = await call(worker, 'GET', `/api/residents/${s.resident.id}`);
      expect(one.statusCode).toBe(200);
      expectNothingPlain(one, 'GET /api/residents/:id');
      expectMasked(one.json<Resident>(), s.docNumber, s.phone);
    }

    const h = await call(worker, 'GET', `/api/households/${t.world.householdA}`);
    expect(h.statusCode).toBe(200);
    expectNothingPlain(h, 'GET /api/households/:id');
    const members = h.json<Household>().members;
    expect(members).toHaveLength(2);
    for (const m of members) {
      const s = t.world.residentsA.find((r) => r.resident.id === m.id)!;
      expectMasked(m, s.docNumber, s.phone);
    }
  });

  it('searching by a full document number or phone finds the resident but never echoes the number', async () => {
    const s = t.world.residentsA[1]!;
    for (const q of [s.docNumber, s.phone, s.docNumber.slice(-4)]) {
      const res = await call(worker, 'GET', `/api/residents?q=${q}`);
      expect(res.statusCode).toBe(200);
      expectNothingPlain(res, `GET /api/residents?q=${q}`);
      expect(res.json<{ items: Resident[] }>().items.map((r) => r.id)).toContain(s.resident.id);
    }
  });

  it('create and update responses are masked (input typed with spaces, +86 and full-width digits)', async () => {
    const doc = newDoc();
    const phone = newPhone();
    const typedPhone = `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${[...phone.slice(7)].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('')}`;
    const created = await call(worker, 'POST', '/api/residents', {
      householdId: t.world.householdA2, name: '周杰', docType: 'resident_id', docNumber: doc, phone: typedPhone, relationToHead: 'child', residenceStatus: 'permanent',
    });
    expect(created.statusCode, created.body).toBe(201);
    expectNothingPlain(created, 'POST /api/residents');
    const r = created.json<Resident>();
    expectMasked(r, doc, phone);

    const doc2 = newDoc();
    const phone2 = newPhone();
    const updated = await call(worker, 'PATCH', `/api/residents/${r.id}`, { version: r.version, docNumber: doc2, phone: phone2 });
    expect(updated.statusCode, updated.body).toBe(200);
    expectNothingPlain(updated, 'PATCH /api/residents/:id');
    expectMasked(updated.json<Resident>(), doc2, phone2);

    // The audit diff of both changes carries the masked values, never the plain ones.
    const events = await auditEvents(`entityId=${r.id}`);
    expect(events.map((e) => e.action).sort()).toEqual(['resident.create', 'resident.update']);
    const create = events.find((e) => e.action === 'resident.create')!;
    expect(create.diff).toMatchObject({ docNumber: [null, maskDocument(doc)], phone: [null, maskPhone(phone)] });
    const update = events.find((e) => e.action === 'resident.update')!;
    expect(update.diff).toMatchObject({ docNumber: [maskDocument(doc), maskDocument(doc2)], phone: [maskPhone(phone), maskPhone(phone2)] });

    // Deleting keeps the masked values in the log as well.
    const removed = await call(worker, 'DELETE', `/api/residents/${r.id}`);
    expect(removed.statusCode).toBe(200);
    const del = (await auditEvents(`entityId=${r.id}&action=resident.delete`))[0]!;
    expect(del.diff).toMatchObject({ docNumber: [maskDocument(doc2), null], phone: [maskPhone(phone2), null] });
  });

  it('a refused duplicate does not echo the document number', async () => {
    const s = t.world.residentsA[0]!;
    const res = await call(worker, 'POST', '/api/residents', {
      householdId: t.world.householdA2, name: '重复', docType: 'resident_id', docNumber: s.docNumber, relationToHead: 'child', residenceStatus: 'permanent',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.code).toBe('GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT');
    expectNothingPlain(res, 'duplicate refusal');
  });

  it('household create and move responses are masked', async () => {
    const created = await call(worker, 'POST', '/api/households', { unitCode: CODES.unitA, room: '0501' });
    expect(created.statusCode, created.body).toBe(201);
    expectNothingPlain(created, 'POST /api/households');
    const h = created.json<Household>();
    expect(h.members).toEqual([]);

    const doc = newDoc();
    const phone = newPhone();
    const member = await call(worker, 'POST', '/api/residents', {
      householdId: h.id, name: '吴静', docType: 'resident_id', docNumber: doc, phone, relationToHead: 'head', residenceStatus: 'tenant',
    });
    expect(member.statusCode, member.body).toBe(201);

    const moved = await call(worker, 'POST', `/api/households/${h.id}/move`, { unitCode: CODES.unitA, room: '0601', reason: '换房' });
    expect(moved.statusCode, moved.body).toBe(200);
    expectNothingPlain(moved, 'POST /api/households/:id/move');
    const m = moved.json<Household>();
    expect(m.members).toHaveLength(1);
    expectMasked(m.members[0]!, doc, phone);

    const history = await call(worker, 'GET', `/api/households/${h.id}/history`);
    expect(history.statusCode).toBe(200);
    expectNothingPlain(history, 'GET /api/households/:id/history');
  });

  it('the resident portal shows the resident its own data masked, and a phone change answers masked', async () => {
    const own = t.world.residentsA[0]!;
    const household = await call(residentCookie, 'GET', '/api/me/household');
    expect(household.statusCode).toBe(200);
    expectNothingPlain(household, 'GET /api/me/household');
    for (const m of household.json<Household>().members) {
      const s = t.world.residentsA.find((r) => r.resident.id === m.id)!;
      expectMasked(m, s.docNumber, s.phone);
    }

    const me = await call(residentCookie, 'GET', '/api/me/resident');
    expect(me.statusCode).toBe(200);
    expectNothingPlain(me, 'GET /api/me/resident');
    expectMasked(me.json<Resident>(), own.docNumber, own.phone);

    const phone = newPhone();
    const changed = await call(residentCookie, 'PUT', '/api/me/phone', { phone: `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}` });
    expect(changed.statusCode, changed.body).toBe(200);
    expectNothingPlain(changed, 'PUT /api/me/phone');
    expectMasked(changed.json<Resident>(), own.docNumber, phone);
    const [event] = await auditEvents(`entityId=${own.resident.id}&action=resident.self_phone`);
    expect(event?.diff).toEqual({ phone: [maskPhone(own.phone), maskPhone(phone)] });

    // Put the seeded phone back for the tests that follow.
    expect((await call(residentCookie, 'PUT', '/api/me/phone', { phone: own.phone })).statusCode).toBe(200);
  });

  it('nothing in the stored register or audit log is plaintext (encrypted at rest, masked in the log)', async () => {
    const rows = await t.ctx.db.selectFrom('residents').selectAll().execute();
    const stored = JSON.stringify(rows);
    const log = JSON.stringify(await t.ctx.db.selectFrom('audit_events').selectAll().execute());
    for (const value of plaintext) {
      expect(stored.includes(value), `residents table holds ${value}`).toBe(false);
      expect(log.includes(value), `audit log holds ${value}`).toBe(false);
    }
  });
});

describe('unmask', () => {
  it('returns the plain values for a stated purpose and records who looked, why', async () => {
    const s = t.world.residentsA[0]!;
    const before = (await auditEvents('action=resident.unmask')).length;
    const res = await call(worker, 'POST', `/api/residents/${s.resident.id}/unmask`, { purpose: '  上门核酸核对身份  ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: s.resident.id, docNumber: s.docNumber, phone: s.phone });

    const events = await auditEvents('action=resident.unmask');
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({ action: 'resident.unmask', entityId: s.resident.id, purpose: '上门核酸核对身份', actorName: t.world.usernames.community_worker });
    // The event records that the view happened, not what was seen.
    expect(JSON.stringify(events[0])).not.toContain(s.docNumber);
  });

  it('a resident without a phone unmasks to phone null', async () => {
    const doc = newDoc();
    const created = await call(worker, 'POST', '/api/residents', {
      householdId: t.world.householdA2, name: '郑洁', docType: 'resident_id', docNumber: doc, relationToHead: 'child', residenceStatus: 'floating',
    });
    expect(created.statusCode, created.body).toBe(201);
    const r = created.json<Resident>();
    expect(r.phoneMasked).toBeNull();
    const res = await call(worker, 'POST', `/api/residents/${r.id}/unmask`, { purpose: '办理证明' });
    expect(res.json()).toEqual({ id: r.id, docNumber: doc, phone: null });
  });

  it.each([
    ['missing', {}, 'GRIDLINE_VALIDATION', 'required'],
    ['one character', { purpose: '查' }, 'GRIDLINE_VALIDATION', 'minLength'],
    ['only spaces', { purpose: '     ' }, 'GRIDLINE_PURPOSE_REQUIRED', 'required'],
    ['a number', { purpose: 12345 }, 'GRIDLINE_VALIDATION', 'type'],
  ] as const)('refuses a purpose that is %s: 400 with a field error, no plaintext, nothing audited', async (_what, payload, code, fieldCode) => {
    const s = t.world.residentsA[1]!;
    const before = await t.ctx.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await call(worker, 'POST', `/api/residents/${s.resident.id}/unmask`, payload);
    expect(res.statusCode, res.body).toBe(400);
    const err = res.json<ErrorBody>().error;
    expect(err.code).toBe(code);
    expect(err.fields).toEqual([expect.objectContaining({ path: '/body/purpose', code: fieldCode, message: expect.stringMatching(/\p{Script=Han}/u) })]);
    expectNothingPlain(res, 'refused unmask');
    const after = await t.ctx.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses roles without the permission and residents out of reach, auditing nothing', async () => {
    const s = t.world.residentsA[0]!;
    const before = (await auditEvents('action=resident.unmask')).length;
    for (const role of ['volunteer', 'sysadmin', 'auditor', 'department_staff', 'resident'] as const) {
      const cookie = await t.login(t.world.usernames[role]);
      const res = await call(cookie, 'POST', `/api/residents/${s.resident.id}/unmask`, { purpose: '核实身份' });
      expect(res.statusCode, role).toBe(403);
      expectNothingPlain(res, `unmask by ${role}`);
    }
    const b = t.world.residentsB[0]!;
    const res = await call(worker, 'POST', `/api/residents/${b.resident.id}/unmask`, { purpose: '核实身份' });
    expect(res.statusCode).toBe(404);
    expectNothingPlain(res, 'unmask of side B');
    expect(await auditEvents('action=resident.unmask')).toHaveLength(before);
  });

  it('a tracer may unmask (and the event names the tracer)', async () => {
    const cookie = await t.login(t.world.usernames.tracer);
    const s = t.world.residentsA[2]!;
    const res = await call(cookie, 'POST', `/api/residents/${s.resident.id}/unmask`, { purpose: '流调核实' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ docNumber: s.docNumber });
    const [event] = await auditEvents(`action=resident.unmask&entityId=${s.resident.id}`);
    expect(event).toMatchObject({ purpose: '流调核实', actorName: t.world.usernames.tracer });
  });
});
