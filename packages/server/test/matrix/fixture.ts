/** The authorization matrix's vocabulary: probes, expectations, route cases and the per-role fixture. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { buildResidentId, roleCan, type Role } from '@gridline/shared';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import type { Access } from '../../src/http/types.js';
import { FileStore } from '../../src/modules/jobs/job-files.js';
import { jobsRepository } from '../../src/modules/jobs/jobs.repository.js';
import { Scope } from '../../src/security/scope.js';
import { csv, multipart } from '../files.js';
import { CODES, TEST_PASSWORD, type TestApp } from '../harness.js';

export type Method = Extract<HTTPMethods, 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'>;

export interface Probe {
  method: Method;
  url: string;
  payload?: Record<string, unknown> | Buffer;
  /** Extra request headers (a multipart upload's content type). */
  headers?: Record<string, string>;
  /** Use this session instead of the role's (logout ends the session it is sent with). */
  cookie?: string;
}

/** What an "other" request must get from a role that holds the route's permission. */
export type OtherExpect =
  | {
      status: 403 | 404 | 409;
      code: string;
      /** The same request for an id that does not exist: the answers must be identical. */
      twin?: Probe;
      /** Exact `error.details` (default: none, or only the echoed code of an out-of-scope target). */
      details?: Record<string, unknown>;
    }
  | { list: (body: unknown, f: Fixture) => void };

export interface OtherProbe {
  label: string;
  probe: Probe;
  expect: OtherExpect;
}

export interface RouteCase {
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

export interface Fixture {
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

export const sys = Scope.system('matrix');
export const missingId = () => crypto.randomUUID();
export const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function uniqueDoc(n: number): string {
  const day = new Date(Date.UTC(1980, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  return buildResidentId('110105', day, 200 + (n % 700));
}

export async function makeFixture(t: TestApp, role: Role): Promise<Fixture> {
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
export const IMPORT_CSV = Buffer.from(csv([['姓名', '身份证号', '楼栋', '单元', '门牌号'], ['新导入', uniqueDoc(900), '1栋', '1单元', '0909']]), 'utf8');
export const IMPORT_RUN = { mapping: { 姓名: 'name', 身份证号: 'docNumber', 楼栋: 'building', 单元: 'unit', 门牌号: 'room' }, dryRun: true, onExisting: 'skip', node: CODES.gridA };
export function uploadProbe(): Probe {
  const body = multipart('居民.csv', IMPORT_CSV);
  return { method: 'POST', url: '/api/imports/residents', payload: body.payload, headers: body.headers };
}

export const notFound = (twin: Probe) => ({ status: 404 as const, code: 'GRIDLINE_NOT_FOUND', twin });
export const outOfScope = { status: 403 as const, code: 'GRIDLINE_OUT_OF_SCOPE' };
export const refMissing = (twin: Probe) => ({ status: 409 as const, code: 'GRIDLINE_REFERENCE_MISSING', twin });

export interface ListBody {
  items: { id: string }[];
  total: number;
}
export const items = (body: unknown) => (body as ListBody).items;
export const sideBResidentIds = (f: Fixture) => f.t.world.residentsB.map((r) => r.resident.id);

export function boundaryPayload(code: string): Record<string, unknown> {
  const ring = [[116.45, 39.92], [116.46, 39.92], [116.46, 39.93], [116.45, 39.93], [116.45, 39.92]];
  return { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { code } }] };
}

export function residentPayload(f: Fixture, householdId: string, docNumber = uniqueDoc(f.next())): Record<string, unknown> {
  return { householdId, name: '新登记', docType: 'resident_id', docNumber, relationToHead: 'child', residenceStatus: 'tenant', tags: ['infant'] };
}

export async function send(t: TestApp, p: Probe, cookie: string | undefined): Promise<LightMyRequestResponse> {
  const c = p.cookie ?? cookie;
  return t.app.inject({ method: p.method, url: p.url, ...(p.payload !== undefined ? { payload: p.payload } : {}), headers: { ...p.headers, ...(c ? { cookie: c } : {}) } });
}
