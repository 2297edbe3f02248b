import type { Insertable } from 'kysely';
import type { AuditEventsTable, Executor } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';
import type { AuditListQuery } from '@gridline/shared';

const CHAIN_COLUMNS = [
  'seq', 'at', 'actor_id', 'actor_name', 'actor_role', 'actor_node', 'action', 'entity_type', 'entity_id',
  'region_code', 'purpose', 'diff', 'ip', 'prev_hash', 'hash',
] as const;

export const auditRepository = {
  async last(db: Executor) {
    return db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  },

  /** In chain order, a few hundred rows per statement (15 columns each, under every parameter limit). */
  async insertMany(db: Executor, rows: Insertable<AuditEventsTable>[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('audit_events').values(rows.slice(i, i + 500)).execute();
  },

  /** Events after row `afterId` in insertion order, a batch at a time (verification streams the whole log). */
  async batchAfter(db: Executor, afterId: number, limit: number) {
    return db.selectFrom('audit_events').select(['id', ...CHAIN_COLUMNS]).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  },

  async list(db: Executor, scope: Scope, q: AuditListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let base = db.selectFrom('audit_events').where(scope.where('audit_events.region_code'));
    if (q.action) base = base.where('action', '=', q.action);
    if (q.entityType) base = base.where('entity_type', '=', q.entityType);
    if (q.entityId) base = base.where('entity_id', '=', q.entityId);
    if (q.actorId) base = base.where('actor_id', '=', q.actorId);
    if (q.from !== undefined) base = base.where('at', '>=', q.from);
    if (q.to !== undefined) base = base.where('at', '<', q.to);
    const [rows, count] = await Promise.all([
      base.select(CHAIN_COLUMNS).orderBy('seq', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n), page, pageSize };
  },
};
