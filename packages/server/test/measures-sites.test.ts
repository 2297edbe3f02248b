/**
 * Designated isolation sites (issue #7): centralized isolation names an active site that serves the person and
 * has a free place — counted inside the measure's transaction, so two impositions racing for the last place
 * cannot both get it; a full site in a bulk imposition refuses that row only; an inactive site is refused; the
 * other jurisdiction sees none of our sites and cannot use one; occupancy counts only measures pending or in force;
 * the compliance view's street rows are the sums of their communities.
 */
import { buildResidentId, type Compliance, type ImposeProposalsResult, type IsolationSite, type IsolationSiteDetail, type IsolationSiteList, type Measure } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STREET } from '../src/demo/demo-street.js';
import { seedDemo } from '../src/demo/seed.js';
import { newId } from '../src/lib/ids.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const sys = Scope.system('test');
const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
interface ErrorBody {
  error: { code: string; fields?: { path: string; code: string; message: string }[]; details?: Record<string, unknown> };
}

let t: TestApp;
const r: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  for (const [username, role, nodeCode] of [['b_command', 'command', CODES.streetB], ['d_command', 'command', CODES.district]] as const) {
    await t.ctx.services.users.create(sys, { username, displayName: username, role, nodeCode, password: TEST_PASSWORD });
  }
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
  const names = ['周一', '吴二', '郑三', '冯四', '陈五', '褚六', '卫七', '蒋八'];
  for (const [i, name] of names.entries()) {
    const docNumber = buildResidentId('110105', `1985-0${i + 1}-1${i}`, 300 + i);
    r.push((await t.ctx.services.residents.create(sys, { householdId: t.world.householdA2, name, docType: 'resident_id', docNumber, relationToHead: 'child', residenceStatus: 'permanent' })).id);
  }
  // The ninth edition is in force: a close contact gets 7 days of centralized isolation, approved by the street.
  t.clock.set(at('2022-11-09T12:00:00+08:00'));
});
afterAll(() => t.close());

const req = <T>(username: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.as<T>(username, method, url, payload);
const worker = () => t.world.usernames.community_worker;
const command = () => t.world.usernames.command;
const site = (name: string, regionCode: string, capacity: number) => ({ name, address: '测试路1号', kind: 'hotel', regionCode, capacity, contactPhone: '010-12345678' });
const isolate = (residentId: string, siteId?: string) => ({
  residentId, measure: 'centralized_isolation', subject: { kind: 'close_contact' }, firstDay: '2022-11-08', days: 7, place: { kind: 'site', name: '', ...(siteId ? { siteId } : {}) },
});
const inUse = async (id: string, username = command()) => (await req<IsolationSiteList>(username, 'GET', '/api/measures/sites?includeInactive=true')).body.items.find((s) => s.id === id);

const ids = { lastPlace: '', roomy: '', district: '', sideB: '', stopped: '' };

describe('sites and who sees them', () => {
  it('the street command designates sites; a community head (below street level) may not', async () => {
    const made = await req<IsolationSite>(command(), 'POST', '/api/measures/sites', site('如家酒店', CODES.streetA, 1));
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: '如家酒店', regionCode: CODES.streetA, capacity: 1, inUse: 0, free: 1, active: true, editable: true, version: 1 });
    ids.lastPlace = made.body.id;
    ids.roomy = (await req<IsolationSite>(command(), 'POST', '/api/measures/sites', { ...site('区集中隔离点', CODES.streetA, 120), kind: 'designated' })).body.id;
    ids.stopped = (await req<IsolationSite>(command(), 'POST', '/api/measures/sites', site('停用酒店', CODES.streetA, 10))).body.id;
    ids.district = (await req<IsolationSite>('d_command', 'POST', '/api/measures/sites', { ...site('区定点医院', CODES.district, 30), kind: 'hospital' })).body.id;
    ids.sideB = (await req<IsolationSite>('b_command', 'POST', '/api/measures/sites', site('乙方酒店', CODES.streetB, 5))).body.id;

    const head = await req<ErrorBody>(t.world.usernames.community_head, 'POST', '/api/measures/sites', site('社区自设点', CODES.streetA, 5));
    expect(head.status).toBe(403);
    // The street lies above a community's jurisdiction: it cannot designate there.
    expect(head.body.error.code).toBe('GRIDLINE_OUT_OF_SCOPE');
    const community = await req<ErrorBody>(command(), 'POST', '/api/measures/sites', site('社区级', CODES.communityA, 5));
    expect(community.body.error.fields?.[0]).toMatchObject({ path: '/body/regionCode', code: 'level' });
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', ids.lastPlace).execute();
    expect(audit.map((a) => a.action)).toEqual(['isolation_site.create']);
  });

  it('a community worker sees its street’s and its district’s sites; the other street sees only the district’s', async () => {
    const mine = (await req<IsolationSiteList>(worker(), 'GET', '/api/measures/sites')).body.items.map((s) => s.id);
    expect(new Set(mine)).toEqual(new Set([ids.lastPlace, ids.roomy, ids.stopped, ids.district]));
    const theirs = (await req<IsolationSiteList>('b_command', 'GET', '/api/measures/sites')).body.items.map((s) => s.id);
    expect(new Set(theirs)).toEqual(new Set([ids.sideB, ids.district]));
    expect((await req<ErrorBody>(worker(), 'GET', `/api/measures/sites/${ids.sideB}`)).status).toBe(404);
    const edit = await req<ErrorBody>('b_command', 'PATCH', `/api/measures/sites/${ids.lastPlace}`, { version: 1, capacity: 99 });
    expect(edit.status).toBe(404);
    // The district's site is listed for the street, but only the district maintains it.
    expect((await req<IsolationSiteList>(command(), 'GET', '/api/measures/sites')).body.items.find((s) => s.id === ids.district)).toMatchObject({ editable: false });
  });
});

