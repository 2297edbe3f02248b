import type { Permission } from '@gridline/shared';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { Scope } from '../security/scope.js';

/**
 * What a route needs from its caller: 'public' (anyone), 'authenticated' (any signed-in user),
 * or a permission (a signed-in user whose role has it). Every /api route must declare one.
 */
export type Access = 'public' | 'authenticated' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Reachable while the user must still change an initial password (me, logout, change password). */
    allowPasswordChangePending?: boolean;
  }
  interface FastifyRequest {
    /** Set by the auth hook on every non-public route. */
    scope: Scope | null;
  }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** The signed-in scope of a request on a non-public route. */
export function scopeOf(request: { scope: Scope | null }): Scope {
  if (!request.scope) throw new Error('scopeOf() on a route without authentication');
  return request.scope;
}
