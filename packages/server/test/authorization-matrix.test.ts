/**
 * Authorization matrix: every role × every /api route × own (side A) / other (side B) jurisdiction.
 *
 * - own target → 2xx iff the role has the route's permission, else 403 GRIDLINE_FORBIDDEN naming that permission
 *   (which checks the table below against the route's declared `config.access`);
 * - other target → never a 2xx carrying side-B data: an exact refusal (404 for records that are out of reach, 403 for
 *   targets named outside the jurisdiction, 409 "reference missing" for ids named in a body — in every case the same
 *   answer a nonexistent id gets), or for list routes a 2xx that holds none of side B's records;
 * - unauthenticated → 401;
 * - no response to a side-A caller ever contains side B's names, ids, documents, phones or region codes;
 * - a refused mutating request leaves the database exactly as it was.
 * A last check parses the app's route table, so a route added later without a row here fails the suite.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { buildResidentId, roleCan, ROLES, type Permission, type Role } from '@gridline/shared';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/context.js';
import type { Access } from '../src/http/types.js';
import { FileStore } from '../src/modules/jobs/job-files.js';
import { jobsRepository } from '../src/modules/jobs/jobs.repository.js';
import { Scope } from '../src/security/scope.js';
import { csv, multipart } from './files.js';
import { CODES, createTestApp, ROLE_NODES, TEST_PASSWORD, type TestApp } from './harness.js';

type Method = Extract<HTTPMethods, 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'>;

interface Probe {
  method: Method;
  url: string;
  payload?: Record<string, unknown> | Buffer;
  /** Extra request headers (a multipart upload's content type). */
  headers?: Record<string, string>;
  /** Use this session instead of the role's (logout ends the session it is sent with). */
  cookie?: string;
}

/** What an "other" request must get from a role that holds the route's permission. */
type OtherExpect =
  | {
      status: 403 | 404 | 409;
      code: string;
      /** The same request for an id that does not exist: the answers must be identical. */
      twin?: Probe;
      /** Exact `error.details` (default: none, or only the echoed code of an out-of-scope target). */
      details?: Record<string, unknown>;
    }
  | { list: (body: unknown, f: Fixture) => void };

interface OtherProbe {
  label: string;
  probe: Probe;
  expect: OtherExpect;
}

interface RouteCase {
  method: Method;
  route: string;
  access: Access;
  /** Status of a permitted own request (default 200). */
  okStatus?: 200 | 201 | 202;
  own(f: Fixture): Promise<Probe>;
  /** Extra checks on a permitted own response. */
  ownCheck?(body: unknown, f: Fixture): void | Promise<void>;
  other?(f: Fixture): Promise<OtherProbe[]>;
  /** Undo what a permitted own request changed that later cases rely on. */
  restore?(f: Fixture): Promise<void>;
}

interface Fixture {
  t: TestApp;
  role: Role;
  cookie: string;
  aTargetId: string;
  bTargetId: string;
  /** Plaintext documents of residents created by the fixture (never shown to roles without personal data). */
  freshDocs: string[];
  /** Values a case saves before its request and restores after it. */
  stash: Map<string, string>;
  next(): number;
  newResidentA(): Promise<{ id: string; version: number }>;
  newHouseholdA(): Promise<string>;
  residentB(i: 0 | 1): Promise<{ id: string; version: number }>;
  /** A finished job with a file, owned by this role's user ('self') or by the side-B user. */
  jobFor(owner: 'self' | 'other'): Promise<string>;
  /** An uploaded import owned by this role's user when it may import (else a nonexistent id), or by nobody ('other'). */
  importFor(owner?: 'self' | 'other'): Promise<string>;
}

const sys = Scope.system('matrix');
const missingId = () => crypto.randomUUID();
const pad = (n: number, w: number) => String(n).padStart(w, '0');

