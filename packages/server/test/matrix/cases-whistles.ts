import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { roleCan } from '@gridline/shared';
import { expect } from 'vitest';
import { CODES } from '../harness.js';
import { items, missingId, notFound, outOfScope, refMissing, sys, type Fixture, type OtherProbe, type Probe, type RouteCase } from './fixture.js';

/**
 * Matrix rows for departments, routing rules, deadlines, whistles and performance figures (issue #8). Side A's
 * street has a 卫健办 (the test department user works there) with a medical routing rule; side B has its own, and
 * a whistle routed to it. Department staff are aimed at whistles routed to their department; the command at
 * whistles no rule routed (兜底), which it handles itself.
 */

interface Seeded {
  deptA: string;
  deptB: string;
  ruleB: string;
  whistleA: string;
  whistleB: string;
  fileA: string;
  fileB: string;
}

const text = { description: '楼道积水严重需要处理', title: '楼道积水' };

async function seeded(f: Fixture): Promise<Seeded> {
  const cached = f.stash.get('whistles-seeded');
  if (cached) return JSON.parse(cached) as Seeded;
  const { departments, whistles, users } = f.t.ctx.services;
  const deptA = await departments.create(sys, { name: '甲街道卫健办', kind: 'health', nodeCode: CODES.streetA, dutyContact: '值班员', dutyPhone: '010-65000001', categories: ['medical'] });
  const deptB = await departments.create(sys, { name: '乙街道卫健办', kind: 'health', nodeCode: CODES.streetB, dutyContact: '值班员', dutyPhone: '010-66000001', categories: ['medical'] });
  await departments.addRoute(sys, { category: 'medical', nodeCode: CODES.streetA, departmentId: deptA.id });
  const ruleB = (await departments.addRoute(sys, { category: 'medical', nodeCode: CODES.streetB, departmentId: deptB.id })).items.find((r) => r.departmentId === deptB.id)!.id;
  const staff = await f.t.ctx.db.selectFrom('users').select('id').where('username', '=', f.t.world.usernames.department_staff).executeTakeFirstOrThrow();
  await users.update(sys, staff.id, { departmentId: deptA.id });
  const whistleA = (await whistles.raise(sys, { category: 'medical', urgency: 'daily', regionCode: CODES.gridA, source: 'worker', ...text })).id;
  const whistleB = (await whistles.raise(sys, { category: 'medical', urgency: 'daily', regionCode: CODES.gridB, source: 'worker', ...text })).id;
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), crypto.randomBytes(32)]);
  const fileOf = async (id: string) => (await whistles.addFile(sys, id, { fileName: '现场.png', mime: 'image/png', stream: Readable.from([png]) }, 'raise')).files[0]!.id;
  const s: Seeded = { deptA: deptA.id, deptB: deptB.id, ruleB, whistleA, whistleB, fileA: await fileOf(whistleA), fileB: await fileOf(whistleB) };
  f.stash.set('whistles-seeded', JSON.stringify(s));
  return s;
}

/**
 * A fresh side-A whistle the role could act on at `stage`: routed to the test department (medical), or for the
 * command one no rule routes (housing → 兜底, the command handles it).
 */
async function freshA(f: Fixture, stage: 'pending' | 'acknowledged' | 'resolved'): Promise<{ id: string; version: number }> {
  await seeded(f);
  const { whistles } = f.t.ctx.services;
  const category = f.role === 'command' ? 'housing' : 'medical';
  const { id } = await whistles.raise(sys, { category, urgency: 'tough', regionCode: CODES.gridA, source: 'worker', ...text });
  let version = 1;
  if (stage !== 'pending') version = (await whistles.acknowledge(sys, id, { version })).version;
  if (stage === 'resolved') version = (await whistles.resolve(sys, id, { version, note: '已处理完毕' })).version;
  return { id, version };
}

/** The same request against side B's whistle and against an id that does not exist: both must read "not found". */
async function sideB(f: Fixture, path: string, method: Probe['method'], payload?: Record<string, unknown>): Promise<OtherProbe[]> {
  const { whistleB } = await seeded(f);
  const probe = (id: string): Probe => ({ method, url: `/api/whistles/${id}${path}`, ...(payload ? { payload } : {}) });
  return [{ label: 'side-B whistle', probe: probe(whistleB), expect: notFound(probe(missingId())) }];
}

