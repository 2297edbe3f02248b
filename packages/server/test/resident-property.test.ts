/**
 * Property tests of the resident register through the HTTP API:
 * (a) any valid resident, however it is typed (spaces, +86, full-width digits, lowercase x), round-trips:
 *     what is read back equals the normalized input, masked exactly as maskDocument/maskPhone mask it, and
 *     /unmask returns the normalized plain values;
 * (b) a valid resident with exactly one rule broken is refused with 400 on that field and leaves no row behind.
 */
import {
  buildResidentId, maskDocument, maskPhone, RELATIONS, RESIDENCE_STATUSES, VULNERABILITY_TAGS, type DocumentType, type Resident,
} from '@gridline/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹欧阳司马';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国';
const ADDRESS_CODES = ['110105', '110101', '310101', '440305', '510104', '650102'];

/** Full-width form of every ASCII letter and digit (what some input methods produce). */
const fullWidth = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const isoDate = (min: string, max: string) =>
  fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** Document numbers must be unique across all runs (the register refuses duplicates), shrinking included. */
let counter = 0;

interface Generated {
  payload: Record<string, unknown>;
  expected: {
    name: string; sex: 'male' | 'female'; birthDate: string; docType: DocumentType; docNumber: string; phone: string | null;
    relationToHead: string; residenceStatus: string; tags: string[]; notes: string;
  };
}

const nameArb = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...SURNAMES), minLength: 1, maxLength: 2 }),
    fc.string({ unit: fc.constantFrom(...GIVEN), minLength: 1, maxLength: 3 }),
    fc.constantFrom('', '·', ' ', '  '),
    fc.constantFrom('', ' ', '\u3000', '  '),
  )
  .map(([family, given, sep, pad]) => ({
    typed: `${pad}${family}${sep}${given}${pad}`,
    // Outer spaces go, inner runs of spaces become one.
    normalized: `${family}${sep === '·' ? '·' : sep === '' ? '' : ' '}${given}`,
  }));

