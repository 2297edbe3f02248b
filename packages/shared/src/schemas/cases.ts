import { Type, type Static } from '@sinclair/typebox';
import { Id, IsoDate, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

/** 疑似病例 / 确诊病例 / 无症状感染者. */
export const CASE_CLASSIFICATIONS = ['suspected', 'confirmed', 'asymptomatic'] as const;
export type CaseClassification = (typeof CASE_CLASSIFICATIONS)[number];
export const CASE_STATUSES = ['open', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** How a case ended: 治愈 / 死亡 / 排除 / 转出. */
export const CASE_OUTCOMES = ['recovered', 'died', 'ruled_out', 'transferred'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
/** Where the report came from (free text is refused: these are the channels officials count). */
export const CASE_REPORT_SOURCES = ['医院报告', '核酸筛查', '主动就诊', '流调发现', '抗原自测', '其他'] as const;
export type CaseReportSource = (typeof CASE_REPORT_SOURCES)[number];

export const CASE_CLASSIFICATION_LABELS: Record<CaseClassification, { zh: string; en: string }> = {
  suspected: { zh: '疑似病例', en: 'Suspected' },
  confirmed: { zh: '确诊病例', en: 'Confirmed' },
  asymptomatic: { zh: '无症状感染者', en: 'Asymptomatic' },
};
export const CASE_OUTCOME_LABELS: Record<CaseOutcome, { zh: string; en: string }> = {
  recovered: { zh: '治愈', en: 'Recovered' },
  died: { zh: '死亡', en: 'Died' },
  ruled_out: { zh: '排除', en: 'Ruled out' },
  transferred: { zh: '转出', en: 'Transferred' },
};

/**
 * Which reclassifications are allowed: a suspected case is confirmed, found asymptomatic or ruled out (closed);
 * an asymptomatic infection that develops symptoms becomes confirmed. A confirmed case stays confirmed.
 */
export const CASE_RECLASSIFY: Record<CaseClassification, readonly CaseClassification[]> = {
  suspected: ['confirmed', 'asymptomatic'],
  asymptomatic: ['confirmed'],
  confirmed: [],
};

/** What other modules (tracing) read of a case. */
export const CaseView = Type.Object({
  id: Id,
  caseNo: Type.String(),
  classification: StringEnum(CASE_CLASSIFICATIONS),
  status: StringEnum(CASE_STATUSES),
  outcome: Type.Union([StringEnum(CASE_OUTCOMES), Type.Null()]),
  residentId: Type.Union([Id, Type.Null()]),
  personName: Type.String(),
  /** Masked: the register's for a resident, the case's own for a non-resident. */
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  regionCode: RegionCode,
  regionName: Type.String(),
  address: Type.String(),
  onsetDate: Type.Union([IsoDate, Type.Null()]),
  samplingDate: Type.Union([IsoDate, Type.Null()]),
  confirmedAt: Type.Union([Timestamp, Type.Null()]),
  reportSource: Type.String(),
  protocolId: Type.String(),
  protocolName: Type.String(),
  note: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Type.Integer(),
});
export type CaseView = Static<typeof CaseView>;

export const CaseChange = Type.Object({
  id: Id,
  at: Timestamp,
  actorName: Type.String(),
  field: StringEnum(['created', 'classification', 'status', 'outcome'] as const),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
});
export type CaseChange = Static<typeof CaseChange>;

export const CaseDetail = Type.Object({ case: CaseView, changes: Type.Array(CaseChange) });
export type CaseDetail = Static<typeof CaseDetail>;

export const CaseListQuery = Type.Object(
  {
    ...PageQuery,
    node: Type.Optional(RegionCode),
    classification: Type.Optional(StringEnum(CASE_CLASSIFICATIONS)),
    status: Type.Optional(StringEnum(CASE_STATUSES)),
    /** Case number, or a name prefix. */
    q: Type.Optional(Type.String({ maxLength: 50 })),
    residentId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CaseListQuery = Static<typeof CaseListQuery>;

export const CaseCounts = Type.Object({ open: Type.Integer(), confirmed: Type.Integer(), suspected: Type.Integer(), asymptomatic: Type.Integer(), confirmedToday: Type.Integer() });
export type CaseCounts = Static<typeof CaseCounts>;

export const CasePage = Type.Object({ items: Type.Array(CaseView), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), counts: CaseCounts });
export type CasePage = Static<typeof CasePage>;

export const CreateCaseBody = Type.Object(
  {
    classification: StringEnum(CASE_CLASSIFICATIONS),
    /** A registered resident… */
    residentId: Type.Optional(Id),
    /** …or a person not in the register, with the node the case belongs to. */
    person: Type.Optional(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 50 }),
          phone: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
          regionCode: RegionCode,
          address: Type.String({ maxLength: 200 }),
        },
        { additionalProperties: false },
      ),
    ),
    onsetDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    samplingDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    /** When confirmed (defaults to now for a confirmed or asymptomatic case). */
    confirmedAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    reportSource: StringEnum(CASE_REPORT_SOURCES),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false, description: 'Name a registered resident (residentId) or a person (person), not both' },
);
export type CreateCaseBody = Static<typeof CreateCaseBody>;

export const UpdateCaseBody = Type.Object(
  {
    version: Type.Integer(),
    onsetDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    samplingDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    reportSource: Type.Optional(StringEnum(CASE_REPORT_SOURCES)),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type UpdateCaseBody = Static<typeof UpdateCaseBody>;

export const ReclassifyCaseBody = Type.Object(
  {
    version: Type.Integer(),
    classification: StringEnum(CASE_CLASSIFICATIONS),
    /** When confirmed (defaults to now); only for → confirmed. */
    confirmedAt: Type.Optional(Timestamp),
    reason: Type.String({ minLength: 2, maxLength: 300 }),
  },
  { additionalProperties: false },
);
export type ReclassifyCaseBody = Static<typeof ReclassifyCaseBody>;

export const CloseCaseBody = Type.Object(
  { version: Type.Integer(), outcome: StringEnum(CASE_OUTCOMES), reason: Type.String({ minLength: 2, maxLength: 300 }) },
  { additionalProperties: false },
);
export type CloseCaseBody = Static<typeof CloseCaseBody>;
