/** One row per /api route: how to aim it at the caller's own jurisdiction and at the other one. */
import { roleCan } from '@gridline/shared';
import { expect } from 'vitest';
import { CODES, ROLE_NODES, TEST_PASSWORD } from '../harness.js';
import {
  boundaryPayload, IMPORT_RUN, items, missingId, notFound, outOfScope, pad, refMissing, residentPayload, sideBResidentIds, uploadProbe,
  type ListBody, type Probe, type RouteCase,
} from './fixture.js';
import { HEALTH_CASES } from './cases-health.js';
import { PLACES_CASES } from './cases-places.js';
import { SCREENING_CASES } from './cases-screening.js';
import { CASES_PROTOCOL_CASES } from './cases-protocol.js';
import { TRACING_CASES } from './cases-tracing.js';
import { INBOX_CASES } from './cases-inbox.js';
import { WHISTLES_CASES } from './cases-whistles.js';
import { MEASURES_CASES } from './cases-measures.js';
import { MEASURES_AREAS_CASES } from './cases-measures-areas.js';
import { MEASURE_PROPOSALS_CASES } from './cases-measures-proposals.js';
import { MEASURES_LIFECYCLE_CASES } from './cases-measures-lifecycle.js';
import { MEASURES_SITES_CASES } from './cases-measures-sites.js';

