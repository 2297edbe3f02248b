import { deadlineFor, escalationSteps, watchNode, WHISTLE_LEVEL_LABELS, type WhistleEventKind, type WhistleLevel, type WhistleStatus, type WhistleUrgency } from '@gridline/shared';
import type { Executor, WhistlesTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { Scope } from '../../security/scope.js';
import { auditDiff } from '../audit/audit.service.js';
import { whistlesRepository as repo } from './whistles.repository.js';
import type { WhistleNotifications, WhistlesDeps } from './whistles.service.js';

/** Whistles still waiting for the department: the ones deadlines apply to. */
export const OPEN: WhistleStatus[] = ['pending_ack', 'acknowledged'];
const SWEEP_BATCH = 200;
const LINK = (id: string) => `/whistles/${id}`;

/** What the sweep writes through the service: timeline events, the live "look again", notifications. */
export interface SweepHelpers {
  event(tx: Executor, scope: Scope, w: Pick<WhistlesTable, 'id' | 'level'>, kind: WhistleEventKind, note: string, data: Record<string, unknown>): Promise<void>;
  changed(scope: Scope, w: Pick<WhistlesTable, 'region_code'>, action: string): void;
  notify(input: Parameters<WhistleNotifications['notify']>[0]): Promise<void>;
}

/**
 * Escalation (吹哨 deadlines): every open whistle whose next escalation is due at `now` moves up one level per
 * missed window, each step on the timeline and in the audit log. Safe on several instances at once: each whistle
 * is updated on the version read, so only one instance applies a step. Returns the whistles escalated.
 */
export async function sweepOverdue(deps: WhistlesDeps, h: SweepHelpers, now: number): Promise<{ escalated: { id: string; no: string; to: WhistleLevel }[] }> {
  const { db, audit, departments } = deps;
  const sys = Scope.system('whistle-sweep');
  const settings = await departments.allDeadlineSettings(db);
  const out: { id: string; no: string; to: WhistleLevel }[] = [];
  for (;;) {
    const due = await repo.dueForEscalation(db, now, SWEEP_BATCH);
    let progressed = 0;
    for (const { id } of due) {
      const done = await db
        .transaction()
        .execute(async (tx) => {
          const w = await repo.byId(tx, id);
          if (!w || !OPEN.includes(w.status as WhistleStatus)) return null;
          const window = deadlineFor(settings, w.urgency as WhistleUrgency, w.region_code);
          const res = escalationSteps(
            { status: w.status as WhistleStatus, level: w.level as WhistleLevel, nextEscalationAt: w.next_escalation_at === null ? null : Number(w.next_escalation_at) },
            now, w.status === 'pending_ack' ? window.ackMs : window.resolveMs,
          );
          const patch: Partial<WhistlesTable> = { level: res.level, next_escalation_at: res.nextEscalationAt, updated_at: now };
          if (res.steps.length) patch.escalated_at = now;
          await repo.update(tx, id, w.version, patch);
          let current = w;
          for (const s of res.steps) {
            current = { ...current, level: s.to };
            await h.event(tx, sys, current, 'escalated', '', { from: s.from, to: s.to, reason: s.reason, dueAt: s.dueAt, node: watchNode(w.region_code, s.to) });
          }
          if (res.steps.length) {
            await audit.record(tx, sys, { action: 'whistle.escalate', entityType: 'whistle', entityId: id, regionCode: w.region_code, diff: { ...auditDiff({ level: w.level }, { level: res.level }), reason: res.steps[0]!.reason } });
          }
          return { w: { ...w, ...patch } as WhistlesTable, steps: res.steps };
        })
        .catch((err: unknown) => {
          // Another instance escalated it first.
          if (err instanceof AppError && err.code === 'GRIDLINE_STALE_VERSION') return null;
          throw err;
        });
      progressed++;
      if (!done || !done.steps.length) continue;
      out.push({ id, no: done.w.no, to: done.w.level as WhistleLevel });
      h.changed(sys, done.w, 'escalate');
      const last = done.steps[done.steps.length - 1]!;
      const what = last.reason === 'ack_overdue' ? '超时未签收' : '超时未办结';
      await h.notify({
        node: watchNode(done.w.region_code, last.to), permission: 'department.manage', kind: 'whistle.escalated',
        title: `哨件 ${done.w.no} ${what}，已升级至${WHISTLE_LEVEL_LABELS[last.to].zh}`, body: done.w.title, link: LINK(id),
      });
      if (done.w.department_id) await h.notify({ departmentId: done.w.department_id, kind: 'whistle.escalated', title: `哨件 ${done.w.no} ${what}，已升级督办`, body: done.w.title, link: LINK(id) });
    }
    if (due.length < SWEEP_BATCH || progressed === 0) break;
  }
  return { escalated: out };
}