const noSideB = (f: Fixture, body: unknown, ids: string[]) => {
  const s = JSON.stringify(body);
  for (const id of ids) expect(s).not.toContain(id);
  expect(s).not.toContain(CODES.streetB);
};

function pngUpload(): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----m${crypto.randomBytes(6).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const WHISTLES_CASES: RouteCase[] = [
  // ---- departments ----
  {
    method: 'GET', route: '/api/departments', access: 'department.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/departments' }),
    ownCheck: async (body, f) => expect(items(body).map((d) => d.id)).toContain((await seeded(f)).deptA),
    other: async (f) => {
      const { deptB } = await seeded(f);
      return [{ label: 'whole registry', probe: { method: 'GET', url: '/api/departments' }, expect: { list: (b, fx) => noSideB(fx, b, [deptB]) } }];
    },
  },
  {
    method: 'POST', route: '/api/departments', access: 'department.manage', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/departments', payload: { name: `城管中队${f.next()}`, kind: 'urban', nodeCode: CODES.streetA, dutyContact: '值班', dutyPhone: '12319', categories: ['sanitation'] } }),
    other: async (f) => [
      { label: 'at side B', probe: { method: 'POST', url: '/api/departments', payload: { name: `越界${f.next()}`, kind: 'urban', nodeCode: CODES.streetB, dutyContact: '值班', dutyPhone: '12319', categories: [] } }, expect: outOfScope },
    ],
  },
  {
    method: 'PATCH', route: '/api/departments/:id', access: 'department.manage',
    own: async (f) => {
      const d = await f.t.ctx.services.departments.get(sys, (await seeded(f)).deptA);
      return { method: 'PATCH', url: `/api/departments/${d.id}`, payload: { version: d.version, dutyContact: `值班${f.next()}` } };
    },
    other: async (f) => {
      const b = await f.t.ctx.services.departments.get(sys, (await seeded(f)).deptB);
      return [{ label: 'side-B department', probe: { method: 'PATCH', url: `/api/departments/${b.id}`, payload: { version: b.version, dutyContact: '越界' } }, expect: notFound({ method: 'PATCH', url: `/api/departments/${missingId()}`, payload: { version: b.version, dutyContact: '越界' } }) }];
    },
  },
  {
    method: 'GET', route: '/api/departments/routes', access: 'department.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/departments/routes' }),
    ownCheck: async (body, f) => expect(items(body).map((r) => (r as unknown as { departmentId: string }).departmentId)).toContain((await seeded(f)).deptA),
    other: async (f) => {
      const { deptB, ruleB } = await seeded(f);
      return [{ label: 'all rules', probe: { method: 'GET', url: '/api/departments/routes' }, expect: { list: (b, fx) => noSideB(fx, b, [deptB, ruleB]) } }];
    },
  },
  {
    method: 'POST', route: '/api/departments/routes', access: 'department.manage', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/departments/routes', payload: { category: 'epidemic', nodeCode: CODES.communityA, departmentId: (await seeded(f)).deptA } }),
    other: async (f) => [
      { label: 'rule at side B', probe: { method: 'POST', url: '/api/departments/routes', payload: { category: 'welfare', nodeCode: CODES.streetB, departmentId: (await seeded(f)).deptA } }, expect: outOfScope },
      {
        label: 'side-B department',
        probe: { method: 'POST', url: '/api/departments/routes', payload: { category: 'welfare', nodeCode: CODES.streetA, departmentId: (await seeded(f)).deptB } },
        expect: refMissing({ method: 'POST', url: '/api/departments/routes', payload: { category: 'welfare', nodeCode: CODES.streetA, departmentId: missingId() } }),
      },
    ],
  },
  {
    method: 'DELETE', route: '/api/departments/routes/:id', access: 'department.manage',
    own: async (f) => {
      const { deptA } = await seeded(f);
      const rules = await f.t.ctx.services.departments.addRoute(sys, { category: 'traffic', nodeCode: CODES.gridA, departmentId: deptA });
      return { method: 'DELETE', url: `/api/departments/routes/${rules.items.find((r) => r.category === 'traffic' && r.nodeCode === CODES.gridA)!.id}` };
    },
    other: async (f) => [{ label: 'side-B rule', probe: { method: 'DELETE', url: `/api/departments/routes/${(await seeded(f)).ruleB}` }, expect: notFound({ method: 'DELETE', url: `/api/departments/routes/${missingId()}` }) }],
  },
  {
    method: 'GET', route: '/api/departments/deadlines', access: 'department.read',
    own: async () => ({ method: 'GET', url: '/api/departments/deadlines' }),
    ownCheck: (body) => expect((body as { items: { urgency: string; ackMinutes: number }[] }).items.find((i) => i.urgency === 'emergency')?.ackMinutes).toBe(30),
    other: async () => [{ label: 'side-B node', probe: { method: 'GET', url: `/api/departments/deadlines?node=${CODES.streetB}` }, expect: outOfScope }],
  },
  {
    method: 'PUT', route: '/api/departments/deadlines', access: 'department.manage',
    own: async () => ({ method: 'PUT', url: '/api/departments/deadlines', payload: { items: [{ urgency: 'daily', ackMinutes: 720, resolveHours: 240 }] } }),
    ownCheck: (body) => expect((body as { items: { urgency: string; ackMinutes: number }[] }).items.find((i) => i.urgency === 'daily')?.ackMinutes).toBe(720),
  },

  // ---- whistles ----
  {
    method: 'GET', route: '/api/whistles', access: 'whistle.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/whistles?pageSize=200' }),
    ownCheck: async (body, f) => expect(items(body).map((w) => w.id)).toContain((await seeded(f)).whistleA),
    other: async (f) => [
      { label: 'whole list', probe: { method: 'GET', url: '/api/whistles?pageSize=200' }, expect: { list: (b, fx) => noSideB(fx, b, [JSON.parse(fx.stash.get('whistles-seeded')!).whistleB as string]) } },
      { label: 'side-B department filter', probe: { method: 'GET', url: `/api/whistles?departmentId=${(await seeded(f)).deptB}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'side-B node', probe: { method: 'GET', url: `/api/whistles?node=${CODES.gridB}` }, expect: outOfScope },
    ],
  },
  {
    method: 'POST', route: '/api/whistles', access: 'whistle.raise', okStatus: 201,
    own: async (f) => (await seeded(f), { method: 'POST', url: '/api/whistles', payload: { category: 'medical', urgency: 'emergency', regionCode: CODES.gridA, ...text } }),
    ownCheck: async (body, f) => expect((body as { departmentId: string }).departmentId).toBe((await seeded(f)).deptA),
    other: async (f) => {
      const out: OtherProbe[] = [
        { label: 'in a side-B grid', probe: { method: 'POST', url: '/api/whistles', payload: { category: 'medical', urgency: 'daily', regionCode: CODES.gridB, ...text } }, expect: outOfScope },
      ];
      // The desk may dispatch to a department of its choice: never to side B's.
      if (roleCan(f.role, 'inbox.manage')) {
        const body = (departmentId: string) => ({ method: 'POST' as const, url: '/api/whistles', payload: { category: 'medical', urgency: 'daily', regionCode: CODES.gridA, departmentId, ...text } });
        out.push({ label: 'dispatched to side B’s department', probe: body((await seeded(f)).deptB), expect: refMissing(body(missingId())) });
      }
      return out;
    },
  },
  {
    method: 'GET', route: '/api/whistles/:id', access: 'whistle.read',
    own: async (f) => ({ method: 'GET', url: `/api/whistles/${(await seeded(f)).whistleA}` }),
    other: (f) => sideB(f, '', 'GET'),
  },
  {
    method: 'POST', route: '/api/whistles/:id/acknowledge', access: 'whistle.handle',
    own: async (f) => {
      const w = await freshA(f, 'pending');
      return { method: 'POST', url: `/api/whistles/${w.id}/acknowledge`, payload: { version: w.version } };
    },
    other: (f) => sideB(f, '/acknowledge', 'POST', { version: 1 }),
  },
  {
    method: 'POST', route: '/api/whistles/:id/progress', access: 'whistle.handle',
    own: async (f) => {
      const w = await freshA(f, 'acknowledged');
      return { method: 'POST', url: `/api/whistles/${w.id}/progress`, payload: { version: w.version, note: '已到现场' } };
    },
    other: (f) => sideB(f, '/progress', 'POST', { version: 2, note: '越界' }),
  },
  {
    method: 'POST', route: '/api/whistles/:id/resolve', access: 'whistle.handle',
    own: async (f) => {
      const w = await freshA(f, 'acknowledged');
      return { method: 'POST', url: `/api/whistles/${w.id}/resolve`, payload: { version: w.version, note: '已处理完毕' } };
    },
    other: (f) => sideB(f, '/resolve', 'POST', { version: 2, note: '越界' }),
  },
  {
    method: 'POST', route: '/api/whistles/:id/confirm', access: 'whistle.raise',
    own: async (f) => {
      const w = await freshA(f, 'resolved');
      return { method: 'POST', url: `/api/whistles/${w.id}/confirm`, payload: { version: w.version, rating: 'satisfied', solved: true } };
    },
    ownCheck: (body) => expect(body).toMatchObject({ status: 'closed', rating: 'satisfied' }),
    other: (f) => sideB(f, '/confirm', 'POST', { version: 3, rating: 'satisfied', solved: true }),
  },
  {
    method: 'POST', route: '/api/whistles/:id/reopen', access: 'whistle.raise',
    own: async (f) => {
      const w = await freshA(f, 'resolved');
      return { method: 'POST', url: `/api/whistles/${w.id}/reopen`, payload: { version: w.version, note: '问题仍在' } };
    },
    other: (f) => sideB(f, '/reopen', 'POST', { version: 3, note: '越界' }),
  },
  {
    method: 'POST', route: '/api/whistles/:id/reroute', access: 'inbox.manage',
    own: async (f) => {
      const w = await freshA(f, 'pending');
      return { method: 'POST', url: `/api/whistles/${w.id}/reroute`, payload: { version: w.version, departmentId: (await seeded(f)).deptA, note: '改由卫健办' } };
    },
    other: async (f) => {
      const w = await freshA(f, 'pending');
      const to = (departmentId: string) => ({ method: 'POST' as const, url: `/api/whistles/${w.id}/reroute`, payload: { version: w.version, departmentId, note: '越界改派' } });
      return [...(await sideB(f, '/reroute', 'POST', { version: 1, departmentId: null, note: '越界' })), { label: 'to side B’s department', probe: to((await seeded(f)).deptB), expect: refMissing(to(missingId())) }];
    },
  },
  {
    method: 'GET', route: '/api/whistles/:id/files/:fileId', access: 'whistle.read',
    own: async (f) => {
      const s = await seeded(f);
      return { method: 'GET', url: `/api/whistles/${s.whistleA}/files/${s.fileA}` };
    },
    other: async (f) => {
      const s = await seeded(f);
      return [
        { label: 'side-B whistle’s file', probe: { method: 'GET', url: `/api/whistles/${s.whistleB}/files/${s.fileB}` }, expect: notFound({ method: 'GET', url: `/api/whistles/${missingId()}/files/${s.fileB}` }) },
        { label: 'side-B file under my whistle', probe: { method: 'GET', url: `/api/whistles/${s.whistleA}/files/${s.fileB}` }, expect: notFound({ method: 'GET', url: `/api/whistles/${s.whistleA}/files/${missingId()}` }) },
      ];
    },
  },
  {
    method: 'POST', route: '/api/whistles/:id/files', access: 'whistle.read', okStatus: 201,
    own: async (f) => {
      const w = await freshA(f, 'pending');
      return { method: 'POST', url: `/api/whistles/${w.id}/files?stage=raise`, ...pngUpload() };
    },
    other: async (f) => {
      const { whistleB } = await seeded(f);
      const up = pngUpload();
      return [
        {
          label: 'side-B whistle', probe: { method: 'POST', url: `/api/whistles/${whistleB}/files`, ...up },
          expect: notFound({ method: 'POST', url: `/api/whistles/${missingId()}/files`, ...up }),
        },
      ];
    },
  },

  // ---- performance figures ----
  {
    method: 'GET', route: '/api/performance', access: 'performance.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/performance' }),
    other: async () => [
      { label: 'side-B node', probe: { method: 'GET', url: `/api/performance?node=${CODES.streetB}` }, expect: outOfScope },
      { label: 'whole jurisdiction', probe: { method: 'GET', url: '/api/performance' }, expect: { list: (b) => expect(JSON.stringify(b)).not.toContain('乙街道') } },
    ],
  },
  {
    method: 'GET', route: '/api/performance/export', access: 'performance.read',
    own: async (f) => (await seeded(f), { method: 'GET', url: '/api/performance/export' }),
    other: async () => [{ label: 'side-B node', probe: { method: 'GET', url: `/api/performance/export?node=${CODES.streetB}` }, expect: outOfScope }],
  },
];
