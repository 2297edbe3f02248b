import { ancestorCodes, roleCan, ROLES, type Permission } from '@gridline/shared';
import nodemailer from 'nodemailer';
import type { Db, Executor, NotificationsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { EventBus } from '../events/event-bus.js';
import { notificationsRepository as repo } from './notifications.repository.js';
import type { WebhookDispatcher } from './webhooks.js';

/** What a module asks to be told to people (services.notifier.notify). */
export interface NotifyInput {
  /** These users. */
  userIds?: string[];
  /** Plus the members of this department (users.department_id). */
  departmentId?: string;
  /** Plus users at this node or above it whose role holds `permission` (both must be given). */
  node?: string;
  permission?: Permission;
  /** Stable kind, e.g. 'whistle.routed', 'whistle.overdue', 'inbox.new', 'report.received'. */
  kind: string;
  title: string;
  body: string;
  /** Console path to open, e.g. '/inbox?id=…'. */
  link?: string | null;
  /** Also email those recipients who gave an address (when SMTP_URL is set). */
  email?: boolean;
}

export interface Mailer {
  send(message: { to: string[]; subject: string; text: string }): Promise<void>;
}

export interface NotifierLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** SMTP through nodemailer; null when SMTP_URL is empty (no email, said at start-up). */
export function smtpMailer(url: string, from: string): Mailer | null {
  if (!url) return null;
  const transport = nodemailer.createTransport(url);
  return {
    async send(m) {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text });
    },
  };
}

/** Who is in a department (default: the users.department_id column); replaceable should membership grow richer. */
export type DepartmentMembers = (db: Executor, departmentId: string) => Promise<string[]>;

/**
 * The one way modules tell people something: an in-app row per recipient, a live `notification` event to that
 * recipient alone, email to those who asked for it, and outgoing webhooks subscribed at the concerned node or above.
 * Call it after the change committed: a notification is the consequence of a stored fact, never part of it.
 */
export class Notifier {
  private readonly sending = new Set<Promise<void>>();
  departmentMembers: DepartmentMembers = (db, id) => repo.departmentMembers(db, id);

  constructor(
    private readonly deps: { db: Db; clock: Clock; bus?: EventBus; mailer: Mailer | null; webhooks: WebhookDispatcher; publicUrl: string; log?: NotifierLog },
  ) {}

  get emailEnabled(): boolean {
    return this.deps.mailer !== null;
  }

  /** Recipients: the listed users, the department's members, the permitted users at `node` or above it (active ones). */
  async recipients(input: Pick<NotifyInput, 'userIds' | 'departmentId' | 'node' | 'permission'>): Promise<string[]> {
    const { db } = this.deps;
    const ids = new Set<string>();
    for (const u of await repo.activeUsers(db, input.userIds ?? [])) ids.add(u.id);
    if (input.departmentId) for (const id of await this.departmentMembers(db, input.departmentId)) ids.add(id);
    if (input.node && input.permission) {
      const permission = input.permission;
      const roles = ROLES.filter((r) => roleCan(r, permission));
      for (const u of await repo.usersAt(db, ancestorCodes(input.node), roles)) ids.add(u.id);
    }
    return [...ids].sort();
  }

  async notify(input: NotifyInput): Promise<{ delivered: number }> {
    const { db, clock, bus } = this.deps;
    const userIds = await this.recipients(input);
    const now = clock.now();
    const link = input.link ?? null;
    const rows: NotificationsTable[] = userIds.map((user_id) => ({ id: newId(), user_id, kind: input.kind, title: input.title, body: input.body, link, created_at: now, read_at: null }));
    await repo.insertMany(db, rows);
    for (const r of rows) {
      void bus?.publish({ type: 'notification', node: null, ownerId: r.user_id, data: { notificationId: r.id, kind: r.kind, title: r.title, link } }).catch(() => undefined);
    }
    if (input.email && this.deps.mailer && userIds.length) this.track(this.email(userIds, input));
    await this.deps.webhooks.enqueue(input.kind, input.node ?? null, { title: input.title, body: input.body, link }).catch((err: unknown) => {
      this.deps.log?.warn({ err, kind: input.kind }, 'webhook deliveries not queued');
    });
    return { delivered: rows.length };
  }

  /** Resolves when the emails sent so far have been handed to the SMTP server (tests, orderly shutdown). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.sending]);
  }

  private track(p: Promise<void>): void {
    this.sending.add(p);
    void p.finally(() => this.sending.delete(p));
  }

  /** Email goes out after the request: a slow or absent SMTP server never holds up the change that notified. */
  private async email(userIds: string[], input: NotifyInput): Promise<void> {
    const to = (await repo.emailsOf(this.deps.db, userIds)).map((r) => r.email).filter((e): e is string => !!e);
    if (!to.length || !this.deps.mailer) return;
    const url = input.link ? `\n\n${this.deps.publicUrl.replace(/\/$/, '')}${input.link}` : '';
    try {
      await this.deps.mailer.send({ to, subject: `【社区防线】${input.title}`, text: `${input.body}${url}` });
    } catch (err) {
      this.deps.log?.warn({ err, kind: input.kind }, 'notification email not sent');
    }
  }
}
