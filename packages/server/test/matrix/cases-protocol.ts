import { BUILT_IN_PROTOCOLS } from '@gridline/shared';
import { expect } from 'vitest';
import { CODES } from '../harness.js';
import { items, missingId, notFound, outOfScope, refMissing, sys, type Fixture, type RouteCase } from './fixture.js';

/** Matrix rows for the versioned protocol and cases (issue #6, part 1). */

interface Seeded {
  aCase: string;
  bCase: string;
}

/** A case on each side, made by the system (side B's is the one the other jurisdiction must never see). */
async function seeded(f: Fixture): Promise<Seeded> {
  const cached = f.stash.get('cases-seeded');
  if (cached) return JSON.parse(cached) as Seeded;
  const { cases } = f.t.ctx.services;
  const a = await cases.create(sys, { classification: 'confirmed', residentId: f.t.world.residentsA[0]!.resident.id, samplingDate: '2026-11-28', reportSource: '核酸筛查' });
  const b = await cases.create(sys, { classification: 'confirmed', residentId: f.t.world.residentsB[0]!.resident.id, samplingDate: '2026-11-28', reportSource: '核酸筛查' });
  const s: Seeded = { aCase: a.id, bCase: b.id };
  f.stash.set('cases-seeded', JSON.stringify(s));
  return s;
}

/** A fresh open suspected case on side A (each write probe changes one). */
async function freshA(f: Fixture) {
  return f.t.ctx.services.cases.create(sys, { classification: 'suspected', residentId: f.t.world.residentsA[1]!.resident.id, onsetDate: '2026-11-27', reportSource: '主动就诊' });
}
async function freshB(f: Fixture) {
  return f.t.ctx.services.cases.create(sys, { classification: 'suspected', residentId: f.t.world.residentsB[1]!.resident.id, onsetDate: '2026-11-27', reportSource: '主动就诊' });
}

const noSideB = (f: Fixture, body: unknown) => {
  const text = JSON.stringify(body);
  for (const r of f.t.world.residentsB) {
    expect(text).not.toContain(r.resident.id);
    expect(text).not.toContain(r.resident.name);
  }
  expect(text).not.toContain(CODES.streetB);
};

const reclassify = { classification: 'confirmed', reason: '核酸复核阳性' };
const closing = { outcome: 'ruled_out', reason: '复核阴性，排除' };

/** A new version's body: the new ten measures with the fever threshold raised. */
function newVersionBody(n: number): Record<string, unknown> {
  const { id: _id, name: _name, document: _doc, effectiveFrom: _from, sources: _sources, ...values } = BUILT_IN_PROTOCOLS.find((v) => v.id === 'new-ten-2022-12')!;
  return { basedOn: 'new-ten-2022-12', name: `矩阵测试版本${n}`, document: `测试〔2026〕${n}号`, effectiveFrom: '2026-12-01', values: { ...values, feverThresholdC: 37.5 } };
}

