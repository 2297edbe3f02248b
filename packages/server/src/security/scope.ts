import { roleCan, ROLE_PERMISSIONS, type Permission, type Role } from '@gridline/shared';
import type { Expression, SqlBool } from 'kysely';
import { underNode } from '../db/dialect.js';
import { AppError } from '../lib/errors.js';

/** Who is acting: a signed-in user, or the system itself (CLI, demo, scheduled jobs). */
export interface Actor {
  kind: 'user' | 'system';
  userId: string | null;
  username: string;
  displayName: string;
  role: Role | 'system' | 'anonymous';
  /** Jurisdiction node: a region code, or '' for the system (everything). */
  node: string;
  householdId: string | null;
  /** For residents: their own resident record. */
  residentId: string | null;
  sessionId: string | null;
  ip: string | null;
}

/**
 * The one authorization mechanism. Every service call on scoped data takes a Scope; every query of
 * scoped data filters through `scope.where(column)`; every single-record access checks `scope.reach(code)`.
 * Modules never compare codes or roles themselves.
 */
export class Scope {
  constructor(readonly actor: Actor) {}

  static system(name = 'system'): Scope {
    return new Scope({
      kind: 'system', userId: null, username: name, displayName: name, role: 'system', node: '',
      householdId: null, residentId: null, sessionId: null, ip: null,
    });
  }

  get node(): string {
    return this.actor.node;
  }

  can(permission: Permission): boolean {
    const role = this.actor.role;
    if (role === 'system') return true;
    if (role === 'anonymous') return false;
    return roleCan(role, permission);
  }

  /** Throws GRIDLINE_FORBIDDEN when the role lacks the permission. */
  require(permission: Permission): this {
    if (!this.can(permission)) throw new AppError('GRIDLINE_FORBIDDEN', { details: { permission } });
    return this;
  }

  permissions(): Permission[] {
    const role = this.actor.role;
    return role === 'system' || role === 'anonymous' ? [] : [...ROLE_PERMISSIONS[role]];
  }

  /** Whether `code` is the actor's node or lies below it. */
  covers(code: string | null | undefined): boolean {
    return typeof code === 'string' && code.startsWith(this.actor.node);
  }

  /**
   * Asserts a record's region code lies in scope. Out of scope reads as not found, so that
   * another jurisdiction's records do not even reveal that they exist.
   */
  reach(code: string | null | undefined): void {
    if (!this.covers(code)) throw new AppError('GRIDLINE_NOT_FOUND');
  }

  /** Asserts a target the actor names (a node to create under, a node to move to) is in scope. */
  target(code: string): void {
    if (!this.covers(code)) throw new AppError('GRIDLINE_OUT_OF_SCOPE', { details: { code } });
  }

  /** SQL condition: `column` lies under the actor's node (an index range scan). */
  where(column: string): Expression<SqlBool> {
    return underNode(column, this.actor.node);
  }

  /** The node to list under: the requested one if in scope, else the actor's own. */
  narrow(requested: string | undefined): string {
    if (!requested) return this.actor.node;
    this.target(requested);
    return requested;
  }
}
