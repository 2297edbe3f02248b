/** What every in-process scenario shares: its result shape, the timing plan, and acting as a seeded user. */
import type { Role } from '@gridline/shared';
import type { AppContext } from '../packages/server/src/context.js';
import { Scope } from '../packages/server/src/security/scope.js';
import type { Target } from './env.js';
import type { Summary } from './stats.js';

export interface InprocResult {
  subject: Summary;
  baseline: Summary;
  rssMb: number;
  notes: string;
}

export type InprocRun = (ctx: AppContext, target: Target) => Promise<Omit<InprocResult, 'rssMb'>>;

/** 4 alternating rounds of 750 ms, after 5 warm-up calls of each. */
export const TIMING = { rounds: 4, sliceMs: 750, warmup: 5 };

/** Longer rounds for calls taking tens of milliseconds or more, so that p95 rests on some 40+ samples. */
export function timingFor(callMs: number): typeof TIMING {
  return { ...TIMING, sliceMs: Math.min(3000, Math.max(TIMING.sliceMs, callMs * 10)), warmup: callMs > 50 ? 2 : TIMING.warmup };
}

/** The scope a seeded user acts in, as the auth hook would build it from a session. */
export async function userScope(ctx: AppContext, username: string): Promise<Scope> {
  const u = await ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
  return new Scope({
    kind: 'user', userId: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, node: u.node_code,
    householdId: u.household_id, residentId: u.resident_id, sessionId: null, ip: '127.0.0.1',
  });
}