/** The foundation's routes; each later module keeps its rows in matrix/cases-<module>.ts. */
const FOUNDATION_CASES: RouteCase[] = [
  // ---- auth (any signed-in user) ----
  {
    method: 'GET', route: '/api/auth/me', access: 'authenticated',
    own: async () => ({ method: 'GET', url: '/api/auth/me' }),
    ownCheck: (body, f) => {
      const me = body as { username: string; nodeCode: string; role: string };
      expect(me.username).toBe(f.t.world.usernames[f.role]);
      expect(me.role).toBe(f.role);
      if (f.role !== 'resident') expect(me.nodeCode).toBe(ROLE_NODES[f.role]);
    },
  },
  {
    method: 'POST', route: '/api/auth/logout', access: 'authenticated',
    own: async (f) => ({ method: 'POST', url: '/api/auth/logout', cookie: await f.t.login(f.t.world.usernames[f.role]) }),
  },
  {
    method: 'POST', route: '/api/auth/password', access: 'authenticated',
    own: async (f) => {
      const u = await f.t.ctx.db.selectFrom('users').select('password_hash').where('username', '=', f.t.world.usernames[f.role]).executeTakeFirstOrThrow();
      f.stash.set('password_hash', u.password_hash);
      return { method: 'POST', url: '/api/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'Another-pass9' } };
    },
    ownCheck: async (_body, f) => {
      // The new password works, the old one does not.
      await expect(f.t.login(f.t.world.usernames[f.role], TEST_PASSWORD)).rejects.toThrow(/401/);
      await f.t.login(f.t.world.usernames[f.role], 'Another-pass9');
    },
    restore: async (f) => {
      await f.t.ctx.db.updateTable('users').set({ password_hash: f.stash.get('password_hash')! }).where('username', '=', f.t.world.usernames[f.role]).execute();
    },
  },

  // ---- users (user.manage) ----
  {
    method: 'GET', route: '/api/users', access: 'user.manage',
    own: async () => ({ method: 'GET', url: '/api/users?pageSize=200' }),
    ownCheck: (body, f) => expect(items(body).map((u) => u.id)).toContain(f.aTargetId),
    other: async (f) => [
      { label: 'search for side-B usernames', probe: { method: 'GET', url: '/api/users?q=b_' }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'whole list', probe: { method: 'GET', url: '/api/users?pageSize=200' }, expect: { list: (b) => expect(items(b).map((u) => u.id)).not.toContain(f.bTargetId) } },
    ],
  },
  {
    method: 'POST', route: '/api/users', access: 'user.manage', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/users', payload: { username: `new_${f.next()}`, displayName: '新账号', role: 'volunteer', nodeCode: CODES.buildingA, password: 'Initial-pass1' } }),
    other: async (f) => [
      { label: 'placed on side B', probe: { method: 'POST', url: '/api/users', payload: { username: `nb_${f.next()}`, displayName: '越界', role: 'volunteer', nodeCode: CODES.buildingB, password: 'Initial-pass1' } }, expect: outOfScope },
      {
        label: 'bound to a side-B resident',
        probe: { method: 'POST', url: '/api/users', payload: { username: `nr_${f.next()}`, displayName: '越界居民', role: 'resident', nodeCode: CODES.streetA, residentId: f.t.world.residentsB[0]!.resident.id, password: 'Initial-pass1' } },
        expect: {
          status: 409, code: 'GRIDLINE_REFERENCE_MISSING',
          twin: { method: 'POST', url: '/api/users', payload: { username: `nm_${f.next()}`, displayName: '越界居民', role: 'resident', nodeCode: CODES.streetA, residentId: missingId(), password: 'Initial-pass1' } },
        },
      },
    ],
  },
  {
    method: 'PATCH', route: '/api/users/:id', access: 'user.manage',
    own: async (f) => ({ method: 'PATCH', url: `/api/users/${f.aTargetId}`, payload: { displayName: `改名${f.next()}` } }),
    other: async (f) => [
      { label: 'side-B user', probe: { method: 'PATCH', url: `/api/users/${f.bTargetId}`, payload: { displayName: '越界' } }, expect: notFound({ method: 'PATCH', url: `/api/users/${missingId()}`, payload: { displayName: '越界' } }) },
      { label: 'move own user to side B', probe: { method: 'PATCH', url: `/api/users/${f.aTargetId}`, payload: { nodeCode: CODES.buildingB } }, expect: outOfScope },
    ],
  },
  {
    method: 'POST', route: '/api/users/:id/reset-password', access: 'user.manage',
    own: async (f) => ({ method: 'POST', url: `/api/users/${f.aTargetId}/reset-password` }),
    other: async (f) => [
      { label: 'side-B user', probe: { method: 'POST', url: `/api/users/${f.bTargetId}/reset-password` }, expect: notFound({ method: 'POST', url: `/api/users/${missingId()}/reset-password` }) },
    ],
  },

  // ---- regions ----
  {
    method: 'GET', route: '/api/regions', access: 'region.read',
    own: async () => ({ method: 'GET', url: '/api/regions' }),
    ownCheck: (body, f) => expect((body as { node: { code: string } }).node.code).toBe(ROLE_NODES[f.role]),
  },
  {
    method: 'GET', route: '/api/regions/:code', access: 'region.read',
    own: async () => ({ method: 'GET', url: `/api/regions/${CODES.unitA}` }),
    other: async () => {
      const twin: Probe = { method: 'GET', url: '/api/regions/110105009' };
      return [
        { label: 'side-B unit', probe: { method: 'GET', url: `/api/regions/${CODES.unitB}` }, expect: notFound(twin) },
        { label: 'side-B street', probe: { method: 'GET', url: `/api/regions/${CODES.streetB}` }, expect: notFound(twin) },
        { label: 'the district above (its children include side B)', probe: { method: 'GET', url: `/api/regions/${CODES.district}` }, expect: notFound(twin) },
      ];
    },
  },
  {
    method: 'POST', route: '/api/regions', access: 'region.write', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/regions', payload: { code: `${CODES.buildingA}${pad(10 + f.next(), 2)}`, name: `新单元${f.next()}` } }),
    other: async (f) => [
      { label: 'unit under side-B building', probe: { method: 'POST', url: '/api/regions', payload: { code: `${CODES.buildingB}${pad(10 + f.next(), 2)}`, name: '越界单元' } }, expect: outOfScope },
      { label: 'new street beside mine', probe: { method: 'POST', url: '/api/regions', payload: { code: '110105003', name: '越界街道' } }, expect: outOfScope },
    ],
  },
  {
    method: 'PATCH', route: '/api/regions/:code', access: 'region.write',
    own: async () => ({ method: 'PATCH', url: `/api/regions/${CODES.unitA}`, payload: { name: '1单元' } }),
    other: async () => {
      const twin: Probe = { method: 'PATCH', url: '/api/regions/110105009', payload: { name: '越界' } };
      return [
        { label: 'side-B unit', probe: { method: 'PATCH', url: `/api/regions/${CODES.unitB}`, payload: { name: '越界' } }, expect: notFound(twin) },
        { label: 'the district above', probe: { method: 'PATCH', url: `/api/regions/${CODES.district}`, payload: { name: '越界' } }, expect: notFound(twin) },
      ];
    },
  },

  // ---- residents ----
  {
    method: 'GET', route: '/api/residents', access: 'resident.read',
    own: async () => ({ method: 'GET', url: `/api/residents?node=${CODES.unitA}&pageSize=200` }),
    ownCheck: (body, f) => {
      const ids = items(body).map((r) => r.id);
      for (const r of f.t.world.residentsA) expect(ids).toContain(r.resident.id);
    },
    other: async (f) => {
      const b = f.t.world.residentsB[0]!;
      const none = (body: unknown) => expect(items(body)).toEqual([]);
      const noB = (body: unknown) => expect(items(body).map((r) => r.id).filter((id) => sideBResidentIds(f).includes(id))).toEqual([]);
      return [
        { label: 'node=side-B unit', probe: { method: 'GET', url: `/api/residents?node=${CODES.unitB}` }, expect: outOfScope },
        { label: 'node=district above', probe: { method: 'GET', url: `/api/residents?node=${CODES.district}` }, expect: outOfScope },
        { label: 'whole list', probe: { method: 'GET', url: '/api/residents?pageSize=200' }, expect: { list: noB } },
        { label: 'side-B name prefix', probe: { method: 'GET', url: `/api/residents?q=${encodeURIComponent('赵')}` }, expect: { list: none } },
        { label: 'side-B full document', probe: { method: 'GET', url: `/api/residents?q=${b.docNumber}` }, expect: { list: none } },
        { label: 'side-B phone', probe: { method: 'GET', url: `/api/residents?q=${b.phone}` }, expect: { list: none } },
        { label: 'side-B last four', probe: { method: 'GET', url: `/api/residents?q=${b.docNumber.slice(-4)}` }, expect: { list: noB } },
        { label: 'side-B tag', probe: { method: 'GET', url: '/api/residents?tags=chronic_disease' }, expect: { list: noB } },
      ];
    },
  },
  {
    method: 'GET', route: '/api/residents/:id', access: 'resident.read',
    own: async (f) => ({ method: 'GET', url: `/api/residents/${f.t.world.residentsA[0]!.resident.id}` }),
    other: async (f) => [
      { label: 'side-B resident', probe: { method: 'GET', url: `/api/residents/${f.t.world.residentsB[0]!.resident.id}` }, expect: notFound({ method: 'GET', url: `/api/residents/${missingId()}` }) },
    ],
  },
  {
    method: 'POST', route: '/api/residents', access: 'resident.write', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/residents', payload: residentPayload(f, f.t.world.householdA2) }),
    other: async (f) => [
      { label: 'into a side-B household', probe: { method: 'POST', url: '/api/residents', payload: residentPayload(f, f.t.world.householdB) }, expect: refMissing({ method: 'POST', url: '/api/residents', payload: residentPayload(f, missingId()) }) },
      {
        label: 'a document registered on side B',
        probe: { method: 'POST', url: '/api/residents', payload: residentPayload(f, f.t.world.householdA2, f.t.world.residentsB[0]!.docNumber) },
        // Refused without pointing at the record: no id, only that it lies in another jurisdiction.
        expect: { status: 409, code: 'GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT', details: { inOtherJurisdiction: true } },
      },
    ],
  },
  {
    method: 'PATCH', route: '/api/residents/:id', access: 'resident.write',
    own: async (f) => {
      const r = await f.newResidentA();
      return { method: 'PATCH', url: `/api/residents/${r.id}`, payload: { version: r.version, notes: '已回访' } };
    },
    other: async (f) => {
      const b = await f.residentB(0);
      const a = await f.newResidentA();
      return [
        { label: 'side-B resident', probe: { method: 'PATCH', url: `/api/residents/${b.id}`, payload: { version: b.version, notes: '越界' } }, expect: notFound({ method: 'PATCH', url: `/api/residents/${missingId()}`, payload: { version: b.version, notes: '越界' } }) },
        {
          label: 'move own resident into a side-B household',
          probe: { method: 'PATCH', url: `/api/residents/${a.id}`, payload: { version: a.version, householdId: f.t.world.householdB } },
          expect: refMissing({ method: 'PATCH', url: `/api/residents/${a.id}`, payload: { version: a.version, householdId: missingId() } }),
        },
      ];
    },
  },
  {
    method: 'DELETE', route: '/api/residents/:id', access: 'resident.write',
    own: async (f) => ({ method: 'DELETE', url: `/api/residents/${(await f.newResidentA()).id}` }),
    other: async (f) => [
      { label: 'side-B resident', probe: { method: 'DELETE', url: `/api/residents/${f.t.world.residentsB[1]!.resident.id}` }, expect: notFound({ method: 'DELETE', url: `/api/residents/${missingId()}` }) },
    ],
  },
  {
    method: 'POST', route: '/api/residents/:id/unmask', access: 'resident.unmask',
    own: async (f) => ({ method: 'POST', url: `/api/residents/${f.t.world.residentsA[0]!.resident.id}/unmask`, payload: { purpose: '核实身份' } }),
    ownCheck: (body, f) => expect(body).toMatchObject({ docNumber: f.t.world.residentsA[0]!.docNumber, phone: f.t.world.residentsA[0]!.phone }),
    other: async (f) => [
      {
        label: 'side-B resident',
        probe: { method: 'POST', url: `/api/residents/${f.t.world.residentsB[0]!.resident.id}/unmask`, payload: { purpose: '核实身份' } },
        expect: notFound({ method: 'POST', url: `/api/residents/${missingId()}/unmask`, payload: { purpose: '核实身份' } }),
      },
    ],
  },

  // ---- households ----
  {
    method: 'GET', route: '/api/households/:id', access: 'household.read',
    own: async (f) => ({ method: 'GET', url: `/api/households/${f.t.world.householdA}` }),
    other: async (f) => [
      { label: 'side-B household', probe: { method: 'GET', url: `/api/households/${f.t.world.householdB}` }, expect: notFound({ method: 'GET', url: `/api/households/${missingId()}` }) },
    ],
  },
  {
    method: 'POST', route: '/api/households', access: 'household.write', okStatus: 201,
    own: async (f) => ({ method: 'POST', url: '/api/households', payload: { unitCode: CODES.unitA, room: `3${pad(f.next(), 3)}` } }),
    other: async (f) => [
      { label: 'in a side-B unit', probe: { method: 'POST', url: '/api/households', payload: { unitCode: CODES.unitB, room: `3${pad(f.next(), 3)}` } }, expect: outOfScope },
    ],
  },
  {
    method: 'POST', route: '/api/households/:id/move', access: 'household.write',
    own: async (f) => ({ method: 'POST', url: `/api/households/${await f.newHouseholdA()}/move`, payload: { unitCode: CODES.unitA, room: `4${pad(f.next(), 3)}`, reason: '换房' } }),
    other: async (f) => [
      {
        label: 'a side-B household',
        probe: { method: 'POST', url: `/api/households/${f.t.world.householdB}/move`, payload: { unitCode: CODES.unitA, room: `4${pad(f.next(), 3)}`, reason: '越界' } },
        expect: notFound({ method: 'POST', url: `/api/households/${missingId()}/move`, payload: { unitCode: CODES.unitA, room: `4${pad(f.next(), 3)}`, reason: '越界' } }),
      },
      {
        label: 'own household into a side-B unit',
        probe: { method: 'POST', url: `/api/households/${await f.newHouseholdA()}/move`, payload: { unitCode: CODES.unitB, room: '0909', reason: '越界' } },
        expect: outOfScope,
      },
    ],
  },
  {
    method: 'GET', route: '/api/regions/:code/households', access: 'household.read',
    own: async () => ({ method: 'GET', url: `/api/regions/${CODES.unitA}/households` }),
    ownCheck: (body, f) => expect((body as { id: string }[]).map((h) => h.id)).toEqual(expect.arrayContaining([f.t.world.householdA, f.t.world.householdA2])),
    other: async () => [
      { label: 'side-B unit', probe: { method: 'GET', url: `/api/regions/${CODES.unitB}/households` }, expect: notFound({ method: 'GET', url: '/api/regions/11010500900100100101/households' }) },
    ],
  },
  {
    method: 'GET', route: '/api/households/:id/history', access: 'household.read',
    own: async (f) => ({ method: 'GET', url: `/api/households/${f.t.world.householdA}/history` }),
    other: async (f) => [
      { label: 'side-B household', probe: { method: 'GET', url: `/api/households/${f.t.world.householdB}/history` }, expect: notFound({ method: 'GET', url: `/api/households/${missingId()}/history` }) },
    ],
  },

  // ---- resident portal (own household only; nothing to aim at) ----
  {
    method: 'GET', route: '/api/me/household', access: 'self.read',
    own: async () => ({ method: 'GET', url: '/api/me/household' }),
    ownCheck: (body, f) => {
      const h = body as { id: string; members: { id: string }[] };
      expect(h.id).toBe(f.t.world.householdA);
      expect(h.members.map((m) => m.id).sort()).toEqual([f.t.world.residentsA[0]!.resident.id, f.t.world.residentsA[1]!.resident.id].sort());
    },
  },
  {
    method: 'GET', route: '/api/me/resident', access: 'self.read',
    own: async () => ({ method: 'GET', url: '/api/me/resident' }),
    ownCheck: (body, f) => expect((body as { id: string }).id).toBe(f.t.world.residentsA[0]!.resident.id),
  },
  {
    method: 'PUT', route: '/api/me/phone', access: 'self.write',
    own: async (f) => ({ method: 'PUT', url: '/api/me/phone', payload: { phone: f.t.world.residentsA[0]!.phone } }),
    ownCheck: (body, f) => expect((body as { id: string }).id).toBe(f.t.world.residentsA[0]!.resident.id),
  },

  // ---- search, duplicates and merges, map ----
  {
    method: 'GET', route: '/api/search', access: 'authenticated',
    own: async () => ({ method: 'GET', url: `/api/search?q=${encodeURIComponent('张')}` }),
    ownCheck: (body, f) => {
      const r = body as { residents: { id: string }[] };
      if (roleCan(f.role, 'resident.read')) expect(r.residents.map((x) => x.id)).toContain(f.t.world.residentsA[0]!.resident.id);
      else expect(r.residents).toEqual([]);
    },
    other: async (f) => {
      const nothingOfB = (body: unknown) => {
        const r = body as { residents: { id: string }[]; households: { id: string }[]; regions: { code: string }[] };
        expect(r.residents.filter((x) => sideBResidentIds(f).includes(x.id))).toEqual([]);
        expect(r.households.filter((h) => h.id === f.t.world.householdB)).toEqual([]);
        expect(r.regions.filter((x) => x.code.startsWith(CODES.streetB))).toEqual([]);
      };
      return [
        { label: 'side-B name', probe: { method: 'GET', url: `/api/search?q=${encodeURIComponent('赵')}` }, expect: { list: nothingOfB } },
        { label: 'side-B region name', probe: { method: 'GET', url: `/api/search?q=${encodeURIComponent('社区B')}` }, expect: { list: nothingOfB } },
        { label: 'side-B address', probe: { method: 'GET', url: `/api/search?q=${encodeURIComponent('2栋')}` }, expect: { list: nothingOfB } },
        { label: 'side-B phone', probe: { method: 'GET', url: `/api/search?q=${f.t.world.residentsB[0]!.phone}` }, expect: { list: nothingOfB } },
      ];
    },
  },
  {
    method: 'GET', route: '/api/residents/duplicates', access: 'resident.read',
    own: async () => ({ method: 'GET', url: `/api/residents/duplicates?node=${CODES.unitA}` }),
    other: async (f) => [
      { label: 'node=side-B unit', probe: { method: 'GET', url: `/api/residents/duplicates?node=${CODES.unitB}` }, expect: outOfScope },
      {
        label: 'whole jurisdiction',
        probe: { method: 'GET', url: '/api/residents/duplicates' },
        expect: { list: (b) => expect((b as { groups: { residents: { id: string }[] }[] }).groups.flatMap((g) => g.residents.map((r) => r.id)).filter((id) => sideBResidentIds(f).includes(id))).toEqual([]) },
      },
    ],
  },
  {
    method: 'POST', route: '/api/residents/:id/merge', access: 'resident.write',
    own: async (f) => {
      const kept = await f.newResidentA();
      const dup = await f.newResidentA();
      return { method: 'POST', url: `/api/residents/${kept.id}/merge`, payload: { duplicateId: dup.id, reason: '重复登记' } };
    },
    other: async (f) => {
      const a = await f.newResidentA();
      const b = f.t.world.residentsB[0]!.resident.id;
      return [
        {
          label: 'fold a side-B resident into mine',
          probe: { method: 'POST', url: `/api/residents/${a.id}/merge`, payload: { duplicateId: b, reason: '越界' } },
          expect: notFound({ method: 'POST', url: `/api/residents/${a.id}/merge`, payload: { duplicateId: missingId(), reason: '越界' } }),
        },
        {
          label: 'fold mine into a side-B resident',
          probe: { method: 'POST', url: `/api/residents/${b}/merge`, payload: { duplicateId: a.id, reason: '越界' } },
          expect: notFound({ method: 'POST', url: `/api/residents/${missingId()}/merge`, payload: { duplicateId: a.id, reason: '越界' } }),
        },
      ];
    },
  },
  {
    method: 'GET', route: '/api/residents/:id/merges', access: 'resident.read',
    own: async (f) => ({ method: 'GET', url: `/api/residents/${f.t.world.residentsA[0]!.resident.id}/merges` }),
    other: async (f) => [
      { label: 'side-B resident', probe: { method: 'GET', url: `/api/residents/${f.t.world.residentsB[0]!.resident.id}/merges` }, expect: notFound({ method: 'GET', url: `/api/residents/${missingId()}/merges` }) },
    ],
  },
  {
    method: 'GET', route: '/api/regions/:code/map', access: 'region.read',
    own: async () => ({ method: 'GET', url: `/api/regions/${CODES.buildingA}/map` }),
    other: async () => [
      { label: 'side-B grid', probe: { method: 'GET', url: `/api/regions/${CODES.gridB}/map` }, expect: notFound({ method: 'GET', url: '/api/regions/110105009001/map' }) },
    ],
  },
  {
    method: 'POST', route: '/api/regions/boundaries', access: 'region.write',
    own: async () => ({ method: 'POST', url: '/api/regions/boundaries', payload: boundaryPayload(CODES.gridA) }),
    ownCheck: (body) => expect(body).toEqual({ updated: 1, unmatched: [] }),
    other: async () => [
      {
        label: 'a side-B grid',
        probe: { method: 'POST', url: '/api/regions/boundaries', payload: boundaryPayload(CODES.gridB) },
        expect: { list: (b) => expect(b).toEqual({ updated: 0, unmatched: [{ index: 0, code: CODES.gridB, reason: '区划编码不存在或不在您的管辖范围内' }] }) },
      },
    ],
  },

  // ---- jobs (own only), imports and exports ----
  {
    method: 'GET', route: '/api/jobs', access: 'authenticated',
    own: async (f) => {
      f.stash.set('job', await f.jobFor('self'));
      f.stash.set('otherJob', await f.jobFor('other'));
      return { method: 'GET', url: '/api/jobs' };
    },
    ownCheck: (body, f) => {
      expect(items(body).map((j) => j.id)).toContain(f.stash.get('job'));
      expect(items(body).map((j) => j.id)).not.toContain(f.stash.get('otherJob'));
    },
  },
  {
    method: 'GET', route: '/api/jobs/:id', access: 'authenticated',
    own: async (f) => ({ method: 'GET', url: `/api/jobs/${await f.jobFor('self')}` }),
    ownCheck: (body) => expect(body).toMatchObject({ status: 'succeeded', downloadable: true }),
    other: async (f) => [
      { label: 'a side-B user’s job', probe: { method: 'GET', url: `/api/jobs/${await f.jobFor('other')}` }, expect: notFound({ method: 'GET', url: `/api/jobs/${missingId()}` }) },
    ],
  },
  {
    method: 'GET', route: '/api/jobs/:id/download', access: 'authenticated',
    own: async (f) => ({ method: 'GET', url: `/api/jobs/${await f.jobFor('self')}/download` }),
    other: async (f) => [
      { label: 'a side-B user’s file', probe: { method: 'GET', url: `/api/jobs/${await f.jobFor('other')}/download` }, expect: notFound({ method: 'GET', url: `/api/jobs/${missingId()}/download` }) },
    ],
  },
  {
    method: 'POST', route: '/api/imports/residents', access: 'resident.write', okStatus: 201,
    own: async () => uploadProbe(),
    ownCheck: (body) => expect(body).toMatchObject({ rowCount: 1, missingFields: [] }),
  },
  {
    method: 'POST', route: '/api/imports/:id/run', access: 'resident.write', okStatus: 202,
    own: async (f) => ({ method: 'POST', url: `/api/imports/${await f.importFor()}/run`, payload: IMPORT_RUN }),
    restore: (f) => f.t.ctx.services.queue.idle(),
    other: async (f) => [
      { label: 'into side B', probe: { method: 'POST', url: `/api/imports/${await f.importFor()}/run`, payload: { ...IMPORT_RUN, node: CODES.communityB } }, expect: outOfScope },
      {
        label: 'someone else’s upload',
        probe: { method: 'POST', url: `/api/imports/${await f.importFor('other')}/run`, payload: IMPORT_RUN },
        expect: notFound({ method: 'POST', url: `/api/imports/${missingId()}/run`, payload: IMPORT_RUN }),
      },
    ],
  },
  {
    method: 'POST', route: '/api/exports/residents', access: 'resident.read', okStatus: 202,
    own: async () => ({ method: 'POST', url: '/api/exports/residents', payload: { filters: {} } }),
    restore: (f) => f.t.ctx.services.queue.idle(),
    other: async () => [
      { label: 'side-B community', probe: { method: 'POST', url: '/api/exports/residents', payload: { filters: { node: CODES.communityB } } }, expect: outOfScope },
      { label: 'the district above', probe: { method: 'POST', url: '/api/exports/residents', payload: { filters: { node: CODES.district }, purpose: '越界导出' } }, expect: outOfScope },
    ],
  },

  // ---- audit ----
  {
    method: 'GET', route: '/api/audit/events', access: 'audit.read',
    own: async () => ({ method: 'GET', url: '/api/audit/events?pageSize=200' }),
    ownCheck: (body) => expect((body as ListBody).total).toBeGreaterThan(0),
    other: async (f) => [
      { label: 'events of a side-B resident', probe: { method: 'GET', url: `/api/audit/events?entityId=${f.t.world.residentsB[0]!.resident.id}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'events of a side-B user', probe: { method: 'GET', url: `/api/audit/events?entityId=${f.bTargetId}` }, expect: { list: (b) => expect(items(b)).toEqual([]) } },
      { label: 'whole log', probe: { method: 'GET', url: '/api/audit/events?pageSize=200' }, expect: { list: (b) => expect((b as { items: { regionCode: string | null }[] }).items.filter((e) => e.regionCode?.startsWith(CODES.streetB))).toEqual([]) } },
    ],
  },
  {
    method: 'GET', route: '/api/audit/verify', access: 'audit.verify',
    own: async () => ({ method: 'GET', url: '/api/audit/verify' }),
    ownCheck: (body) => expect(body).toMatchObject({ ok: true }),
  },
];

export const CASES: RouteCase[] = [...FOUNDATION_CASES, ...PLACES_CASES, ...SCREENING_CASES, ...HEALTH_CASES, ...CASES_PROTOCOL_CASES, ...TRACING_CASES, ...WHISTLES_CASES, ...INBOX_CASES, ...MEASURES_CASES, ...MEASURE_PROPOSALS_CASES, ...MEASURES_AREAS_CASES, ...MEASURES_LIFECYCLE_CASES, ...MEASURES_SITES_CASES];
