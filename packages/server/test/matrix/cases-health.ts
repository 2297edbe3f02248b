import { expect } from 'vitest';
import { CODES } from '../harness.js';
import { items, missingId, notFound, outOfScope, refMissing, sys, type Fixture, type RouteCase } from './fixture.js';

/** Matrix rows for health reports, follow-up tasks and arrivals (issue #5): one per route, aimed at the caller's own jurisdiction and the other one. */

const TODAY = '2026-11-29';
const travel = { originName: '某省某市', originRisk: 'low', arrivalDate: TODAY, transport: 'car' };
const normal = { temperatureC: 36.5, symptoms: [] as string[] };

interface Seeded {
  bTask: string;
  bMonitoring: string;
  bArrival: string;
  aTask: string;
  aArrival: string;
}

/**
 * Records on both sides, made by the system: side B's abnormal report (with its follow-up task), monitoring and
 * an arrival, so that every list has side-B rows to leave out; side A's task and arrival to aim at.
 */
async function seeded(f: Fixture): Promise<Seeded> {
  const cached = f.stash.get('health-seeded');
  if (cached) return JSON.parse(cached) as Seeded;
  const { health, monitoring, arrivals, tasks } = f.t.ctx.services;
  const b = f.t.world.residentsB[0]!.resident.id;
  const report = await health.report(sys, { residentId: b, temperatureC: 38.6, symptoms: ['breathing_difficulty'] });
  const m = await monitoring.create(sys, { residentId: b, note: '乙方监测', endDate: '2026-12-03' });
  const bArrival = await arrivals.create(sys, { residentId: b, ...travel, originRisk: 'low', transport: 'car' });
  const aTask = await tasks.create(sys, { title: '甲方任务', regionCode: CODES.gridA });
  const aArrival = await arrivals.create(sys, { residentId: f.t.world.residentsA[1]!.resident.id, ...travel, originRisk: 'low', transport: 'car' });
  const s: Seeded = { bTask: report.followUpTaskId!, bMonitoring: m.id, bArrival: bArrival.id, aTask: aTask.id, aArrival: aArrival.id };
  f.stash.set('health-seeded', JSON.stringify(s));
  return s;
}

const bResident = (f: Fixture) => f.t.world.residentsB[0]!.resident.id;
const noSideB = (f: Fixture, body: unknown) => {
  const text = JSON.stringify(body);
  for (const r of f.t.world.residentsB) expect(text).not.toContain(r.resident.id);
  expect(text).not.toContain(CODES.streetB);
};

