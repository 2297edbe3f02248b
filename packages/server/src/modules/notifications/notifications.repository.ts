import type { Scope } from '../../security/scope.js';
import type { Executor, NotificationsTable, WebhookAttemptsTable, WebhookDeliveriesTable, WebhookSubscriptionsTable } from '../../db/schema.js';

/** Plain queries of notifications, settings and webhooks; the rules live in the notifier and services. */
export const notificationsRepository = {
  async insertMany(db: Executor, rows: NotificationsTable[]) {
    if (rows.length) await db.insertInto('notifications').values(rows).execute();
  },

  async page(db: Executor, userId: string, unreadOnly: boolean, page: number, pageSize: number) {
    let base = db.selectFrom('notifications').where('user_id', '=', userId);
    if (unreadOnly) base = base.where('read_at', 'is', null);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async unread(db: Executor, userId: string): Promise<number> {
    const r = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async markRead(db: Executor, userId: string, ids: string[] | null, now: number): Promise<number> {
    let q = db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null);
    if (ids) q = q.where('id', 'in', ids);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows);
  },

  settings(db: Executor, userId: string) {
    return db.selectFrom('notification_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
  },

  async saveSettings(db: Executor, userId: string, email: string | null, enabled: boolean, now: number) {
    await db
      .insertInto('notification_settings')
      .values({ user_id: userId, email, email_enabled: enabled ? 1 : 0, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ email, email_enabled: enabled ? 1 : 0, updated_at: now }))
      .execute();
  },

  /** Email addresses of those recipients who asked for email. */
  emailsOf(db: Executor, userIds: string[]) {
    if (!userIds.length) return Promise.resolve([]);
    return db.selectFrom('notification_settings').select(['user_id', 'email']).where('user_id', 'in', userIds).where('email_enabled', '=', 1).where('email', 'is not', null).execute();
  },

  /** Active users at one of `nodes` whose role is one of `roles`. */
  usersAt(db: Executor, nodes: string[], roles: string[]) {
    if (!nodes.length || !roles.length) return Promise.resolve([]);
    return db.selectFrom('users').select('id').where('node_code', 'in', nodes).where('role', 'in', roles).where('disabled', '=', 0).execute();
  },

  activeUsers(db: Executor, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('users').select('id').where('id', 'in', ids).where('disabled', '=', 0).execute();
  },

  /** Active members of a department (`users.department_id`, added by the departments migration 202611290013). */
  async departmentMembers(db: Executor, departmentId: string): Promise<string[]> {
    const rows = await db.selectFrom('users').select('id').where('department_id', '=', departmentId).where('disabled', '=', 0).execute();
    return rows.map((x) => x.id);
  },

  // ---- webhooks ----
  insertSubscription(db: Executor, row: WebhookSubscriptionsTable) {
    return db.insertInto('webhook_subscriptions').values(row).execute();
  },
  subscription(db: Executor, id: string) {
    return db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  },
  updateSubscription(db: Executor, id: string, patch: Partial<WebhookSubscriptionsTable>) {
    return db.updateTable('webhook_subscriptions').set(patch).where('id', '=', id).execute();
  },
  deleteSubscription(db: Executor, id: string) {
    return db.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
  },
  subscriptionsUnder(db: Executor, scope: Scope) {
    return db.selectFrom('webhook_subscriptions').selectAll().where(scope.where('node_code')).orderBy('created_at').execute();
  },
  /** Active subscriptions whose node is one of `nodes` (the concerned node and its ancestors). */
  activeSubscriptionsAt(db: Executor, nodes: string[]) {
    if (!nodes.length) return Promise.resolve([]);
    return db.selectFrom('webhook_subscriptions').selectAll().where('node_code', 'in', nodes).where('active', '=', 1).execute();
  },
  async insertDeliveries(db: Executor, rows: WebhookDeliveriesTable[]) {
    if (rows.length) await db.insertInto('webhook_deliveries').values(rows).execute();
  },
  delivery(db: Executor, id: string) {
    return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /**
   * Takes a delivery's due attempt: moves its next attempt time past the lease, but only if it is still pending
   * and due, so two runners (or a sweep and a job) never attempt the same try twice.
   */
  async claimDelivery(db: Executor, id: string, now: number, leaseMs: number): Promise<boolean> {
    const res = await db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: now + leaseMs })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
  updateDelivery(db: Executor, id: string, patch: Partial<WebhookDeliveriesTable>) {
    return db.updateTable('webhook_deliveries').set(patch).where('id', '=', id).execute();
  },
  insertAttempt(db: Executor, row: WebhookAttemptsTable) {
    return db.insertInto('webhook_attempts').values(row).execute();
  },
  dueDeliveries(db: Executor, now: number, limit: number) {
    return db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(limit).execute();
  },
  deliveriesOf(db: Executor, subscriptionId: string, limit: number) {
    return db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId).orderBy('created_at', 'desc').limit(limit).execute();
  },
  attemptsOf(db: Executor, deliveryIds: string[]) {
    if (!deliveryIds.length) return Promise.resolve([]);
    return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('attempt').execute();
  },
};