export const CASES_PROTOCOL_CASES: RouteCase[] = [
  // ---- protocol versions (one protocol for every jurisdiction: nothing to aim at on side B) ----
  {
    method: 'GET', route: '/api/protocol/versions', access: 'protocol.read',
    own: async () => ({ method: 'GET', url: '/api/protocol/versions' }),
    ownCheck: (body) => expect(body).toMatchObject({ inForceId: 'new-ten-2022-12', today: '2026-11-29' }),
  },
  {
    method: 'GET', route: '/api/protocol/versions/:id', access: 'protocol.read',
    own: async () => ({ method: 'GET', url: '/api/protocol/versions/twenty-2022-11' }),
    ownCheck: (body) => expect(body).toMatchObject({ version: { id: 'twenty-2022-11', inForce: false }, diff: { from: { id: 'ninth-2022-06' } } }),
  },
  {
    method: 'GET', route: '/api/protocol/versions/:id/diff', access: 'protocol.read',
    own: async () => ({ method: 'GET', url: '/api/protocol/versions/new-ten-2022-12/diff?against=ninth-2022-06' }),
    ownCheck: (body) => expect((body as { changes: unknown[] }).changes.length).toBeGreaterThan(5),
  },
  {
    method: 'POST', route: '/api/protocol/versions', access: 'protocol.manage', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/protocol/versions', payload: newVersionBody(f.next()) }),
    ownCheck: (body) => expect((body as { diff: { changes: { path: string }[] } }).diff.changes.map((c) => c.path)).toEqual(['/feverThresholdC']),
  },

  // ---- cases ----
  {
    method: 'GET', route: '/api/cases', access: 'case.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/cases?pageSize=200' }),
    ownCheck: (body, f) => expect(items(body).map((c) => c.id)).toContain(JSON.parse(f.stash.get('cases-seeded')!).aCase),
    other: async (f) => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/cases?pageSize=200' }, expect: { list: (b, fx) => noSideB(fx, b) } },
      { label: 'side-B resident', probe: { method: 'GET', url: `/api/cases?residentId=${f.t.world.residentsB[0]!.resident.id}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'side-B name', probe: { method: 'GET', url: `/api/cases?q=${encodeURIComponent(f.t.world.residentsB[0]!.resident.name)}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/cases?node=${CODES.communityB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/cases/:id', access: 'case.read',
    own: async (f) => ({ method: 'GET', url: `/api/cases/${(await seeded(f)).aCase}` }),
    ownCheck: (body) => expect(body).toMatchObject({ case: { classification: 'confirmed', status: 'open' }, changes: [{ field: 'created', to: 'confirmed' }] }),
    other: async (f) => [
      { label: 'side-B case', probe: { method: 'GET', url: `/api/cases/${(await seeded(f)).bCase}` }, expect: notFound({ method: 'GET', url: `/api/cases/${missingId()}` }) },
    ],
  },
  {
    method: 'POST', route: '/api/cases', access: 'case.write', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/cases', payload: { classification: 'suspected', residentId: f.t.world.residentsA[2]!.resident.id, onsetDate: '2026-11-28', reportSource: '主动就诊' } }),
    ownCheck: (body) => expect(body).toMatchObject({ classification: 'suspected', status: 'open', confirmedAt: null, protocolId: 'new-ten-2022-12' }),
    other: async (f) => [
      {
        label: 'side-B resident',
        probe: { method: 'POST', url: '/api/cases', payload: { classification: 'suspected', residentId: f.t.world.residentsB[0]!.resident.id, reportSource: '主动就诊' } },
        expect: refMissing({ method: 'POST', url: '/api/cases', payload: { classification: 'suspected', residentId: missingId(), reportSource: '主动就诊' } }),
      },
      {
        label: 'non-resident placed on side B',
        probe: { method: 'POST', url: '/api/cases', payload: { classification: 'suspected', person: { name: '外来人员', regionCode: CODES.gridB, address: '乙方' }, reportSource: '主动就诊' } },
        expect: outOfScope,
      },
    ],
  },
  {
    method: 'PATCH', route: '/api/cases/:id', access: 'case.write',
    own: async (f) => {
      const c = await freshA(f);
      return { method: 'PATCH', url: `/api/cases/${c.id}`, payload: { version: c.version, note: '已电话核实' } };
    },
    ownCheck: (body) => expect(body).toMatchObject({ note: '已电话核实', version: 2 }),
    other: async (f) => {
      const b = await freshB(f);
      return [
        { label: 'side-B case', probe: { method: 'PATCH', url: `/api/cases/${b.id}`, payload: { version: b.version, note: '越界' } }, expect: notFound({ method: 'PATCH', url: `/api/cases/${missingId()}`, payload: { version: b.version, note: '越界' } }) },
      ];
    },
  },
  {
    method: 'POST', route: '/api/cases/:id/reclassify', access: 'case.write',
    own: async (f) => {
      const c = await freshA(f);
      return { method: 'POST', url: `/api/cases/${c.id}/reclassify`, payload: { version: c.version, ...reclassify } };
    },
    ownCheck: (body) => expect(body).toMatchObject({ classification: 'confirmed', confirmedAt: Date.UTC(2026, 10, 29, 1, 0, 0) }),
    other: async (f) => {
      const b = await freshB(f);
      return [
        { label: 'side-B case', probe: { method: 'POST', url: `/api/cases/${b.id}/reclassify`, payload: { version: b.version, ...reclassify } }, expect: notFound({ method: 'POST', url: `/api/cases/${missingId()}/reclassify`, payload: { version: b.version, ...reclassify } }) },
      ];
    },
  },
  {
    method: 'POST', route: '/api/cases/:id/close', access: 'case.write',
    own: async (f) => {
      const c = await freshA(f);
      return { method: 'POST', url: `/api/cases/${c.id}/close`, payload: { version: c.version, ...closing } };
    },
    ownCheck: (body) => expect(body).toMatchObject({ status: 'closed', outcome: 'ruled_out' }),
    other: async (f) => {
      const b = await freshB(f);
      return [
        { label: 'side-B case', probe: { method: 'POST', url: `/api/cases/${b.id}/close`, payload: { version: b.version, ...closing } }, expect: notFound({ method: 'POST', url: `/api/cases/${missingId()}/close`, payload: { version: b.version, ...closing } }) },
      ];
    },
  },
];
