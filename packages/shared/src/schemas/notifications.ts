import { Type, type Static } from '@sinclair/typebox';
import { Id, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

/** One in-app notification of the signed-in user (read_at null = unread). */
export const Notification = Type.Object({
  id: Id,
  kind: Type.String({ description: 'What it is about, e.g. whistle.routed, inbox.new, report.received' }),
  title: Type.String(),
  body: Type.String(),
  link: Type.Union([Type.String(), Type.Null()], { description: 'Console path to open (e.g. /inbox?id=…)' }),
  createdAt: Timestamp,
  readAt: Type.Union([Timestamp, Type.Null()]),
});
export type Notification = Static<typeof Notification>;

export const NotificationListQuery = Type.Object({ ...PageQuery, unread: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type NotificationListQuery = Static<typeof NotificationListQuery>;

export const NotificationPage = Type.Object({
  items: Type.Array(Notification),
  total: Type.Integer(),
  unread: Type.Integer({ description: 'Unread notifications in all (for the bell)' }),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
export type NotificationPage = Static<typeof NotificationPage>;

export const UnreadCount = Type.Object({ unread: Type.Integer() });

export const MarkReadBody = Type.Object(
  { ids: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200 })), all: Type.Optional(Type.Literal(true)) },
  { additionalProperties: false, minProperties: 1 },
);
export type MarkReadBody = Static<typeof MarkReadBody>;
export const MarkReadResult = Type.Object({ marked: Type.Integer(), unread: Type.Integer() });

/** Where the signed-in user also wants notifications: an email address (only used when SMTP is configured). */
export const NotificationSettings = Type.Object(
  {
    email: Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()]),
    emailEnabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type NotificationSettings = Static<typeof NotificationSettings>;
export const NotificationSettingsView = Type.Object({ email: Type.Union([Type.String(), Type.Null()]), emailEnabled: Type.Boolean(), smtpConfigured: Type.Boolean() });
export type NotificationSettingsView = Static<typeof NotificationSettingsView>;

// ---- outgoing webhooks ----
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const WebhookSubscription = Type.Object({
  id: Id,
  nodeCode: RegionCode,
  name: Type.String(),
  url: Type.String(),
  kinds: Type.Array(Type.String(), { description: 'Notification kinds sent; empty = all' }),
  active: Type.Boolean(),
  createdAt: Timestamp,
});
export type WebhookSubscription = Static<typeof WebhookSubscription>;
export const WebhookSubscriptions = Type.Array(WebhookSubscription);

export const CreateWebhookBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    url: Type.String({ pattern: '^https?://', maxLength: 500 }),
    /** Shared secret for the X-Gridline-Signature header (HMAC-SHA256 of the body). */
    secret: Type.String({ minLength: 16, maxLength: 200 }),
    kinds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 50 })),
    nodeCode: Type.Optional(RegionCode),
  },
  { additionalProperties: false },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const UpdateWebhookBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    url: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 500 })),
    kinds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 50 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

export const WebhookAttempt = Type.Object({ attempt: Type.Integer(), at: Timestamp, statusCode: Type.Union([Type.Integer(), Type.Null()]), error: Type.Union([Type.String(), Type.Null()]), durationMs: Type.Integer() });
export const WebhookDelivery = Type.Object({
  id: Id,
  kind: Type.String(),
  status: StringEnum(WEBHOOK_DELIVERY_STATUSES),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Timestamp, Type.Null()]),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  deliveredAt: Type.Union([Timestamp, Type.Null()]),
  log: Type.Array(WebhookAttempt),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;
export const WebhookDeliveries = Type.Array(WebhookDelivery);

/** What a webhook receiver gets (POST, JSON). */
export interface WebhookPayload {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  node: string | null;
  at: number;
}