function uniqueDoc(n: number): string {
  const day = new Date(Date.UTC(1980, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  return buildResidentId('110105', day, 200 + (n % 700));
}

async function makeFixture(t: TestApp, role: Role): Promise<Fixture> {
  const { users, residents, households } = t.ctx.services;
  const aTarget = await users.create(sys, { username: 'a_target', displayName: '甲方目标', role: 'volunteer', nodeCode: CODES.buildingA, password: TEST_PASSWORD });
  const bTarget = await users.create(sys, { username: 'b_target', displayName: '乙方目标', role: 'volunteer', nodeCode: CODES.buildingB, password: TEST_PASSWORD });
  let n = 0;
  const f: Fixture = {
    t,
    role,
    cookie: await t.login(t.world.usernames[role]),
    aTargetId: aTarget.id,
    bTargetId: bTarget.id,
    freshDocs: [],
    stash: new Map(),
    next: () => ++n,
    async newResidentA() {
      const docNumber = uniqueDoc(f.next());
      f.freshDocs.push(docNumber);
      const r = await residents.create(sys, { householdId: t.world.householdA2, name: '新住户', docType: 'resident_id', docNumber, relationToHead: 'child', residenceStatus: 'permanent' });
      return { id: r.id, version: r.version };
    },
    async newHouseholdA() {
      return (await households.create(sys, { unitCode: CODES.unitA, room: `2${pad(f.next(), 3)}` })).id;
    },
    async residentB(i) {
      const r = await residents.get(sys, t.world.residentsB[i]!.resident.id);
      return { id: r.id, version: r.version };
    },
    async jobFor(owner) {
      const username = owner === 'self' ? t.world.usernames[role] : 'b_target';
      const user = await t.ctx.db.selectFrom('users').select(['id', 'node_code']).where('username', '=', username).executeTakeFirstOrThrow();
      const id = crypto.randomUUID();
      const file = new FileStore(t.ctx.config.dataDir).place('jobs', `${id}.txt`);
      fs.writeFileSync(file.abs, 'job output');
      const now = t.clock.now();
      await jobsRepository.insert(t.ctx.db, {
        id, kind: 'resident_export', status: 'succeeded', progress: 1, total: 1, message: null, payload: '{}', result: '{}', error: null, actor: '{}',
        owner_id: user.id, owner_node: user.node_code, file_path: file.rel, file_name: '文件.txt', created_at: now, updated_at: now, started_at: now, finished_at: now,
      });
      return id;
    },
    async importFor(owner = 'self') {
      if (owner === 'other') return (await t.ctx.services.imports.upload(sys, '他人.csv', Readable.from([IMPORT_CSV]))).id;
      if (!roleCan(role, 'resident.write')) return missingId();
      const res = await send(t, uploadProbe(), f.cookie);
      return res.json<{ id: string }>().id;
    },
  };
  return f;
}

/** A one-row resident list in side A's grid (nothing in it names side B). */
const IMPORT_CSV = Buffer.from(csv([['姓名', '身份证号', '楼栋', '单元', '门牌号'], ['新导入', uniqueDoc(900), '1栋', '1单元', '0909']]), 'utf8');
const IMPORT_RUN = { mapping: { 姓名: 'name', 身份证号: 'docNumber', 楼栋: 'building', 单元: 'unit', 门牌号: 'room' }, dryRun: true, onExisting: 'skip', node: CODES.gridA };
function uploadProbe(): Probe {
  const body = multipart('居民.csv', IMPORT_CSV);
  return { method: 'POST', url: '/api/imports/residents', payload: body.payload, headers: body.headers };
}

const notFound = (twin: Probe) => ({ status: 404 as const, code: 'GRIDLINE_NOT_FOUND', twin });
const outOfScope = { status: 403 as const, code: 'GRIDLINE_OUT_OF_SCOPE' };
const refMissing = (twin: Probe) => ({ status: 409 as const, code: 'GRIDLINE_REFERENCE_MISSING', twin });

interface ListBody {
  items: { id: string }[];
  total: number;
}
const items = (body: unknown) => (body as ListBody).items;
const sideBResidentIds = (f: Fixture) => f.t.world.residentsB.map((r) => r.resident.id);

function boundaryPayload(code: string): Record<string, unknown> {
  const ring = [[116.45, 39.92], [116.46, 39.92], [116.46, 39.93], [116.45, 39.93], [116.45, 39.92]];
  return { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { code } }] };
}

