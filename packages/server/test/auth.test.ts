import { ROLE_PERMISSIONS, type Role } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

interface ErrorBody {
  error: { code: string; message: string; messageEn: string; fields?: { path: string; code: string; message: string }[]; details?: Record<string, unknown> };
}

const MINUTE = 60_000;

describe('authentication, sessions and accounts', () => {
  let t: TestApp;
  let counter = 0;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** A fresh account per test, ready to work (so lockouts and sessions never leak between tests). */
  async function newUser(role: Role = 'community_worker', nodeCode: string = CODES.communityA): Promise<{ id: string; username: string }> {
    counter++;
    const username = `auth_${role}_${counter}`;
    const u = await t.ctx.services.users.create(Scope.system('test'), { username, displayName: `认证测试${counter}`, role, nodeCode, password: TEST_PASSWORD });
    await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).where('id', '=', u.id).execute();
    return { id: u.id, username };
  }

  const login = (username: string, password: string = TEST_PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  const me = (cookie: string) => t.app.inject({ url: '/api/auth/me', headers: { cookie } });

  const errorOf = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;

  async function auditRows(filter: { action?: string; entityId?: string | null } = {}) {
    let q = t.ctx.db.selectFrom('audit_events').selectAll().orderBy('seq');
    if (filter.action) q = q.where('action', '=', filter.action);
    if (filter.entityId !== undefined) q = filter.entityId === null ? q.where('entity_id', 'is', null) : q.where('entity_id', '=', filter.entityId);
    return q.execute();
  }
  const auditCount = async () => (await auditRows()).length;

  describe('login', () => {
    it('sets an httpOnly, SameSite=Lax session cookie and audits the sign-in', async () => {
      const u = await newUser();
      const before = await auditCount();
      const res = await login(u.username);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ ok: boolean; expiresAt: number }>();
      expect(body.ok).toBe(true);
      expect(body.expiresAt).toBe(t.clock.now() + 12 * 3600_000);

      const cookie = res.cookies.find((c) => c.name === 'gridline_session');
      expect(cookie).toBeDefined();
      expect(cookie!.httpOnly).toBe(true);
      expect(cookie!.sameSite).toBe('Lax');
      expect(cookie!.path).toBe('/');
      expect(cookie!.value.length).toBeGreaterThanOrEqual(40);
      const raw = String(res.headers['set-cookie']);
      expect(raw).toMatch(/HttpOnly/i);
      expect(raw).toMatch(/SameSite=Lax/i);

      // Only the token's hash is stored, never the token itself.
      const stored = await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.id).not.toBe(cookie!.value);

      expect(await auditCount()).toBe(before + 1);
      const [event] = await auditRows({ action: 'auth.login', entityId: u.id });
      expect(event).toMatchObject({ action: 'auth.login', entity_type: 'user', actor_id: u.id, actor_name: u.username, region_code: CODES.communityA });
      const row = await t.ctx.db.selectFrom('users').select(['last_login_at', 'failed_attempts']).where('id', '=', u.id).executeTakeFirstOrThrow();
      expect(row.last_login_at).toBe(t.clock.now());
    });

    it('refuses a wrong password with 401 GRIDLINE_LOGIN_FAILED and audits it', async () => {
      const u = await newUser();
      const before = await auditCount();
      const res = await login(u.username, 'Wrong-passw0rd');
      expect(res.statusCode).toBe(401);
      expect(errorOf(res).code).toBe('GRIDLINE_LOGIN_FAILED');
      expect(res.cookies.find((c) => c.name === 'gridline_session')).toBeUndefined();
      expect(await auditCount()).toBe(before + 1);
      const events = await auditRows({ action: 'auth.login_failed', entityId: u.id });
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]!.diff!)).toEqual({ failures: [0, 1] });
    });

    it('answers an unknown username exactly like a wrong password, and audits the attempt', async () => {
      const u = await newUser();
      const wrong = await login(u.username, 'Wrong-passw0rd');
      const before = await auditCount();
      const unknown = await login('nobody_here', 'Wrong-passw0rd');
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json()).toEqual(wrong.json());
      expect(await auditCount()).toBe(before + 1);
      const events = await auditRows({ action: 'auth.login_failed', entityId: null });
      const last = events[events.length - 1]!;
      expect(last.actor_name).toBe('nobody_here');
      expect(last.actor_role).toBe('anonymous');
      expect(JSON.parse(last.diff!)).toEqual({ reason: 'unknown_user' });
    });

    it(`locks the account after LOGIN_MAX_FAILURES failures, even for the right password, until LOGIN_LOCK_MINUTES pass`, async () => {
      const u = await newUser();
      for (let i = 1; i <= 4; i++) {
        const res = await login(u.username, `Wrong-${i}-passw0rd`);
        expect(res.statusCode).toBe(401);
        expect(errorOf(res).code).toBe('GRIDLINE_LOGIN_FAILED');
      }
      const fifth = await login(u.username, 'Wrong-5-passw0rd');
      expect(fifth.statusCode).toBe(429);
      expect(errorOf(fifth).code).toBe('GRIDLINE_LOGIN_LOCKED');
      expect(errorOf(fifth).details).toEqual({ retryAfterSeconds: 15 * 60 });
      expect(await auditRows({ action: 'auth.locked', entityId: u.id })).toHaveLength(1);
      expect(await auditRows({ action: 'auth.login_failed', entityId: u.id })).toHaveLength(4);

      const right = await login(u.username);
      expect(right.statusCode).toBe(429);
      expect(errorOf(right).code).toBe('GRIDLINE_LOGIN_LOCKED');
      expect(right.cookies.find((c) => c.name === 'gridline_session')).toBeUndefined();

      t.clock.advance(15 * MINUTE - 1000);
      const stillLocked = await login(u.username);
      expect(stillLocked.statusCode).toBe(429);
      expect(errorOf(stillLocked).details).toEqual({ retryAfterSeconds: 1 });

      t.clock.advance(1000);
      const unlocked = await login(u.username);
      expect(unlocked.statusCode).toBe(200);
      const row = await t.ctx.db.selectFrom('users').select(['failed_attempts', 'locked_until']).where('id', '=', u.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ failed_attempts: 0, locked_until: null });
    });

    it('counts failures afresh after a successful sign-in', async () => {
      const u = await newUser();
      for (let i = 0; i < 4; i++) expect((await login(u.username, 'Wrong-passw0rd')).statusCode).toBe(401);
      expect((await login(u.username)).statusCode).toBe(200);
      for (let i = 0; i < 4; i++) expect((await login(u.username, 'Wrong-passw0rd')).statusCode).toBe(401);
      expect((await login(u.username)).statusCode).toBe(200);
    });

    it('honours LOGIN_MAX_FAILURES and LOGIN_LOCK_MINUTES from the environment', async () => {
      const t2 = await createTestApp({ env: { LOGIN_MAX_FAILURES: '2', LOGIN_LOCK_MINUTES: '1' } });
      try {
        const name = t2.world.usernames.grid_worker;
        const l = (password: string) => t2.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: name, password } });
        expect((await l('Wrong-passw0rd')).statusCode).toBe(401);
        expect((await l('Wrong-passw0rd')).statusCode).toBe(429);
        expect((await l(TEST_PASSWORD)).statusCode).toBe(429);
        t2.clock.advance(MINUTE);
        expect((await l(TEST_PASSWORD)).statusCode).toBe(200);
      } finally {
        await t2.close();
      }
    });

    it('throttles sign-in attempts per client IP across accounts (LOGIN_RATE_PER_MINUTE)', async () => {
      const t2 = await createTestApp({ env: { LOGIN_RATE_PER_MINUTE: '3' } });
      try {
        const l = (username: string) => t2.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'Wrong-passw0rd' } });
        for (const u of ['nobody1', 'nobody2', 'nobody3']) expect((await l(u)).statusCode).toBe(401);
        const limited = await l(t2.world.usernames.grid_worker);
        expect(limited.statusCode).toBe(429);
        expect(limited.json()).toMatchObject({ error: { code: 'GRIDLINE_RATE_LIMITED' } });
        // The throttled attempt never reached the account: it is not locked or counted.
        const row = await t2.ctx.db.selectFrom('users').select(['failed_attempts', 'locked_until']).where('username', '=', t2.world.usernames.grid_worker).executeTakeFirstOrThrow();
        expect(row).toEqual({ failed_attempts: 0, locked_until: null });
      } finally {
        await t2.close();
      }
    });

    it('audits refused sign-ins to locked and disabled accounts', async () => {
      const t2 = await createTestApp({ env: { LOGIN_MAX_FAILURES: '1' } });
      try {
        const name = t2.world.usernames.tracer;
        const l = (password: string) => t2.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: name, password } });
        expect((await l('Wrong-passw0rd')).statusCode).toBe(429);
        expect((await l(TEST_PASSWORD)).statusCode).toBe(429);
        const refused = await t2.ctx.db.selectFrom('audit_events').select(['action', 'diff']).where('action', '=', 'auth.login_refused').execute();
        expect(refused.map((r) => JSON.parse(r.diff ?? '{}'))).toEqual([{ reason: 'locked' }]);
        await t2.ctx.db.updateTable('users').set({ disabled: 1, locked_until: null }).where('username', '=', name).execute();
        expect((await l(TEST_PASSWORD)).statusCode).toBe(403);
        const reasons = await t2.ctx.db.selectFrom('audit_events').select('diff').where('action', '=', 'auth.login_refused').orderBy('seq').execute();
        expect(reasons.map((r) => JSON.parse(r.diff ?? '{}'))).toEqual([{ reason: 'locked' }, { reason: 'disabled' }]);
      } finally {
        await t2.close();
      }
    });
  });

  describe('sessions', () => {
    it('rejects requests without a cookie or with an unknown token', async () => {
      const none = await t.app.inject({ url: '/api/auth/me' });
      expect(none.statusCode).toBe(401);
      expect(errorOf(none).code).toBe('GRIDLINE_UNAUTHENTICATED');
      const forged = await me('gridline_session=not-a-real-token');
      expect(forged.statusCode).toBe(401);
      expect(errorOf(forged).code).toBe('GRIDLINE_SESSION_EXPIRED');
    });

    it('expires after SESSION_IDLE_MINUTES without activity', async () => {
      const u = await newUser();
      const cookie = await t.login(u.username);
      expect((await me(cookie)).statusCode).toBe(200);
      t.clock.advance(30 * MINUTE);
      const res = await me(cookie);
      expect(res.statusCode).toBe(401);
      expect(errorOf(res).code).toBe('GRIDLINE_SESSION_EXPIRED');
      // The expired session is gone for good.
      expect(await t.ctx.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).toHaveLength(0);
    });

    it('slides the idle deadline with activity', async () => {
      const u = await newUser();
      const cookie = await t.login(u.username);
      for (let i = 0; i < 4; i++) {
        t.clock.advance(29 * MINUTE);
        const res = await me(cookie);
        expect(res.statusCode).toBe(200);
        expect(res.json<{ sessionExpiresAt: number }>().sessionExpiresAt).toBe(t.clock.now() + 30 * MINUTE);
      }
      t.clock.advance(31 * MINUTE);
      expect((await me(cookie)).statusCode).toBe(401);
    });

    it('ends at SESSION_ABSOLUTE_HOURS after sign-in however active the user is', async () => {
      const u = await newUser();
      const cookie = await t.login(u.username);
      const start = t.clock.now();
      while (t.clock.now() + 20 * MINUTE < start + 12 * 3600_000) {
        t.clock.advance(20 * MINUTE);
        expect((await me(cookie)).statusCode).toBe(200);
      }
      t.clock.set(start + 12 * 3600_000);
      const res = await me(cookie);
      expect(res.statusCode).toBe(401);
      expect(errorOf(res).code).toBe('GRIDLINE_SESSION_EXPIRED');
    });

    it('logout ends this session (and only this one), clears the cookie, and is audited', async () => {
      const u = await newUser();
      const a = await t.login(u.username);
      const b = await t.login(u.username);
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: a } });
      expect(res.statusCode).toBe(200);
      const cleared = res.cookies.find((c) => c.name === 'gridline_session');
      expect(cleared?.value).toBe('');
      expect((await me(a)).statusCode).toBe(401);
      expect((await me(b)).statusCode).toBe(200);
      expect(await auditRows({ action: 'auth.logout', entityId: u.id })).toHaveLength(1);
    });
  });

  describe('changing the password', () => {
    const change = (cookie: string, currentPassword: string, newPassword: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie }, payload: { currentPassword, newPassword } });

    it('refuses a wrong current password with a field error', async () => {
      const u = await newUser();
      const cookie = await t.login(u.username);
      const res = await change(cookie, 'Not-the-passw0rd', 'Brand-new-pass1');
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).code).toBe('GRIDLINE_PASSWORD_WRONG');
      expect(errorOf(res).fields?.map((f) => f.path)).toEqual(['/body/currentPassword']);
      expect((await login(u.username)).statusCode).toBe(200);
    });

    it('refuses a weak or unchanged new password', async () => {
      const u = await newUser();
      const cookie = await t.login(u.username);
      for (const weak of ['abcdefghij', '1234567890']) {
        const res = await change(cookie, TEST_PASSWORD, weak);
        expect(res.statusCode).toBe(400);
        expect(errorOf(res).code).toBe('GRIDLINE_PASSWORD_WEAK');
        expect(errorOf(res).fields?.[0]?.path).toBe('/body/newPassword');
      }
      const short = await change(cookie, TEST_PASSWORD, 'ab1');
      expect(short.statusCode).toBe(400);
      expect(errorOf(short).code).toBe('GRIDLINE_VALIDATION');
      expect(errorOf(short).fields?.[0]?.path).toBe('/body/newPassword');
      const same = await change(cookie, TEST_PASSWORD, TEST_PASSWORD);
      expect(same.statusCode).toBe(400);
      expect(errorOf(same).fields?.[0]).toMatchObject({ path: '/body/newPassword', code: 'same' });
      expect((await login(u.username)).statusCode).toBe(200);
    });

    it('ends the other sessions but keeps this one; only the new password works afterwards', async () => {
      const u = await newUser();
      const mine = await t.login(u.username);
      const other1 = await t.login(u.username);
      const other2 = await t.login(u.username);
      const before = await auditCount();
      const res = await change(mine, TEST_PASSWORD, 'Brand-new-pass1');
      expect(res.statusCode).toBe(200);
      expect(await auditCount()).toBe(before + 1);
      expect(await auditRows({ action: 'auth.password_change', entityId: u.id })).toHaveLength(1);

      expect((await me(mine)).statusCode).toBe(200);
      for (const c of [other1, other2]) {
        const r = await me(c);
        expect(r.statusCode).toBe(401);
        expect(errorOf(r).code).toBe('GRIDLINE_SESSION_EXPIRED');
      }
      expect((await login(u.username)).statusCode).toBe(401);
      expect((await login(u.username, 'Brand-new-pass1')).statusCode).toBe(200);
      // The password hash is argon2id, never the plain text.
      const row = await t.ctx.db.selectFrom('users').select(['password_hash', 'password_changed_at']).where('id', '=', u.id).executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain('Brand-new-pass1');
      expect(row.password_changed_at).toBe(t.clock.now());
    });
  });

  describe('/api/auth/me', () => {
    it('returns the role, the names along the node path and the permissions', async () => {
      const cookie = await t.login(t.world.usernames.community_worker);
      const res = await me(cookie);
      expect(res.statusCode).toBe(200);
      const body = res.json<{ username: string; role: string; nodeCode: string; nodePath: { code: string; name: string; level: string }[]; permissions: string[]; mustChangePassword: boolean }>();
      expect(body.username).toBe('u_community_worker');
      expect(body.role).toBe('community_worker');
      expect(body.nodeCode).toBe(CODES.communityA);
      expect(body.nodePath).toEqual([
        { code: CODES.district, name: '朝阳区', level: 'district' },
        { code: CODES.streetA, name: '街道A', level: 'street' },
        { code: CODES.communityA, name: '社区A', level: 'community' },
      ]);
      expect([...body.permissions].sort()).toEqual([...ROLE_PERMISSIONS.community_worker].sort());
      expect(body.mustChangePassword).toBe(false);
      expect(res.body).not.toContain('password');
    });

    it('for a resident, ends the path with their household address', async () => {
      const cookie = await t.login(t.world.usernames.resident);
      const body = (await me(cookie)).json<{ role: string; nodePath: { name: string; level: string }[]; permissions: string[] }>();
      expect(body.role).toBe('resident');
      expect(body.nodePath.map((p) => p.level)).toEqual(['district', 'street', 'community', 'grid', 'building', 'unit', 'household']);
      expect(body.nodePath[body.nodePath.length - 1]!.name).toBe('社区A 1栋 1单元 0101室');
      expect([...body.permissions].sort()).toEqual(['self.read', 'self.write']);
    });
  });

  describe('account administration by the system administrator', () => {
    let admin: string;
    beforeAll(async () => {
      admin = await t.login(t.world.usernames.sysadmin);
    });

    const createUser = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin }, payload });

    it('creates an account that must change its password before doing anything else', async () => {
      const before = await auditCount();
      const res = await createUser({ username: 'new_worker', displayName: '新社工', role: 'community_worker', nodeCode: CODES.communityA, password: 'Initial-pass1' });
      expect(res.statusCode).toBe(201);
      const created = res.json<{ id: string; mustChangePassword: boolean; role: string; nodeCode: string }>();
      expect(created).toMatchObject({ mustChangePassword: true, role: 'community_worker', nodeCode: CODES.communityA });
      expect(res.body).not.toContain('Initial-pass1');
      expect(await auditCount()).toBe(before + 1);
      const [event] = await auditRows({ action: 'user.create', entityId: created.id });
      expect(JSON.parse(event!.diff!)).toEqual({ username: [null, 'new_worker'], role: [null, 'community_worker'], nodeCode: [null, CODES.communityA] });

      const cookie = await t.login('new_worker', 'Initial-pass1');
      for (const url of ['/api/residents', '/api/regions']) {
        const blocked = await t.app.inject({ url, headers: { cookie } });
        expect(blocked.statusCode).toBe(403);
        expect(errorOf(blocked).code).toBe('GRIDLINE_PASSWORD_CHANGE_REQUIRED');
      }
      const who = await me(cookie);
      expect(who.statusCode).toBe(200);
      expect(who.json<{ mustChangePassword: boolean }>().mustChangePassword).toBe(true);

      const changed = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie }, payload: { currentPassword: 'Initial-pass1', newPassword: 'Chosen-pass2' } });
      expect(changed.statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/residents', headers: { cookie } })).statusCode).toBe(200);
      expect((await me(cookie)).json<{ mustChangePassword: boolean }>().mustChangePassword).toBe(false);
    });

    it('refuses a role at the wrong level of the tree with a field error on /body/nodeCode', async () => {
      const before = await auditCount();
      for (const [role, nodeCode] of [['community_worker', CODES.streetA], ['grid_worker', CODES.communityA], ['command', CODES.gridA]] as const) {
        const res = await createUser({ username: `misplaced_${role}`, displayName: '错位', role, nodeCode, password: 'Initial-pass1' });
        expect(res.statusCode).toBe(400);
        expect(errorOf(res).code).toBe('GRIDLINE_VALIDATION');
        expect(errorOf(res).fields?.map((f) => f.path)).toEqual(['/body/nodeCode']);
      }
      expect(await auditCount()).toBe(before);
    });

    it('refuses a duplicate username with 409 and a place outside its jurisdiction with 403', async () => {
      const dup = await createUser({ username: 'u_grid_worker', displayName: '重复', role: 'grid_worker', nodeCode: CODES.gridA, password: 'Initial-pass1' });
      expect(dup.statusCode).toBe(409);
      expect(errorOf(dup).code).toBe('GRIDLINE_CONFLICT');
      expect(errorOf(dup).fields?.[0]?.path).toBe('/body/username');
      const outside = await createUser({ username: 'outside_worker', displayName: '越权', role: 'community_worker', nodeCode: CODES.communityB, password: 'Initial-pass1' });
      expect(outside.statusCode).toBe(403);
      expect(errorOf(outside).code).toBe('GRIDLINE_OUT_OF_SCOPE');
      const weak = await createUser({ username: 'weak_worker', displayName: '弱密码', role: 'community_worker', nodeCode: CODES.communityA, password: 'password' });
      expect(weak.statusCode).toBe(400);
      expect(errorOf(weak).code).toBe('GRIDLINE_PASSWORD_WEAK');
      expect(await t.ctx.db.selectFrom('users').select('id').where('username', 'in', ['outside_worker', 'weak_worker']).execute()).toHaveLength(0);
    });

    it('only a role with user.manage may create accounts', async () => {
      const head = await t.login(t.world.usernames.command);
      const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: head }, payload: { username: 'by_command', displayName: 'x', role: 'grid_worker', nodeCode: CODES.gridA, password: 'Initial-pass1' } });
      expect(res.statusCode).toBe(403);
      expect(errorOf(res).code).toBe('GRIDLINE_FORBIDDEN');
    });

    it('disabling an account ends its sessions and refuses its sign-in', async () => {
      const u = await newUser('grid_worker', CODES.gridA);
      const session = await t.login(u.username);
      expect((await me(session)).statusCode).toBe(200);
      const before = await auditCount();
      const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${u.id}`, headers: { cookie: admin }, payload: { disabled: true } });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ disabled: boolean }>().disabled).toBe(true);
      expect(await auditCount()).toBe(before + 1);
      const [event] = await auditRows({ action: 'user.update', entityId: u.id });
      expect(JSON.parse(event!.diff!)).toEqual({ disabled: [0, 1] });

      expect((await me(session)).statusCode).toBe(401);
      const again = await login(u.username);
      expect(again.statusCode).toBe(403);
      expect(errorOf(again).code).toBe('GRIDLINE_ACCOUNT_DISABLED');
      // A wrong password still reads as a plain failure (no hint that the account exists and is disabled).
      const wrong = await login(u.username, 'Wrong-passw0rd');
      expect(wrong.statusCode).toBe(401);
      expect(errorOf(wrong).code).toBe('GRIDLINE_LOGIN_FAILED');

      const enabled = await t.app.inject({ method: 'PATCH', url: `/api/users/${u.id}`, headers: { cookie: admin }, payload: { disabled: false } });
      expect(enabled.statusCode).toBe(200);
      expect((await login(u.username)).statusCode).toBe(200);
    });

    it('an administrator cannot disable their own account', async () => {
      const self = (await me(admin)).json<{ id: string }>().id;
      const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${self}`, headers: { cookie: admin }, payload: { disabled: true } });
      expect(res.statusCode).toBe(403);
      expect((await me(admin)).statusCode).toBe(200);
    });

    it('resetting a password ends the sessions and hands out a temporary password that must be changed', async () => {
      const u = await newUser();
      const session = await t.login(u.username);
      const res = await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/reset-password`, headers: { cookie: admin } });
      expect(res.statusCode).toBe(200);
      const { temporaryPassword } = res.json<{ temporaryPassword: string }>();
      expect(temporaryPassword).toMatch(/^[A-Za-z]{6}[2-9]{4}$/);
      expect(await auditRows({ action: 'user.reset_password', entityId: u.id })).toHaveLength(1);
      expect(JSON.stringify(await auditRows({ entityId: u.id }))).not.toContain(temporaryPassword);

      expect((await me(session)).statusCode).toBe(401);
      expect((await login(u.username)).statusCode).toBe(401);
      const cookie = await t.login(u.username, temporaryPassword);
      const blocked = await t.app.inject({ url: '/api/residents', headers: { cookie } });
      expect(blocked.statusCode).toBe(403);
      expect(errorOf(blocked).code).toBe('GRIDLINE_PASSWORD_CHANGE_REQUIRED');
      const changed = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie }, payload: { currentPassword: temporaryPassword, newPassword: 'After-reset-9' } });
      expect(changed.statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/residents', headers: { cookie } })).statusCode).toBe(200);
    });

    it('a reset also lifts a lockout', async () => {
      const u = await newUser();
      for (let i = 0; i < 5; i++) await login(u.username, 'Wrong-passw0rd');
      expect((await login(u.username)).statusCode).toBe(429);
      const res = await t.app.inject({ method: 'POST', url: `/api/users/${u.id}/reset-password`, headers: { cookie: admin } });
      const { temporaryPassword } = res.json<{ temporaryPassword: string }>();
      expect((await login(u.username, temporaryPassword)).statusCode).toBe(200);
    });
  });
});
