import { Type, type Static } from '@sinclair/typebox';
import { PERSON_MEASURES } from '../measures/measure-kinds.js';
import { Id, IsoDate, RegionCode, StringEnum, Timestamp } from './common.js';

/**
 * Measures proposed from confirmed contacts (issue #7): what the protocol version at each contact's last exposure
 * prescribes, and bulk imposition through the same guard as one measure by hand.
 */
export const MeasureProposalQuery = Type.Object(
  { node: Type.Optional(RegionCode), caseId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type MeasureProposalQuery = Static<typeof MeasureProposalQuery>;

export const PROPOSAL_BLOCKS = ['not_resident', 'period_over', 'not_prescribed', 'has_measure'] as const;
export type ProposalBlock = (typeof PROPOSAL_BLOCKS)[number];

export const MeasureProposal = Type.Object({
  contactId: Id,
  caseId: Id,
  caseNo: Type.String(),
  personName: Type.String(),
  residentId: Type.Union([Id, Type.Null()]),
  regionCode: RegionCode,
  category: StringEnum(['close', 'secondary'] as const),
  /** Last exposure (epoch ms): the measure's days count from its day. */
  exposureAt: Timestamp,
  /** The protocol version in force at the exposure date: the one the measure follows. */
  protocol: Type.Object({ id: Type.String(), name: Type.String() }),
  /** The stage to impose now (the one that covers today), or null when nothing can be imposed here. */
  measure: Type.Union([
    Type.Object({
      kind: StringEnum(PERSON_MEASURES),
      place: StringEnum(['home', 'site'] as const),
      firstDay: IsoDate,
      /** The last day of the measure (it ends at the start of the next day). */
      lastDay: IsoDate,
      days: Type.Integer(),
      /** Who must approve it (within the protocol: the kind's usual level). */
      approval: StringEnum(['community', 'street', 'district'] as const),
    }),
    Type.Null(),
  ]),
  /** Every stage the version prescribes, in words. */
  prescribed: Type.String(),
  /** Why it cannot be imposed here (null = it can). */
  blocked: Type.Union([StringEnum(PROPOSAL_BLOCKS), Type.Null()]),
  /** What the worker reads about it (e.g. "非本辖区登记居民，需转交"), or null. */
  note: Type.Union([Type.String(), Type.Null()]),
});
export type MeasureProposal = Static<typeof MeasureProposal>;
export const MeasureProposalList = Type.Object({ items: Type.Array(MeasureProposal), total: Type.Integer() });
export type MeasureProposalList = Static<typeof MeasureProposalList>;

export const ImposeProposalsBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          contactId: Id,
          /** For centralized isolation: the site's name (else it is recorded as still to be designated). */
          siteName: Type.Optional(Type.String({ maxLength: 100 })),
          /** For centralized isolation: a designated site (required when active sites serve the person; refused when full). */
          siteId: Type.Optional(Id),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export type ImposeProposalsBody = Static<typeof ImposeProposalsBody>;

export const IMPOSE_OUTCOMES = ['accepted', 'pending', 'refused'] as const;
export type ImposeOutcome = (typeof IMPOSE_OUTCOMES)[number];
export const ImposeProposalsResult = Type.Object({
  results: Type.Array(
    Type.Object({
      contactId: Id,
      personName: Type.String(),
      outcome: StringEnum(IMPOSE_OUTCOMES),
      measureId: Type.Union([Id, Type.Null()]),
      /** In Chinese: what happened (the approval it waits for, or why it was refused). */
      message: Type.String(),
    }),
  ),
  accepted: Type.Integer(),
  pending: Type.Integer(),
  refused: Type.Integer(),
});
export type ImposeProposalsResult = Static<typeof ImposeProposalsResult>;