function residentPayload(f: Fixture, householdId: string, docNumber = uniqueDoc(f.next())): Record<string, unknown> {
  return { householdId, name: '新登记', docType: 'resident_id', docNumber, relationToHead: 'child', residenceStatus: 'tenant', tags: ['infant'] };
}

const CASES: RouteCase[] = [
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

// ---------------------------------------------------------------------------------------------

/** Everything a request could change, as one comparable string. */
async function snapshot(ctx: AppContext): Promise<string> {
  const { db } = ctx;
  const tables = await Promise.all([
    db.selectFrom('region_nodes').selectAll().execute(),
    db.selectFrom('households').selectAll().execute(),
    db.selectFrom('household_moves').selectAll().execute(),
    db.selectFrom('residents').selectAll().execute(),
    db.selectFrom('resident_tags').selectAll().execute(),
    db.selectFrom('users').selectAll().execute(),
    db.selectFrom('sessions').select(['id', 'user_id', 'expires_at']).execute(),
    db.selectFrom('audit_events').select(['seq', 'hash']).execute(),
  ]);
  return JSON.stringify(tables.map((rows) => (rows as object[]).map((r) => JSON.stringify(r)).sort()));
}

async function send(t: TestApp, p: Probe, cookie: string | undefined): Promise<LightMyRequestResponse> {
  const c = p.cookie ?? cookie;
  return t.app.inject({ method: p.method, url: p.url, ...(p.payload !== undefined ? { payload: p.payload } : {}), headers: { ...p.headers, ...(c ? { cookie: c } : {}) } });
}

/** Strings no side-A caller may ever receive (unless it sent them itself, e.g. a code echoed in an error's details). */
async function forbiddenStrings(f: Fixture): Promise<string[]> {
  const w = f.t.world;
  const out = [
    ...w.residentsB.flatMap((r) => [r.resident.id, r.resident.name, r.docNumber, r.phone]),
    w.householdB, f.bTargetId, 'b_target', '乙方目标', CODES.streetB, '街道B', '社区B', '网格B', '2栋',
  ];
  if (f.role === 'resident') {
    // A resident sees its own household only: not the neighbours on side A either.
    const others = await f.t.ctx.db.selectFrom('residents').select(['id', 'name']).where('household_id', '!=', w.householdA).execute();
    out.push(w.householdA2, ...others.flatMap((r) => [r.id, r.name]), ...w.residentsA.slice(2).flatMap((r) => [r.docNumber, r.phone]));
  }
  if (!roleCan(f.role, 'resident.read') && !roleCan(f.role, 'self.read') && !roleCan(f.role, 'audit.read')) {
    // Roles without personal data (sysadmin, volunteer, department staff) see no resident's name, document or phone at all.
    const all = await f.t.ctx.db.selectFrom('residents').select(['name']).execute();
    out.push(...all.map((r) => r.name), ...w.residentsA.flatMap((r) => [r.docNumber, r.phone, r.resident.docNumberMasked]), ...f.freshDocs);
  }
  return [...new Set(out)];
}

async function assertNoLeak(f: Fixture, res: LightMyRequestResponse, p: Probe, label: string): Promise<void> {
  const sent = p.url + JSON.stringify(p.payload ?? null);
  const leaked = (await forbiddenStrings(f)).filter((s) => !sent.includes(s) && !decodeURIComponent(sent).includes(s) && res.body.includes(s));
  expect(leaked, `${label}: response of ${res.statusCode} carries data the caller must not see`).toEqual([]);
}

function expectForbidden(res: LightMyRequestResponse, permission: Access, label: string): void {
  expect(res.statusCode, `${label}: ${res.body}`).toBe(403);
  const err = res.json<{ error: { code: string; details?: { permission?: string } } }>().error;
  expect(err.code, label).toBe('GRIDLINE_FORBIDDEN');
  // The refusal names the route's declared permission: this table and the route's config.access agree.
  expect(err.details?.permission, label).toBe(permission);
}

function hasAccess(role: Role, access: Access): boolean {
  if (access === 'public' || access === 'authenticated') return true;
  return roleCan(role, access);
}

describe.each(ROLES)('role %s (sits on side A)', (role) => {
  let t: TestApp;
  let f: Fixture;
  beforeAll(async () => {
    t = await createTestApp();
    f = await makeFixture(t, role);
  });
  afterAll(() => t.close());

  for (const c of CASES) {
    it(`${c.method} ${c.route}`, async () => {
      const permitted = hasAccess(role, c.access);
      const label = `${role} ${c.method} ${c.route}`;

      // Own jurisdiction.
      const own = await c.own(f);
      const before = await snapshot(t.ctx);
      const res = await send(t, own, f.cookie);
      if (permitted) {
        expect(res.statusCode, `${label} (own): ${res.body}`).toBe(c.okStatus ?? 200);
        await c.ownCheck?.(res.json(), f);
        await c.restore?.(f);
      } else {
        expectForbidden(res, c.access, `${label} (own)`);
        if (own.method !== 'GET') expect(await snapshot(t.ctx), `${label}: refused request changed data`).toBe(before);
      }
      await assertNoLeak(f, res, own, `${label} (own)`);

      // Other jurisdiction.
      for (const o of (await c.other?.(f)) ?? []) {
        const l = `${label} [${o.label}]`;
        const snap = await snapshot(t.ctx);
        const r = await send(t, o.probe, f.cookie);
        if (!permitted) expectForbidden(r, c.access, l);
        else if ('list' in o.expect) {
          expect(r.statusCode, `${l}: ${r.body}`).toBe(200);
          o.expect.list(r.json(), f);
        } else {
          expect(r.statusCode, `${l}: ${r.body}`).toBe(o.expect.status);
          const err = r.json<{ error: { code: string; details?: Record<string, unknown> } }>().error;
          expect(err.code, l).toBe(o.expect.code);
          const { code: _echoed, ...details } = err.details ?? {};
          expect(details, `${l}: error details`).toEqual(o.expect.details ?? {});
          if (o.expect.twin) {
            // Out of reach reads exactly like "does not exist".
            const twin = await send(t, o.expect.twin, f.cookie);
            expect({ status: twin.statusCode, body: twin.json<unknown>() }, `${l}: differs from a nonexistent id`).toEqual({ status: r.statusCode, body: r.json<unknown>() });
          }
        }
        if (o.probe.method !== 'GET') {
          expect(await snapshot(t.ctx), `${l}: refused request changed data`).toBe(snap);
        }
        await assertNoLeak(f, r, o.probe, l);
      }
    });
  }
});

describe('unauthenticated and forged sessions', () => {
  let t: TestApp;
  let f: Fixture;
  beforeAll(async () => {
    t = await createTestApp();
    f = await makeFixture(t, 'command');
  });
  afterAll(() => t.close());

  for (const c of CASES) {
    it(`${c.method} ${c.route} → 401`, async () => {
      const probes = [await c.own(f), ...((await c.other?.(f)) ?? []).map((o) => o.probe)];
      for (const p of probes) {
        for (const [cookie, code] of [
          [undefined, 'GRIDLINE_UNAUTHENTICATED'],
          ['gridline_session=forged-token-value', 'GRIDLINE_SESSION_EXPIRED'],
        ] as const) {
          const before = await snapshot(t.ctx);
          const { cookie: _own, ...bare } = p;
          const res = await send(t, bare, cookie);
          expect(res.statusCode, `${p.method} ${p.url}: ${res.body}`).toBe(401);
          expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
          expect(await snapshot(t.ctx)).toBe(before);
          await assertNoLeak(f, res, p, `anonymous ${p.method} ${p.url}`);
        }
      }
    });
  }

  it('HEAD on every GET route is gated like the GET', async () => {
    for (const c of CASES.filter((x) => x.method === 'GET')) {
      const p = await c.own(f);
      const res = await t.app.inject({ method: 'HEAD', url: p.url });
      expect(res.statusCode, `HEAD ${p.url}`).toBe(401);
      expect(res.body).toBe('');
    }
  });

  it('a signed-out session no longer opens anything', async () => {
    const cookie = await t.login(t.world.usernames.command);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(200);
    const res = await t.app.inject({ url: `/api/residents/${t.world.residentsA[0]!.resident.id}`, headers: { cookie } });
    expect(res.statusCode).toBe(401);
  });
});

describe('mirror: a command on side B sees side B only', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lists, reads and refuses symmetrically', async () => {
    await t.ctx.services.users.create(sys, { username: 'b_command', displayName: '乙方指挥', role: 'command', nodeCode: CODES.streetB, password: TEST_PASSWORD });
    await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', 'b_command').execute();
    const cookie = await t.login('b_command');
    const list = await t.app.inject({ url: '/api/residents?pageSize=200', headers: { cookie } });
    expect(list.json<ListBody>().items.map((r) => r.id).sort()).toEqual(t.world.residentsB.map((r) => r.resident.id).sort());
    for (const r of t.world.residentsA) {
      expect(list.body).not.toContain(r.resident.name);
      const one = await t.app.inject({ url: `/api/residents/${r.resident.id}`, headers: { cookie } });
      expect(one.statusCode).toBe(404);
    }
    const region = await t.app.inject({ url: '/api/regions', headers: { cookie } });
    expect(region.statusCode).toBe(200);
    expect(region.body).not.toContain(CODES.streetA);
  });
});

