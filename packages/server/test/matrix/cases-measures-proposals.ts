import { expect } from 'vitest';
import { CODES } from '../harness.js';
import { items, missingId, notFound, outOfScope, sys, type Fixture, type RouteCase } from './fixture.js';

/**
 * Matrix rows for measures proposed from confirmed contacts and a measure's exemptions (issue #7): the own side's
 * contacts are proposed and imposed; side B's are never listed, never imposed, and read like ones that do not exist.
 */

/** A confirmed close contact, exposed an hour ago, of a fresh case on `side`; on side A the contact is a fresh resident. */
async function confirmedContact(f: Fixture, side: 'A' | 'B'): Promise<string> {
  const { cases, tracing } = f.t.ctx.services;
  const n = f.next();
  const c = await cases.create(sys, {
    classification: 'confirmed', person: { name: `矩阵病例${side}${n}`, regionCode: side === 'A' ? CODES.gridA : CODES.gridB, address: `${side}侧${n}号` }, onsetDate: '2026-11-27', reportSource: '医院报告',
  });
  const residentId = side === 'A' ? (await f.newResidentA()).id : f.t.world.residentsB[1]!.resident.id;
  const k = await tracing.tracing.enter(sys, c.id, { residentId, relation: '同事', exposureAt: f.t.clock.now() - 3_600_000 });
  await tracing.tracing.bulk(sys, { ids: [k.id], action: 'confirm' });
  return k.id;
}

/** Side B's confirmed contact, made once per role. */
async function contactB(f: Fixture): Promise<string> {
  const cached = f.stash.get('proposal-contact-b');
  if (cached) return cached;
  const id = await confirmedContact(f, 'B');
  f.stash.set('proposal-contact-b', id);
  return id;
}

/** A measure in force on `residentId` (made by the system), with a dialysis exemption inside its window. */
async function measureWithExemption(f: Fixture, residentId: string): Promise<{ measure: string; exemption: string }> {
  const now = f.t.clock.now();
  const m = await f.t.ctx.services.measures.createPerson(sys, { residentId, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: '2026-11-29', days: 5, place: { kind: 'home', name: '家中' } });
  const e = await f.t.ctx.services.places.exemptions.create(sys, { residentId, category: 'dialysis', reason: '每周一三五 市一院透析', validFrom: now, validUntil: now + 3 * 86_400_000 });
  return { measure: m.id, exemption: e.id };
}

const refusedAsMissing = (contactId: string) => ({ contactId, personName: '', outcome: 'refused', measureId: null, message: '接触者不存在、尚未确认或不在您的管辖范围内' });

export const MEASURE_PROPOSALS_CASES: RouteCase[] = [
  {
    method: 'GET', route: '/api/measures/proposals', access: 'measure.write',
    own: async (f) => {
      f.stash.set('proposal-contact-a', await confirmedContact(f, 'A'));
      return { method: 'GET', url: '/api/measures/proposals' };
    },
    ownCheck: (body, f) => {
      const mine = items(body).find((p) => (p as { contactId?: string }).contactId === f.stash.get('proposal-contact-a'));
      expect(mine).toMatchObject({ category: 'close', blocked: null, protocol: { id: 'new-ten-2022-12' }, measure: { kind: 'home_isolation', place: 'home', days: 5 } });
    },
    other: async (f) => {
      const b = await contactB(f);
      return [
        { label: 'node=side-B community', probe: { method: 'GET', url: `/api/measures/proposals?node=${CODES.communityB}` }, expect: outOfScope },
        { label: 'whole list', probe: { method: 'GET', url: '/api/measures/proposals' }, expect: { list: (body) => expect(JSON.stringify(body)).not.toContain(b) } },
      ];
    },
  },
  {
    method: 'POST', route: '/api/measures/proposals/impose', access: 'measure.write',
    own: async (f) => {
      const id = await confirmedContact(f, 'A');
      f.stash.set('impose-contact-a', id);
      return { method: 'POST', url: '/api/measures/proposals/impose', payload: { items: [{ contactId: id }] } };
    },
    ownCheck: (body, f) => {
      expect(body).toMatchObject({ accepted: 1, pending: 0, refused: 0, results: [{ contactId: f.stash.get('impose-contact-a'), outcome: 'accepted', measureId: expect.any(String) }] });
    },
    other: async (f) => {
      const b = await contactB(f);
      const missing = missingId();
      return [
        {
          label: 'a side-B contact',
          probe: { method: 'POST', url: '/api/measures/proposals/impose', payload: { items: [{ contactId: b }] } },
          expect: { list: (body) => expect(body).toEqual({ results: [refusedAsMissing(b)], accepted: 0, pending: 0, refused: 1 }) },
        },
        {
          label: 'a contact that does not exist (reads the same)',
          probe: { method: 'POST', url: '/api/measures/proposals/impose', payload: { items: [{ contactId: missing }] } },
          expect: { list: (body) => expect(body).toEqual({ results: [refusedAsMissing(missing)], accepted: 0, pending: 0, refused: 1 }) },
        },
      ];
    },
  },
  {
    method: 'GET', route: '/api/measures/:id/exemptions', access: 'measure.read',
    own: async (f) => {
      const made = await measureWithExemption(f, (await f.newResidentA()).id);
      f.stash.set('measure-exemption-a', made.exemption);
      return { method: 'GET', url: `/api/measures/${made.measure}/exemptions` };
    },
    ownCheck: (body, f) => {
      expect((body as { id: string; category: string; reason: string }[]).map((e) => [e.id, e.category, e.reason])).toEqual([[f.stash.get('measure-exemption-a'), 'dialysis', '每周一三五 市一院透析']]);
    },
    other: async (f) => {
      const cached = f.stash.get('measure-exemption-b');
      const measureB = cached ?? (await measureWithExemption(f, f.t.world.residentsB[0]!.resident.id)).measure;
      f.stash.set('measure-exemption-b', measureB);
      return [
        { label: 'side-B measure', probe: { method: 'GET', url: `/api/measures/${measureB}/exemptions` }, expect: notFound({ method: 'GET', url: `/api/measures/${missingId()}/exemptions` }) },
      ];
    },
  },
];
