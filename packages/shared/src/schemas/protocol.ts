import { Type, type Static } from '@sinclair/typebox';
import { ARRIVAL_MEASURES } from '../health/labels.js';
import { PROTOCOL_GROUPS } from '../protocol/diff.js';
import { CARE_SETTINGS, PLACE_KINDS, RISK_AREA_LEVELS, RISK_AREA_UNITS, SYMPTOMS, type ProtocolValues } from '../protocol/values.js';
import { IsoDate, StringEnum, Timestamp } from './common.js';

/** A protocol version's id: the built-in ones are readable slugs (ninth-2022-06), new ones UUIDs. */
export const ProtocolId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' });

const Days = Type.Integer({ description: 'Days (ranges are checked with field-specific messages)' });
const TestDays = Type.Array(Type.Integer(), { maxItems: 30, description: 'Test days, day 1 = the first day' });

export const ContactMeasureSchema = Type.Object(
  { centralizedDays: Days, homeIsolationDays: Days, homeMonitoringDays: Days, testDays: TestDays },
  { additionalProperties: false },
);

/** Every value of a version except its identity (id, name, document, effective date), which the version carries. */
export const ProtocolValuesInput = Type.Object(
  {
    feverThresholdC: Type.Number(),
    abnormalSymptoms: Type.Array(StringEnum(SYMPTOMS), { maxItems: SYMPTOMS.length }),
    codeChecksAt: Type.Union([Type.Literal('all'), Type.Array(StringEnum(PLACE_KINDS), { maxItems: PLACE_KINDS.length })]),
    checkpointTestHours: Type.Union([Type.Integer(), Type.Null()]),
    arrivalRules: Type.Array(
      Type.Object({ origin: StringEnum(['high', 'medium', 'low'] as const), measure: StringEnum(ARRIVAL_MEASURES), days: Days, testDays: TestDays }, { additionalProperties: false }),
      { maxItems: 3 },
    ),
    tracing: Type.Object(
      {
        lookbackDays: Days,
        assumedStayMinutes: Type.Integer(),
        minOverlapMinutes: Type.Integer(),
        householdAreClose: Type.Boolean(),
        secondaryContacts: StringEnum(['household', 'none'] as const),
      },
      { additionalProperties: false },
    ),
    contactManagement: Type.Object({ close: ContactMeasureSchema, secondary: Type.Union([ContactMeasureSchema, Type.Null()]) }, { additionalProperties: false }),
    riskAreas: Type.Object(
      {
        levels: Type.Array(
          Type.Object(
            {
              level: StringEnum(RISK_AREA_LEVELS),
              unit: StringEnum(RISK_AREA_UNITS),
              measure: Type.String({ maxLength: 200 }),
              liftAfterDays: Type.Union([Days, Type.Null()]),
              liftNeedsNegativeRound: Type.Boolean(),
              stepsDownTo: Type.Union([StringEnum(RISK_AREA_LEVELS), Type.Null()]),
            },
            { additionalProperties: false },
          ),
          { maxItems: RISK_AREA_LEVELS.length },
        ),
      },
      { additionalProperties: false },
    ),
    isolation: Type.Object(
      {
        confirmedSetting: StringEnum(CARE_SETTINGS),
        asymptomaticSetting: StringEnum(CARE_SETTINGS),
        releaseTestDays: TestDays,
        releaseCt: Type.Union([Type.Number(), Type.Null()]),
        inbound: ContactMeasureSchema,
        highRiskWorkers: Type.Union([Type.Object({ homeMonitoringDays: Days, testDays: TestDays }, { additionalProperties: false }), Type.Null()]),
      },
      { additionalProperties: false },
    ),
    /** Sources of values; a changed value without a new source is sourced to the new version's document. */
    sources: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 1000 }))),
  },
  { additionalProperties: false },
);
export type ProtocolValuesInput = Static<typeof ProtocolValuesInput>;

/** A whole version's values (ProtocolValues: the fields of ProtocolValuesInput plus id, name, document, effectiveFrom, sources). */
export const ProtocolValuesSchema = Type.Unsafe<ProtocolValues>({ type: 'object', additionalProperties: true, description: 'ProtocolValues' });

export const ProtocolVersionSummary = Type.Object({
  id: ProtocolId,
  name: Type.String(),
  document: Type.String(),
  effectiveFrom: IsoDate,
  basedOn: Type.Union([ProtocolId, Type.Null()]),
  note: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  /** The version in force today (Asia/Shanghai). */
  inForce: Type.Boolean(),
  /** Takes effect after today. */
  upcoming: Type.Boolean(),
});
export type ProtocolVersionSummary = Static<typeof ProtocolVersionSummary>;

export const ProtocolVersionList = Type.Object({ items: Type.Array(ProtocolVersionSummary), inForceId: ProtocolId, today: IsoDate });
export type ProtocolVersionList = Static<typeof ProtocolVersionList>;

export const ProtocolFieldSchema = Type.Object({
  path: Type.String(),
  group: StringEnum(PROTOCOL_GROUPS),
  label: Type.String(),
  text: Type.String(),
  sourceKey: Type.String(),
  /** The source text for this value, '' when the version gives none. */
  source: Type.String(),
});

export const ProtocolChangeSchema = Type.Object({
  path: Type.String(),
  group: StringEnum(PROTOCOL_GROUPS),
  label: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
});

export const ProtocolDiff = Type.Object({
  from: Type.Union([ProtocolVersionSummary, Type.Null()]),
  to: ProtocolVersionSummary,
  changes: Type.Array(ProtocolChangeSchema),
});
export type ProtocolDiff = Static<typeof ProtocolDiff>;

export const ProtocolVersionDetail = Type.Object({
  version: ProtocolVersionSummary,
  values: ProtocolValuesSchema,
  fields: Type.Array(ProtocolFieldSchema),
  /** Against the version before it (by effective date); null for the first. */
  diff: ProtocolDiff,
});
export type ProtocolVersionDetail = Static<typeof ProtocolVersionDetail>;

export const CreateProtocolVersionBody = Type.Object(
  {
    basedOn: ProtocolId,
    name: Type.String({ minLength: 2, maxLength: 120 }),
    document: Type.String({ minLength: 2, maxLength: 120, description: 'The issuing document, e.g. 联防联控机制综发〔2022〕113号' }),
    effectiveFrom: IsoDate,
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    values: ProtocolValuesInput,
  },
  { additionalProperties: false },
);
export type CreateProtocolVersionBody = Static<typeof CreateProtocolVersionBody>;

export const ProtocolDiffQuery = Type.Object({ against: Type.Optional(ProtocolId) }, { additionalProperties: false });
export type ProtocolDiffQuery = Static<typeof ProtocolDiffQuery>;