describe('centralized isolation names a site with a free place', () => {
  it('must name a site once sites serve the person', async () => {
    const res = await req<ErrorBody>(command(), 'POST', '/api/measures', isolate(r[0]!));
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.[0]).toMatchObject({ path: '/body/place/siteId', code: 'required' });
  });

  it('two concurrent impositions for the last place: exactly one gets it, the other is told the site is full', async () => {
    const cookie = await t.login(command());
    const send = (residentId: string) => t.app.inject({ method: 'POST', url: '/api/measures', headers: { cookie }, payload: isolate(residentId, ids.lastPlace) });
    const [a, b] = await Promise.all([send(r[0]!), send(r[1]!)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    const won = (a.statusCode === 201 ? a : b).json<Measure>();
    expect(won.place).toEqual({ kind: 'site', name: '如家酒店', siteId: ids.lastPlace });
    const lost = (a.statusCode === 409 ? a : b).json<ErrorBody>();
    expect(lost.error.fields).toEqual([{ path: '/body/place/siteId', code: 'full', message: '隔离点「如家酒店」已满（容量 1，在用 1）' }]);
    expect(await inUse(ids.lastPlace)).toMatchObject({ capacity: 1, inUse: 1, free: 0 });
    const stored = await t.ctx.db.selectFrom('measures').select(['site_id', 'place_name']).where('site_id', '=', ids.lastPlace).execute();
    expect(stored).toEqual([{ site_id: ids.lastPlace, place_name: '如家酒店' }]);
  });

  it('the site shows who is there to the jurisdiction of the measure, and only a count to others', async () => {
    const mine = await req<IsolationSiteDetail>(worker(), 'GET', `/api/measures/sites/${ids.lastPlace}`);
    expect(mine.body.occupants).toHaveLength(1);
    expect(['周一', '吴二']).toContain(mine.body.occupants[0]!.residentName);
    expect(mine.body.occupants[0]).toMatchObject({ status: 'active', plannedEndAt: at('2022-11-15T00:00:00+08:00') });
  });

  it('an inactive site is refused; deactivation is version-checked and audited', async () => {
    const stale = await req<ErrorBody>(command(), 'PATCH', `/api/measures/sites/${ids.stopped}`, { version: 9, active: false });
    expect(stale.body.error.code).toBe('GRIDLINE_STALE_VERSION');
    const off = await req<IsolationSite>(command(), 'PATCH', `/api/measures/sites/${ids.stopped}`, { version: 1, active: false });
    expect(off.body).toMatchObject({ active: false, version: 2 });
    expect((await req<IsolationSiteList>(worker(), 'GET', '/api/measures/sites')).body.items.map((s) => s.id)).not.toContain(ids.stopped);
    const res = await req<ErrorBody>(command(), 'POST', '/api/measures', isolate(r[2]!, ids.stopped));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([{ path: '/body/place/siteId', code: 'inactive', message: '隔离点「停用酒店」已停用' }]);
    const audit = await t.ctx.db.selectFrom('audit_events').select('action').where('entity_id', '=', ids.stopped).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['isolation_site.create', 'isolation_site.deactivate']);
  });

  it('another jurisdiction’s site cannot be used, and answers as a site that does not exist', async () => {
    const theirs = await req<ErrorBody>(command(), 'POST', '/api/measures', isolate(r[2]!, ids.sideB));
    const none = await req<ErrorBody>(command(), 'POST', '/api/measures', isolate(r[2]!, newId()));
    expect(theirs.status).toBe(409);
    expect(theirs.body).toEqual(none.body);
    expect(theirs.body.error.fields?.[0]).toMatchObject({ path: '/body/place/siteId', code: 'missing' });
  });

  it('the district’s site serves a community of the street', async () => {
    const res = await req<Measure>(command(), 'POST', '/api/measures', isolate(r[2]!, ids.district));
    expect(res.status).toBe(201);
    // Street B sees the place taken, not who took it.
    const theirs = await req<IsolationSiteDetail>('b_command', 'GET', `/api/measures/sites/${ids.district}`);
    expect(theirs.body).toMatchObject({ site: { inUse: 1, free: 29 }, occupants: [], othersInUse: 1 });
    expect(JSON.stringify(theirs.body)).not.toContain('郑三');
  });

  it('occupancy counts only measures pending or in force at the site', async () => {
    const now = t.clock.now();
    const base = {
      kind: 'centralized_isolation', subject_kind: 'close_contact', region_code: CODES.unitA, area_level: null, denies_passage: 1, place_kind: 'site', place_name: '区集中隔离点',
      site_id: ids.roomy, legal_basis: '["cdl-2013-art39"]', protocol_id: 'ninth-2022-06', end_note: null, proportionate: 1, assessment: '{"excesses":[]}', required_approval: 'street',
      reason: '', decided_by: 'test', decided_by_name: '街道', decided_at: now - 3 * DAY, decision_reason: '同意', source_type: null, source_id: null, created_by: null,
      created_by_name: '街道', created_at: now - 3 * DAY, updated_at: now, version: 1,
    };
    const rows = [
      { status: 'active', start_at: now - 3 * DAY, planned_end_at: now + 4 * DAY, ended_at: null }, // in force: counts
      { status: 'pending', start_at: now - DAY, planned_end_at: now + 6 * DAY, ended_at: null, decided_by: null, decided_by_name: null, decided_at: null, decision_reason: null }, // pending: holds a place
      { status: 'ended', start_at: now - 3 * DAY, planned_end_at: now + 4 * DAY, ended_at: now - DAY }, // released early
      { status: 'active', start_at: now - 9 * DAY, planned_end_at: now - 2 * DAY, ended_at: null }, // past its end
      { status: 'refused', start_at: now - DAY, planned_end_at: now + 6 * DAY, ended_at: null, decided_by: 'test', decided_by_name: '街道', decided_at: now, decision_reason: '不同意' },
    ];
    for (const [i, row] of rows.entries()) await t.ctx.db.insertInto('measures').values({ ...base, ...row, id: newId(), resident_id: r[3 + i]! }).execute();
    expect(await inUse(ids.roomy)).toMatchObject({ capacity: 120, inUse: 2, free: 118 });
    const detail = await req<IsolationSiteDetail>(worker(), 'GET', `/api/measures/sites/${ids.roomy}`);
    expect(detail.body.occupants.map((o) => o.status).sort()).toEqual(['active', 'pending']);
  });
});

