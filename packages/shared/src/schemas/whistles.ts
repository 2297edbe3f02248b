import { Type, type Static } from '@sinclair/typebox';
import { PERFORMANCE_PERIODS, WHISTLE_LEVELS, WHISTLE_RATINGS, WHISTLE_STATUSES } from '../whistles/rules.js';
import { Id, IsoDate, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';
import { WhistleCategorySchema, WhistleUrgencySchema } from './departments.js';

export const WHISTLE_EVENT_KINDS = ['raised', 'routed', 'rerouted', 'acknowledged', 'progress', 'resolved', 'confirmed', 'reopened', 'escalated', 'file'] as const;
export type WhistleEventKind = (typeof WHISTLE_EVENT_KINDS)[number];

export const WhistleStatusSchema = StringEnum(WHISTLE_STATUSES);
export const WhistleLevelSchema = StringEnum(WHISTLE_LEVELS);
export const WhistleRatingSchema = StringEnum(WHISTLE_RATINGS);

const NullableTime = Type.Union([Timestamp, Type.Null()]);

export const WhistleSummary = Type.Object({
  id: Id,
  no: Type.String({ description: 'Human number, e.g. 哨20261129-0001' }),
  category: WhistleCategorySchema,
  urgency: WhistleUrgencySchema,
  title: Type.String(),
  regionCode: RegionCode,
  regionName: Type.String(),
  address: Type.String(),
  status: WhistleStatusSchema,
  /** Who watches it now: the community, or the street / district after escalation. */
  level: WhistleLevelSchema,
  escalated: Type.Boolean(),
  /** Past a deadline now (computed from the stored absolute times). */
  overdue: Type.Union([StringEnum(['ack', 'resolve'] as const), Type.Null()]),
  department: Type.Union([Type.Object({ id: Id, name: Type.String() }), Type.Null()]),
  /** How it was routed: by a rule, by the street as 兜底 (no rule), or by a person's choice. */
  routedBy: StringEnum(['rule', 'fallback', 'override'] as const),
  source: StringEnum(['worker', 'inbox'] as const),
  raisedBy: Type.String(),
  createdAt: Timestamp,
  ackDueAt: Timestamp,
  resolveDueAt: Timestamp,
  acknowledgedAt: NullableTime,
  resolvedAt: NullableTime,
  closedAt: NullableTime,
  rating: Type.Union([WhistleRatingSchema, Type.Null()]),
  solved: Type.Union([Type.Boolean(), Type.Null()]),
  reopenCount: Type.Integer(),
  version: Type.Integer(),
});
export type WhistleSummary = Static<typeof WhistleSummary>;

export const WhistleEvent = Type.Object({
  id: Id,
  kind: StringEnum(WHISTLE_EVENT_KINDS),
  at: Timestamp,
  actor: Type.String(),
  note: Type.String(),
  level: WhistleLevelSchema,
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type WhistleEvent = Static<typeof WhistleEvent>;

export const WhistleFile = Type.Object({
  id: Id,
  stage: StringEnum(['raise', 'progress', 'resolve'] as const),
  fileName: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  uploadedBy: Type.String(),
  createdAt: Timestamp,
});
export type WhistleFile = Static<typeof WhistleFile>;

export const WhistleDetail = Type.Composite([
  WhistleSummary,
  Type.Object({
    description: Type.String(),
    lat: Type.Union([Type.Number(), Type.Null()]),
    lng: Type.Union([Type.Number(), Type.Null()]),
    coDepartments: Type.Array(Type.Object({ id: Id, name: Type.String() })),
    dutyPhone: Type.Union([Type.String(), Type.Null()]),
    events: Type.Array(WhistleEvent),
    files: Type.Array(WhistleFile),
    /** What the caller may do now (the page shows these buttons only). */
    actions: Type.Array(StringEnum(['acknowledge', 'progress', 'resolve', 'confirm', 'reopen', 'reroute', 'upload'] as const)),
  }),
]);
export type WhistleDetail = Static<typeof WhistleDetail>;
export type WhistleAction = WhistleDetail['actions'][number];

export const RaiseWhistleBody = Type.Object(
  {
    category: WhistleCategorySchema,
    urgency: WhistleUrgencySchema,
    title: Type.String({ minLength: 2, maxLength: 80 }),
    description: Type.String({ minLength: 2, maxLength: 2000 }),
    regionCode: RegionCode,
    address: Type.Optional(Type.String({ maxLength: 200 })),
    lat: Type.Optional(Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()])),
    lng: Type.Optional(Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()])),
    /** Dispatch straight to this department instead of the routing rules (community desk and command only). */
    departmentId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type RaiseWhistleBody = Static<typeof RaiseWhistleBody>;

export const RaisedWhistle = Type.Object({ id: Id, no: Type.String(), departmentId: Type.Union([Id, Type.Null()]) });

export const WhistleNoteBody = Type.Object({ version: Type.Integer(), note: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false });
export type WhistleNoteBody = Static<typeof WhistleNoteBody>;
export const AcknowledgeWhistleBody = Type.Object({ version: Type.Integer(), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export type AcknowledgeWhistleBody = Static<typeof AcknowledgeWhistleBody>;

export const ConfirmWhistleBody = Type.Object(
  { version: Type.Integer(), rating: WhistleRatingSchema, solved: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type ConfirmWhistleBody = Static<typeof ConfirmWhistleBody>;

export const RerouteWhistleBody = Type.Object(
  { version: Type.Integer(), departmentId: Type.Union([Id, Type.Null()]), note: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);
export type RerouteWhistleBody = Static<typeof RerouteWhistleBody>;

export const WhistleListQuery = Type.Object(
  {
    ...PageQuery,
    node: Type.Optional(RegionCode),
    status: Type.Optional(Type.Array(WhistleStatusSchema, { maxItems: 4 })),
    urgency: Type.Optional(WhistleUrgencySchema),
    category: Type.Optional(WhistleCategorySchema),
    overdue: Type.Optional(Type.Boolean()),
    escalated: Type.Optional(Type.Boolean()),
    departmentId: Type.Optional(Id),
    q: Type.Optional(Type.String({ maxLength: 50 })),
  },
  { additionalProperties: false },
);
export type WhistleListQuery = Static<typeof WhistleListQuery>;

export const WhistleCounts = Type.Object({
  pendingAck: Type.Integer(),
  handling: Type.Integer(),
  awaitingRating: Type.Integer(),
  overdue: Type.Integer(),
  escalated: Type.Integer(),
});
export type WhistleCounts = Static<typeof WhistleCounts>;

export const WhistlePage = Type.Object({ items: Type.Array(WhistleSummary), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), counts: WhistleCounts });
export type WhistlePage = Static<typeof WhistlePage>;

// ---- performance figures ----

export const PerformanceQuery = Type.Object(
  {
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    period: Type.Optional(StringEnum(PERFORMANCE_PERIODS)),
    node: Type.Optional(RegionCode),
  },
  { additionalProperties: false },
);
export type PerformanceQuery = Static<typeof PerformanceQuery>;

const RatesSchema = Type.Object({
  dispatched: Type.Integer(),
  respondedInTime: Type.Integer(),
  rated: Type.Integer(),
  solved: Type.Integer(),
  satisfied: Type.Integer(),
  responseRate: Type.Union([Type.Number(), Type.Null()]),
  resolutionRate: Type.Union([Type.Number(), Type.Null()]),
  satisfactionRate: Type.Union([Type.Number(), Type.Null()]),
  avgAckMinutes: Type.Union([Type.Number(), Type.Null()]),
  avgResolveHours: Type.Union([Type.Number(), Type.Null()]),
  overdueNow: Type.Integer(),
  ackLate: Type.Integer(),
});

export const PerformanceRow = Type.Composite([Type.Object({ key: Type.String(), name: Type.String() }), RatesSchema]);
export type PerformanceRow = Static<typeof PerformanceRow>;

export const PerformanceReport = Type.Object({
  from: IsoDate,
  to: IsoDate,
  period: StringEnum(PERFORMANCE_PERIODS),
  nodeCode: RegionCode,
  total: RatesSchema,
  byDepartment: Type.Array(PerformanceRow),
  byCommunity: Type.Array(PerformanceRow),
  byPeriod: Type.Array(PerformanceRow),
  /** The formulas used, in words (shown on the page). */
  formulas: Type.Object({ response: Type.String(), resolution: Type.String(), satisfaction: Type.String() }),
});
export type PerformanceReport = Static<typeof PerformanceReport>;
