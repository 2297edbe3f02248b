import type { Config } from '../../config/config.js';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { NotificationsService } from './notifications.service.js';
import { Notifier, smtpMailer, type Mailer } from './notifier.js';
import { WebhookDispatcher } from './webhooks.js';

export interface NotificationServices {
  notifier: Notifier;
  notifications: NotificationsService;
  webhooks: WebhookDispatcher;
}

export function createNotifications(deps: { db: Db; clock: Clock; audit: AuditService; cipher: PersonalDataCipher; bus: EventBus; queue: JobQueue; config: Config; mailer?: Mailer | null }): NotificationServices {
  const { db, clock, audit, cipher, bus, queue, config } = deps;
  const webhooks = new WebhookDispatcher({ db, clock, cipher, queue, maxAttempts: config.notifications.webhookMaxAttempts });
  const mailer = deps.mailer !== undefined ? deps.mailer : smtpMailer(config.notifications.smtpUrl, config.notifications.smtpFrom);
  const notifier = new Notifier({ db, clock, bus, mailer, webhooks, publicUrl: config.publicUrl });
  return { notifier, webhooks, notifications: new NotificationsService({ db, clock, audit, cipher, notifier, webhooks }) };
}
