import { ChangePasswordBody, ErrorResponse, LoginBody, Me, Ok } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import type { Config } from '../../config/config.js';
import { SESSION_COOKIE, sessionOf } from '../../http/auth-hook.js';
import { scopeOf, type App } from '../../http/types.js';
import type { AuthService } from './auth.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 429: ErrorResponse };

export function authRoutes(app: App, auth: AuthService, config: Pick<Config, 'session' | 'login'>): void {
  app.post('/api/auth/login', {
    config: { access: 'public', rateLimit: { max: config.login.ratePerMinute, timeWindow: 60_000 } },
    schema: {
      tags: ['auth'],
      summary: 'Sign in; sets an httpOnly session cookie',
      body: LoginBody,
      response: { 200: Type.Object({ ok: Type.Literal(true), expiresAt: Type.Integer() }), ...errors, 429: ErrorResponse },
    },
    handler: async (req, reply) => {
      const { token, expiresAt } = await auth.login(req.body.username, req.body.password, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.session.cookieSecure,
        path: '/',
        maxAge: config.session.absoluteHours * 3600,
      });
      return { ok: true as const, expiresAt };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: 'authenticated', allowPasswordChangePending: true },
    schema: { tags: ['auth'], summary: 'Sign out this session', response: { 200: Ok, ...errors } },
    handler: async (req, reply) => {
      await auth.logout(scopeOf(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });

  app.get('/api/auth/me', {
    config: { access: 'authenticated', allowPasswordChangePending: true },
    schema: { tags: ['auth'], summary: 'Who I am: role, jurisdiction path, permissions', response: { 200: Me, ...errors } },
    handler: (req) => auth.me(sessionOf(req)),
  });

  app.post('/api/auth/password', {
    config: { access: 'authenticated', allowPasswordChangePending: true },
    schema: { tags: ['auth'], summary: 'Change my password (ends my other sessions)', body: ChangePasswordBody, response: { 200: Ok, ...errors } },
    handler: async (req) => {
      await auth.changePassword(scopeOf(req), req.body);
      return { ok: true as const };
    },
  });
}
