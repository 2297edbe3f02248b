import { addDays, DAY_MS, shanghaiDay, shanghaiDayStart } from '@gridline/shared';
import { expect } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { CODES } from '../harness.js';
import { items, missingId, notFound, outOfScope, refMissing, sys, type Fixture, type RouteCase } from './fixture.js';

/**
 * Matrix rows for the life of an isolation order (issue #7): release proposals at the due date, bulk release,
 * delivery records and the portal's first view. The own side's measures are listed, released and recorded; side
 * B's are never listed and read like ones that do not exist.
 */

/** A home isolation of `residentId` in force whose last day is today (inserted as the service leaves an approved one). */
async function dueMeasure(f: Fixture, residentId: string, regionCode: string): Promise<string> {
  const now = f.t.clock.now();
  const today = shanghaiDay(now);
  const id = newId();
  await f.t.ctx.db.insertInto('measures').values({
    id, kind: 'home_isolation', status: 'active', subject_kind: 'close_contact', resident_id: residentId, region_code: regionCode, area_level: null, denies_passage: 1,
    place_kind: 'home', place_name: '家中', legal_basis: '["cdl-2013-art39"]', protocol_id: 'new-ten-2022-12', start_at: shanghaiDayStart(addDays(today, -4)),
    planned_end_at: shanghaiDayStart(today) + DAY_MS, ended_at: null, end_note: null, proportionate: 1, assessment: '{"subject":{"kind":"close_contact"},"excesses":[]}',
    required_approval: 'community', reason: '', decided_by: 'system', decided_by_name: '系统', decided_at: now, decision_reason: '符合防控方案', source_type: null, source_id: null,
    created_by: null, created_by_name: '系统', created_at: now, updated_at: now, version: 1,
  }).execute();
  return id;
}

/** Side B's due measure, made once per role. */
async function dueB(f: Fixture): Promise<string> {
  const cached = f.stash.get('lifecycle-due-b');
  if (cached) return cached;
  const r = f.t.world.residentsB[0]!.resident;
  const id = await dueMeasure(f, r.id, r.regionCode);
  f.stash.set('lifecycle-due-b', id);
  return id;
}

async function dueA(f: Fixture): Promise<string> {
  const r = await f.newResidentA();
  const row = await f.t.ctx.db.selectFrom('residents').select('region_code').where('id', '=', r.id).executeTakeFirstOrThrow();
  return dueMeasure(f, r.id, row.region_code);
}

/** A measure in force on the side-A resident the resident role signs in as (their own notice). */
async function ownNotice(f: Fixture): Promise<string> {
  const m = await f.t.ctx.services.measures.createPerson(sys, {
    residentId: f.t.world.residentsA[0]!.resident.id, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: shanghaiDay(f.t.clock.now()), days: 5, place: { kind: 'home', name: '家中' },
  });
  return m.id;
}

const noSideB = (f: Fixture, body: unknown) => {
  const text = JSON.stringify(body);
  for (const r of f.t.world.residentsB) expect(text).not.toContain(r.resident.id);
  expect(text).not.toContain(CODES.streetB);
};
const delivery = (id: string) => ({ measureIds: [id], document: 'notice', channel: 'in_person' });
const release = (id: string) => ({ measureIds: [id], overrideReason: '矩阵测试：纸质报告阴性' });

export const MEASURES_LIFECYCLE_CASES: RouteCase[] = [
  {
    method: 'GET', route: '/api/measures/releases', access: 'measure.read',
    own: async (f) => {
      f.stash.set('lifecycle-due-a', await dueA(f));
      await dueB(f);
      return { method: 'GET', url: '/api/measures/releases?pageSize=200' };
    },
    ownCheck: (body, f) => expect(items(body).map((x) => x.id)).toContain(f.stash.get('lifecycle-due-a')),
    other: async () => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/measures/releases?pageSize=200' }, expect: { list: (b, fx) => noSideB(fx, b) } },
      { label: 'node=side-B community', probe: { method: 'GET', url: `/api/measures/releases?node=${CODES.communityB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'POST', route: '/api/measures/releases', access: 'measure.write',
    own: async (f) => ({ method: 'POST', url: '/api/measures/releases', payload: release(await dueA(f)) }),
    ownCheck: (body) => expect(body).toMatchObject({ released: 1 }),
    other: async (f) => [
      { label: 'side-B due measure', probe: { method: 'POST', url: '/api/measures/releases', payload: release(await dueB(f)) }, expect: refMissing({ method: 'POST', url: '/api/measures/releases', payload: release(missingId()) }) },
    ],
  },
  {
    method: 'POST', route: '/api/measures/deliveries', access: 'measure.write',
    own: async (f) => ({ method: 'POST', url: '/api/measures/deliveries', payload: delivery(await dueA(f)) }),
    ownCheck: (body) => expect(body).toEqual({ recorded: 1, already: 0 }),
    other: async (f) => [
      { label: 'side-B measure', probe: { method: 'POST', url: '/api/measures/deliveries', payload: delivery(await dueB(f)) }, expect: refMissing({ method: 'POST', url: '/api/measures/deliveries', payload: delivery(missingId()) }) },
    ],
  },
  {
    method: 'GET', route: '/api/measures/:id/deliveries', access: 'measure.read',
    own: async (f) => {
      const id = await dueA(f);
      await f.t.ctx.services.measureDeliveries.record(sys, { measureIds: [id], document: 'notice', channel: 'posted' });
      return { method: 'GET', url: `/api/measures/${id}/deliveries` };
    },
    ownCheck: (body) => expect(body).toMatchObject([{ document: 'notice', channel: 'posted' }]),
    other: async (f) => [{ label: 'side-B measure', probe: { method: 'GET', url: `/api/measures/${await dueB(f)}/deliveries` }, expect: notFound({ method: 'GET', url: `/api/measures/${missingId()}/deliveries` }) }],
  },
  {
    method: 'POST', route: '/api/me/measures/viewed', access: 'self.read',
    own: async (f) => ({ method: 'POST', url: '/api/me/measures/viewed', payload: { measureIds: [await ownNotice(f)] } }),
    ownCheck: (body) => expect(body).toEqual({ recorded: 1, already: 0 }),
    other: async (f) => [
      { label: 'side-B measure', probe: { method: 'POST', url: '/api/me/measures/viewed', payload: { measureIds: [await dueB(f)] } }, expect: { list: (b) => expect(b).toEqual({ recorded: 0, already: 0 }) } },
    ],
  },
];
