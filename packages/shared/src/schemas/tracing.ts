import { Type, type Static } from '@sinclair/typebox';
import { Id, IsoDate, Page, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

/** Contact tracing (流调, issue #6): contacts of a case, bulk decisions, follow-up, the report, chains, the 24-hour clock. */

export const CONTACT_CATEGORIES = ['close', 'secondary', 'general'] as const;
export type ContactCategory = (typeof CONTACT_CATEGORIES)[number];
export const CONTACT_SOURCES = ['household', 'colocation', 'entered', 'secondary'] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];
export const CONTACT_STATUSES = ['proposed', 'confirmed', 'rejected'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const CONTACT_CATEGORY_LABELS: Record<ContactCategory, { zh: string; en: string }> = {
  close: { zh: '密切接触者', en: 'Close contact' },
  secondary: { zh: '密接的密接', en: 'Secondary contact' },
  general: { zh: '一般接触者', en: 'General contact' },
};
export const CONTACT_SOURCE_LABELS: Record<ContactSource, { zh: string; en: string }> = {
  household: { zh: '同住家庭成员', en: 'Household member' },
  colocation: { zh: '同场所扫码重叠', en: 'Co-location at a place' },
  entered: { zh: '流调员录入', en: 'Entered by the tracer' },
  secondary: { zh: '密接的同住人员', en: 'Lives with a close contact' },
};

/** Why a contact was proposed; one person's evidence is merged from every source. */
export const ContactEvidence = Type.Object({
  kind: StringEnum(CONTACT_SOURCES),
  /** colocation: the place, the case's and the contact's scans, the shared stretch. */
  placeId: Type.Optional(Type.String()),
  placeName: Type.Optional(Type.String()),
  caseScans: Type.Optional(Type.Array(Timestamp)),
  contactScans: Type.Optional(Type.Array(Timestamp)),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  overlapMinutes: Type.Optional(Type.Integer()),
  /** household / secondary: the shared household's address; secondary: whom they live with. */
  address: Type.Optional(Type.String()),
  viaName: Type.Optional(Type.String()),
  /** entered: what the tracer wrote. */
  note: Type.Optional(Type.String()),
  by: Type.Optional(Type.String()),
});
export type ContactEvidence = Static<typeof ContactEvidence>;

export const Contact = Type.Object({
  id: Id,
  caseId: Id,
  category: StringEnum(CONTACT_CATEGORIES),
  source: StringEnum(CONTACT_SOURCES),
  status: StringEnum(CONTACT_STATUSES),
  residentId: Type.Union([Id, Type.Null()]),
  personName: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  regionCode: RegionCode,
  gridCode: Type.String(),
  address: Type.String(),
  relation: Type.String(),
  viaContactId: Type.Union([Id, Type.Null()]),
  exposureAt: Timestamp,
  evidence: Type.Array(ContactEvidence),
  protocolId: Type.String({ description: 'The protocol version in force at the exposure date' }),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  notifiedAt: Type.Union([Timestamp, Type.Null()]),
  taskId: Type.Union([Id, Type.Null()]),
  version: Type.Integer(),
});
export type Contact = Static<typeof Contact>;

export const ClockView = Type.Object({
  confirmedAt: Timestamp,
  identifiedAt: Type.Union([Timestamp, Type.Null()]),
  notifiedAt: Type.Union([Timestamp, Type.Null()]),
  elapsedMs: Type.Integer(),
  done: Type.Boolean(),
  met: Type.Union([Type.Boolean(), Type.Null()]),
  atRisk: Type.Boolean(),
});
export type ClockView = Static<typeof ClockView>;

export const TraceWindowView = Type.Object({
  from: Timestamp,
  to: Timestamp,
  anchor: StringEnum(['onset', 'sampling'] as const),
  anchorDate: IsoDate,
  lookbackDays: Type.Integer(),
  protocolId: Type.String(),
  protocolName: Type.String(),
});
export type TraceWindowView = Static<typeof TraceWindowView>;

const Counts = Type.Object({
  proposed: Type.Integer(), confirmed: Type.Integer(), rejected: Type.Integer(), notified: Type.Integer(),
  close: Type.Integer(), secondary: Type.Integer(), general: Type.Integer(),
  /** Contacts living outside the caller's jurisdiction (handed over; not shown). */
  elsewhere: Type.Integer(),
});

export const CaseTracing = Type.Object({
  caseId: Id,
  caseNo: Type.String(),
  personName: Type.String(),
  classification: Type.String(),
  confirmedAt: Type.Union([Timestamp, Type.Null()]),
  window: Type.Union([TraceWindowView, Type.Null()]),
  contacts: Type.Array(Contact),
  counts: Counts,
  clock: Type.Union([ClockView, Type.Null()]),
});
export type CaseTracing = Static<typeof CaseTracing>;

export const TraceResult = Type.Object({
  window: TraceWindowView,
  /** People newly proposed, and people already listed whose evidence was merged. */
  added: Type.Integer(),
  merged: Type.Integer(),
  bySource: Type.Object({ household: Type.Integer(), colocation: Type.Integer(), secondary: Type.Integer() }),
});
export type TraceResult = Static<typeof TraceResult>;

export const EnterContactBody = Type.Object(
  {
    /** A registered resident… */
    residentId: Type.Optional(Id),
    /** …or a person outside the register. */
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    relation: Type.String({ minLength: 1, maxLength: 50 }),
    exposureAt: Timestamp,
    category: Type.Optional(StringEnum(['close', 'general'] as const)),
    note: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type EnterContactBody = Static<typeof EnterContactBody>;

export const CONTACT_BULK_ACTIONS = ['confirm', 'reject', 'assign', 'notify'] as const;
export const BulkContactsBody = Type.Object(
  {
    ids: Type.Array(Id, { minItems: 1, maxItems: 5000, uniqueItems: true }),
    action: StringEnum(CONTACT_BULK_ACTIONS),
    /** assign: the user who takes the follow-up tasks. */
    assigneeId: Type.Optional(Id),
    note: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type BulkContactsBody = Static<typeof BulkContactsBody>;
export const BulkContactsResult = Type.Object({ updated: Type.Integer(), skipped: Type.Integer(), tasksCreated: Type.Integer() });
export type BulkContactsResult = Static<typeof BulkContactsResult>;

export const ContactMeasureView = Type.Object({
  centralizedDays: Type.Integer(), homeIsolationDays: Type.Integer(), homeMonitoringDays: Type.Integer(), testDays: Type.Array(Type.Integer()),
});

/** What a grid worker sees of a confirmed contact in its grid: only what follow-up needs. */
export const FollowupContact = Type.Object({
  id: Id,
  caseNo: Type.String(),
  personName: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  address: Type.String(),
  regionCode: RegionCode,
  category: StringEnum(CONTACT_CATEGORIES),
  exposureAt: Timestamp,
  notifiedAt: Type.Union([Timestamp, Type.Null()]),
  /** The measure the protocol in force at the exposure date prescribes; null where the category is no longer managed. */
  measure: Type.Union([ContactMeasureView, Type.Null()]),
  protocolId: Type.String(),
  /** Last day of the measure (YYYY-MM-DD), counted from the day after the exposure. */
  untilDate: Type.Union([IsoDate, Type.Null()]),
  taskId: Type.Union([Id, Type.Null()]),
});
export type FollowupContact = Static<typeof FollowupContact>;
export const FollowupQuery = Type.Object({ ...PageQuery, node: Type.Optional(RegionCode) }, { additionalProperties: false });
export type FollowupQuery = Static<typeof FollowupQuery>;
export const FollowupPage = Page(FollowupContact);
export type FollowupPage = Static<typeof FollowupPage>;

export const ClockCase = Type.Object({
  caseId: Id, caseNo: Type.String(), personName: Type.String(), regionCode: RegionCode,
  confirmed: Type.Integer(), notified: Type.Integer(),
  clock: ClockView,
});
export type ClockCase = Static<typeof ClockCase>;
export const ClockDay = Type.Object({ day: IsoDate, cases: Type.Integer(), met: Type.Integer(), missed: Type.Integer(), running: Type.Integer() });
export const ClockSummary = Type.Object({
  /** Cases confirmed within `days` whose contacts are not all notified and 18 h or more have passed, longest first. */
  atRisk: Type.Array(ClockCase),
  /** Every case confirmed in the period, newest first (at most 200). */
  cases: Type.Array(ClockCase),
  days: Type.Array(ClockDay),
  totals: Type.Object({ cases: Type.Integer(), met: Type.Integer(), missed: Type.Integer(), running: Type.Integer() }),
});
export type ClockSummary = Static<typeof ClockSummary>;
export const ClockQuery = Type.Object({ node: Type.Optional(RegionCode), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })) }, { additionalProperties: false });
export type ClockQuery = Static<typeof ClockQuery>;

// ---- Transmission chains ----
export const GRAPH_EDGE_TYPES = ['household', 'colocation', 'entered', 'secondary', 'became_case'] as const;
export type GraphEdgeType = (typeof GRAPH_EDGE_TYPES)[number];

export const ClusterSummary = Type.Object({
  id: Type.String({ description: 'Stable while the cluster keeps its earliest case' }),
  size: Type.Integer(),
  cases: Type.Integer(),
  contacts: Type.Integer(),
  firstAt: Timestamp,
  lastAt: Timestamp,
  caseNos: Type.Array(Type.String(), { description: 'The first case numbers (at most 5)' }),
  places: Type.Array(Type.String(), { description: 'The places most exposures happened at (at most 5)' }),
});
export type ClusterSummary = Static<typeof ClusterSummary>;
export const ClusterQuery = Type.Object({ ...PageQuery, node: Type.Optional(RegionCode), minSize: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
export type ClusterQuery = Static<typeof ClusterQuery>;
export const ClusterPage = Type.Object({
  items: Type.Array(ClusterSummary), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(),
  totals: Type.Object({ cases: Type.Integer(), contacts: Type.Integer(), clusters: Type.Integer() }),
});
export type ClusterPage = Static<typeof ClusterPage>;

export const GraphNode = Type.Object({
  id: Type.String(),
  kind: StringEnum(['case', 'contact'] as const),
  label: Type.String(),
  category: Type.Union([StringEnum(CONTACT_CATEGORIES), Type.Null()]),
  status: Type.Union([StringEnum(CONTACT_STATUSES), Type.Null()]),
  caseId: Type.Union([Id, Type.Null()]),
});
export type GraphNode = Static<typeof GraphNode>;
export const GraphEdge = Type.Object({ source: Type.String(), target: Type.String(), type: StringEnum(GRAPH_EDGE_TYPES) });
export type GraphEdge = Static<typeof GraphEdge>;
export const ClusterDetail = Type.Object({
  summary: ClusterSummary,
  nodes: Type.Array(GraphNode),
  edges: Type.Array(GraphEdge),
  /** More nodes than the limit: the cases and the first contacts are shown. */
  truncated: Type.Boolean(),
});
export type ClusterDetail = Static<typeof ClusterDetail>;
export const ClusterDetailQuery = Type.Object({ node: Type.Optional(RegionCode), limit: Type.Optional(Type.Integer({ minimum: 10, maximum: 3000 })) }, { additionalProperties: false });
export type ClusterDetailQuery = Static<typeof ClusterDetailQuery>;
export const GraphSearchQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 50 }), node: Type.Optional(RegionCode) }, { additionalProperties: false });
export const GraphSearchResult = Type.Object({ matches: Type.Array(Type.Object({ clusterId: Type.String(), nodeId: Type.String(), label: Type.String(), kind: StringEnum(['case', 'contact'] as const) })) });
export type GraphSearchResult = Static<typeof GraphSearchResult>;

export const ReportQuery = Type.Object({ format: StringEnum(['docx', 'xlsx'] as const) }, { additionalProperties: false });
