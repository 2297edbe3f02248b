import { expect } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { CODES } from '../harness.js';
import { items, missingId, notFound, outOfScope, refMissing, sys, type Fixture, type RouteCase } from './fixture.js';

/** Matrix rows for control measures (issue #7): one per route, aimed at the caller's own jurisdiction and the other one. */

const FIRST = '2026-11-29';
const home = { kind: 'home', name: '家中' };
const person = (residentId: string) => ({ residentId, measure: 'home_isolation', subject: { kind: 'close_contact' }, firstDay: FIRST, days: 5, place: home });
const area = (scopeCode: string) => ({ level: 'high', scopeCode, firstDay: FIRST, plannedDays: 5, reason: '矩阵测试：范围内暂无病例' });
const decision = { approve: true, reason: '同意' };
const release = { note: '复核后解除' };

/** A measure of side B, made by the system (in force), so that every list has a side-B row to leave out. */
async function sideB(f: Fixture): Promise<string> {
  const cached = f.stash.get('measure-b');
  if (cached) return cached;
  const m = await f.t.ctx.services.measures.createPerson(sys, person(f.t.world.residentsB[0]!.resident.id) as never);
  f.stash.set('measure-b', m.id);
  return m.id;
}

/** A pending measure on side A waiting for a community-level approval (inserted as a lower level would have left it). */
async function pendingA(f: Fixture): Promise<string> {
  const r = f.t.world.residentsA[2]!.resident;
  const id = newId();
  const now = f.t.clock.now();
  await f.t.ctx.db.insertInto('measures').values({
    id, kind: 'home_isolation', status: 'pending', subject_kind: 'close_contact', resident_id: r.id, region_code: r.regionCode, area_level: null, denies_passage: 1,
    place_kind: 'home', place_name: '家中', legal_basis: '["cdl-2013-art39"]', protocol_id: 'new-ten-2022-12', start_at: now, planned_end_at: now + 5 * 86_400_000, ended_at: null,
    end_note: null, proportionate: 1, assessment: '{"excesses":[]}', required_approval: 'community', reason: '', decided_by: null, decided_by_name: null, decided_at: null,
    decision_reason: null, source_type: null, source_id: null, created_by: null, created_by_name: '网格员', created_at: now, updated_at: now, version: 1,
  }).execute();
  return id;
}

const noSideB = (f: Fixture, body: unknown) => {
  const text = JSON.stringify(body);
  for (const r of f.t.world.residentsB) expect(text).not.toContain(r.resident.id);
  expect(text).not.toContain(CODES.streetB);
};

/** An appeal on side A (filed through the service by the side-A resident's measure), open for a decision. */
async function appealA(f: Fixture): Promise<string> {
  const r = f.t.world.residentsA[0]!.resident;
  // The auditor decides complaints; the others, appeals.
  const complaint = f.role === 'auditor';
  const m = complaint ? null : await f.t.ctx.services.measures.createPerson(sys, person(r.id) as never);
  const now = f.t.clock.now();
  const id = newId();
  await f.t.ctx.db.insertInto('appeals').values({
    id, kind: complaint ? 'complaint' : 'appeal', measure_id: m?.id ?? null, complaint_kind: complaint ? 'violence' : null, text: '请求解除隔离', resident_id: r.id, filed_by: null, filed_by_name: r.name, region_code: r.regionCode,
    handler_level: complaint ? 'auditor' : 'community', filed_at: now, due_at: now + 3 * 86_400_000, status: 'open', outcome: null, decision: null, decided_by: null, decided_by_name: null, decided_at: null, version: 1,
  }).execute();
  return id;
}

async function appealB(f: Fixture): Promise<string> {
  const cached = f.stash.get('appeal-b');
  if (cached) return cached;
  const r = f.t.world.residentsB[0]!.resident;
  const now = f.t.clock.now();
  const id = newId();
  await f.t.ctx.db.insertInto('appeals').values({
    id, kind: 'appeal', measure_id: await sideB(f), complaint_kind: null, text: '乙方申诉', resident_id: r.id, filed_by: null, filed_by_name: r.name, region_code: r.regionCode,
    handler_level: 'community', filed_at: now, due_at: now + 3 * 86_400_000, status: 'open', outcome: null, decision: null, decided_by: null, decided_by_name: null, decided_at: null, version: 1,
  }).execute();
  f.stash.set('appeal-b', id);
  return id;
}
const appealDecision = { outcome: 'upheld', decision: '维持原措施' };

