import { expect } from 'vitest';
import { CODES } from '../harness.js';
import { items, missingId, notFound, outOfScope, send, sys, type Fixture, type Probe, type RouteCase } from './fixture.js';

/** Matrix rows for designated isolation sites (issue #7). */

const body = (regionCode: string, n: number) => ({ name: `矩阵酒店${n}`, address: '矩阵路1号', kind: 'hotel' as const, regionCode, capacity: 10, contactPhone: '010-1' });

/** A fresh side-A site at the street (each mutating row works on its own). */
async function siteA(f: Fixture): Promise<{ id: string; version: number }> {
  const s = await f.t.ctx.services.isolationSites.create(sys, body(CODES.streetA, f.next()));
  return { id: s.id, version: s.version };
}

/** Side B's site (cached): every list has a side-B row to leave out. */
async function siteB(f: Fixture): Promise<string> {
  const cached = f.stash.get('site-b');
  if (cached) return cached;
  const s = await f.t.ctx.services.isolationSites.create(sys, body(CODES.streetB, f.next()));
  f.stash.set('site-b', s.id);
  return s.id;
}

/**
 * Sites are maintained by approvers at street level or above. A community-level approver holds the permission but
 * not the level: its own request is refused (checked in ownCheck with its own session), and the row's permitted
 * request is made in the street command's session so that the route's success path is still exercised.
 */
const belowStreet = (f: Fixture) => f.role === 'community_head' || f.role === 'community_worker';
async function asEditor(f: Fixture, p: Probe): Promise<Probe> {
  if (!belowStreet(f)) return p;
  f.stash.set('sites-own-probe', JSON.stringify(p));
  return { ...p, cookie: await f.t.login(f.t.world.usernames.command) };
}
async function refusedBelowStreet(f: Fixture): Promise<void> {
  if (!belowStreet(f)) return;
  const p = JSON.parse(f.stash.get('sites-own-probe')!) as Probe;
  // A fresh target for a PATCH (the street's request changed the version of the first one).
  const probe = p.method === 'PATCH' ? { ...p, url: `/api/measures/sites/${(await siteA(f)).id}`, payload: { version: 1, note: '社区改' } } : p;
  const res = await send(f.t, probe, f.cookie);
  expect(res.statusCode, res.body).toBe(403);
  expect(res.json<{ error: { code: string } }>().error.code).toBe(p.method === 'POST' ? 'GRIDLINE_OUT_OF_SCOPE' : 'GRIDLINE_FORBIDDEN');
}

export const MEASURES_SITES_CASES: RouteCase[] = [
  {
    method: 'GET', route: '/api/measures/sites', access: 'measure.read',
    own: async (f) => {
      f.stash.set('site-a', (await siteA(f)).id);
      await siteB(f);
      return { method: 'GET', url: '/api/measures/sites' };
    },
    ownCheck: (b, f) => expect(items(b).map((s) => s.id)).toContain(f.stash.get('site-a')),
    other: async (f) => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/measures/sites?includeInactive=true' }, expect: { list: (b) => expect(items(b).map((s) => s.id)).not.toContain(f.stash.get('site-b')) } },
    ],
  },
  {
    method: 'GET', route: '/api/measures/sites/:id', access: 'measure.read',
    own: async (f) => ({ method: 'GET', url: `/api/measures/sites/${(await siteA(f)).id}` }),
    ownCheck: (b) => expect(b).toMatchObject({ site: { regionCode: CODES.streetA, capacity: 10, inUse: 0 }, occupants: [], othersInUse: 0 }),
    other: async (f) => [
      { label: 'side-B site', probe: { method: 'GET', url: `/api/measures/sites/${await siteB(f)}` }, expect: notFound({ method: 'GET', url: `/api/measures/sites/${missingId()}` }) },
    ],
  },
  {
    method: 'POST', route: '/api/measures/sites', access: 'measure.approve', okStatus: 201,
    own: async (f) => asEditor(f, { method: 'POST', url: '/api/measures/sites', payload: body(CODES.streetA, f.next()) }),
    ownCheck: async (b, f) => {
      expect(b).toMatchObject({ regionCode: CODES.streetA, capacity: 10, free: 10, active: true });
      await refusedBelowStreet(f);
    },
    other: async (f) => [
      { label: 'at side-B street', probe: { method: 'POST', url: '/api/measures/sites', payload: body(CODES.streetB, f.next()) }, expect: outOfScope },
    ],
  },
  {
    method: 'PATCH', route: '/api/measures/sites/:id', access: 'measure.approve',
    own: async (f) => {
      const s = await siteA(f);
      return asEditor(f, { method: 'PATCH', url: `/api/measures/sites/${s.id}`, payload: { version: s.version, capacity: 20 } });
    },
    ownCheck: async (b, f) => {
      expect(b).toMatchObject({ capacity: 20, version: 2 });
      await refusedBelowStreet(f);
    },
    other: async (f) => [
      {
        label: 'side-B site',
        probe: { method: 'PATCH', url: `/api/measures/sites/${await siteB(f)}`, payload: { version: 1, active: false } },
        expect: notFound({ method: 'PATCH', url: `/api/measures/sites/${missingId()}`, payload: { version: 1, active: false } }),
      },
    ],
  },
];