describe('bulk imposition from traced contacts', () => {
  it('a full site refuses its row and the other rows still go ahead', async () => {
    const caseId = (await t.ctx.services.cases.create(sys, { classification: 'confirmed', person: { name: '病例甲', regionCode: CODES.gridA, address: '测试路9号' }, reportSource: '医院报告' })).id;
    const contact = async (residentId: string) => {
      const k = await t.ctx.services.tracing.tracing.enter(sys, caseId, { residentId, relation: '同事', exposureAt: at('2022-11-08T10:00:00+08:00') });
      await t.ctx.services.tracing.tracing.bulk(sys, { ids: [k.id], action: 'confirm' });
      return k.id;
    };
    // Fresh residents without measures (the ones above already have theirs).
    const fresh: string[] = [];
    for (const [i, name] of ['沈九', '韩十'].entries()) {
      fresh.push((await t.ctx.services.residents.create(sys, { householdId: t.world.householdA2, name, docType: 'resident_id', docNumber: buildResidentId('110105', `1990-1${i}-0${i + 1}`, 500 + i), relationToHead: 'child', residenceStatus: 'permanent' })).id);
    }
    const full = await contact(fresh[0]!);
    const roomy = await contact(fresh[1]!);
    const res = await req<ImposeProposalsResult>(command(), 'POST', '/api/measures/proposals/impose', { items: [{ contactId: full, siteId: ids.lastPlace }, { contactId: roomy, siteId: ids.roomy }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, refused: 1 });
    expect(res.body.results.find((x) => x.contactId === full)).toMatchObject({ outcome: 'refused', measureId: null, message: '隔离点「如家酒店」已满（容量 1，在用 1）' });
    expect(res.body.results.find((x) => x.contactId === roomy)).toMatchObject({ outcome: 'accepted' });
    expect(await inUse(ids.roomy)).toMatchObject({ inUse: 3 });
  });
});

describe('compliance per street', () => {
  it('each street row equals the sum of its communities', async () => {
    // Side B gets a measure too, so the district sees two streets.
    await t.ctx.services.measures.createPerson(sys, { ...isolate(t.world.residentsB[0]!.resident.id, ids.sideB), place: { kind: 'site', name: '', siteId: ids.sideB } } as never);
    for (const username of [command(), 'd_command']) {
      const c = (await req<Compliance>(username, 'GET', '/api/measures/compliance')).body;
      expect(c.streets.length).toBe(username === command() ? 1 : 2);
      for (const s of c.streets) {
        const under = c.rows.filter((row) => row.code.startsWith(s.code));
        expect(under.length).toBeGreaterThan(0);
        for (const k of ['inForce', 'pending', 'overrides', 'refused', 'overdueReleases', 'appeals', 'complaints', 'undeliveredNotices'] as const) {
          expect(s[k], `${s.code} ${k}`).toBe(under.reduce((sum, row) => sum + row[k], 0));
        }
      }
      expect(c.streets.find((s) => s.code === CODES.streetA)).toMatchObject({ name: expect.any(String) as string, pending: 1, refused: 1 });
      expect(c.streets.reduce((sum, s) => sum + s.inForce, 0)).toBe(c.total.inForce);
    }
  });
});

describe('demo', () => {
  it('the demo street has a 40-room hotel and a 120-bed designated site', async () => {
    const d = await createTestApp({ seed: false });
    try {
      await seedDemo(d.ctx, 7, 300);
      const sites = await d.ctx.db.selectFrom('isolation_sites').select(['name', 'kind', 'capacity', 'region_code', 'active']).orderBy('capacity').execute();
      expect(sites).toEqual([
        { name: '清溪宾馆', kind: 'hotel', capacity: 40, region_code: DEMO_STREET.code, active: 1 },
        { name: '清溪街道集中隔离点', kind: 'designated', capacity: 120, region_code: DEMO_STREET.code, active: 1 },
      ]);
      // Every centralized isolation the demo holds names a designated site.
      const unlinked = await d.ctx.db.selectFrom('measures').select('id').where('kind', '=', 'centralized_isolation').where('status', 'in', ['pending', 'active']).where('site_id', 'is', null).execute();
      expect(unlinked).toEqual([]);
    } finally {
      await d.close();
    }
  });
});