export const MEASURES_CASES: RouteCase[] = [
  {
    method: 'GET', route: '/api/measures/compliance', access: 'measure.read',
    own: async (f) => (await sideB(f), { method: 'GET', url: '/api/measures/compliance' }),
    other: async () => [{ label: 'whole view', probe: { method: 'GET', url: '/api/measures/compliance' }, expect: { list: (b, fx) => noSideB(fx, b) } }],
  },
  // ---- appeals and complaints ----
  {
    method: 'GET', route: '/api/me/measures', access: 'self.read',
    own: async (f) => (await sideB(f), { method: 'GET', url: '/api/me/measures' }),
    ownCheck: (body, f) => expect(JSON.stringify(body)).not.toContain(f.t.world.residentsB[0]!.resident.id),
  },
  {
    method: 'GET', route: '/api/me/appeals', access: 'self.read',
    own: async (f) => (await appealB(f), { method: 'GET', url: '/api/me/appeals' }),
    ownCheck: async (body, f) => expect(JSON.stringify(body)).not.toContain(await appealB(f)),
  },
  {
    method: 'POST', route: '/api/me/appeals', access: 'self.write', okStatus: 201,
    own: async () => ({ method: 'POST', url: '/api/me/appeals', payload: { kind: 'complaint', complaintKind: 'other', text: '工作人员态度粗暴' } }),
    other: async (f) => [
      {
        label: 'side-B measure',
        probe: { method: 'POST', url: '/api/me/appeals', payload: { kind: 'appeal', measureId: await sideB(f), text: '申诉别人的措施' } },
        expect: refMissing({ method: 'POST', url: '/api/me/appeals', payload: { kind: 'appeal', measureId: missingId(), text: '申诉别人的措施' } }),
      },
    ],
  },
  {
    method: 'GET', route: '/api/appeals', access: 'appeal.read',
    own: async (f) => (await appealB(f), { method: 'GET', url: '/api/appeals?pageSize=200' }),
    other: async () => [{ label: 'whole list', probe: { method: 'GET', url: '/api/appeals?pageSize=200' }, expect: { list: (b, fx) => noSideB(fx, b) } }],
  },
  {
    method: 'POST', route: '/api/appeals/:id/decision', access: 'appeal.decide',
    own: async (f) => ({ method: 'POST', url: `/api/appeals/${await appealA(f)}/decision`, payload: f.role === 'auditor' ? { outcome: 'substantiated', decision: '已核实，移交处理' } : appealDecision }),
    ownCheck: (body) => expect(body).toMatchObject({ status: 'decided' }),
    other: async (f) => [
      { label: 'side-B appeal', probe: { method: 'POST', url: `/api/appeals/${await appealB(f)}/decision`, payload: appealDecision }, expect: notFound({ method: 'POST', url: `/api/appeals/${missingId()}/decision`, payload: appealDecision }) },
    ],
  },

  {
    method: 'GET', route: '/api/measures', access: 'measure.read',
    own: async (f) => (await sideB(f), { method: 'GET', url: '/api/measures?pageSize=200' }),
    other: async (f) => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/measures?pageSize=200' }, expect: { list: (b, fx) => noSideB(fx, b) } },
      { label: 'side-B resident', probe: { method: 'GET', url: `/api/measures?residentId=${f.t.world.residentsB[0]!.resident.id}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/measures?node=${CODES.communityB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/measures/:id', access: 'measure.read',
    own: async (f) => {
      const m = await f.t.ctx.services.measures.createPerson(sys, person(f.t.world.residentsA[1]!.resident.id) as never);
      return { method: 'GET', url: `/api/measures/${m.id}` };
    },
    ownCheck: (body) => expect(body).toMatchObject({ kind: 'home_isolation', legalBases: [{ id: 'cdl-2013-art39' }] }),
    other: async (f) => [{ label: 'side-B measure', probe: { method: 'GET', url: `/api/measures/${await sideB(f)}` }, expect: notFound({ method: 'GET', url: `/api/measures/${missingId()}` }) }],
  },
  {
    method: 'POST', route: '/api/measures/assess', access: 'measure.write',
    own: async (f) => ({ method: 'POST', url: '/api/measures/assess', payload: person(f.t.world.residentsA[0]!.resident.id) }),
    ownCheck: (body) => expect(body).toMatchObject({ proportionate: true, approval: 'community' }),
  },
  {
    method: 'POST', route: '/api/measures', access: 'measure.write', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/measures', payload: person(f.t.world.residentsA[0]!.resident.id) }),
    ownCheck: (body) => expect(body).toMatchObject({ status: 'active', proportionate: true }),
    other: async (f) => [
      {
        label: 'side-B resident',
        probe: { method: 'POST', url: '/api/measures', payload: person(f.t.world.residentsB[0]!.resident.id) },
        expect: refMissing({ method: 'POST', url: '/api/measures', payload: person(missingId()) }),
      },
    ],
  },
  {
    method: 'POST', route: '/api/measures/areas/assess', access: 'measure.write',
    own: async () => ({ method: 'POST', url: '/api/measures/areas/assess', payload: area(CODES.buildingA) }),
    other: async () => [{ label: 'side-B building', probe: { method: 'POST', url: '/api/measures/areas/assess', payload: area(CODES.buildingB) }, expect: outOfScope }],
  },
  {
    method: 'POST', route: '/api/measures/areas', access: 'measure.write', okStatus: 201,
    own: async () => ({ method: 'POST', url: '/api/measures/areas', payload: area(CODES.buildingA) }),
    ownCheck: (body) => expect(body).toMatchObject({ kind: 'area_control', areaLevel: 'high' }),
    other: async () => [{ label: 'side-B building', probe: { method: 'POST', url: '/api/measures/areas', payload: area(CODES.buildingB) }, expect: outOfScope }],
  },
  {
    method: 'POST', route: '/api/measures/:id/decision', access: 'measure.approve',
    own: async (f) => ({ method: 'POST', url: `/api/measures/${await pendingA(f)}/decision`, payload: decision }),
    ownCheck: (body) => expect(body).toMatchObject({ status: 'active', decision: { approved: true } }),
    other: async (f) => [
      { label: 'side-B measure', probe: { method: 'POST', url: `/api/measures/${await sideB(f)}/decision`, payload: decision }, expect: notFound({ method: 'POST', url: `/api/measures/${missingId()}/decision`, payload: decision }) },
    ],
  },
  {
    method: 'POST', route: '/api/measures/notices', access: 'measure.write', okStatus: 202,
    own: async (f) => {
      const m = await f.t.ctx.services.measures.createPerson(sys, person(f.t.world.residentsA[1]!.resident.id) as never);
      return { method: 'POST', url: '/api/measures/notices', payload: { measureIds: [m.id], document: 'notice', format: 'docx' } };
    },
    // The job writes in the background: let it finish before the next row compares snapshots.
    restore: (f) => f.t.ctx.services.queue.idle(),
    other: async (f) => [
      {
        label: 'side-B measure',
        probe: { method: 'POST', url: '/api/measures/notices', payload: { measureIds: [await sideB(f)], document: 'notice', format: 'docx' } },
        expect: refMissing({ method: 'POST', url: '/api/measures/notices', payload: { measureIds: [missingId()], document: 'notice', format: 'docx' } }),
      },
    ],
  },
  {
    method: 'POST', route: '/api/measures/:id/extend', access: 'measure.write',
    own: async (f) => {
      const m = await f.t.ctx.services.measures.createPerson(sys, { ...person(f.t.world.residentsA[1]!.resident.id), days: 3 } as never);
      return { method: 'POST', url: `/api/measures/${m.id}/extend`, payload: { days: 2, reason: '复核未完成' } };
    },
    ownCheck: (body) => expect(body).toMatchObject({ proportionate: true }),
    other: async (f) => [
      { label: 'side-B measure', probe: { method: 'POST', url: `/api/measures/${await sideB(f)}/extend`, payload: { days: 1, reason: '越界延长' } }, expect: notFound({ method: 'POST', url: `/api/measures/${missingId()}/extend`, payload: { days: 1, reason: '越界延长' } }) },
    ],
  },
  {
    method: 'POST', route: '/api/measures/:id/release', access: 'measure.write',
    own: async (f) => {
      const m = await f.t.ctx.services.measures.createPerson(sys, person(f.t.world.residentsA[1]!.resident.id) as never);
      return { method: 'POST', url: `/api/measures/${m.id}/release`, payload: release };
    },
    ownCheck: (body) => expect(body).toMatchObject({ status: 'ended' }),
    other: async (f) => [
      { label: 'side-B measure', probe: { method: 'POST', url: `/api/measures/${await sideB(f)}/release`, payload: release }, expect: notFound({ method: 'POST', url: `/api/measures/${missingId()}/release`, payload: release }) },
    ],
  },
];
