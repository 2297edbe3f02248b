import { levelOfCode, parseResidentId, ROLES, type Role } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { shanghaiDate } from '../lib/clock.js';
import { DEMO_DISTRICT, DEMO_STREET, generateDemoStreet, type DemoStreet } from './demo-street.js';
import { DEMO_PASSWORD, seedDemo, type DemoSummary } from './seed.js';

const TODAY = '2026-11-29';

function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return birthDate.slice(5) > today.slice(5) ? years - 1 : years;
}

describe('generateDemoStreet', () => {
  const cache = new Map<string, DemoStreet>();
  const street = (seed: number, n: number) => {
    const key = `${seed}/${n}`;
    if (!cache.has(key)) cache.set(key, generateDemoStreet(seed, n, TODAY));
    return cache.get(key)!;
  };

  it('is deterministic: the same seed gives the same street, another seed another one', () => {
    const a = generateDemoStreet(42, 2000, TODAY);
    const b = generateDemoStreet(42, 2000, TODAY);
    expect(b).toEqual(a);
    const c = generateDemoStreet(43, 2000, TODAY);
    expect(c.residents).not.toEqual(a.residents);
    expect(c.residents.map((r) => r.docNumber)).not.toEqual(a.residents.map((r) => r.docNumber));
  });

  it.each([1, 300, 2000, 20000])('produces exactly %i residents', (n) => {
    expect(street(7, n).residents).toHaveLength(n);
  });

  it('builds one street of 5 communities and 40 grids, a consistent tree of units', () => {
    const { nodes } = street(7, 20000);
    const byLevel = (l: string) => nodes.filter((x) => x.level === l);
    expect(byLevel('district')).toEqual([{ code: DEMO_DISTRICT.code, parentCode: null, level: 'district', name: DEMO_DISTRICT.name }]);
    expect(byLevel('street').map((x) => x.code)).toEqual([DEMO_STREET.code]);
    expect(byLevel('community')).toHaveLength(5);
    expect(byLevel('grid')).toHaveLength(40);
    expect(byLevel('building').length).toBeGreaterThanOrEqual(40 * 5);
    const codes = new Set(nodes.map((x) => x.code));
    expect(codes.size).toBe(nodes.length);
    for (const node of nodes) {
      expect(levelOfCode(node.code)).toBe(node.level);
      if (node.parentCode) {
        expect(codes.has(node.parentCode)).toBe(true);
        expect(node.code.startsWith(node.parentCode)).toBe(true);
      }
    }
    // Grid counts per community: 8 each.
    for (const c of byLevel('community')) expect(byLevel('grid').filter((g) => g.parentCode === c.code)).toHaveLength(8);
  });

  it('gives every resident a valid, unique resident ID consistent with sex and birth date', () => {
    const { residents } = street(7, 20000);
    const seen = new Set<string>();
    for (const r of residents) {
      const id = parseResidentId(r.docNumber, TODAY);
      expect(id, r.docNumber).toMatchObject({ ok: true, value: r.docNumber, sex: r.sex, birthDate: r.birthDate });
      seen.add(r.docNumber);
    }
    expect(seen.size).toBe(residents.length);
  });

  it('gives plausible mobile numbers or none, and unique ones are the norm', () => {
    const { residents } = street(7, 20000);
    for (const r of residents) if (r.phone !== null) expect(r.phone).toMatch(/^1[3-9]\d{9}$/);
    const withPhone = residents.filter((r) => r.phone);
    expect(withPhone.length / residents.length).toBeGreaterThan(0.7);
    for (const r of residents) if (ageOn(r.birthDate, TODAY) < 12) expect(r.phone).toBeNull();
  });

  it('codes households as 24 digits under their unit, one head each, every resident in one of them', () => {
    const { nodes, households, residents } = street(7, 20000);
    const units = new Set(nodes.filter((x) => x.level === 'unit').map((x) => x.code));
    const codes = new Set<string>();
    for (const h of households) {
      expect(h.code).toMatch(/^\d{24}$/);
      expect(levelOfCode(h.code)).toBe('household');
      expect(h.code.startsWith(h.unitCode)).toBe(true);
      expect(h.code.slice(20)).toBe(h.room);
      expect(units.has(h.unitCode)).toBe(true);
      expect(h.address).toMatch(/社区 \d+栋 \d单元 \d{4}室$/);
      codes.add(h.code);
    }
    expect(codes.size).toBe(households.length);
    const members = new Map<string, number>();
    const heads = new Map<string, number>();
    for (const r of residents) {
      expect(codes.has(r.householdCode)).toBe(true);
      members.set(r.householdCode, (members.get(r.householdCode) ?? 0) + 1);
      if (r.relationToHead === 'head') heads.set(r.householdCode, (heads.get(r.householdCode) ?? 0) + 1);
    }
    expect(members.size).toBe(households.length);
    for (const h of households) expect(heads.get(h.code), h.code).toBe(1);
    const avg = residents.length / households.length;
    expect(avg).toBeGreaterThan(1.8);
    expect(avg).toBeLessThan(3.5);
  });

  it('has a plausible age structure', () => {
    const { residents } = street(7, 20000);
    const ages = residents.map((r) => ageOn(r.birthDate, TODAY));
    const share = (p: (a: number) => boolean) => ages.filter(p).length / ages.length;
    expect(share((a) => a >= 60)).toBeGreaterThanOrEqual(0.1);
    expect(share((a) => a >= 60)).toBeLessThanOrEqual(0.35);
    expect(share((a) => a < 18)).toBeGreaterThan(0.05);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(110);
    for (const r of residents) expect(r.birthDate <= TODAY).toBe(true);
    // Both sexes, roughly balanced.
    expect(residents.filter((r) => r.sex === 'female').length / residents.length).toBeGreaterThan(0.35);
    expect(residents.filter((r) => r.sex === 'female').length / residents.length).toBeLessThan(0.65);
  });

  it('tags residents consistently with their age and household', () => {
    const { residents } = street(7, 20000);
    const size = new Map<string, number>();
    for (const r of residents) size.set(r.householdCode, (size.get(r.householdCode) ?? 0) + 1);
    const counts = new Map<string, number>();
    for (const r of residents) {
      const age = ageOn(r.birthDate, TODAY);
      expect(new Set(r.tags).size).toBe(r.tags.length);
      for (const tag of r.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      expect(r.tags.includes('infant'), `${r.birthDate} infant`).toBe(age < 3);
      expect(r.tags.includes('elderly_80_plus')).toBe(age >= 80);
      if (r.tags.includes('elderly_alone')) {
        expect(size.get(r.householdCode)).toBe(1);
        expect(age).toBeGreaterThanOrEqual(65);
      }
      if (r.tags.includes('pregnant')) {
        expect(r.sex).toBe('female');
        expect(age).toBeGreaterThanOrEqual(20);
        expect(age).toBeLessThanOrEqual(40);
      }
      if (r.tags.includes('left_behind_child')) expect(age >= 3 && age <= 14).toBe(true);
    }
    // The vulnerable groups a street worker looks for are all present in a street this size.
    for (const tag of ['elderly_alone', 'elderly_80_plus', 'chronic_disease', 'disabled', 'infant', 'low_income']) {
      expect(counts.get(tag) ?? 0, tag).toBeGreaterThan(0);
    }
  });
});

describe('seedDemo', () => {
  let t: TestApp;
  let summary: DemoSummary;

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    summary = await seedDemo(t.ctx, 2026, 500);
  });
  afterAll(() => t.close());

  it('writes the generated street: 5 communities, 40 grids, the households and exactly n residents', async () => {
    const expected = generateDemoStreet(2026, 500, shanghaiDate(t.clock.now()));
    expect(summary).toMatchObject({ seed: 2026, communities: 5, grids: 40, households: expected.households.length, residents: 500 });
    const count = async (table: 'residents' | 'households' | 'resident_tags') =>
      Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('residents')).toBe(500);
    expect(await count('households')).toBe(expected.households.length);
    expect(await count('resident_tags')).toBe(expected.residents.reduce((n, r) => n + r.tags.length, 0));
    const levels = await t.ctx.db.selectFrom('region_nodes').select(['level', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('level').execute();
    const byLevel = Object.fromEntries(levels.map((l) => [l.level, Number(l.n)]));
    expect(byLevel).toMatchObject({ district: 1, street: 1, community: 5, grid: 40 });
    expect(byLevel.building).toBe(summary.buildings);

    // Documents are stored encrypted and decrypt to the generated numbers.
    const rows = await t.ctx.db.selectFrom('residents').select(['doc_number_enc', 'doc_number_masked']).execute();
    const generated = new Set(expected.residents.map((r) => r.docNumber));
    for (const row of rows) {
      expect(row.doc_number_enc).not.toMatch(/^\d{17}[\dX]$/);
      expect(generated.has(t.ctx.cipher.decrypt(row.doc_number_enc))).toBe(true);
    }
  });

  it('creates a demo account for every role, each able to sign in with the demo password', async () => {
    const roles = new Set(summary.accounts.map((a) => a.role));
    expect([...roles].sort()).toEqual([...ROLES].sort());
    for (const a of summary.accounts) {
      expect(a.roleLabel).toBeTruthy();
      expect(a.nodeName).not.toBe(a.node);
      const cookie = await t.login(a.username, DEMO_PASSWORD);
      const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
      expect(me.statusCode).toBe(200);
      expect(me.json<{ role: Role; nodeCode: string; mustChangePassword: boolean }>()).toMatchObject({ role: a.role, nodeCode: a.node, mustChangePassword: false });
    }
  });

  it('scopes the demo accounts: the two community workers see disjoint residents; the resident sees their household', async () => {
    const worker = await t.login('worker', DEMO_PASSWORD);
    const worker2 = await t.login('worker2', DEMO_PASSWORD);
    const list = async (cookie: string) => t.app.inject({ url: '/api/residents?pageSize=200', headers: { cookie } }).then((r) => r.json<{ total: number; items: { regionCode: string }[] }>());
    const a = await list(worker);
    const b = await list(worker2);
    expect(a.total).toBeGreaterThan(0);
    expect(b.total).toBeGreaterThan(0);
    expect(a.items.every((r) => r.regionCode.startsWith(`${DEMO_STREET.code}001`))).toBe(true);
    expect(b.items.every((r) => r.regionCode.startsWith(`${DEMO_STREET.code}002`))).toBe(true);

    const resident = await t.login('resident', DEMO_PASSWORD);
    const home = await t.app.inject({ url: '/api/me/household', headers: { cookie: resident } });
    expect(home.statusCode).toBe(200);
    expect(home.json<{ members: unknown[] }>().members.length).toBeGreaterThan(0);
  });

  it('shows daily field work: a checkpoint gate with its device, monitored residents with today’s reports and a fever’s follow-up', async () => {
    const gates = await t.ctx.db.selectFrom('places').select(['id', 'checkpoint']).where('name', '=', '梅园小区东门').execute();
    expect(gates).toHaveLength(1);
    expect(gates[0]!.checkpoint).toBe(1);
    expect(await t.ctx.db.selectFrom('devices').select('id').where('place_id', '=', gates[0]!.id).execute()).toHaveLength(1);
    const monitored = await t.ctx.db.selectFrom('health_monitoring').select('resident_id').execute();
    const reports = await t.ctx.db.selectFrom('health_reports').select(['resident_id', 'abnormal']).execute();
    // Fewer than four reports than monitored residents leaves some "not reported today"; one report has a fever.
    expect(monitored.length).toBeGreaterThan(reports.length);
    expect(reports.filter((r) => r.abnormal === 1)).toHaveLength(1);
    const followUps = await t.ctx.db.selectFrom('tasks').select('resident_id').where('type', '=', 'health_followup').execute();
    expect(followUps.map((f) => f.resident_id)).toEqual(reports.filter((r) => r.abnormal === 1).map((r) => r.resident_id));
  });

  it('is audited as one event, and the chain verifies', async () => {
    const events = await t.ctx.db.selectFrom('audit_events').select(['seq', 'action']).where('action', '=', 'demo.seed').execute();
    expect(events).toEqual([{ seq: 1, action: 'demo.seed' }]);
    expect((await t.ctx.services.audit.verify(t.ctx.db)).ok).toBe(true);
  });

  it('grows the street for demos beyond one street’s usual capacity instead of stopping short', () => {
    const big = generateDemoStreet(3, 60_000, '2026-11-29');
    expect(big.residents).toHaveLength(60_000);
    expect(new Set(big.residents.map((r) => r.docNumber)).size).toBe(60_000);
    expect(big.nodes.filter((n) => n.level === 'building').length).toBeGreaterThan(480);
  });
});
