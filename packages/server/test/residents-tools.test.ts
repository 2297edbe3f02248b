import { buildResidentId } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentsRepository } from '../src/modules/residents/residents.repository.js';
import { birthRangeForAges } from '../src/modules/residents/residents.service.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, type TestApp } from './harness.js';
import { expectCountsMatchRegister } from './counts.js';

const sys = Scope.system('test');

describe('search, filters, duplicates and merges, boundaries', () => {
  let t: TestApp;
  let worker: string;
  const get = async <T>(url: string, cookie = worker) => {
    const res = await t.app.inject({ url, headers: { cookie } });
    return { status: res.statusCode, body: res.json<T>() };
  };
  const post = async <T>(url: string, payload: unknown, cookie = worker) => {
    const res = await t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: { cookie } });
    return { status: res.statusCode, body: res.json<T>() };
  };

  beforeAll(async () => {
    t = await createTestApp();
    worker = await t.login(t.world.usernames.community_worker);
  });
  afterAll(() => t.close());

  it('turns an age band into a birth-date range on the Shanghai date', () => {
    expect(birthRangeForAges('2026-11-29', 60, 79)).toEqual({ from: '1946-11-29', to: '1966-11-29' });
    expect(birthRangeForAges('2026-11-29', undefined, 6)).toEqual({ from: '2019-11-29' });
  });

  it('gives every list a total that costs no more than its page: maintained, capped or estimated', async () => {
    const sys = Scope.system('test');
    const filter = { residenceStatus: 'registered' as const };
    const exact = await residentsRepository.list(t.ctx.db, sys, CODES.communityA, filter, undefined, {}, { cap: 3 });
    expect(exact).toMatchObject({ total: 3, totalKind: 'exact' });
    const capped = await residentsRepository.list(t.ctx.db, sys, CODES.communityA, filter, undefined, {}, { cap: 2 });
    expect(capped).toMatchObject({ total: 2, totalKind: 'atLeast' });
    expect(capped.items.map((r) => r.id)).toEqual(exact.items.map((r) => r.id));
    // Unfiltered, the total is the node's maintained count: exact whatever the cap.
    expect(await residentsRepository.list(t.ctx.db, sys, CODES.communityA, {}, undefined, {}, { cap: 2 })).toMatchObject({ total: 3, totalKind: 'exact' });
    // Filtered over a street or more, an estimator (PostgreSQL's planner) answers instead of a count; not below.
    const estimate = async () => 1234;
    expect(await residentsRepository.list(t.ctx.db, sys, CODES.streetA, filter, undefined, {}, { estimate })).toMatchObject({ total: 1234, totalKind: 'estimate' });
    expect(await residentsRepository.list(t.ctx.db, sys, CODES.communityA, filter, undefined, {}, { estimate })).toMatchObject({ total: 3, totalKind: 'exact' });
    // Through the API: PostgreSQL estimates a street's filtered total, SQLite counts it.
    const command = await t.login(t.world.usernames.command);
    const street = await get<{ total: number; totalKind: string; items: unknown[] }>(`/api/residents?node=${CODES.streetA}&residenceStatus=registered`, command);
    expect(street.body.items).toHaveLength(3);
    expect(street.body.totalKind).toBe(t.ctx.dialect.name === 'postgres' ? 'estimate' : 'exact');
    expect(street.body.total).toBeGreaterThanOrEqual(t.ctx.dialect.name === 'postgres' ? 1 : 3);
    expect((await get<{ total: number; totalKind: string }>('/api/residents')).body).toMatchObject({ total: 3, totalKind: 'exact' });
  });

  it('filters by any of several tags and by age band', async () => {
    type Page = { items: { name: string }[] };
    const tagged = await get<Page>('/api/residents?tags=chronic_disease&tags=elderly_alone');
    expect(tagged.body.items.map((r) => r.name).sort()).toEqual(['张伟', '王芳'].sort());
    // Fixture birth years: 张伟 1971, 李娜 1972, 王芳 1973 → on 2026-11-29 aged 55, 54, 53.
    const band = await get<Page>('/api/residents?ageMin=54&ageMax=55');
    expect(band.body.items.map((r) => r.name).sort()).toEqual(['张伟', '李娜'].sort());
    expect((await get<Page>('/api/residents?ageMin=80')).body.items).toEqual([]);
  });

  it('searches residents, households by address and regions by name within scope', async () => {
    const r = await get<{ residents: { name: string }[]; households: { address: string; memberCount: number }[]; regions: { code: string }[] }>(`/api/search?q=${encodeURIComponent('1栋')}`);
    expect(r.status).toBe(200);
    expect(r.body.households.map((h) => h.memberCount).sort()).toEqual([1, 2]);
    expect(r.body.regions.map((x) => x.code)).toEqual([CODES.buildingA]);
    const byTail = await get<{ residents: { name: string }[] }>(`/api/search?q=${t.world.residentsA[2]!.phone.slice(-4)}`);
    expect(byTail.body.residents.map((x) => x.name)).toEqual(['王芳']);
    const resident = await t.login(t.world.usernames.resident);
    expect((await get<{ residents: unknown[]; regions: unknown[] }>(`/api/search?q=${encodeURIComponent('张')}`, resident)).body).toEqual({ residents: [], households: [], regions: [] });
  });

  it('finds likely duplicates and merges one, keeping history, audit and the account', async () => {
    const { residents } = t.ctx.services;
    // The same person entered twice: passport and resident ID, same name, birth date and phone.
    const dup = await residents.create(sys, {
      householdId: t.world.householdA2, name: '张伟', docType: 'passport', docNumber: 'E7654321', sex: 'male', birthDate: t.world.residentsA[0]!.resident.birthDate,
      phone: t.world.residentsA[0]!.phone, relationToHead: 'other_relative', residenceStatus: 'permanent', tags: ['disabled'], notes: '重复录入',
    });
    const groups = await get<{ groups: { reason: string; residents: { id: string }[] }[] }>('/api/residents/duplicates');
    expect(groups.body.groups).toEqual([{ reason: 'same_name_birth_phone', residents: expect.arrayContaining([expect.objectContaining({ id: dup.id })]) }]);
    const keptId = t.world.residentsA[0]!.resident.id;

    // The dup's account moves to the kept record.
    await t.ctx.db.updateTable('users').set({ resident_id: dup.id }).where('username', '=', t.world.usernames.resident).execute();
    const merged = await post<{ tags: string[]; notes: string; version: number }>(`/api/residents/${keptId}/merge`, { duplicateId: dup.id, reason: '同一人重复登记' });
    expect(merged.status).toBe(200);
    expect(merged.body.tags).toEqual(['chronic_disease', 'disabled']);
    expect(merged.body.notes).toBe('重复录入');
    expect((await get(`/api/residents/${dup.id}`)).status).toBe(404);
    const account = await t.ctx.db.selectFrom('users').select('resident_id').where('username', '=', t.world.usernames.resident).executeTakeFirstOrThrow();
    expect(account.resident_id).toBe(keptId);

    const history = await get<{ mergedId: string; reason: string; merged: { docNumberMasked: string } }[]>(`/api/residents/${keptId}/merges`);
    expect(history.body).toEqual([expect.objectContaining({ mergedId: dup.id, reason: '同一人重复登记', merged: expect.objectContaining({ docNumberMasked: 'E******1' }) })]);
    const event = await t.ctx.db.selectFrom('audit_events').select(['purpose', 'diff']).where('action', '=', 'resident.merge').executeTakeFirstOrThrow();
    expect(event.purpose).toBe('同一人重复登记');
    expect(event.diff).not.toContain('E7654321');
    expect((await t.ctx.services.audit.verify(t.ctx.db)).ok).toBe(true);
    expect((await get<{ groups: unknown[] }>('/api/residents/duplicates')).body.groups).toEqual([]);
  });

  it('refuses merging a record with itself', async () => {
    const id = t.world.residentsA[1]!.resident.id;
    const res = await post<{ error: { fields: { path: string }[] } }>(`/api/residents/${id}/merge`, { duplicateId: id, reason: '测试' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]!.path).toBe('/body/duplicateId');
  });

  it('loads boundaries from GeoJSON, reports the rest, and serves them as a map', async () => {
    const head = await t.login(t.world.usernames.community_head);
    const square = (x: number, y: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] });
    const body = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: square(116.45, 39.92), properties: { code: CODES.gridA, name: '网格A' } },
        { type: 'Feature', geometry: square(116.46, 39.92), properties: { code: CODES.buildingA } },
        { type: 'Feature', geometry: square(116.47, 39.92), properties: { code: CODES.gridB } },
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[116.45, 39.92], [200, 39.92], [116.45, 39.93]]] }, properties: { code: CODES.unitA } },
        { type: 'Feature', geometry: square(116.48, 39.92), properties: { code: '110105001001999' } },
      ],
    };
    const res = await post<{ updated: number; unmatched: { index: number; code: string }[] }>('/api/regions/boundaries', body, head);
    expect(res.status).toBe(200);
    expect(res.body.updated).toBe(2);
    expect(res.body.unmatched.map((u) => u.index)).toEqual([2, 3, 4]);
    const map = await get<{ features: { properties: { code: string; self: boolean; residentCount: number } }[] }>(`/api/regions/${CODES.gridA}/map`, head);
    expect(map.body.features.map((f) => f.properties)).toEqual([
      expect.objectContaining({ code: CODES.gridA, self: true }),
      expect.objectContaining({ code: CODES.buildingA, self: false, residentCount: expect.any(Number) }),
    ]);
    const malformed = await post<{ error: { code: string } }>('/api/regions/boundaries', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { code: CODES.gridA } }] }, head);
    expect(malformed.status).toBe(400);
  });

  it('counts residents per node and per child, and the two agree with the register', async () => {
    const command = await t.login(t.world.usernames.command);
    const inDb = (prefix: string) => t.ctx.db.selectFrom('residents').select('id').where('region_code', 'like', `${prefix}%`).execute().then((r) => r.length);
    for (const code of [CODES.streetA, CODES.gridA, CODES.unitA]) {
      const d = (await get<{ node: { residentCount: number }; children: { code: string; residentCount: number }[] }>(`/api/regions/${code}`, command)).body;
      expect(d.node.residentCount, code).toBe(await inDb(code));
      for (const c of d.children) expect(c.residentCount, c.code).toBe(await inDb(c.code));
    }
  });

  it('serves the client configuration without a session', async () => {
    const res = await t.app.inject('/api/config');
    expect(res.json()).toEqual({ version: expect.any(String), tileUrl: '', tileAttribution: '' });
  });

  it('ships demo boundaries for the street, communities, grids and buildings', async () => {
    const { generateDemoStreet } = await import('../src/demo/demo-street.js');
    const street = generateDemoStreet(1, 500, '2026-11-29');
    const withShape = street.nodes.filter((n) => n.geometry);
    expect(withShape.filter((n) => n.level === 'grid')).toHaveLength(40);
    expect(withShape.filter((n) => n.level === 'building').length).toBe(street.nodes.filter((n) => n.level === 'building').length);
    expect(buildResidentId('110105', '1980-01-01', 1)).toHaveLength(18);
  });
  it('keeps the residents-per-node counts in step with the register after everything above', async () => {
    await expectCountsMatchRegister(t.ctx.db);
  });
});
