import type { InboxListQuery } from '@gridline/shared';
import { sql } from 'kysely';
import { underNode } from '../../db/dialect.js';
import type { Executor, InboxItemsTable, InboxRulesTable, InboxTokensTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';

/** An item with its node's name (and the parent's: a unit reads "3栋 1单元"). */
export type InboxRow = InboxItemsTable & { region_name: string | null; parent_name?: string | null };

/** Plain queries of the inbox's items, rules and push tokens. */
export const inboxRepository = {
  insert(db: Executor, row: InboxItemsTable) {
    return db.insertInto('inbox_items').values(row).execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('inbox_items').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async shown(db: Executor, id: string): Promise<InboxRow | undefined> {
    return (await db
      .selectFrom('inbox_items as i')
      .leftJoin('region_nodes as n', 'n.code', 'i.region_code')
      .selectAll('i')
      .select('n.name as region_name')
      .where('i.id', '=', id)
      .executeTakeFirst()) as InboxRow | undefined;
  },

  byExternal(db: Executor, channel: string, externalId: string) {
    return db.selectFrom('inbox_items').select(['id', 'status', 'whistle_no']).where('channel', '=', channel).where('external_id', '=', externalId).executeTakeFirst();
  },

  /** The first non-duplicate item with the same text key and phone received in [from, to]. */
  firstSameText(db: Executor, textKey: string, phoneHash: string, from: number, to: number) {
    return db
      .selectFrom('inbox_items')
      .select(['id'])
      .where('text_key', '=', textKey)
      .where('received_at', '>=', from)
      .where('received_at', '<=', to)
      .where('reporter_phone_hash', '=', phoneHash)
      .where('status', '!=', 'duplicate')
      .orderBy('received_at')
      .orderBy('id')
      .executeTakeFirst();
  },

  duplicatesOf(db: Executor, id: string) {
    return db.selectFrom('inbox_items').select(['id', 'channel', 'received_at']).where('duplicate_of', '=', id).orderBy('received_at').execute();
  },

  async update(db: Executor, id: string, version: number, patch: Partial<InboxItemsTable>) {
    const res = await db.updateTable('inbox_items').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('GRIDLINE_STALE_VERSION');
  },

  filtered(db: Executor, scope: Scope, node: string, q: InboxListQuery) {
    let base = db
      .selectFrom('inbox_items as i')
      .leftJoin('region_nodes as n', 'n.code', 'i.region_code')
      .leftJoin('region_nodes as p', 'p.code', 'n.parent_code')
      .where(scope.where('i.region_code'));
    if (node !== scope.node) base = base.where(underNode('i.region_code', node));
    if (q.channel) base = base.where('i.channel', '=', q.channel);
    if (q.category) base = base.where('i.category', '=', q.category);
    if (q.uncategorized) base = base.where('i.category', 'is', null);
    return base;
  },

  async list(db: Executor, scope: Scope, node: string, q: InboxListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const base = this.filtered(db, scope, node, q);
    const withStatus = q.status ? base.where('i.status', '=', q.status) : base;
    const [rows, count, counts] = await Promise.all([
      withStatus
        .selectAll('i')
        .select(['n.name as region_name', 'p.name as parent_name'])
        // Waiting for a person first, then the newest.
        .orderBy(sql`case when i.status = 'new' then 0 else 1 end`)
        .orderBy('i.received_at', 'desc')
        .orderBy('i.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      withStatus.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      base.select(['i.status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('i.status').execute(),
    ]);
    const by = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
    return {
      rows: rows as InboxRow[], total: Number(count.n), page, pageSize,
      counts: { new: by.new ?? 0, routed: by.routed ?? 0, duplicate: by.duplicate ?? 0, dismissed: by.dismissed ?? 0 },
    };
  },

  /** A resident's own submissions through the portal. */
  ofResident(db: Executor, residentId: string) {
    return db.selectFrom('inbox_items').selectAll().where('resident_id', '=', residentId).where('channel', '=', 'portal').orderBy('received_at', 'desc').limit(50).execute();
  },

  /** Items a whistle was raised for (whistle → inbox links). */
  byWhistle(db: Executor, whistleId: string) {
    return db.selectFrom('inbox_items').selectAll().where('whistle_id', '=', whistleId).execute();
  },

  // ---- rules ----
  insertRule(db: Executor, row: InboxRulesTable) {
    return db.insertInto('inbox_rules').values(row).execute();
  },
  rule(db: Executor, id: string) {
    return db.selectFrom('inbox_rules').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async updateRule(db: Executor, id: string, version: number, patch: Partial<InboxRulesTable>) {
    const res = await db.updateTable('inbox_rules').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('GRIDLINE_STALE_VERSION');
  },
  deleteRule(db: Executor, id: string) {
    return db.deleteFrom('inbox_rules').where('id', '=', id).execute();
  },
  /** Rules that apply to items under `node`: those kept at the node or above it. */
  rulesFor(db: Executor, nodes: string[], activeOnly: boolean) {
    if (!nodes.length) return Promise.resolve([]);
    let q = db.selectFrom('inbox_rules').selectAll().where('node_code', 'in', nodes);
    if (activeOnly) q = q.where('active', '=', 1);
    return q.orderBy('priority').orderBy('name').execute();
  },
  rulesUnder(db: Executor, scope: Scope) {
    return db.selectFrom('inbox_rules').selectAll().where(scope.where('node_code')).orderBy('priority').orderBy('name').execute();
  },
  async countRules(db: Executor): Promise<number> {
    const r = await db.selectFrom('inbox_rules').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  // ---- tokens ----
  insertToken(db: Executor, row: InboxTokensTable) {
    return db.insertInto('inbox_tokens').values(row).execute();
  },
  token(db: Executor, id: string) {
    return db.selectFrom('inbox_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  },
  tokenByHash(db: Executor, hash: string) {
    return db.selectFrom('inbox_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  },
  tokensUnder(db: Executor, scope: Scope) {
    return db.selectFrom('inbox_tokens').selectAll().where(scope.where('node_code')).orderBy('created_at').execute();
  },
  updateToken(db: Executor, id: string, patch: Partial<InboxTokensTable>) {
    return db.updateTable('inbox_tokens').set(patch).where('id', '=', id).execute();
  },

  // ---- where an item belongs ----
  /** Households at this exact address under the node; an item is placed at the household's unit (a region node). */
  householdByAddress(db: Executor, node: string, address: string) {
    return db.selectFrom('households').select(['unit_code']).where(underNode('code', node)).where('address', '=', address).limit(2).execute();
  },
  residentByPhoneHash(db: Executor, node: string, phoneHash: string) {
    return db
      .selectFrom('residents as r')
      .innerJoin('households as h', 'h.id', 'r.household_id')
      .select(['r.id', 'h.unit_code'])
      .where(underNode('r.region_code', node))
      .where('r.phone_hash', '=', phoneHash)
      .limit(2)
      .execute();
  },
  resident(db: Executor, id: string) {
    return db
      .selectFrom('residents as r')
      .innerJoin('households as h', 'h.id', 'r.household_id')
      .select(['r.id', 'h.unit_code', 'r.name', 'r.phone_enc'])
      .where('r.id', '=', id)
      .executeTakeFirst();
  },
  /** The top of the region tree (a deployment's district): inbound email without a configured node lands there. */
  topNode(db: Executor) {
    return db.selectFrom('region_nodes').select('code').where('parent_code', 'is', null).orderBy('code').executeTakeFirst();
  },
};
