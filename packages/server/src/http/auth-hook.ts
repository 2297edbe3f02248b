import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import type { AuthService, SessionInfo } from '../modules/auth/auth.service.js';
import type { App } from './types.js';

export const SESSION_COOKIE = 'gridline_session';

const sessions = new WeakMap<FastifyRequest, SessionInfo>();

export function sessionOf(req: FastifyRequest): SessionInfo {
  const s = sessions.get(req);
  if (!s) throw new Error('sessionOf() on a route without authentication');
  return s;
}

/**
 * The gate every /api route passes: a route without a declared `access` cannot even be registered,
 * and every non-public route gets the caller's Scope (or a 401/403) before its body is read.
 */
export function installAuthHook(app: App, auth: AuthService): void {
  app.decorateRequest('scope', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.url.startsWith('/api/docs') && !route.config?.access) {
      throw new Error(`Route ${route.method} ${route.url} does not declare config.access`);
    }
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (!access || access === 'public') return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw new AppError('GRIDLINE_UNAUTHENTICATED');
    const info = await auth.authenticate(token, req.ip);
    if (info.mustChangePassword && !req.routeOptions.config.allowPasswordChangePending) {
      throw new AppError('GRIDLINE_PASSWORD_CHANGE_REQUIRED');
    }
    if (access !== 'authenticated') info.scope.require(access);
    sessions.set(req, info);
    req.scope = info.scope;
  });
}
