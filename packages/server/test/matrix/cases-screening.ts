import crypto from 'node:crypto';
import { normalAnswers, type Campaign, type VisitBody } from '@gridline/shared';
import { expect } from 'vitest';
import { Scope } from '../../src/security/scope.js';
import { CODES, TEST_PASSWORD } from '../harness.js';
import { items, missingId, notFound, outOfScope, send, sys, type Fixture, type Probe, type RouteCase } from './fixture.js';

/** Matrix rows for screening campaigns and visits (issue #5): one per route, aimed at the caller's own jurisdiction and the other one. */

interface Seeded {
  a: string;
  b: string;
  bVisit: string;
  bConflict: string;
  bVisitKey: string;
}

const DAY = '2026-11-29';

/**
 * Active campaigns on both sides (made by the system): side A's on community A, side B's on community B with a
 * visit that flags its resident, a household with nobody home and a conflict of a side-B worker's, so that
 * every list has side-B rows to leave out.
 */
async function seeded(f: Fixture): Promise<Seeded> {
  const cached = f.stash.get('screening-seeded');
  if (cached) return JSON.parse(cached) as Seeded;
  const { campaigns, visits } = f.t.ctx.services.screening;
  const start = async (name: string, nodeCode: string) => {
    const c = await campaigns.create(sys, { name, nodeCode, startsOn: DAY, endsOn: '2026-12-05' });
    return campaigns.activate(sys, c.id, { version: c.version });
  };
  const bUser = await f.t.ctx.services.users.create(sys, { username: 'b_screen', displayName: '乙方网格员', role: 'grid_worker', nodeCode: CODES.gridB, password: TEST_PASSWORD });
  const bScope = new Scope({ kind: 'user', userId: bUser.id, username: 'b_screen', displayName: '乙方网格员', role: 'grid_worker', node: CODES.gridB, householdId: null, residentId: null, sessionId: null, ip: null });
  const a = await start('甲方排查', CODES.communityA);
  const b = await start('乙方排查', CODES.communityB);
  const bHousehold = f.t.world.householdB;
  const members = f.t.world.residentsB.map((r) => r.resident.id);
  const flagged = visitOf(b, bHousehold, members, 0);
  flagged.results[0]!.answers.symptoms = ['fever'];
  const bVisit = await visits.record(sys, flagged);
  const bConflict = await visits.record(bScope, visitOf(b, bHousehold, members, 0));
  const bNewHousehold = await f.t.ctx.services.households.create(sys, { unitCode: CODES.unitB, room: '0808' });
  await visits.record(sys, { ...visitOf(b, bNewHousehold.id, [], 0), outcome: 'nobody_home', revisitOn: DAY });
  const s: Seeded = { a: a.id, b: b.id, bVisit: bVisit.id, bConflict: bConflict.id, bVisitKey: flagged.clientKey };
  f.stash.set('screening-seeded', JSON.stringify(s));
  return s;
}

function visitOf(c: Campaign, householdId: string, residentIds: string[], baseVersion: number): VisitBody {
  const normal = normalAnswers(c.questionnaire);
  return {
    clientKey: crypto.randomUUID(), campaignId: c.id, householdId, baseVersion, outcome: 'visited', visitedAt: Date.UTC(2026, 10, 29, 1, 0, 0),
    results: residentIds.map((residentId) => ({ residentId, answers: { ...normal } })),
  };
}

async function campaignOf(f: Fixture, id: string): Promise<Campaign> {
  return f.t.ctx.services.screening.campaigns.get(sys, id);
}

/** A fresh campaign on side A's grid: a draft, or started. */
async function freshA(f: Fixture, started: boolean): Promise<Campaign> {
  const { campaigns } = f.t.ctx.services.screening;
  const c = await campaigns.create(sys, { name: `甲方临时排查${f.next()}`, nodeCode: CODES.gridA, startsOn: DAY, endsOn: '2026-12-01' });
  return started ? campaigns.activate(sys, c.id, { version: c.version }) : c;
}

/** A side-A visit body the caller can send (household A, its members, the household's current version). */
async function sideAVisit(f: Fixture, householdId: string, baseVersion?: number): Promise<VisitBody> {
  const s = await seeded(f);
  const c = await campaignOf(f, s.a);
  const members = (await f.t.ctx.db.selectFrom('residents').select('id').where('household_id', '=', householdId).execute()).map((r) => r.id);
  const state = await f.t.ctx.db.selectFrom('screening_households').select('version').where('campaign_id', '=', s.a).where('household_id', '=', householdId).executeTakeFirst();
  return visitOf(c, householdId, members, baseVersion ?? state?.version ?? 0);
}

