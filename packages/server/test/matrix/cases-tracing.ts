import { expect } from 'vitest';
import { CODES } from '../harness.js';
import { items, missingId, notFound, outOfScope, refMissing, sys, type Fixture, type RouteCase } from './fixture.js';

/** Matrix rows for contact tracing (issue #6, part 2): one per route, aimed at the caller's own jurisdiction and the other one. */

interface Seeded {
  aCase: string;
  aCaseNo: string;
  bCase: string;
  bCaseNo: string;
  aContact: string;
  bContact: string;
}

/** A traced case on each side, made by the system: each proposes its household member (side B's must never show). */
async function seeded(f: Fixture): Promise<Seeded> {
  const cached = f.stash.get('tracing-seeded');
  if (cached) return JSON.parse(cached) as Seeded;
  const { cases, tracing } = f.t.ctx.services;
  const a = await cases.create(sys, { classification: 'confirmed', residentId: f.t.world.residentsA[0]!.resident.id, onsetDate: '2026-11-27', reportSource: '医院报告' });
  const b = await cases.create(sys, { classification: 'confirmed', residentId: f.t.world.residentsB[0]!.resident.id, onsetDate: '2026-11-27', reportSource: '医院报告' });
  await tracing.tracing.trace(sys, a.id);
  await tracing.tracing.trace(sys, b.id);
  const contactOf = async (caseId: string) => (await f.t.ctx.db.selectFrom('contacts').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow()).id;
  const s: Seeded = { aCase: a.id, aCaseNo: a.caseNo, bCase: b.id, bCaseNo: b.caseNo, aContact: await contactOf(a.id), bContact: await contactOf(b.id) };
  // Confirmed on both sides, so that follow-up lists have side-B rows to leave out.
  await tracing.tracing.bulk(sys, { ids: [s.aContact, s.bContact], action: 'confirm' });
  f.stash.set('tracing-seeded', JSON.stringify(s));
  return s;
}

const noSideB = (f: Fixture, body: unknown) => {
  const text = JSON.stringify(body);
  for (const r of f.t.world.residentsB) {
    expect(text).not.toContain(r.resident.id);
    expect(text).not.toContain(r.resident.name);
  }
  expect(text).not.toContain(CODES.streetB);
};

