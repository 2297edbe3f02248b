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
import { roleCan, ROLES, type Permission, type Role } from '@gridline/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/context.js';
import type { Access } from '../src/http/types.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';
import { CASES } from './matrix/cases.js';
import { makeFixture, send, sys, type Fixture, type ListBody, type Probe } from './matrix/fixture.js';

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

  // Public routes (the place-code page, device ingestion with its own bearer token) answer without a session.
  for (const c of CASES.filter((x) => x.access !== 'public')) {
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
    for (const c of CASES.filter((x) => x.method === 'GET' && x.access !== 'public')) {
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
    // GET /api/events is a stream that never ends, so it cannot be injected here; events.test.ts covers its
    // access for every role (own jurisdiction, the other one, owner-only job events).
    return r !== 'POST /api/auth/login' && r !== 'GET /api/events';
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
    for (const c of CASES) if (c.access !== 'authenticated' && c.access !== 'public') expect(ROLES.some((r) => !hasAccess(r, c.access)), `${c.method} ${c.route}`).toBe(true);
  });
});
