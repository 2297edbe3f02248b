import { Type, type Static } from '@sinclair/typebox';
import { TEMPERATURE_MAX_C, TEMPERATURE_MIN_C } from '../health/rules.js';
import { TEST_RESULTS } from '../health/labels.js';
import { SYMPTOMS } from '../protocol/values.js';
import { Id, IsoDate, Page, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

export const SymptomSchema = StringEnum(SYMPTOMS);
export const HealthTest = Type.Object({
  sampledAt: Timestamp,
  result: StringEnum(TEST_RESULTS),
});
export type HealthTest = Static<typeof HealthTest>;

const reportFields = {
  temperatureC: Type.Number({ minimum: TEMPERATURE_MIN_C, maximum: TEMPERATURE_MAX_C, description: 'Body temperature in °C, one decimal (34.0–43.0)' }),
  symptoms: Type.Array(SymptomSchema, { maxItems: SYMPTOMS.length, uniqueItems: true }),
  test: Type.Optional(Type.Union([HealthTest, Type.Null()], { description: 'The latest test: sampling time and result' })),
  note: Type.Optional(Type.String({ maxLength: 300 })),
};

/** The resident's own report for today (portal). */
export const MyHealthReportBody = Type.Object(reportFields, { additionalProperties: false });
export type MyHealthReportBody = Static<typeof MyHealthReportBody>;

/** A worker's report for a resident, for today. */
export const HealthReportBody = Type.Object({ residentId: Id, ...reportFields }, { additionalProperties: false });
export type HealthReportBody = Static<typeof HealthReportBody>;

export const Reporter = Type.Object({ kind: StringEnum(['self', 'worker'] as const), name: Type.String() });

export const HealthReport = Type.Object({
  id: Id,
  residentId: Id,
  residentName: Type.String(),
  regionCode: RegionCode,
  day: IsoDate,
  temperatureC: Type.Number(),
  symptoms: Type.Array(SymptomSchema),
  test: Type.Union([HealthTest, Type.Null()]),
  note: Type.String(),
  abnormal: Type.Boolean(),
  abnormalReasons: Type.Array(Type.String()),
  protocolId: Type.String({ description: 'The protocol version that judged the report' }),
  reportedBy: Reporter,
  reportedAt: Timestamp,
  createdAt: Timestamp,
  version: Type.Integer(),
});
export type HealthReport = Static<typeof HealthReport>;

export const HealthReportResult = Type.Object({
  report: HealthReport,
  /** True when today's report already existed and was replaced. */
  updated: Type.Boolean(),
  /** The open follow-up task for an abnormal report (created now or already open), else null. */
  followUpTaskId: Type.Union([Id, Type.Null()]),
});
export type HealthReportResult = Static<typeof HealthReportResult>;

export const HealthReportListQuery = Type.Object(
  {
    ...PageQuery,
    node: Type.Optional(RegionCode),
    day: Type.Optional(IsoDate),
    abnormal: Type.Optional(Type.Boolean()),
    residentId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type HealthReportListQuery = Static<typeof HealthReportListQuery>;
export const HealthReportPage = Page(HealthReport);

export const ProtocolRef = Type.Object({ id: Type.String(), name: Type.String(), feverThresholdC: Type.Number(), abnormalSymptoms: Type.Array(SymptomSchema) });

const Counts = {
  reports: Type.Integer({ description: 'Reports made today' }),
  abnormal: Type.Integer({ description: 'Abnormal reports today' }),
  required: Type.Integer({ description: 'Residents under health monitoring today' }),
  missing: Type.Integer({ description: 'Of those, not yet reported today' }),
};

export const HealthSummary = Type.Object({
  day: IsoDate,
  protocol: ProtocolRef,
  totals: Type.Object(Counts),
  grids: Type.Array(Type.Object({ code: RegionCode, name: Type.String(), ...Counts })),
});
export type HealthSummary = Static<typeof HealthSummary>;

export const NodeQuery = Type.Object({ node: Type.Optional(RegionCode) }, { additionalProperties: false });
export const MissingQuery = Type.Object({ ...PageQuery, node: Type.Optional(RegionCode) }, { additionalProperties: false });
export type MissingQuery = Static<typeof MissingQuery>;

/** A resident who must report today and has not: what the grid worker needs to chase them (phone masked). */
export const MissingReporter = Type.Object({
  residentId: Id,
  name: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  regionCode: RegionCode,
  gridCode: RegionCode,
  address: Type.String(),
  monitoringId: Id,
  reason: Type.String(),
  endDay: IsoDate,
  lastReportDay: Type.Union([IsoDate, Type.Null()]),
});
export type MissingReporter = Static<typeof MissingReporter>;
export const MissingPage = Page(MissingReporter);

export const MONITORING_REASONS = ['arrival', 'manual'] as const;
export const HealthMonitoring = Type.Object({
  id: Id,
  residentId: Id,
  residentName: Type.String(),
  regionCode: RegionCode,
  reason: StringEnum(MONITORING_REASONS),
  note: Type.String(),
  startDay: IsoDate,
  endDay: IsoDate,
  source: Type.Union([Type.Object({ type: Type.String(), id: Id }), Type.Null()]),
  protocolId: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean({ description: 'In force today and not ended early' }),
  endedAt: Type.Union([Timestamp, Type.Null()]),
  endNote: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
});
export type HealthMonitoring = Static<typeof HealthMonitoring>;
export const MonitoringListQuery = Type.Object(
  { ...PageQuery, node: Type.Optional(RegionCode), residentId: Type.Optional(Id), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type MonitoringListQuery = Static<typeof MonitoringListQuery>;
export const MonitoringPage = Page(HealthMonitoring);

export const CreateMonitoringBody = Type.Object(
  {
    residentId: Id,
    note: Type.String({ minLength: 2, maxLength: 200, description: 'Why the resident must report daily' }),
    startDate: Type.Optional(IsoDate),
    endDate: IsoDate,
  },
  { additionalProperties: false },
);
export type CreateMonitoringBody = Static<typeof CreateMonitoringBody>;
export const EndMonitoringBody = Type.Object({ note: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false });
export type EndMonitoringBody = Static<typeof EndMonitoringBody>;

export const HealthFlagsQuery = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 200 }) }, { additionalProperties: false });
export type HealthFlagsQuery = Static<typeof HealthFlagsQuery>;
/** What the register shows beside a resident: an abnormal report still being followed up, daily monitoring. */
export const HealthFlag = Type.Object({
  residentId: Id,
  abnormal: Type.Union([Type.Object({ day: IsoDate, reasons: Type.Array(Type.String()), taskId: Id }), Type.Null()]),
  monitoring: Type.Union([Type.Object({ endDay: IsoDate, reason: StringEnum(MONITORING_REASONS), reportedToday: Type.Boolean() }), Type.Null()]),
});
export type HealthFlag = Static<typeof HealthFlag>;
export const HealthFlags = Type.Object({ items: Type.Array(HealthFlag) });

/** The portal's "today's health report" screen. */
export const MyHealthToday = Type.Object({
  day: IsoDate,
  required: Type.Boolean({ description: 'Under health monitoring today' }),
  monitoringEndDay: Type.Union([IsoDate, Type.Null()]),
  report: Type.Union([HealthReport, Type.Null()]),
  protocol: ProtocolRef,
});
export type MyHealthToday = Static<typeof MyHealthToday>;
