import { expect } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { CODES } from '../harness.js';
import { missingId, notFound, outOfScope, pad, sys, type Fixture, type RouteCase } from './fixture.js';

/** Matrix rows for area controls in force, their lifting rule and step-downs (issue #7). */

const DAY = 86_400_000;
interface AreaList {
  items: { id: string; regionCode: string }[];
}
const ids = (body: unknown) => (body as AreaList).items.map((c) => c.id);

/**
 * A high-risk control in force over `code`, started 5 days ago under the twenty measures' rule (high → low after 5
 * days without a new infection, no round): met now when nobody infected lives there. Inserted as the street would
 * have left it, so the row exists before the request's snapshot.
 */
async function control(f: Fixture, code: string): Promise<string> {
  const now = f.t.clock.now();
  const id = newId();
  await f.t.ctx.db.insertInto('measures').values({
    id, kind: 'area_control', status: 'active', subject_kind: null, resident_id: null, region_code: code, area_level: 'high', denies_passage: 1, place_kind: null, place_name: null,
    legal_basis: '["cdl-2013-art41"]', protocol_id: 'twenty-2022-11', start_at: now - 5 * DAY, planned_end_at: now + 2 * DAY, ended_at: null, end_note: null, proportionate: 1,
    assessment: '{"excesses":[]}', required_approval: 'street', reason: '', decided_by: 'matrix', decided_by_name: '街道', decided_at: now - 5 * DAY, decision_reason: '同意',
    source_type: null, source_id: null, created_by: null, created_by_name: '街道', created_at: now - 5 * DAY, updated_at: now - 5 * DAY, version: 1,
  }).execute();
  return id;
}

/** A control over a fresh, empty building of side A's grid (its rule is met: no infection, nobody to test). */
async function controlA(f: Fixture): Promise<string> {
  const code = `${CODES.gridA}${pad(100 + f.next(), 3)}`;
  await f.t.ctx.services.regions.create(sys, { code, name: `矩阵楼${f.next()}` });
  return control(f, code);
}

/** Side B's control (cached): every list has a side-B row to leave out. */
async function controlB(f: Fixture): Promise<string> {
  const cached = f.stash.get('area-b');
  if (cached) return cached;
  const id = await control(f, CODES.buildingB);
  f.stash.set('area-b', id);
  return id;
}

/** Lists never carry side B's control (made by `own` before any probe) nor any side-B code. */
const noSideB = (body: unknown, f: Fixture) => {
  expect(ids(body)).not.toContain(f.stash.get('area-b'));
  expect(JSON.stringify(body)).not.toContain(CODES.streetB);
};

/** Both sides have a control in force before a list is asked for. */
async function bothSides(f: Fixture, url: string) {
  f.stash.set('area-a', await controlA(f));
  await controlB(f);
  return { method: 'GET' as const, url };
}

export const MEASURES_AREAS_CASES: RouteCase[] = [
  {
    method: 'GET', route: '/api/measures/areas', access: 'measure.read',
    own: (f) => bothSides(f, '/api/measures/areas'),
    ownCheck: (body, f) => expect(ids(body)).toContain(f.stash.get('area-a')),
    other: async () => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/measures/areas' }, expect: { list: noSideB } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/measures/areas?node=${CODES.communityB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/measures/areas/proposals', access: 'measure.read',
    own: (f) => bothSides(f, '/api/measures/areas/proposals'),
    ownCheck: (body, f) => expect(ids(body)).toContain(f.stash.get('area-a')),
    other: async () => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/measures/areas/proposals' }, expect: { list: noSideB } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/measures/areas/proposals?node=${CODES.streetB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'POST', route: '/api/measures/areas/:id/step-down', access: 'measure.write',
    own: async (f) => ({ method: 'POST', url: `/api/measures/areas/${await controlA(f)}/step-down`, payload: { version: 1 } }),
    // The street steps it down at once; a community's step-down waits for the street.
    ownCheck: (body, f) => expect(body).toMatchObject(f.role === 'command' ? { outcome: 'stepped_down', created: { areaLevel: 'low', status: 'active' } } : { outcome: 'pending', created: { areaLevel: 'low', status: 'pending' } }),
    other: async (f) => [
      {
        label: 'side-B control',
        probe: { method: 'POST', url: `/api/measures/areas/${await controlB(f)}/step-down`, payload: { version: 1 } },
        expect: notFound({ method: 'POST', url: `/api/measures/areas/${missingId()}/step-down`, payload: { version: 1 } }),
      },
    ],
  },
];
