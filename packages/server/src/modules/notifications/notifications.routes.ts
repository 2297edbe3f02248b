import {
  CreateWebhookBody, ErrorResponse, Id, MarkReadBody, MarkReadResult, NotificationListQuery, NotificationPage, NotificationSettings, NotificationSettingsView, Ok, UnreadCount,
  UpdateWebhookBody, WebhookDeliveries, WebhookSubscription, WebhookSubscriptions,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { NotificationsService } from './notifications.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function notificationsRoutes(app: App, notifications: NotificationsService): void {
  app.get('/api/notifications', {
    config: { access: 'authenticated' },
    schema: { tags: ['notifications'], summary: 'My notifications, newest first, with the unread count', querystring: NotificationListQuery, response: { 200: NotificationPage, ...errors } },
    handler: (req) => notifications.list(scopeOf(req), req.query),
  });
  app.get('/api/notifications/unread', {
    config: { access: 'authenticated' },
    schema: { tags: ['notifications'], summary: 'How many of my notifications are unread (the bell)', response: { 200: UnreadCount, ...errors } },
    handler: (req) => notifications.unread(scopeOf(req)),
  });
  app.post('/api/notifications/read', {
    config: { access: 'authenticated' },
    schema: { tags: ['notifications'], summary: 'Mark some or all of my notifications read', body: MarkReadBody, response: { 200: MarkReadResult, ...errors } },
    handler: (req) => notifications.markRead(scopeOf(req), req.body),
  });
  app.get('/api/notifications/settings', {
    config: { access: 'authenticated' },
    schema: { tags: ['notifications'], summary: 'My email for notifications, and whether the server sends email', response: { 200: NotificationSettingsView, ...errors } },
    handler: (req) => notifications.settings(scopeOf(req)),
  });
  app.put('/api/notifications/settings', {
    config: { access: 'authenticated' },
    schema: { tags: ['notifications'], summary: 'Set my email for notifications (audited)', body: NotificationSettings, response: { 200: NotificationSettingsView, ...errors } },
    handler: (req) => notifications.saveSettings(scopeOf(req), req.body),
  });
  app.get('/api/webhooks', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['notifications'], summary: 'Outgoing webhook subscriptions under my node', response: { 200: WebhookSubscriptions, ...errors } },
    handler: (req) => notifications.webhooks(scopeOf(req)),
  });
  app.post('/api/webhooks', {
    config: { access: 'inbox.manage' },
    schema: {
      tags: ['notifications'],
      summary: 'Subscribe a URL to notifications concerning my node (audited)',
      description: 'Each notification of a listed kind (all when empty) concerning the node or below is POSTed as JSON { id, kind, title, body, link, node, at } with header X-Gridline-Signature: sha256=<hex HMAC-SHA256 of the body under the secret>; non-2xx answers are retried with backoff (30 s, 2 min, 8 min, …) up to WEBHOOK_MAX_ATTEMPTS.',
      body: CreateWebhookBody,
      response: { 201: WebhookSubscription, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(await notifications.createWebhook(scopeOf(req), req.body)),
  });
  app.patch('/api/webhooks/:id', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['notifications'], summary: 'Change or pause a webhook subscription (audited)', params, body: UpdateWebhookBody, response: { 200: WebhookSubscription, ...errors } },
    handler: (req) => notifications.updateWebhook(scopeOf(req), req.params.id, req.body),
  });
  app.delete('/api/webhooks/:id', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['notifications'], summary: 'Remove a webhook subscription (audited)', params, response: { 200: Ok, ...errors } },
    handler: (req) => notifications.deleteWebhook(scopeOf(req), req.params.id),
  });
  app.get('/api/webhooks/:id/deliveries', {
    config: { access: 'inbox.manage' },
    schema: { tags: ['notifications'], summary: 'Recent deliveries of a subscription with every attempt', params, response: { 200: WebhookDeliveries, ...errors } },
    handler: (req) => notifications.deliveries(scopeOf(req), req.params.id),
  });
}
