import type { CreateWebhookBody, MarkReadBody, Notification, NotificationListQuery, NotificationPage, NotificationSettings, NotificationSettingsView, UpdateWebhookBody, WebhookSubscription } from '@gridline/shared';
import type { Db, NotificationsTable, WebhookSubscriptionsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import { notificationsRepository as repo } from './notifications.repository.js';
import type { Notifier } from './notifier.js';
import type { WebhookDispatcher } from './webhooks.js';

export function toNotification(r: NotificationsTable): Notification {
  return { id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, createdAt: Number(r.created_at), readAt: r.read_at === null ? null : Number(r.read_at) };
}

function toSubscription(r: WebhookSubscriptionsTable): WebhookSubscription {
  return { id: r.id, nodeCode: r.node_code, name: r.name, url: r.url, kinds: JSON.parse(r.kinds) as string[], active: r.active === 1, createdAt: Number(r.created_at) };
}

function userOf(scope: Scope): string {
  if (!scope.actor.userId) throw new AppError('GRIDLINE_UNAUTHENTICATED');
  return scope.actor.userId;
}

/** A user's own notifications and settings; webhook subscriptions of a jurisdiction (inbox.manage). */
export class NotificationsService {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService; cipher: PersonalDataCipher; notifier: Notifier; webhooks: WebhookDispatcher }) {}

  async list(scope: Scope, q: NotificationListQuery): Promise<NotificationPage> {
    const userId = userOf(scope);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const [{ rows, total }, unread] = await Promise.all([repo.page(this.deps.db, userId, q.unread === true, page, pageSize), repo.unread(this.deps.db, userId)]);
    return { items: rows.map(toNotification), total, unread, page, pageSize };
  }

  async unread(scope: Scope): Promise<{ unread: number }> {
    return { unread: await repo.unread(this.deps.db, userOf(scope)) };
  }

  /** Marks the named (or all) of the caller's own notifications read; another user's ids are simply not touched. */
  async markRead(scope: Scope, body: MarkReadBody): Promise<{ marked: number; unread: number }> {
    const userId = userOf(scope);
    const marked = await repo.markRead(this.deps.db, userId, body.all ? null : (body.ids ?? []), this.deps.clock.now());
    return { marked, unread: await repo.unread(this.deps.db, userId) };
  }

  async settings(scope: Scope): Promise<NotificationSettingsView> {
    const row = await repo.settings(this.deps.db, userOf(scope));
    return { email: row?.email ?? null, emailEnabled: row?.email_enabled === 1, smtpConfigured: this.deps.notifier.emailEnabled };
  }

  async saveSettings(scope: Scope, body: NotificationSettings): Promise<NotificationSettingsView> {
    const userId = userOf(scope);
    if (body.emailEnabled && !body.email) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/email', code: 'required', message: '开启邮件通知须填写邮箱' }] });
    }
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.saveSettings(tx, userId, body.email, body.emailEnabled, this.deps.clock.now());
      await this.deps.audit.record(tx, scope, { action: 'notification.settings', entityType: 'user', entityId: userId, regionCode: scope.node, diff: { emailEnabled: body.emailEnabled } });
    });
    return this.settings(scope);
  }

  // ---- webhooks ----
  async webhooks(scope: Scope): Promise<WebhookSubscription[]> {
    scope.require('inbox.manage');
    return (await repo.subscriptionsUnder(this.deps.db, scope)).map(toSubscription);
  }

  async createWebhook(scope: Scope, body: CreateWebhookBody): Promise<WebhookSubscription> {
    scope.require('inbox.manage');
    const node = scope.narrow(body.nodeCode);
    const now = this.deps.clock.now();
    const row: WebhookSubscriptionsTable = {
      id: newId(), node_code: node, name: body.name.trim(), url: body.url, secret_enc: this.deps.cipher.encrypt(body.secret), kinds: JSON.stringify(body.kinds ?? []),
      active: 1, created_by: scope.actor.userId, created_at: now, updated_at: now,
    };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insertSubscription(tx, row);
      await this.deps.audit.record(tx, scope, { action: 'webhook.create', entityType: 'webhook', entityId: row.id, regionCode: node, diff: auditDiff(null, { name: row.name, url: row.url, kinds: body.kinds ?? [] }) });
    });
    return toSubscription(row);
  }

  private async reachable(scope: Scope, id: string): Promise<WebhookSubscriptionsTable> {
    scope.require('inbox.manage');
    const row = await repo.subscription(this.deps.db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.node_code);
    return row;
  }

  async updateWebhook(scope: Scope, id: string, body: UpdateWebhookBody): Promise<WebhookSubscription> {
    const before = await this.reachable(scope, id);
    const patch: Partial<WebhookSubscriptionsTable> = { updated_at: this.deps.clock.now() };
    if (body.name !== undefined) patch.name = body.name.trim();
    if (body.url !== undefined) patch.url = body.url;
    if (body.kinds !== undefined) patch.kinds = JSON.stringify(body.kinds);
    if (body.active !== undefined) patch.active = body.active ? 1 : 0;
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.updateSubscription(tx, id, patch);
      await this.deps.audit.record(tx, scope, {
        action: 'webhook.update', entityType: 'webhook', entityId: id, regionCode: before.node_code,
        diff: auditDiff({ name: before.name, url: before.url, kinds: before.kinds, active: before.active }, { name: patch.name ?? before.name, url: patch.url ?? before.url, kinds: patch.kinds ?? before.kinds, active: patch.active ?? before.active }),
      });
    });
    return toSubscription({ ...before, ...patch });
  }

  async deleteWebhook(scope: Scope, id: string): Promise<{ ok: true }> {
    const before = await this.reachable(scope, id);
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.deleteSubscription(tx, id);
      await this.deps.audit.record(tx, scope, { action: 'webhook.delete', entityType: 'webhook', entityId: id, regionCode: before.node_code, diff: auditDiff({ name: before.name, url: before.url }, null) });
    });
    return { ok: true };
  }

  async deliveries(scope: Scope, id: string) {
    await this.reachable(scope, id);
    return this.deps.webhooks.deliveries(id);
  }
}
