import { Type, type Static } from '@sinclair/typebox';
import { DOCUMENT_TYPES } from '../identity/documents.js';
import { ARRIVAL_MEASURES, TRANSPORTS } from '../health/labels.js';
import { RELATIONS, RESIDENCE_STATUSES, SEXES } from '../vocab.js';
import { Id, IsoDate, Page, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';
import { Reporter } from './health.js';
import { TaskStatusSchema } from './tasks.js';

export const ORIGIN_RISKS = ['high', 'medium', 'low'] as const;
export const OriginRiskSchema = StringEnum(ORIGIN_RISKS);

export const ArrivalRuleSchema = Type.Object({
  origin: OriginRiskSchema,
  measure: StringEnum(ARRIVAL_MEASURES),
  days: Type.Integer(),
  testDays: Type.Array(Type.Integer()),
});

/** What the protocol in force at the arrival date required, laid out in time (a record, not an order). */
export const ArrivalPlanSchema = Type.Object({
  protocolId: Type.String(),
  protocolName: Type.String(),
  rule: ArrivalRuleSchema,
  isolation: Type.Union([Type.Object({ kind: StringEnum(ARRIVAL_MEASURES), start: Timestamp, end: Timestamp }), Type.Null()]),
  monitoring: Type.Union([Type.Object({ startDay: IsoDate, endDay: IsoDate }), Type.Null()]),
  tests: Type.Array(Type.Object({ day: Type.Integer(), date: IsoDate, dueAt: Timestamp })),
  /** "依据《…》：居家健康监测 7 天，第1、3天核酸". */
  summary: Type.String(),
});
export type ArrivalPlanT = Static<typeof ArrivalPlanSchema>;

const travel = {
  originName: Type.String({ minLength: 2, maxLength: 100, description: 'Where from: province, city, district' }),
  originRisk: OriginRiskSchema,
  arrivalDate: IsoDate,
  transport: StringEnum(TRANSPORTS),
  transportNo: Type.Optional(Type.String({ maxLength: 30, description: 'Train or flight number, plate' })),
  note: Type.Optional(Type.String({ maxLength: 300 })),
};

/** Someone not yet in the register: created at the arrival address through the register's own rules. */
export const ArrivalPerson = Type.Object(
  {
    householdId: Id,
    name: Type.String({ minLength: 1, maxLength: 50 }),
    docType: StringEnum(DOCUMENT_TYPES),
    docNumber: Type.String({ minLength: 1, maxLength: 40 }),
    /** Needed for documents that do not encode them (passports, permits); derived from a resident ID number. */
    sex: Type.Optional(StringEnum(SEXES)),
    birthDate: Type.Optional(IsoDate),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
    relationToHead: Type.Optional(StringEnum(RELATIONS)),
    residenceStatus: Type.Optional(StringEnum(RESIDENCE_STATUSES)),
  },
  { additionalProperties: false },
);

export const CreateArrivalBody = Type.Object(
  { residentId: Type.Optional(Id), person: Type.Optional(ArrivalPerson), ...travel },
  { additionalProperties: false, description: 'Name a registered resident (residentId) or a new person (person), not both' },
);
export type CreateArrivalBody = Static<typeof CreateArrivalBody>;

export const MyArrivalBody = Type.Object(travel, { additionalProperties: false });
export type MyArrivalBody = Static<typeof MyArrivalBody>;

export const CancelArrivalBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false });
export type CancelArrivalBody = Static<typeof CancelArrivalBody>;

export const Arrival = Type.Object({
  id: Id,
  resident: Type.Object({ id: Id, name: Type.String(), phoneMasked: Type.Union([Type.String(), Type.Null()]) }),
  regionCode: RegionCode,
  originName: Type.String(),
  originRisk: OriginRiskSchema,
  arrivalDate: IsoDate,
  transport: StringEnum(TRANSPORTS),
  transportNo: Type.String(),
  note: Type.String(),
  status: StringEnum(['active', 'cancelled'] as const),
  plan: ArrivalPlanSchema,
  /** Whether the resident was added to the register by this report. */
  newlyRegistered: Type.Boolean(),
  reportedBy: Reporter,
  createdAt: Timestamp,
  cancelledAt: Type.Union([Timestamp, Type.Null()]),
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  tasks: Type.Array(Type.Object({ id: Id, title: Type.String(), status: TaskStatusSchema, dueAt: Type.Union([Timestamp, Type.Null()]) })),
});
export type Arrival = Static<typeof Arrival>;

export const ArrivalListQuery = Type.Object(
  {
    ...PageQuery,
    node: Type.Optional(RegionCode),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    originRisk: Type.Optional(OriginRiskSchema),
    residentId: Type.Optional(Id),
    status: Type.Optional(StringEnum(['active', 'cancelled'] as const)),
  },
  { additionalProperties: false },
);
export type ArrivalListQuery = Static<typeof ArrivalListQuery>;
export const ArrivalPage = Page(Arrival);

export const ArrivalRulesQuery = Type.Object({ date: IsoDate }, { additionalProperties: false });
/** The risk levels the protocol in force on a date distinguishes, and what each requires. */
export const ArrivalRules = Type.Object({
  date: IsoDate,
  protocol: Type.Object({ id: Type.String(), name: Type.String(), document: Type.String(), effectiveFrom: IsoDate }),
  levels: Type.Array(Type.Object({ origin: OriginRiskSchema, plan: ArrivalPlanSchema })),
});
export type ArrivalRules = Static<typeof ArrivalRules>;
