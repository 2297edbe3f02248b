import { Type, type Static } from '@sinclair/typebox';
import { WHISTLE_CATEGORIES, WHISTLE_URGENCIES } from '../whistles/categories.js';
import { Id, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

/** Where an inbox item came from (线上一张网): the resident portal, the 12345 hotline, chat robots, email. */
export const INBOX_CHANNELS = ['portal', 'hotline', 'robot', 'email'] as const;
export type InboxChannel = (typeof INBOX_CHANNELS)[number];
export const INBOX_CHANNEL_LABELS: Record<InboxChannel, { zh: string; en: string }> = {
  portal: { zh: '居民端', en: 'Resident portal' },
  hotline: { zh: '12345热线', en: '12345 hotline' },
  robot: { zh: '群机器人', en: 'Chat robot' },
  email: { zh: '电子邮件', en: 'Email' },
};

/** new → routed (a whistle) | duplicate (of an earlier item) | dismissed (with a reason). */
export const INBOX_STATUSES = ['new', 'routed', 'duplicate', 'dismissed'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];
export const INBOX_STATUS_LABELS: Record<InboxStatus, { zh: string; en: string }> = {
  new: { zh: '待处理', en: 'New' },
  routed: { zh: '已派发', en: 'Routed' },
  duplicate: { zh: '重复', en: 'Duplicate' },
  dismissed: { zh: '已驳回', en: 'Dismissed' },
};

export const InboxCategory = StringEnum(WHISTLE_CATEGORIES);
export const InboxUrgency = StringEnum(WHISTLE_URGENCIES);
export const CONFIDENCES = ['high', 'low', 'none'] as const;

export const InboxItem = Type.Object({
  id: Id,
  channel: StringEnum(INBOX_CHANNELS),
  externalId: Type.Union([Type.String(), Type.Null()], { description: 'Ticket number, message id, Message-ID' }),
  receivedAt: Timestamp,
  regionCode: RegionCode,
  regionName: Type.String(),
  /** Masked: 张*伟. */
  reporterName: Type.Union([Type.String(), Type.Null()]),
  /** Masked: 139****1111. */
  reporterPhone: Type.Union([Type.String(), Type.Null()]),
  address: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  requestedCategory: Type.Union([InboxCategory, Type.Null()], { description: 'What the reporter chose (portal)' }),
  category: Type.Union([InboxCategory, Type.Null()]),
  urgency: InboxUrgency,
  ruleName: Type.Union([Type.String(), Type.Null()], { description: 'The keyword rule that classified it' }),
  matched: Type.Array(Type.String()),
  confidence: StringEnum(CONFIDENCES),
  status: StringEnum(INBOX_STATUSES),
  duplicateOf: Type.Union([Id, Type.Null()]),
  whistleId: Type.Union([Type.String(), Type.Null()]),
  whistleNo: Type.Union([Type.String(), Type.Null()]),
  deadlineAt: Type.Union([Timestamp, Type.Null()]),
  meta: Type.Record(Type.String(), Type.Unknown()),
  hasPhoto: Type.Boolean(),
  note: Type.String(),
  handledBy: Type.Union([Type.String(), Type.Null()]),
  handledAt: Type.Union([Timestamp, Type.Null()]),
  version: Type.Integer(),
});
export type InboxItem = Static<typeof InboxItem>;

export const InboxItemDetail = Type.Composite([
  InboxItem,
  Type.Object({
    photo: Type.Union([Type.String(), Type.Null()]),
    duplicates: Type.Array(Type.Object({ id: Id, channel: StringEnum(INBOX_CHANNELS), receivedAt: Timestamp })),
  }),
]);
export type InboxItemDetail = Static<typeof InboxItemDetail>;

export const InboxListQuery = Type.Object(
  {
    ...PageQuery,
    node: Type.Optional(RegionCode),
    channel: Type.Optional(StringEnum(INBOX_CHANNELS)),
    status: Type.Optional(StringEnum(INBOX_STATUSES)),
    category: Type.Optional(InboxCategory),
    uncategorized: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type InboxListQuery = Static<typeof InboxListQuery>;

export const InboxCounts = Type.Object({ new: Type.Integer(), routed: Type.Integer(), duplicate: Type.Integer(), dismissed: Type.Integer() });
export const InboxPage = Type.Object({ items: Type.Array(InboxItem), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), counts: InboxCounts });
export type InboxPage = Static<typeof InboxPage>;

export const ClassifyBody = Type.Object({ version: Type.Integer({ minimum: 1 }), category: InboxCategory, urgency: Type.Optional(InboxUrgency) }, { additionalProperties: false });
export type ClassifyBody = Static<typeof ClassifyBody>;
export const RouteBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    category: Type.Optional(InboxCategory),
    urgency: Type.Optional(InboxUrgency),
    /** Override the routing rules' department. */
    departmentId: Type.Optional(Id),
    title: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type RouteBody = Static<typeof RouteBody>;
export const DismissBody = Type.Object({ version: Type.Integer({ minimum: 1 }), note: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
export type DismissBody = Static<typeof DismissBody>;

// ---- keyword rules ----
export const InboxRule = Type.Object({
  id: Id,
  nodeCode: RegionCode,
  name: Type.String(),
  category: InboxCategory,
  urgency: InboxUrgency,
  keywords: Type.Array(Type.String()),
  minHits: Type.Integer(),
  autoRoute: Type.Boolean(),
  active: Type.Boolean(),
  priority: Type.Integer(),
  version: Type.Integer(),
});
export type InboxRule = Static<typeof InboxRule>;
export const InboxRules = Type.Array(InboxRule);

const ruleFields = {
  name: Type.String({ minLength: 1, maxLength: 40 }),
  category: InboxCategory,
  urgency: InboxUrgency,
  keywords: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 1, maxItems: 100 }),
  minHits: Type.Integer({ minimum: 1, maximum: 10 }),
  autoRoute: Type.Boolean(),
  active: Type.Boolean(),
  priority: Type.Integer({ minimum: 0, maximum: 10000 }),
};
export const CreateInboxRuleBody = Type.Object(
  {
    name: ruleFields.name, category: ruleFields.category, keywords: ruleFields.keywords, urgency: Type.Optional(ruleFields.urgency), minHits: Type.Optional(ruleFields.minHits),
    autoRoute: Type.Optional(ruleFields.autoRoute), active: Type.Optional(ruleFields.active), priority: Type.Optional(ruleFields.priority), nodeCode: Type.Optional(RegionCode),
  },
  { additionalProperties: false },
);
export type CreateInboxRuleBody = Static<typeof CreateInboxRuleBody>;
export const UpdateInboxRuleBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(ruleFields.name), category: Type.Optional(ruleFields.category), keywords: Type.Optional(ruleFields.keywords), urgency: Type.Optional(ruleFields.urgency),
    minHits: Type.Optional(ruleFields.minHits), autoRoute: Type.Optional(ruleFields.autoRoute), active: Type.Optional(ruleFields.active), priority: Type.Optional(ruleFields.priority),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type UpdateInboxRuleBody = Static<typeof UpdateInboxRuleBody>;

export const RuleTestBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }), node: Type.Optional(RegionCode) }, { additionalProperties: false });
export const RuleTestResult = Type.Object({
  category: Type.Union([InboxCategory, Type.Null()]),
  urgency: InboxUrgency,
  ruleId: Type.Union([Type.String(), Type.Null()]),
  ruleName: Type.Union([Type.String(), Type.Null()]),
  matched: Type.Array(Type.String()),
  confidence: StringEnum(CONFIDENCES),
  autoRoute: Type.Boolean(),
  candidates: Type.Array(Type.Object({ ruleId: Type.String(), ruleName: Type.String(), category: InboxCategory, hits: Type.Array(Type.String()) })),
});