/** Every /api route the app registers, from Fastify's route tree, as "METHOD /path". */
function registeredApiRoutes(tree: string): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of tree.split('\n')) {
    const marker = line.search(/[├└]── /);
    if (marker < 0) continue;
    const depth = marker / 4;
    const rest = line.slice(marker + 4);
    const m = /^(.*) \(([A-Z, ]+)\)$/.exec(rest);
    stack.length = depth;
    stack.push(m ? m[1]! : rest);
    const path = stack.join('');
    for (const method of m ? m[2]!.split(', ') : []) if (method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return out.filter((r) => {
    const path = r.slice(r.indexOf(' ') + 1);
    if (!path.startsWith('/api/')) return false;
    if (path.startsWith('/api/docs') || path === '/api/openapi.json' || path === '/api/health' || path === '/api/config') return false;
    return r !== 'POST /api/auth/login';
  });
}

describe('route coverage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  });
  afterAll(() => t.close());

  it('the matrix has a row for every registered /api route, and every row is a real route', () => {
    const registered = registeredApiRoutes(t.app.printRoutes({ commonPrefix: false }));
    // The parser itself works: it finds routes at several depths.
    expect(registered).toEqual(expect.arrayContaining(['GET /api/residents', 'POST /api/residents/:id/unmask', 'GET /api/households/:id/history']));
    const inMatrix = CASES.map((c) => `${c.method} ${c.route}`);
    expect(new Set(inMatrix).size).toBe(inMatrix.length);
    expect([...registered].sort()).toEqual([...inMatrix].sort());
    for (const c of CASES) expect(t.app.hasRoute({ method: c.method, url: c.route }), `${c.method} ${c.route}`).toBe(true);
  });

  it('every permission some route requires is held by at least one role, and every role can reach something', () => {
    const used = new Set(CASES.map((c) => c.access).filter((a): a is Permission => a !== 'authenticated' && a !== 'public'));
    for (const p of used) expect(ROLES.some((r) => roleCan(r, p)), p).toBe(true);
    for (const r of ROLES) expect(CASES.some((c) => c.access !== 'authenticated' && hasAccess(r, c.access)), r).toBe(true);
    // Each permission route is refused to some role, so the matrix checks its declared access against this table.
    for (const c of CASES) if (c.access !== 'authenticated') expect(ROLES.some((r) => !hasAccess(r, c.access)), `${c.method} ${c.route}`).toBe(true);
  });
});