export const TRACING_CASES: RouteCase[] = [
  {
    method: 'GET', route: '/api/tracing/cases/:id', access: 'trace.read',
    own: async (f) => ({ method: 'GET', url: `/api/tracing/cases/${(await seeded(f)).aCase}` }),
    ownCheck: (body) => expect((body as { contacts: { personName: string }[] }).contacts.map((c) => c.personName)).toEqual(['李娜']),
    other: async (f) => [
      { label: 'side-B case', probe: { method: 'GET', url: `/api/tracing/cases/${(await seeded(f)).bCase}` }, expect: notFound({ method: 'GET', url: `/api/tracing/cases/${missingId()}` }) },
    ],
  },
  {
    method: 'POST', route: '/api/tracing/cases/:id/trace', access: 'trace.write',
    own: async (f) => ({ method: 'POST', url: `/api/tracing/cases/${(await seeded(f)).aCase}/trace` }),
    ownCheck: (body) => expect(body).toMatchObject({ added: 0, merged: 0 }),
    other: async (f) => [
      { label: 'side-B case', probe: { method: 'POST', url: `/api/tracing/cases/${(await seeded(f)).bCase}/trace` }, expect: notFound({ method: 'POST', url: `/api/tracing/cases/${missingId()}/trace` }) },
    ],
  },
  {
    method: 'POST', route: '/api/tracing/cases/:id/contacts', access: 'trace.write', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: `/api/tracing/cases/${(await seeded(f)).aCase}/contacts`, payload: { name: `同事${f.next()}`, phone: `1370000${String(1000 + f.next())}`, relation: '同事', exposureAt: f.t.clock.now() - 3_600_000 } }),
    other: async (f) => {
      const s = await seeded(f);
      const body = (residentId: string) => ({ residentId, relation: '邻居', exposureAt: f.t.clock.now() - 3_600_000 });
      return [
        { label: 'side-B case', probe: { method: 'POST', url: `/api/tracing/cases/${s.bCase}/contacts`, payload: body(f.t.world.residentsA[2]!.resident.id) }, expect: notFound({ method: 'POST', url: `/api/tracing/cases/${missingId()}/contacts`, payload: body(f.t.world.residentsA[2]!.resident.id) }) },
        { label: 'a side-B resident as contact', probe: { method: 'POST', url: `/api/tracing/cases/${s.aCase}/contacts`, payload: body(f.t.world.residentsB[1]!.resident.id) }, expect: refMissing({ method: 'POST', url: `/api/tracing/cases/${s.aCase}/contacts`, payload: body(missingId()) }) },
      ];
    },
  },
  {
    method: 'POST', route: '/api/tracing/contacts/bulk', access: 'trace.write',
    own: async (f) => ({ method: 'POST', url: '/api/tracing/contacts/bulk', payload: { ids: [(await seeded(f)).aContact], action: 'notify' } }),
    other: async (f) => [
      {
        label: 'side-B contacts', probe: { method: 'POST', url: '/api/tracing/contacts/bulk', payload: { ids: [(await seeded(f)).bContact], action: 'reject' } },
        expect: { list: (b) => expect(b).toEqual({ updated: 0, skipped: 1, tasksCreated: 0 }) },
      },
    ],
  },
  {
    method: 'GET', route: '/api/tracing/cases/:id/report', access: 'trace.read',
    own: async (f) => ({ method: 'GET', url: `/api/tracing/cases/${(await seeded(f)).aCase}/report?format=xlsx` }),
    other: async (f) => [
      { label: 'side-B case', probe: { method: 'GET', url: `/api/tracing/cases/${(await seeded(f)).bCase}/report?format=docx` }, expect: notFound({ method: 'GET', url: `/api/tracing/cases/${missingId()}/report?format=docx` }) },
    ],
  },
  {
    method: 'GET', route: '/api/tracing/followup', access: 'contact.followup',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/tracing/followup' }),
    ownCheck: (body) => expect(items(body).map((c) => (c as unknown as { personName: string }).personName)).toEqual(['李娜']),
    other: async () => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/tracing/followup?pageSize=200' }, expect: { list: (b, fx) => noSideB(fx, b) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/tracing/followup?node=${CODES.gridB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/tracing/clock', access: 'trace.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/tracing/clock' }),
    other: async (f) => [
      { label: 'whole jurisdiction', probe: { method: 'GET', url: '/api/tracing/clock' }, expect: { list: (b) => expect(JSON.stringify(b)).not.toContain(JSON.parse(f.stash.get('tracing-seeded')!).bCaseNo) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/tracing/clock?node=${CODES.streetB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/tracing/clusters', access: 'trace.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/tracing/clusters' }),
    ownCheck: (body, f) => expect(JSON.stringify(body)).toContain(JSON.parse(f.stash.get('tracing-seeded')!).aCaseNo),
    other: async (f) => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/tracing/clusters?pageSize=100' }, expect: { list: (b, fx) => { noSideB(fx, b); expect(JSON.stringify(b)).not.toContain((JSON.parse(f.stash.get('tracing-seeded')!) as Seeded).bCaseNo); } } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/tracing/clusters?node=${CODES.communityB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/tracing/clusters/:id', access: 'trace.read',
    // A cluster is named by its smallest node key: other rows' cases may share it, so ask where the case is.
    own: async (f) => {
      const found = await f.t.ctx.services.tracing.graph.search(sys, { q: (await seeded(f)).aCaseNo });
      return { method: 'GET', url: `/api/tracing/clusters/${found.matches[0]!.clusterId}` };
    },
    other: async (f) => [
      { label: 'side-B cluster', probe: { method: 'GET', url: `/api/tracing/clusters/c:${(await seeded(f)).bCase}` }, expect: notFound({ method: 'GET', url: `/api/tracing/clusters/c:${missingId()}` }) },
    ],
  },
  {
    method: 'GET', route: '/api/tracing/search', access: 'trace.read',
    own: async (f) => ({ method: 'GET', url: `/api/tracing/search?q=${(await seeded(f)).aCaseNo}` }),
    other: async (f) => [
      { label: 'side-B case number', probe: { method: 'GET', url: `/api/tracing/search?q=${(await seeded(f)).bCaseNo}` }, expect: { list: (b) => expect(b).toEqual({ matches: [] }) } },
      { label: 'side-B contact name', probe: { method: 'GET', url: `/api/tracing/search?q=${encodeURIComponent(f.t.world.residentsB[1]!.resident.name)}` }, expect: { list: (b) => expect(b).toEqual({ matches: [] }) } },
    ],
  },
];
