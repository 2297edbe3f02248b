import type { DirectReportsTable, Executor } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

export type ReportRow = DirectReportsTable & { sender_node_name: string | null; target_name: string | null };

function shown(db: Executor) {
  return db
    .selectFrom('direct_reports as r')
    .leftJoin('region_nodes as s', 's.code', 'r.sender_node')
    .leftJoin('region_nodes as t', 't.code', 'r.target_node')
    .selectAll('r')
    .select(['s.name as sender_node_name', 't.name as target_name']);
}

/** Direct reports are inserted once; the only later write is the first read receipt. */
export const reportsRepository = {
  /** Which of these nodes have an active user of one of these roles. */
  async nodesWithRoles(db: Executor, nodes: string[], roles: string[]): Promise<Set<string>> {
    if (!nodes.length || !roles.length) return new Set();
    const rows = await db.selectFrom('users').select('node_code').distinct().where('node_code', 'in', nodes).where('role', 'in', roles).where('disabled', '=', 0).execute();
    return new Set(rows.map((r) => r.node_code));
  },
  insert(db: Executor, row: DirectReportsTable) {
    return db.insertInto('direct_reports').values(row).execute();
  },
  async byId(db: Executor, id: string): Promise<ReportRow | undefined> {
    return (await shown(db).where('r.id', '=', id).executeTakeFirst()) as ReportRow | undefined;
  },
  /** Sets the receipt only if nobody has read it yet: the first reader is the one recorded. */
  async markRead(db: Executor, id: string, userId: string, name: string, at: number): Promise<boolean> {
    const res = await db.updateTable('direct_reports').set({ read_at: at, read_by_id: userId, read_by_name: name }).where('id', '=', id).where('read_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
  async page(db: Executor, filter: { senderId: string } | { scope: Scope }, unreadOnly: boolean, page: number, pageSize: number) {
    let base = shown(db);
    base = 'senderId' in filter ? base.where('r.sender_id', '=', filter.senderId) : base.where(filter.scope.where('r.target_node'));
    const unreadBase = base.where('r.read_at', 'is', null);
    const list = unreadOnly ? unreadBase : base;
    const [rows, total, unread] = await Promise.all([
      list.orderBy('r.sent_at', 'desc').orderBy('r.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
      list.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      unreadBase.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as ReportRow[], total: Number(total.n), unread: Number(unread.n) };
  },
};