// ---- intake ----
/** What became of one incoming item. */
export const IntakeOutcome = Type.Object({
  index: Type.Integer({ description: '0-based position in the batch (row number for files: see `row`)' }),
  row: Type.Optional(Type.Integer()),
  status: StringEnum(['accepted', 'duplicate', 'rejected'] as const),
  itemId: Type.Optional(Id),
  /** Set when accepted and routed at once. */
  whistleNo: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
});
export type IntakeOutcome = Static<typeof IntakeOutcome>;
export const IntakeResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  routed: Type.Integer(),
  items: Type.Array(IntakeOutcome),
  /** Every problem of a file import, row by row, in Chinese. */
  errors: Type.Array(Type.Object({ row: Type.Integer(), field: Type.Union([Type.String(), Type.Null()]), message: Type.String() })),
});
export type IntakeResult = Static<typeof IntakeResult>;

export const HotlinePushBody = Type.Object(
  { tickets: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false, description: 'Tickets with the fields ticketNo, receivedAt, requester, phone, address, content, type, deadlineAt, urgency' },
);
export const RobotBatchBody = Type.Object(
  { messages: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false, description: 'Chat-robot messages, each in a documented shape (plain, WeCom, DingTalk, Feishu)' },
);

/** 我要反映: a resident's request or report from the portal. */
export const PortalSubmitBody = Type.Object(
  {
    category: Type.Optional(InboxCategory),
    text: Type.String({ minLength: 5, maxLength: 2000 }),
    /** A photo as a data URL (JPEG/PNG/WebP), at most ~700 KB. */
    photo: Type.Optional(Type.String({ maxLength: 1_000_000, pattern: '^data:image/(jpeg|png|webp);base64,' })),
  },
  { additionalProperties: false },
);
export type PortalSubmitBody = Static<typeof PortalSubmitBody>;
export const PortalSubmission = Type.Object({
  id: Id, receivedAt: Timestamp, category: Type.Union([InboxCategory, Type.Null()]), text: Type.String(), status: StringEnum(INBOX_STATUSES), whistleNo: Type.Union([Type.String(), Type.Null()]),
});
export const PortalSubmissions = Type.Array(PortalSubmission);

// ---- tokens of the systems that push ----
export const INBOX_TOKEN_CHANNELS = ['hotline', 'robot'] as const;
export const InboxToken = Type.Object({
  id: Id, nodeCode: RegionCode, name: Type.String(), channel: StringEnum(INBOX_TOKEN_CHANNELS), active: Type.Boolean(), createdAt: Timestamp, lastUsedAt: Type.Union([Timestamp, Type.Null()]),
});
export const InboxTokens = Type.Array(InboxToken);
export const CreateInboxTokenBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 60 }), channel: StringEnum(INBOX_TOKEN_CHANNELS), nodeCode: Type.Optional(RegionCode) },
  { additionalProperties: false },
);
export type CreateInboxTokenBody = Static<typeof CreateInboxTokenBody>;
export const CreatedInboxToken = Type.Composite([InboxToken, Type.Object({ token: Type.String({ description: 'Shown once' }) })]);