export const HEALTH_CASES: RouteCase[] = [
  // ---- health reports and monitoring ----
  {
    method: 'GET', route: '/api/health/reports', access: 'health.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/health/reports?pageSize=200' }),
    other: async (f) => [
      { label: 'side-B resident', probe: { method: 'GET', url: `/api/health/reports?residentId=${bResident(f)}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'whole list', probe: { method: 'GET', url: '/api/health/reports?pageSize=200' }, expect: { list: (b, fx) => noSideB(fx, b) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/health/reports?node=${CODES.communityB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'POST', route: '/api/health/reports', access: 'health.write',
    own: async (f) => ({ method: 'POST', url: '/api/health/reports', payload: { residentId: f.t.world.residentsA[2]!.resident.id, ...normal } }),
    ownCheck: (body) => expect(body).toMatchObject({ report: { abnormal: false }, followUpTaskId: null }),
    other: async (f) => [
      { label: 'side-B resident', probe: { method: 'POST', url: '/api/health/reports', payload: { residentId: bResident(f), ...normal } }, expect: refMissing({ method: 'POST', url: '/api/health/reports', payload: { residentId: missingId(), ...normal } }) },
    ],
  },
  {
    method: 'GET', route: '/api/health/protocol', access: 'health.read',
    own: async () => ({ method: 'GET', url: '/api/health/protocol' }),
    ownCheck: (body) => expect(body).toMatchObject({ id: 'new-ten-2022-12', feverThresholdC: 37.3 }),
  },
  {
    method: 'GET', route: '/api/health/summary', access: 'health.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/health/summary' }),
    ownCheck: (body) => expect((body as { grids: { code: string }[] }).grids.map((g) => g.code)).toContain(CODES.gridA),
    other: async () => [{ label: 'side-B node', probe: { method: 'GET', url: `/api/health/summary?node=${CODES.streetB}` }, expect: outOfScope }],
  },
  {
    method: 'GET', route: '/api/health/missing', access: 'health.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/health/missing?pageSize=200' }),
    other: async () => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/health/missing?pageSize=200' }, expect: { list: (b, fx) => noSideB(fx, b) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/health/missing?node=${CODES.gridB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/health/flags', access: 'health.read',
    own: async (f) => ({ method: 'GET', url: `/api/health/flags?ids=${f.t.world.residentsA[0]!.resident.id}` }),
    other: async (f) => [
      { label: 'side-B resident (abnormal, monitored)', probe: { method: 'GET', url: `/api/health/flags?ids=${(await seeded(f), bResident(f))}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
    ],
  },
  {
    method: 'GET', route: '/api/health/monitoring', access: 'health.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/health/monitoring?pageSize=200' }),
    other: async (f) => [
      { label: 'side-B resident', probe: { method: 'GET', url: `/api/health/monitoring?residentId=${bResident(f)}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/health/monitoring?node=${CODES.communityB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'POST', route: '/api/health/monitoring', access: 'health.write', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/health/monitoring', payload: { residentId: f.t.world.residentsA[2]!.resident.id, note: '就医返回', endDate: '2026-12-01' } }),
    other: async (f) => [
      {
        label: 'side-B resident',
        probe: { method: 'POST', url: '/api/health/monitoring', payload: { residentId: bResident(f), note: '越界', endDate: '2026-12-01' } },
        expect: refMissing({ method: 'POST', url: '/api/health/monitoring', payload: { residentId: missingId(), note: '越界', endDate: '2026-12-01' } }),
      },
    ],
  },
  {
    method: 'POST', route: '/api/health/monitoring/:id/end', access: 'health.write',
    own: async (f) => {
      const m = await f.t.ctx.services.monitoring.create(sys, { residentId: f.t.world.residentsA[2]!.resident.id, note: '待结束', endDate: '2026-12-01' });
      return { method: 'POST', url: `/api/health/monitoring/${m.id}/end`, payload: { note: '提前结束' } };
    },
    other: async (f) => [
      {
        label: 'side-B monitoring',
        probe: { method: 'POST', url: `/api/health/monitoring/${(await seeded(f)).bMonitoring}/end`, payload: { note: '越界' } },
        expect: notFound({ method: 'POST', url: `/api/health/monitoring/${missingId()}/end`, payload: { note: '越界' } }),
      },
    ],
  },
  {
    method: 'GET', route: '/api/me/health', access: 'self.read',
    own: async () => ({ method: 'GET', url: '/api/me/health' }),
    ownCheck: (body) => expect(body).toMatchObject({ day: TODAY, required: false }),
  },
  {
    method: 'PUT', route: '/api/me/health', access: 'self.write',
    own: async () => ({ method: 'PUT', url: '/api/me/health', payload: normal }),
    ownCheck: (body, f) => expect(body).toMatchObject({ report: { residentId: f.t.world.residentsA[0]!.resident.id, reportedBy: { kind: 'self' } } }),
  },

  // ---- follow-up tasks ----
  {
    method: 'GET', route: '/api/tasks', access: 'task.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/tasks?pageSize=200' }),
    ownCheck: async (body, f) => expect(items(body).map((x) => x.id)).toContain((await seeded(f)).aTask),
    other: async (f) => [
      { label: 'side-B resident', probe: { method: 'GET', url: `/api/tasks?residentId=${bResident(f)}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'whole list', probe: { method: 'GET', url: '/api/tasks?pageSize=200' }, expect: { list: (b, fx) => noSideB(fx, b) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/tasks?node=${CODES.gridB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/tasks/:id', access: 'task.read',
    own: async (f) => ({ method: 'GET', url: `/api/tasks/${(await seeded(f)).aTask}` }),
    other: async (f) => [{ label: 'side-B task', probe: { method: 'GET', url: `/api/tasks/${(await seeded(f)).bTask}` }, expect: notFound({ method: 'GET', url: `/api/tasks/${missingId()}` }) }],
  },
  {
    method: 'POST', route: '/api/tasks', access: 'task.write', okStatus: 201,
    own: async () => ({ method: 'POST', url: '/api/tasks', payload: { title: '入户回访', regionCode: CODES.gridA } }),
    other: async (f) => [
      { label: 'placed on side B', probe: { method: 'POST', url: '/api/tasks', payload: { title: '越界', regionCode: CODES.gridB } }, expect: outOfScope },
      {
        label: 'for a side-B resident',
        probe: { method: 'POST', url: '/api/tasks', payload: { title: '越界', residentId: bResident(f) } },
        expect: refMissing({ method: 'POST', url: '/api/tasks', payload: { title: '越界', residentId: missingId() } }),
      },
    ],
  },
  {
    method: 'PATCH', route: '/api/tasks/:id', access: 'task.write',
    own: async (f) => {
      const task = await f.t.ctx.services.tasks.create(sys, { title: '待处理', regionCode: CODES.gridA });
      return { method: 'PATCH', url: `/api/tasks/${task.id}`, payload: { version: 1, status: 'in_progress', note: '已联系' } };
    },
    other: async (f) => [
      {
        label: 'side-B task',
        probe: { method: 'PATCH', url: `/api/tasks/${(await seeded(f)).bTask}`, payload: { version: 1, note: '越界' } },
        expect: notFound({ method: 'PATCH', url: `/api/tasks/${missingId()}`, payload: { version: 1, note: '越界' } }),
      },
    ],
  },
  {
    method: 'GET', route: '/api/tasks/:id/assignees', access: 'task.write',
    own: async (f) => ({ method: 'GET', url: `/api/tasks/${(await seeded(f)).aTask}/assignees` }),
    other: async (f) => [
      { label: 'side-B task', probe: { method: 'GET', url: `/api/tasks/${(await seeded(f)).bTask}/assignees` }, expect: notFound({ method: 'GET', url: `/api/tasks/${missingId()}/assignees` }) },
    ],
  },

  // ---- arrivals ----
  {
    method: 'GET', route: '/api/arrivals/rules', access: 'authenticated',
    own: async () => ({ method: 'GET', url: `/api/arrivals/rules?date=${TODAY}` }),
    ownCheck: (body) => expect(body).toMatchObject({ protocol: { id: 'new-ten-2022-12' } }),
  },
  {
    method: 'GET', route: '/api/arrivals', access: 'arrival.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/arrivals?pageSize=200' }),
    ownCheck: async (body, f) => expect(items(body).map((x) => x.id)).toContain((await seeded(f)).aArrival),
    other: async (f) => [
      { label: 'side-B resident', probe: { method: 'GET', url: `/api/arrivals?residentId=${bResident(f)}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'whole list', probe: { method: 'GET', url: '/api/arrivals?pageSize=200' }, expect: { list: (b, fx) => noSideB(fx, b) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/arrivals?node=${CODES.streetB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'GET', route: '/api/arrivals/:id', access: 'arrival.read',
    own: async (f) => ({ method: 'GET', url: `/api/arrivals/${(await seeded(f)).aArrival}` }),
    other: async (f) => [{ label: 'side-B arrival', probe: { method: 'GET', url: `/api/arrivals/${(await seeded(f)).bArrival}` }, expect: notFound({ method: 'GET', url: `/api/arrivals/${missingId()}` }) }],
  },
  {
    method: 'POST', route: '/api/arrivals', access: 'arrival.write', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/arrivals', payload: { residentId: f.t.world.residentsA[2]!.resident.id, ...travel } }),
    other: async (f) => [
      { label: 'side-B resident', probe: { method: 'POST', url: '/api/arrivals', payload: { residentId: bResident(f), ...travel } }, expect: refMissing({ method: 'POST', url: '/api/arrivals', payload: { residentId: missingId(), ...travel } }) },
      {
        label: 'a new person in a side-B household',
        probe: { method: 'POST', url: '/api/arrivals', payload: { person: { householdId: f.t.world.householdB, name: '越界', docType: 'passport', docNumber: 'E12345678', sex: 'male', birthDate: '1990-01-01' }, ...travel } },
        expect: refMissing({ method: 'POST', url: '/api/arrivals', payload: { person: { householdId: missingId(), name: '越界', docType: 'passport', docNumber: 'E12345678', sex: 'male', birthDate: '1990-01-01' }, ...travel } }),
      },
    ],
  },
  {
    method: 'POST', route: '/api/arrivals/:id/cancel', access: 'arrival.write',
    own: async (f) => {
      const a = await f.t.ctx.services.arrivals.create(sys, { residentId: f.t.world.residentsA[2]!.resident.id, ...travel, originRisk: 'low', transport: 'car' });
      return { method: 'POST', url: `/api/arrivals/${a.id}/cancel`, payload: { reason: '录入错误' } };
    },
    other: async (f) => [
      {
        label: 'side-B arrival',
        probe: { method: 'POST', url: `/api/arrivals/${(await seeded(f)).bArrival}/cancel`, payload: { reason: '越界' } },
        expect: notFound({ method: 'POST', url: `/api/arrivals/${missingId()}/cancel`, payload: { reason: '越界' } }),
      },
    ],
  },
  {
    method: 'GET', route: '/api/me/arrivals', access: 'self.read',
    own: async () => ({ method: 'GET', url: '/api/me/arrivals' }),
  },
  {
    method: 'POST', route: '/api/me/arrivals', access: 'self.write', okStatus: 201,
    own: async () => ({ method: 'POST', url: '/api/me/arrivals', payload: travel }),
    ownCheck: (body, f) => expect(body).toMatchObject({ resident: { id: f.t.world.residentsA[0]!.resident.id }, reportedBy: { kind: 'self' } }),
  },
];
