import { Type, type Static } from '@sinclair/typebox';
import { MEASURE_KINDS, PERSON_MEASURES } from '../measures/measure-kinds.js';
import { RISK_AREA_LEVELS } from '../protocol/values.js';
import { Id, IsoDate, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

export const MEASURE_STATUSES = ['pending', 'active', 'ended', 'refused'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];
export const MEASURE_STATUS_LABELS: Record<MeasureStatus, { zh: string; en: string }> = {
  pending: { zh: '待审批', en: 'Awaiting approval' },
  active: { zh: '执行中', en: 'In force' },
  ended: { zh: '已解除', en: 'Ended' },
  refused: { zh: '未批准', en: 'Refused' },
};
export const SUBJECT_KINDS = ['close_contact', 'secondary_contact', 'case', 'arrival', 'inbound'] as const;

const Finding = Type.Object({ code: Type.String(), message: Type.String() });
export const MeasureAssessment = Type.Object({
  proportionate: Type.Boolean(),
  excesses: Type.Array(Finding),
  refusals: Type.Array(Finding),
  approval: StringEnum(['community', 'street', 'district'] as const),
  reasonRequired: Type.Boolean(),
  prescribed: Type.String(),
  protocol: Type.Object({ id: Type.String(), name: Type.String() }),
});
export type MeasureAssessment = Static<typeof MeasureAssessment>;

const Subject = Type.Object(
  {
    kind: StringEnum(SUBJECT_KINDS),
    classification: Type.Optional(StringEnum(['confirmed', 'asymptomatic'] as const)),
    origin: Type.Optional(StringEnum(['high', 'medium', 'low'] as const)),
  },
  { additionalProperties: false },
);

export const PersonMeasureBody = Type.Object(
  {
    residentId: Id,
    measure: StringEnum(PERSON_MEASURES),
    subject: Subject,
    firstDay: IsoDate,
    days: Type.Integer({ minimum: 1, maximum: 60 }),
    place: Type.Object(
      {
        kind: StringEnum(['home', 'site'] as const),
        name: Type.String({ maxLength: 100 }),
        /** A designated isolation site (GET /api/measures/sites): its name is stored as the place's name. */
        siteId: Type.Optional(Id),
      },
      { additionalProperties: false },
    ),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'Required when the measure goes beyond the protocol' })),
    source: Type.Optional(Type.Object({ type: Type.String({ maxLength: 40 }), id: Id }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type PersonMeasureBody = Static<typeof PersonMeasureBody>;

export const AreaControlBody = Type.Object(
  {
    level: StringEnum(RISK_AREA_LEVELS),
    scopeCode: RegionCode,
    firstDay: IsoDate,
    plannedDays: Type.Integer({ minimum: 1, maximum: 60 }),
    sealsExits: Type.Optional(Type.Boolean({ description: 'Exits or doors sealed: always refused' })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type AreaControlBody = Static<typeof AreaControlBody>;

export const MeasureDecisionBody = Type.Object({ approve: Type.Boolean(), reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
export type MeasureDecisionBody = Static<typeof MeasureDecisionBody>;
export const MeasureExtendBody = Type.Object(
  { days: Type.Integer({ minimum: 1, maximum: 30, description: 'Days added to the planned end' }), reason: Type.String({ minLength: 4, maxLength: 500 }) },
  { additionalProperties: false },
);
export type MeasureExtendBody = Static<typeof MeasureExtendBody>;
export const MeasureReleaseBody = Type.Object({ note: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
export type MeasureReleaseBody = Static<typeof MeasureReleaseBody>;

export const Measure = Type.Object({
  id: Id,
  kind: StringEnum(MEASURE_KINDS),
  status: StringEnum(MEASURE_STATUSES),
  subjectKind: Type.Union([StringEnum(SUBJECT_KINDS), Type.Null()]),
  resident: Type.Union([Type.Object({ id: Id, name: Type.String() }), Type.Null()]),
  regionCode: RegionCode,
  areaLevel: Type.Union([StringEnum(RISK_AREA_LEVELS), Type.Null()]),
  /** Area controls: residents registered under the node (the people it affects). */
  residentsAffected: Type.Optional(Type.Integer()),
  place: Type.Union([Type.Object({ kind: Type.String(), name: Type.String(), siteId: Type.Optional(Type.Union([Id, Type.Null()])) }), Type.Null()]),
  legalBases: Type.Array(Type.Object({ id: Type.String(), law: Type.String(), lawVersion: Type.String(), article: Type.String() })),
  protocol: Type.Object({ id: Type.String(), name: Type.String() }),
  startAt: Timestamp,
  plannedEndAt: Timestamp,
  endedAt: Type.Union([Timestamp, Type.Null()]),
  /** In force at the moment the answer was made (status active, between start and end). */
  inForce: Type.Boolean(),
  proportionate: Type.Boolean(),
  excesses: Type.Array(Finding),
  requiredApproval: StringEnum(['community', 'street', 'district'] as const),
  reason: Type.String(),
  decision: Type.Union([Type.Object({ by: Type.String(), at: Timestamp, approved: Type.Boolean(), reason: Type.String() }), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Timestamp,
  version: Type.Integer(),
});
export type Measure = Static<typeof Measure>;

export const MeasureListQuery = Type.Object(
  {
    ...PageQuery,
    node: Type.Optional(RegionCode),
    status: Type.Optional(StringEnum(MEASURE_STATUSES)),
    kind: Type.Optional(StringEnum(MEASURE_KINDS)),
    residentId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type MeasureListQuery = Static<typeof MeasureListQuery>;
export const MeasurePage = Type.Object({ items: Type.Array(Measure), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
export type MeasurePage = Static<typeof MeasurePage>;

export const COMPLAINT_KINDS = ['violence', 'sealed_doors', 'blocked_medical', 'tenants_kept_out', 'other'] as const;
export const COMPLAINT_KIND_LABELS: Record<(typeof COMPLAINT_KINDS)[number], { zh: string; en: string }> = {
  violence: { zh: '暴力或粗暴执法', en: 'Violence or rough conduct' },
  sealed_doors: { zh: '封堵门窗或消防通道', en: 'Sealed doors or exits' },
  blocked_medical: { zh: '阻拦就医或医护人员', en: 'Blocked medical care or staff' },
  tenants_kept_out: { zh: '阻止租户返回住所', en: 'Tenants kept out of their homes' },
  other: { zh: '其他', en: 'Other' },
};
export const APPEAL_OUTCOMES = ['upheld', 'revoked', 'modified', 'substantiated', 'unsubstantiated'] as const;
export const APPEAL_OUTCOME_LABELS: Record<(typeof APPEAL_OUTCOMES)[number], { zh: string; en: string }> = {
  upheld: { zh: '维持原措施', en: 'Measure upheld' },
  revoked: { zh: '撤销措施', en: 'Measure revoked' },
  modified: { zh: '变更措施', en: 'Measure changed' },
  substantiated: { zh: '投诉属实，已移交处理', en: 'Complaint substantiated' },
  unsubstantiated: { zh: '投诉不属实', en: 'Complaint not substantiated' },
};

export const FileAppealBody = Type.Object(
  {
    kind: StringEnum(['appeal', 'complaint'] as const),
    measureId: Type.Optional(Id),
    complaintKind: Type.Optional(StringEnum(COMPLAINT_KINDS)),
    text: Type.String({ minLength: 5, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type FileAppealBody = Static<typeof FileAppealBody>;

export const Appeal = Type.Object({
  id: Id,
  kind: StringEnum(['appeal', 'complaint'] as const),
  measureId: Type.Union([Id, Type.Null()]),
  measureKind: Type.Union([StringEnum(MEASURE_KINDS), Type.Null()]),
  complaintKind: Type.Union([StringEnum(COMPLAINT_KINDS), Type.Null()]),
  text: Type.String(),
  filedBy: Type.String(),
  regionCode: RegionCode,
  handlerLevel: Type.String({ description: 'community / street / district, or auditor for complaints' }),
  filedAt: Timestamp,
  dueAt: Timestamp,
  overdue: Type.Boolean(),
  status: StringEnum(['open', 'decided'] as const),
  outcome: Type.Union([StringEnum(APPEAL_OUTCOMES), Type.Null()]),
  decision: Type.Union([Type.String(), Type.Null()]),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  version: Type.Integer(),
});
export type Appeal = Static<typeof Appeal>;

export const AppealDecisionBody = Type.Object(
  { outcome: StringEnum(APPEAL_OUTCOMES), decision: Type.String({ minLength: 4, maxLength: 2000 }) },
  { additionalProperties: false },
);
export type AppealDecisionBody = Static<typeof AppealDecisionBody>;
export const AppealListQuery = Type.Object({ ...PageQuery, status: Type.Optional(StringEnum(['open', 'decided'] as const)), kind: Type.Optional(StringEnum(['appeal', 'complaint'] as const)) }, { additionalProperties: false });
export type AppealListQuery = Static<typeof AppealListQuery>;
export const AppealPage = Type.Object({ items: Type.Array(Appeal), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });
export type AppealPage = Static<typeof AppealPage>;

export const MeasureNoticesBody = Type.Object(
  {
    measureIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }),
    document: StringEnum(['notice', 'release'] as const),
    format: StringEnum(['docx', 'pdf'] as const),
  },
  { additionalProperties: false },
);
export type MeasureNoticesBody = Static<typeof MeasureNoticesBody>;

/** The auditor's compliance figures for one community (or the total): what went beyond the protocol, what is late. */
export const ComplianceRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  /** In force or ended without a legal basis: must be zero (the database refuses them). */
  withoutLegalBasis: Type.Integer(),
  inForce: Type.Integer(),
  pending: Type.Integer(),
  /** Approved beyond the protocol (an override of the guard). */
  overrides: Type.Integer(),
  refused: Type.Integer(),
  /** Past their planned end and never released by a person (their effect has ended by itself). */
  overdueReleases: Type.Integer(),
  appeals: Type.Integer(),
  appealsRevoked: Type.Integer(),
  appealsOverdue: Type.Integer(),
  /** Mean hours from filing to decision over decided appeals; null when none. */
  appealHours: Type.Union([Type.Number(), Type.Null()]),
  complaints: Type.Integer(),
  /** Person measures in force or ended whose notice has no delivery record (门户查看, 当面送达, 张贴, 短信/电话). */
  undeliveredNotices: Type.Integer(),
});
export type ComplianceRow = Static<typeof ComplianceRow>;
/** rows: per community; streets: the same figures summed per street (each equals the sum of its communities). */
export const Compliance = Type.Object({ rows: Type.Array(ComplianceRow), streets: Type.Array(ComplianceRow), total: ComplianceRow, at: Timestamp });
export type Compliance = Static<typeof Compliance>;