const phoneArb = fc.option(
  fc
    .tuple(fc.integer({ min: 3, max: 9 }), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 }), fc.constantFrom('plain', '+86 ', '86', 'dashes', 'spaces', 'fullwidth', '+86-'))
    .map(([second, rest, style]) => {
      const phone = `1${second}${rest}`;
      const grouped = `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
      const typed = {
        plain: phone, '+86 ': `+86 ${grouped}`, '86': `86${phone}`, dashes: `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
        spaces: ` ${grouped} `, fullwidth: fullWidth(phone), '+86-': `+86-${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
      }[style];
      return { typed, normalized: phone };
    }),
  { nil: null },
);

const residentIdArb = fc.record({
  address: fc.constantFrom(...ADDRESS_CODES),
  birthDate: isoDate('1930-01-01', '2020-12-31'),
  female: fc.boolean(),
  style: fc.constantFrom('plain', 'lower', 'spaced', 'fullwidth'),
  giveSex: fc.boolean(),
  giveBirthDate: fc.boolean(),
});

const otherDocArb = fc.record({
  docType: fc.constantFrom<DocumentType>('passport', 'hk_macao_permit', 'taiwan_permit'),
  sex: fc.constantFrom('male' as const, 'female' as const),
  birthDate: isoDate('1930-01-01', '2020-12-31'),
  lower: fc.boolean(),
});

const validArb = fc.record({
  name: nameArb,
  doc: fc.oneof({ arbitrary: residentIdArb.map((d) => ({ kind: 'id' as const, ...d })), weight: 4 }, { arbitrary: otherDocArb.map((d) => ({ kind: 'other' as const, ...d })), weight: 1 }),
  phone: phoneArb,
  explicitNullPhone: fc.boolean(),
  relationToHead: fc.constantFrom(...RELATIONS),
  residenceStatus: fc.constantFrom(...RESIDENCE_STATUSES),
  tags: fc.option(fc.shuffledSubarray([...VULNERABILITY_TAGS], { maxLength: 5 }), { nil: undefined }),
  notes: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  household: fc.constantFrom('A', 'A2'),
});

type ValidSpec = typeof validArb extends fc.Arbitrary<infer T> ? T : never;

/** Turns a generated spec into a request body and the normalized record it must become. */
function materialize(spec: ValidSpec, households: { A: string; A2: string }): Generated {
  counter += 1;
  let docNumber: string;
  let typedDoc: string;
  let sex: 'male' | 'female';
  let birthDate: string;
  const extra: Record<string, unknown> = {};
  if (spec.doc.kind === 'id') {
    const d = spec.doc;
    // Sequence from the counter keeps numbers unique; its parity carries the generated sex.
    const sequence = ((counter * 2) % 1000) + (d.female ? 0 : 1);
    docNumber = buildResidentId(d.address, d.birthDate, sequence);
    sex = d.female ? 'female' : 'male';
    birthDate = d.birthDate;
    typedDoc = {
      plain: docNumber, lower: docNumber.toLowerCase(), spaced: `${docNumber.slice(0, 6)} ${docNumber.slice(6, 14)} ${docNumber.slice(14)}`, fullwidth: fullWidth(docNumber),
    }[d.style];
    if (d.giveSex) extra.sex = sex;
    if (d.giveBirthDate) extra.birthDate = birthDate;
  } else {
    const d = spec.doc;
    const n = String(counter).padStart(8, '0');
    docNumber = { passport: `E${n}`, hk_macao_permit: `H${n}`, taiwan_permit: n, resident_id: '', foreign_permanent_id: '' }[d.docType];
    typedDoc = d.lower ? docNumber.toLowerCase() : docNumber;
    sex = d.sex;
    birthDate = d.birthDate;
    extra.sex = sex;
    extra.birthDate = birthDate;
  }
  const payload: Record<string, unknown> = {
    householdId: households[spec.household as 'A' | 'A2'],
    name: spec.name.typed,
    docType: spec.doc.kind === 'id' ? 'resident_id' : spec.doc.docType,
    docNumber: typedDoc,
    relationToHead: spec.relationToHead,
    residenceStatus: spec.residenceStatus,
    ...extra,
  };
  if (spec.phone) payload.phone = spec.phone.typed;
  else if (spec.explicitNullPhone) payload.phone = null;
  if (spec.tags !== undefined) payload.tags = spec.tags;
  if (spec.notes !== undefined) payload.notes = spec.notes;
  return {
    payload,
    expected: {
      name: spec.name.normalized, sex, birthDate, docType: payload.docType as DocumentType, docNumber, phone: spec.phone?.normalized ?? null,
      relationToHead: spec.relationToHead, residenceStatus: spec.residenceStatus, tags: [...(spec.tags ?? [])].sort(), notes: (spec.notes ?? '').trim(),
    },
  };
}

let t: TestApp;
let cookie: string;
let households: { A: string; A2: string };

async function counts(): Promise<{ residents: number; audit: number; tags: number }> {
  const n = async (table: 'residents' | 'audit_events' | 'resident_tags') =>
    Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { residents: await n('residents'), audit: await n('audit_events'), tags: await n('resident_tags') };
}

beforeAll(async () => {
  t = await createTestApp();
  cookie = await t.login(t.world.usernames.community_worker);
  households = { A: t.world.householdA, A2: t.world.householdA2 };
});
afterAll(() => t.close());

describe('valid residents round-trip', () => {
  it('create → read → unmask gives back the normalized input, masked as the shared masks mask it', async () => {
    const rows = await t.ctx.db.selectFrom('households').select(['id', 'code']).execute();
    const codes = new Map(rows.map((h) => [h.id, h.code]));

    await fc.assert(
      fc.asyncProperty(validArb, async (spec) => {
        const { payload, expected } = materialize(spec, households);
        const created = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie }, payload });
        expect(created.statusCode, `${JSON.stringify(payload)} → ${created.body}`).toBe(201);
        const c = created.json<Resident>();

        const read = await t.app.inject({ url: `/api/residents/${c.id}`, headers: { cookie } });
        expect(read.statusCode).toBe(200);
        const r = read.json<Resident>();
        expect(r).toEqual(c);
        expect(r).toMatchObject({
          householdId: payload.householdId,
          regionCode: codes.get(payload.householdId as string),
          name: expected.name,
          sex: expected.sex,
          birthDate: expected.birthDate,
          docType: expected.docType,
          docNumberMasked: maskDocument(expected.docNumber),
          phoneMasked: expected.phone === null ? null : maskPhone(expected.phone),
          relationToHead: expected.relationToHead,
          residenceStatus: expected.residenceStatus,
          tags: expected.tags,
          notes: expected.notes,
          version: 1,
        });
        expect(read.body).not.toContain(expected.docNumber);
        if (expected.phone) expect(read.body).not.toContain(expected.phone);

        const unmasked = await t.app.inject({ method: 'POST', url: `/api/residents/${c.id}/unmask`, headers: { cookie }, payload: { purpose: '属性测试核对' } });
        expect(unmasked.statusCode).toBe(200);
        expect(unmasked.json()).toEqual({ id: c.id, docNumber: expected.docNumber, phone: expected.phone });

        // The tag index agrees with the record (the register's tag filter finds it under every tag it carries).
        const indexed = await t.ctx.db.selectFrom('resident_tags').select('tag').where('resident_id', '=', c.id).execute();
        expect(indexed.map((x) => x.tag).sort()).toEqual(expected.tags);
      }),
      { numRuns: 50 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

interface Breaker {
  rule: string;
  /** Breaks one rule of a valid body; returns the field path the refusal must name. */
  apply(body: Record<string, unknown>, docNumber: string): string;
}

const notInVocab = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_'), minLength: 1, maxLength: 12 }).filter(
  (s) => !([...RELATIONS, ...RESIDENCE_STATUSES, ...VULNERABILITY_TAGS, 'male', 'female', 'resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id'] as string[]).includes(s),
);
const wrongTypeValue = fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.constant(null), fc.array(fc.integer(), { minLength: 1, maxLength: 2 }));
const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const badPhone = fc.oneof(
  digits(10, 10).map((d) => `1${d.slice(1)}`.slice(0, 10)),
  digits(11, 11).map((d) => `1${d.slice(1)}0`),
  fc.tuple(fc.constantFrom('0', '1', '2'), digits(9, 9)).map(([s, d]) => `1${s}${d}`),
  fc.tuple(fc.constantFrom('2', '5', '9'), digits(10, 10)).map(([s, d]) => `${s}${d}`),
  fc.tuple(digits(5, 9), fc.constantFrom('a', 'x', '#', '.')).map(([d, c]) => `13${d}${c}`),
);

const breakerArb: fc.Arbitrary<Breaker> = fc.oneof(
  fc.integer({ min: 1, max: 10 }).map((k): Breaker => ({
    rule: 'check digit',
    apply: (b, doc) => {
      const chars = '0123456789X';
      b.docType = 'resident_id';
      delete b.sex;
      delete b.birthDate;
      b.docNumber = doc.slice(0, 17) + chars[(chars.indexOf(doc[17]!) + k) % chars.length]!;
      return '/body/docNumber';
    },
  })),
  fc.constantFrom('1990-02-30', '1990-13-01', '1990-00-10', '1990-04-31', '2001-02-29', '1990-01-00', '2030-01-01', '1879-12-31').map((date): Breaker => ({
    rule: `impossible birth date ${date}`,
    apply: (b) => {
      b.docType = 'resident_id';
      delete b.sex;
      delete b.birthDate;
      b.docNumber = buildResidentId('110105', date, 111);
      return '/body/docNumber';
    },
  })),
  badPhone.map((phone): Breaker => ({ rule: `bad phone ${phone}`, apply: (b) => ((b.phone = phone), '/body/phone') })),
  fc.constantFrom('', ' ', '\u3000\u3000', ' \t ').map((name): Breaker => ({ rule: `empty name ${JSON.stringify(name)}`, apply: (b) => ((b.name = name), '/body/name') })),
  fc.tuple(fc.constantFrom('0', '7', '@', '#', '!', '<'), fc.constantFrom(...GIVEN)).map(([bad, c]): Breaker => ({ rule: `name with ${bad}`, apply: (b) => ((b.name = `王${bad}${c}`), '/body/name') })),
  fc.tuple(fc.constantFrom('sex', 'docType', 'relationToHead', 'residenceStatus', 'tags'), notInVocab).map(([field, value]): Breaker => ({
    rule: `wrong enum ${field}=${value}`,
    apply: (b) => {
      b[field] = field === 'tags' ? [value] : value;
      return `/body/${field}`;
    },
  })),
  fc.tuple(fc.constantFrom('name', 'docNumber', 'relationToHead', 'residenceStatus', 'householdId', 'tags', 'notes', 'sex', 'birthDate', 'docType'), wrongTypeValue).map(([field, value]): Breaker => ({
    rule: `wrong type ${field}=${JSON.stringify(value)}`,
    apply: (b) => {
      b[field] = value;
      return `/body/${field}`;
    },
  })),
  fc.constantFrom('sex', 'birthDate').map((field): Breaker => ({
    rule: `${field} contradicting the ID`,
    apply: (b, doc) => {
      b.docType = 'resident_id';
      b.docNumber = doc;
      const female = Number(doc.slice(14, 17)) % 2 === 0;
      delete b.sex;
      delete b.birthDate;
      if (field === 'sex') b.sex = female ? 'male' : 'female';
      // A year earlier (29 February becomes the 28th, which every year has).
      else b.birthDate = `${Number(doc.slice(6, 10)) - 1}-${doc.slice(10, 12)}-${doc.slice(10, 14) === '0229' ? '28' : doc.slice(12, 14)}`;
      return `/body/${field}`;
    },
  })),
  fc.constantFrom('nickname', 'id', 'regionCode', 'version').map((field): Breaker => ({ rule: `unknown field ${field}`, apply: (b) => ((b[field] = 'x'), `/body/${field}`) })),
);

describe('invalid residents are refused and leave nothing behind', () => {
  it('one broken rule → 400 naming that field, no row, no audit event', async () => {
    await fc.assert(
      fc.asyncProperty(validArb, breakerArb, async (spec, breaker) => {
        const { payload, expected } = materialize(spec, households);
        const idDoc = expected.docType === 'resident_id' ? expected.docNumber : buildResidentId('110105', expected.birthDate, (counter * 2) % 1000);
        const path = breaker.apply(payload, idDoc);
        const before = await counts();
        const res = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie }, payload });
        const label = `${breaker.rule}: ${JSON.stringify(payload)} → ${res.body}`;
        expect(res.statusCode, label).toBe(400);
        const err = res.json<{ error: { code: string; fields?: { path: string; message: string }[] } }>().error;
        expect(err.code, label).toBe('GRIDLINE_VALIDATION');
        const f = err.fields?.find((x) => x.path === path || x.path.startsWith(`${path}/`));
        expect(f, label).toBeDefined();
        expect(f!.message, label).toMatch(/\p{Script=Han}/u);
        expect(await counts(), label).toEqual(before);
      }),
      { numRuns: 60 },
    );
  });
});
