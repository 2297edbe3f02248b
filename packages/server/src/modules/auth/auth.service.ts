import crypto from 'node:crypto';
import type { ChangePasswordBody, Me, Role } from '@gridline/shared';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { usersRepository } from '../users/users.repository.js';
import { assertStrongPassword, dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import { sessionsRepository } from './sessions.repository.js';

/** Session tokens are random; only their SHA-256 is stored, so a leaked table cannot be replayed. */
function tokenId(token: string): string {
  return crypto.createHash('sha256').update(token).digest('base64url');
}

/** Sliding idle expiry is written at most this often, to keep reads from becoming writes. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionInfo {
  scope: Scope;
  mustChangePassword: boolean;
  expiresAt: number;
}

export class AuthService {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService; config: Pick<Config, 'session' | 'login'> }) {}

  async login(username: string, password: string, meta: { ip: string | null; userAgent: string | null }): Promise<{ token: string; expiresAt: number }> {
    const { db, clock, audit, config } = this.deps;
    const now = clock.now();
    const user = await usersRepository.byUsername(db, username);
    if (!user) {
      await verifyPassword(await dummyPasswordHash(), password);
      // Attributed to the root of the tree, so that the top-level auditors see attempts on unknown accounts.
      const root = await regionsRepository.root(db);
      await db.transaction().execute((tx) =>
        audit.record(tx, anonymous(meta.ip, username), { action: 'auth.login_failed', entityType: 'user', entityId: null, regionCode: root?.code ?? null, diff: { reason: 'unknown_user' } }),
      );
      throw new AppError('GRIDLINE_LOGIN_FAILED');
    }
    const actorScope = scopeForUser(user, null, meta.ip);
    const refuse = async (reason: 'locked' | 'disabled') => {
      await db.transaction().execute((tx) =>
        audit.record(tx, actorScope, { action: 'auth.login_refused', entityType: 'user', entityId: user.id, regionCode: user.node_code, diff: { reason } }),
      );
    };
    if (user.locked_until && user.locked_until > now) {
      await refuse('locked');
      throw new AppError('GRIDLINE_LOGIN_LOCKED', { details: { retryAfterSeconds: Math.ceil((user.locked_until - now) / 1000) } });
    }
    const ok = await verifyPassword(user.password_hash, password);
    if (!ok) {
      const failures = user.failed_attempts + 1;
      const lock = failures >= config.login.maxFailures;
      await db.transaction().execute(async (tx) => {
        await usersRepository.update(tx, user.id, {
          failed_attempts: lock ? 0 : failures,
          locked_until: lock ? now + config.login.lockMinutes * 60_000 : user.locked_until,
        });
        await audit.record(tx, actorScope, { action: lock ? 'auth.locked' : 'auth.login_failed', entityType: 'user', entityId: user.id, regionCode: user.node_code, diff: { failures: [user.failed_attempts, failures] } });
      });
      if (lock) throw new AppError('GRIDLINE_LOGIN_LOCKED', { details: { retryAfterSeconds: config.login.lockMinutes * 60 } });
      throw new AppError('GRIDLINE_LOGIN_FAILED');
    }
    if (user.disabled) {
      await refuse('disabled');
      throw new AppError('GRIDLINE_ACCOUNT_DISABLED');
    }

    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = now + config.session.absoluteHours * 3600_000;
    await db.transaction().execute(async (tx) => {
      await sessionsRepository.insert(tx, { id: tokenId(token), user_id: user.id, created_at: now, last_seen_at: now, expires_at: expiresAt, ip: meta.ip, user_agent: meta.userAgent?.slice(0, 300) ?? null });
      await usersRepository.update(tx, user.id, { failed_attempts: 0, locked_until: null, last_login_at: now });
      await audit.record(tx, actorScope, { action: 'auth.login', entityType: 'user', entityId: user.id, regionCode: user.node_code });
    });
    return { token, expiresAt };
  }

  /** Resolves a cookie token to a scope, enforcing idle and absolute expiry and disabled accounts. */
  async authenticate(token: string, ip: string | null): Promise<SessionInfo> {
    const { db, clock, config } = this.deps;
    const id = tokenId(token);
    const s = await sessionsRepository.withUser(db, id);
    if (!s) throw new AppError('GRIDLINE_SESSION_EXPIRED');
    const now = clock.now();
    const idleDeadline = s.last_seen_at + config.session.idleMinutes * 60_000;
    if (now >= s.expires_at || now >= idleDeadline || s.disabled) {
      await sessionsRepository.delete(db, id);
      throw new AppError(s.disabled ? 'GRIDLINE_ACCOUNT_DISABLED' : 'GRIDLINE_SESSION_EXPIRED');
    }
    if (now - s.last_seen_at > TOUCH_INTERVAL_MS) await sessionsRepository.touch(db, id, now);
    const scope = new Scope({
      kind: 'user', userId: s.user_id, username: s.username, displayName: s.display_name, role: s.role as Role,
      node: s.node_code, householdId: s.household_id, residentId: s.resident_id, sessionId: id, ip,
    });
    return { scope, mustChangePassword: s.must_change_password === 1, expiresAt: Math.min(s.expires_at, now + config.session.idleMinutes * 60_000) };
  }

  /** Whether a session still holds (exists, not expired or idle, account enabled), without counting as activity. */
  async sessionAlive(sessionId: string): Promise<boolean> {
    const { db, clock, config } = this.deps;
    const s = await sessionsRepository.withUser(db, sessionId);
    const now = clock.now();
    return !!s && !s.disabled && now < s.expires_at && now < s.last_seen_at + config.session.idleMinutes * 60_000;
  }

  async sweepExpiredSessions(): Promise<void> {
    const { db, clock, config } = this.deps;
    const now = clock.now();
    await sessionsRepository.deleteExpired(db, now, now - config.session.idleMinutes * 60_000);
  }

  async logout(scope: Scope): Promise<void> {
    const { db, audit } = this.deps;
    if (!scope.actor.sessionId) return;
    await db.transaction().execute(async (tx) => {
      await sessionsRepository.delete(tx, scope.actor.sessionId!);
      await audit.record(tx, scope, { action: 'auth.logout', entityType: 'user', entityId: scope.actor.userId });
    });
  }

  async me(info: SessionInfo): Promise<Me> {
    const a = info.scope.actor;
    return {
      id: a.userId!,
      username: a.username,
      displayName: a.displayName,
      role: a.role as Role,
      nodeCode: a.node,
      nodePath: await regionsRepository.path(this.deps.db, a.node),
      permissions: info.scope.permissions(),
      mustChangePassword: info.mustChangePassword,
      sessionExpiresAt: info.expiresAt,
    };
  }

  /** Changing the password ends every other session of the user. */
  async changePassword(scope: Scope, body: ChangePasswordBody): Promise<void> {
    const { db, clock, audit } = this.deps;
    const user = await usersRepository.byId(db, scope.actor.userId ?? '');
    if (!user) throw new AppError('GRIDLINE_UNAUTHENTICATED');
    if (!(await verifyPassword(user.password_hash, body.currentPassword))) {
      throw new AppError('GRIDLINE_PASSWORD_WRONG', { fields: [{ path: '/body/currentPassword', code: 'wrong', message: '原密码不正确' }] });
    }
    assertStrongPassword(body.newPassword);
    if (body.newPassword === body.currentPassword) {
      throw new AppError('GRIDLINE_PASSWORD_WEAK', { fields: [{ path: '/body/newPassword', code: 'same', message: '新密码不能与原密码相同' }] });
    }
    const hash = await hashPassword(body.newPassword);
    const now = clock.now();
    await db.transaction().execute(async (tx) => {
      await usersRepository.update(tx, user.id, { password_hash: hash, must_change_password: 0, password_changed_at: now, updated_at: now });
      await sessionsRepository.deleteForUser(tx, user.id, scope.actor.sessionId ?? undefined);
      await audit.record(tx, scope, { action: 'auth.password_change', entityType: 'user', entityId: user.id, regionCode: user.node_code });
    });
  }
}

function scopeForUser(u: { id: string; username: string; display_name: string; role: string; node_code: string; household_id: string | null; resident_id: string | null }, sessionId: string | null, ip: string | null): Scope {
  return new Scope({ kind: 'user', userId: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, node: u.node_code, householdId: u.household_id, residentId: u.resident_id, sessionId, ip });
}

function anonymous(ip: string | null, attempted: string): Scope {
  return new Scope({ kind: 'user', userId: null, username: attempted.slice(0, 64), displayName: '', role: 'anonymous', node: '', householdId: null, residentId: null, sessionId: null, ip });
}