const json = (b: unknown) => JSON.stringify(b);
const noSideB = (f: Fixture, s: Seeded, body: unknown) => {
  const text = json(body);
  for (const x of [s.b, s.bVisit, s.bConflict, f.t.world.householdB, CODES.streetB, CODES.communityB, CODES.gridB, '乙方排查', '乙方网格员']) expect(text).not.toContain(x);
};
const get = (url: string): Probe => ({ method: 'GET', url });
const bCampaignRead = (suffix: string) => async (f: Fixture) => {
  const s = await seeded(f);
  return [{ label: 'side-B campaign', probe: get(`/api/screening/campaigns/${s.b}${suffix}`), expect: notFound(get(`/api/screening/campaigns/${missingId()}${suffix}`)) }];
};

export const SCREENING_CASES: RouteCase[] = [
  // ---- campaigns ----
  {
    method: 'GET', route: '/api/screening/campaigns', access: 'screening.read',
    own: async (f) => (await seeded(f), get('/api/screening/campaigns?pageSize=200')),
    ownCheck: async (body, f) => expect(items(body).map((c) => c.id)).toContain((await seeded(f)).a),
    other: async (f) => {
      const s = await seeded(f);
      return [
        { label: 'whole list', probe: get('/api/screening/campaigns?pageSize=200'), expect: { list: (b) => noSideB(f, s, b) } },
        { label: 'active ones', probe: get('/api/screening/campaigns?status=active&pageSize=200'), expect: { list: (b) => noSideB(f, s, b) } },
      ];
    },
  },
  {
    method: 'POST', route: '/api/screening/campaigns', access: 'screening.manage', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/screening/campaigns', payload: { name: `甲方新排查${f.next()}`, nodeCode: CODES.gridA, startsOn: DAY, endsOn: '2026-12-02' } }),
    ownCheck: (body) => expect(body).toMatchObject({ status: 'draft', nodeCode: CODES.gridA, gridCount: 1 }),
    other: async () => [
      { label: 'on side B’s community', probe: { method: 'POST', url: '/api/screening/campaigns', payload: { name: '越界排查', nodeCode: CODES.communityB, startsOn: DAY, endsOn: '2026-12-02' } }, expect: outOfScope },
      { label: 'on the district above', probe: { method: 'POST', url: '/api/screening/campaigns', payload: { name: '越界排查', nodeCode: CODES.district, startsOn: DAY, endsOn: '2026-12-02' } }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/screening/campaigns/:id', access: 'screening.read',
    own: async (f) => get(`/api/screening/campaigns/${(await seeded(f)).a}`),
    ownCheck: (body) => expect(body).toMatchObject({ name: '甲方排查', status: 'active' }),
    other: bCampaignRead(''),
  },
  {
    method: 'PATCH', route: '/api/screening/campaigns/:id', access: 'screening.manage',
    own: async (f) => {
      const c = await campaignOf(f, (await seeded(f)).a);
      return { method: 'PATCH', url: `/api/screening/campaigns/${c.id}`, payload: { version: c.version, endsOn: '2026-12-06' } };
    },
    other: async (f) => {
      const b = await campaignOf(f, (await seeded(f)).b);
      const payload = { version: b.version, name: '越界改名' };
      return [{ label: 'side-B campaign', probe: { method: 'PATCH', url: `/api/screening/campaigns/${b.id}`, payload }, expect: notFound({ method: 'PATCH', url: `/api/screening/campaigns/${missingId()}`, payload }) }];
    },
  },
  {
    method: 'POST', route: '/api/screening/campaigns/:id/activate', access: 'screening.manage',
    own: async (f) => {
      const c = await freshA(f, false);
      return { method: 'POST', url: `/api/screening/campaigns/${c.id}/activate`, payload: { version: c.version } };
    },
    ownCheck: (body) => expect(body).toMatchObject({ status: 'active' }),
    other: async (f) => {
      const b = await campaignOf(f, (await seeded(f)).b);
      return [{ label: 'side-B campaign', probe: { method: 'POST', url: `/api/screening/campaigns/${b.id}/activate`, payload: { version: b.version } }, expect: notFound({ method: 'POST', url: `/api/screening/campaigns/${missingId()}/activate`, payload: { version: b.version } }) }];
    },
  },
  {
    method: 'POST', route: '/api/screening/campaigns/:id/close', access: 'screening.manage',
    own: async (f) => {
      const c = await freshA(f, true);
      return { method: 'POST', url: `/api/screening/campaigns/${c.id}/close`, payload: { version: c.version } };
    },
    ownCheck: (body) => expect(body).toMatchObject({ status: 'closed' }),
    other: async (f) => {
      const b = await campaignOf(f, (await seeded(f)).b);
      return [{ label: 'side-B campaign', probe: { method: 'POST', url: `/api/screening/campaigns/${b.id}/close`, payload: { version: b.version } }, expect: notFound({ method: 'POST', url: `/api/screening/campaigns/${missingId()}/close`, payload: { version: b.version } }) }];
    },
  },
  {
    method: 'GET', route: '/api/screening/campaigns/:id/grids', access: 'screening.manage',
    own: async (f) => get(`/api/screening/campaigns/${(await seeded(f)).a}/grids`),
    ownCheck: (body) => expect((body as { gridCode: string }[]).map((g) => g.gridCode)).toEqual([CODES.gridA]),
    other: bCampaignRead('/grids'),
  },
  {
    method: 'PUT', route: '/api/screening/campaigns/:id/grids/:grid/workers', access: 'screening.manage',
    own: async (f) => {
      const worker = await f.t.ctx.db.selectFrom('users').select('id').where('username', '=', f.t.world.usernames.grid_worker).executeTakeFirstOrThrow();
      return { method: 'PUT', url: `/api/screening/campaigns/${(await seeded(f)).a}/grids/${CODES.gridA}/workers`, payload: { userIds: [worker.id] } };
    },
    ownCheck: (body) => expect(body).toMatchObject({ gridCode: CODES.gridA, workers: [{ username: 'u_grid_worker' }] }),
    other: async (f) => {
      const s = await seeded(f);
      return [
        { label: 'side-B campaign and grid', probe: { method: 'PUT', url: `/api/screening/campaigns/${s.b}/grids/${CODES.gridB}/workers`, payload: { userIds: [] } }, expect: outOfScope },
        { label: 'side-B grid of my campaign', probe: { method: 'PUT', url: `/api/screening/campaigns/${s.a}/grids/${CODES.gridB}/workers`, payload: { userIds: [] } }, expect: outOfScope },
      ];
    },
  },
  {
    method: 'GET', route: '/api/screening/campaigns/:id/progress', access: 'screening.read',
    own: async (f) => get(`/api/screening/campaigns/${(await seeded(f)).a}/progress`),
    ownCheck: (body) => expect((body as { grids: { gridCode: string }[] }).grids.map((g) => g.gridCode)).toEqual([CODES.gridA]),
    other: bCampaignRead('/progress'),
  },
  {
    method: 'GET', route: '/api/screening/campaigns/:id/map', access: 'screening.read',
    own: async (f) => get(`/api/screening/campaigns/${(await seeded(f)).a}/map`),
    other: bCampaignRead('/map'),
  },
  {
    method: 'GET', route: '/api/screening/campaigns/:id/households', access: 'screening.visit',
    own: async (f) => get(`/api/screening/campaigns/${(await seeded(f)).a}/households?grid=${CODES.gridA}`),
    ownCheck: (body, f) => expect((body as { households: { id: string }[] }).households.map((h) => h.id)).toEqual(expect.arrayContaining([f.t.world.householdA, f.t.world.householdA2])),
    other: async (f) => {
      const s = await seeded(f);
      return [
        { label: 'side-B campaign', probe: get(`/api/screening/campaigns/${s.b}/households`), expect: notFound(get(`/api/screening/campaigns/${missingId()}/households`)) },
        { label: 'side-B grid', probe: get(`/api/screening/campaigns/${s.a}/households?grid=${CODES.gridB}`), expect: outOfScope },
      ];
    },
  },
  {
    method: 'GET', route: '/api/screening/campaigns/:id/follow-up', access: 'screening.read',
    own: async (f) => get(`/api/screening/campaigns/${(await seeded(f)).a}/follow-up?pageSize=200`),
    other: async (f) => {
      const s = await seeded(f);
      return [
        ...(await bCampaignRead('/follow-up')(f)),
        { label: 'side-B grid', probe: get(`/api/screening/campaigns/${s.a}/follow-up?grid=${CODES.gridB}`), expect: outOfScope },
        { label: 'whole list', probe: get(`/api/screening/campaigns/${s.a}/follow-up?pageSize=200`), expect: { list: (b) => noSideB(f, s, b) } },
      ];
    },
  },
  {
    method: 'GET', route: '/api/screening/campaigns/:id/abnormal', access: 'screening.read',
    own: async (f) => get(`/api/screening/campaigns/${(await seeded(f)).a}/abnormal`),
    other: async (f) => {
      const s = await seeded(f);
      return [...(await bCampaignRead('/abnormal')(f)), { label: 'side-B grid', probe: get(`/api/screening/campaigns/${s.a}/abnormal?grid=${CODES.gridB}`), expect: outOfScope }];
    },
  },
  {
    method: 'POST', route: '/api/screening/campaigns/:id/export', access: 'screening.read', okStatus: 202,
    own: async (f) => ({ method: 'POST', url: `/api/screening/campaigns/${(await seeded(f)).a}/export` }),
    ownCheck: (body) => expect(body).toMatchObject({ kind: 'screening_report' }),
    restore: (f) => f.t.ctx.services.queue.idle(),
    other: async (f) => {
      const s = await seeded(f);
      return [{ label: 'side-B campaign', probe: { method: 'POST', url: `/api/screening/campaigns/${s.b}/export` }, expect: notFound({ method: 'POST', url: `/api/screening/campaigns/${missingId()}/export` }) }];
    },
  },

  // ---- visits ----
  {
    method: 'POST', route: '/api/screening/visits', access: 'screening.visit',
    own: async (f) => ({ method: 'POST', url: '/api/screening/visits', payload: { ...(await sideAVisit(f, f.t.world.householdA)) } }),
    ownCheck: (body) => expect(body).toMatchObject({ status: 'accepted', outcome: 'visited', residents: 2 }),
    other: async (f) => {
      const s = await seeded(f);
      const b = await campaignOf(f, s.b);
      const members = f.t.world.residentsB.map((r) => r.resident.id);
      const intoB = { ...visitOf(b, f.t.world.householdB, members, 0) };
      const twin = { ...visitOf(b, missingId(), members, 0) };
      const mine = await sideAVisit(f, f.t.world.householdA);
      return [
        { label: 'a side-B household', probe: { method: 'POST', url: '/api/screening/visits', payload: { ...intoB } }, expect: notFound({ method: 'POST', url: '/api/screening/visits', payload: { ...twin } }) },
        {
          label: 'a side-B household under my campaign',
          probe: { method: 'POST', url: '/api/screening/visits', payload: { ...intoB, clientKey: crypto.randomUUID(), campaignId: s.a } },
          expect: notFound({ method: 'POST', url: '/api/screening/visits', payload: { ...twin, clientKey: crypto.randomUUID(), campaignId: s.a } }),
        },
        {
          label: 'replaying the key of a side-B visit',
          probe: { method: 'POST', url: '/api/screening/visits', payload: { ...mine, clientKey: s.bVisitKey } },
          expect: notFound({ method: 'POST', url: '/api/screening/visits', payload: { ...twin, clientKey: crypto.randomUUID() } }),
        },
      ];
    },
  },
  {
    method: 'GET', route: '/api/screening/visits', access: 'screening.visit',
    own: async (f) => (await seeded(f), get('/api/screening/visits?pageSize=200')),
    other: async (f) => {
      const s = await seeded(f);
      return [
        { label: 'whole list', probe: get('/api/screening/visits?pageSize=200'), expect: { list: (b) => noSideB(f, s, b) } },
        { label: 'side-B campaign', probe: get(`/api/screening/visits?campaignId=${s.b}`), expect: { list: (b) => expect(items(b)).toEqual([]) } },
      ];
    },
  },
  {
    method: 'POST', route: '/api/screening/visits/:id/resolve', access: 'screening.visit',
    own: async (f) => {
      // A conflict of the caller's own: a visit from version 0 after the system's later completed visit.
      const body = await sideAVisit(f, f.t.world.householdA2, 0);
      await f.t.ctx.services.screening.visits.record(sys, { ...(await sideAVisit(f, f.t.world.householdA2)), clientKey: crypto.randomUUID() });
      const res = await send(f.t, { method: 'POST', url: '/api/screening/visits', payload: { ...body } }, f.cookie);
      const id = res.statusCode === 200 ? res.json<{ id: string; status: string }>().id : missingId();
      return { method: 'POST', url: `/api/screening/visits/${id}/resolve`, payload: { resolution: 'keep_theirs' } };
    },
    ownCheck: (body) => expect(body).toMatchObject({ status: 'discarded' }),
    other: async (f) => {
      const s = await seeded(f);
      return [
        {
          label: 'a side-B worker’s conflict',
          probe: { method: 'POST', url: `/api/screening/visits/${s.bConflict}/resolve`, payload: { resolution: 'use_mine' } },
          expect: notFound({ method: 'POST', url: `/api/screening/visits/${missingId()}/resolve`, payload: { resolution: 'use_mine' } }),
        },
      ];
    },
  },
  {
    method: 'GET', route: '/api/screening/revisits', access: 'screening.visit',
    own: async (f) => (await seeded(f), get('/api/screening/revisits')),
    other: async (f) => {
      const s = await seeded(f);
      return [{ label: 'whole list', probe: get('/api/screening/revisits'), expect: { list: (b) => noSideB(f, s, b) } }];
    },
  },
];
