import { Type, type Static } from '@sinclair/typebox';
import { TEMPERATURE_MAX_C, TEMPERATURE_MIN_C } from '../health/rules.js';
import { CHECKPOINT_RESULTS, EXEMPTION_CATEGORIES } from '../places/place-rules.js';
import { Id, Page, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';
import { PassageRulesSchema, PlaceKindSchema } from './places.js';

/** A checkpoint as its staff pick it: no personal data. */
export const Checkpoint = Type.Object({ id: Id, name: Type.String(), kind: PlaceKindSchema, address: Type.String(), regionCode: RegionCode, passageRules: PassageRulesSchema });
export type Checkpoint = Static<typeof Checkpoint>;

export const DecisionBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 200, description: 'The scanned personal-code text' }),
    temperature: Type.Optional(Type.Number({ minimum: TEMPERATURE_MIN_C, maximum: TEMPERATURE_MAX_C, description: '°C, one decimal' })),
  },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

export const PassageFindingSchema = Type.Object({
  effect: StringEnum(['deny', 'exempt'] as const),
  code: Type.String(),
  reason: Type.String(),
  until: Type.Union([Timestamp, Type.Null()]),
});

export const CheckpointDecision = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  placeId: Id,
  result: StringEnum(CHECKPOINT_RESULTS),
  /** The person's masked name; null when the code was refused (nobody identified). */
  personMasked: Type.Union([Type.String(), Type.Null()]),
  /** Every reason: denials, exemptions, or why the code was refused. */
  reasons: Type.Array(PassageFindingSchema),
  /** Whether passage rules were applied (false where the protocol in force checks no codes at this kind of place). */
  checked: Type.Boolean(),
  note: Type.Union([Type.String(), Type.Null()]),
  protocolId: Type.String(),
  protocolName: Type.String(),
  temperature: Type.Union([Type.Number(), Type.Null()]),
  fever: Type.Boolean(),
  feverThresholdC: Type.Number(),
  operatorName: Type.String(),
});
export type CheckpointDecision = Static<typeof CheckpointDecision>;

export const DecisionListQuery = Type.Object({ ...PageQuery, result: Type.Optional(StringEnum(CHECKPOINT_RESULTS)) }, { additionalProperties: false });
export type DecisionListQuery = Static<typeof DecisionListQuery>;
export const DecisionPage = Page(CheckpointDecision);
export type DecisionPage = Static<typeof DecisionPage>;

export const ExemptionCategorySchema = StringEnum(EXEMPTION_CATEGORIES);

export const Exemption = Type.Object({
  id: Id,
  residentId: Id,
  residentMasked: Type.String(),
  regionCode: RegionCode,
  category: ExemptionCategorySchema,
  reason: Type.String(),
  validFrom: Timestamp,
  validUntil: Timestamp,
  approvedByName: Type.String(),
  createdAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  revokeReason: Type.Union([Type.String(), Type.Null()]),
  /** In force now: begun, not ended, not revoked. */
  active: Type.Boolean(),
});
export type Exemption = Static<typeof Exemption>;

export const CreateExemptionBody = Type.Object(
  {
    residentId: Id,
    category: ExemptionCategorySchema,
    reason: Type.String({ minLength: 2, maxLength: 200 }),
    validFrom: Timestamp,
    validUntil: Timestamp,
  },
  { additionalProperties: false },
);
export type CreateExemptionBody = Static<typeof CreateExemptionBody>;

export const RevokeExemptionBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false });
export type RevokeExemptionBody = Static<typeof RevokeExemptionBody>;

export const ExemptionListQuery = Type.Object(
  { ...PageQuery, node: Type.Optional(RegionCode), residentId: Type.Optional(Id), activeOnly: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type ExemptionListQuery = Static<typeof ExemptionListQuery>;
export const ExemptionPage = Page(Exemption);
export type ExemptionPage = Static<typeof ExemptionPage>;
