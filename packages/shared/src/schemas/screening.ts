import { Type, type Static } from '@sinclair/typebox';
import { HOUSEHOLD_STATES, VISIT_OUTCOMES } from '../screening/coverage.js';
import { ITEM_KINDS } from '../screening/questionnaire.js';
import { RelationSchema, SexSchema, TagSchema } from './residents.js';
import { Id, IsoDate, Page, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

/** Screening campaigns (入户排查): questionnaire, grids and assignments, visits, progress. */
export const CAMPAIGN_STATUSES = ['draft', 'active', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
/** A visit as stored: applied to the household, waiting for its author to resolve a conflict, or set aside by them. */
export const VISIT_STATUSES = ['accepted', 'conflict', 'discarded'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

export const QuestionnaireItemSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9_]{0,20}$' }),
    kind: StringEnum(ITEM_KINDS),
    label: Type.String({ minLength: 1, maxLength: 60 }),
    required: Type.Boolean(),
    options: Type.Optional(Type.Array(Type.Object({ value: Type.String({ minLength: 1, maxLength: 30 }), label: Type.String({ minLength: 1, maxLength: 30 }) }, { additionalProperties: false }), { maxItems: 20 })),
    flagged: Type.Optional(Type.Array(Type.String({ maxLength: 30 }), { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export const QuestionnaireSchema = Type.Object({ items: Type.Array(QuestionnaireItemSchema, { minItems: 1, maxItems: 30 }) }, { additionalProperties: false });

/** Households and residents of a set of grids, with the coverage rate. */
export const CoverageSchema = Type.Object({
  householdsTotal: Type.Integer(),
  visited: Type.Integer(),
  nobodyHome: Type.Integer(),
  notReached: Type.Integer(),
  residentsScreened: Type.Integer(),
  abnormalResidents: Type.Integer(),
  coverage: Type.Number({ description: 'visited ÷ householdsTotal, 0–1' }),
});

export const Campaign = Type.Object({
  id: Id,
  name: Type.String(),
  nodeCode: RegionCode,
  nodeName: Type.String(),
  startsOn: IsoDate,
  endsOn: IsoDate,
  status: StringEnum(CAMPAIGN_STATUSES),
  questionnaire: QuestionnaireSchema,
  version: Type.Integer(),
  /** Grids of the campaign inside the caller's jurisdiction, and their totals. */
  gridCount: Type.Integer(),
  totals: CoverageSchema,
  /** The caller is assigned to at least one of its grids. */
  assignedToMe: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  activatedAt: Type.Union([Timestamp, Type.Null()]),
  closedAt: Type.Union([Timestamp, Type.Null()]),
});
export type Campaign = Static<typeof Campaign>;

export const CampaignListQuery = Type.Object(
  { status: Type.Optional(StringEnum(CAMPAIGN_STATUSES)), mine: Type.Optional(Type.Boolean({ description: 'Only campaigns with a grid assigned to me' })), ...PageQuery },
  { additionalProperties: false },
);
export type CampaignListQuery = Static<typeof CampaignListQuery>;
export const CampaignPage = Page(Campaign);

const campaignFields = {
  name: Type.String({ minLength: 2, maxLength: 60 }),
  startsOn: IsoDate,
  endsOn: IsoDate,
  questionnaire: QuestionnaireSchema,
};
export const CreateCampaignBody = Type.Object(
  { name: campaignFields.name, nodeCode: RegionCode, startsOn: IsoDate, endsOn: IsoDate, questionnaire: Type.Optional(QuestionnaireSchema) },
  { additionalProperties: false },
);
export type CreateCampaignBody = Static<typeof CreateCampaignBody>;
export const UpdateCampaignBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version read; a stale version is refused' }),
    name: Type.Optional(campaignFields.name),
    startsOn: Type.Optional(IsoDate),
    endsOn: Type.Optional(IsoDate),
    questionnaire: Type.Optional(QuestionnaireSchema),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type UpdateCampaignBody = Static<typeof UpdateCampaignBody>;
export const CampaignVersionBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export type CampaignVersionBody = Static<typeof CampaignVersionBody>;

export const WorkerRef = Type.Object({ id: Id, displayName: Type.String(), username: Type.String() });
export type WorkerRef = Static<typeof WorkerRef>;

export const GridProgress = Type.Composite([
  Type.Object({ gridCode: RegionCode, gridName: Type.String(), communityName: Type.String(), workers: Type.Array(WorkerRef) }),
  CoverageSchema,
]);
export type GridProgress = Static<typeof GridProgress>;

export const CampaignProgress = Type.Object({ campaignId: Id, totals: CoverageSchema, grids: Type.Array(GridProgress), at: Timestamp });
export type CampaignProgress = Static<typeof CampaignProgress>;

/** A grid with its assigned workers and who else could take it (staff who may visit and whose node covers it). */
export const CampaignGrid = Type.Object({ gridCode: RegionCode, gridName: Type.String(), communityName: Type.String(), workers: Type.Array(WorkerRef), candidates: Type.Array(WorkerRef) });
export type CampaignGrid = Static<typeof CampaignGrid>;
export const AssignWorkersBody = Type.Object({ userIds: Type.Array(Id, { maxItems: 20, uniqueItems: true }) }, { additionalProperties: false });
export type AssignWorkersBody = Static<typeof AssignWorkersBody>;

/** The campaign's grids as GeoJSON, each with its coverage (grids without a boundary are left out). */
export const CampaignMap = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      geometry: Type.Object({ type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]), coordinates: Type.Array(Type.Unknown()) }),
      properties: Type.Composite([Type.Object({ code: RegionCode, name: Type.String(), band: Type.Integer({ minimum: 0, maximum: 4 }) }), CoverageSchema]),
    }),
  ),
});
export type CampaignMap = Static<typeof CampaignMap>;

export const FieldMember = Type.Object({ id: Id, name: Type.String(), sex: SexSchema, age: Type.Integer(), relationToHead: RelationSchema, tags: Type.Array(TagSchema) });
export type FieldMember = Static<typeof FieldMember>;

/** A household as the grid worker's (offline) list holds it. */
export const FieldHousehold = Type.Object({
  id: Id,
  code: RegionCode,
  gridCode: RegionCode,
  buildingCode: RegionCode,
  buildingName: Type.String(),
  unitCode: RegionCode,
  unitName: Type.String(),
  room: Type.String(),
  address: Type.String(),
  state: StringEnum(HOUSEHOLD_STATES),
  /** The household's visit version: send it back as `baseVersion` so a colleague's later visit is noticed. */
  version: Type.Integer(),
  revisitOn: Type.Union([IsoDate, Type.Null()]),
  lastVisitedAt: Type.Union([Timestamp, Type.Null()]),
  lastVisitedBy: Type.Union([Type.String(), Type.Null()]),
  members: Type.Array(FieldMember),
});
export type FieldHousehold = Static<typeof FieldHousehold>;

export const FieldHouseholdsQuery = Type.Object({ grid: Type.Optional(RegionCode) }, { additionalProperties: false });
export type FieldHouseholdsQuery = Static<typeof FieldHouseholdsQuery>;
export const FieldHouseholds = Type.Object({
  campaignId: Id,
  /** The campaign's name, state and questionnaire: everything the visit form needs travels with the list. */
  campaignName: Type.String(),
  campaignStatus: StringEnum(CAMPAIGN_STATUSES),
  questionnaire: QuestionnaireSchema,
  grids: Type.Array(Type.Object({ code: RegionCode, name: Type.String() })),
  /** Today in Asia/Shanghai by the server's clock (revisits due on or before it). */
  today: IsoDate,
  fetchedAt: Timestamp,
  households: Type.Array(FieldHousehold),
});
export type FieldHouseholds = Static<typeof FieldHouseholds>;

export const ResidentResultBody = Type.Object(
  { residentId: Id, answers: Type.Record(Type.String({ maxLength: 30 }), Type.Unknown(), { maxProperties: 30 }) },
  { additionalProperties: false },
);
export type ResidentResultBody = Static<typeof ResidentResultBody>;

/** One visit, possibly recorded offline: `clientKey` makes it idempotent, `baseVersion` lets a colleague's later visit be noticed. */
export const VisitBody = Type.Object(
  {
    clientKey: Type.String({ format: 'uuid', description: 'Generated by the client once per visit; a repeated key returns the stored visit' }),
    campaignId: Id,
    householdId: Id,
    baseVersion: Type.Integer({ minimum: 0, description: 'The household version the worker saw' }),
    outcome: StringEnum(VISIT_OUTCOMES),
    visitedAt: Timestamp,
    revisitOn: Type.Optional(IsoDate),
    note: Type.Optional(Type.String({ maxLength: 200 })),
    results: Type.Array(ResidentResultBody, { maxItems: 30 }),
  },
  { additionalProperties: false },
);
export type VisitBody = Static<typeof VisitBody>;

export const ConflictInfo = Type.Object({ visitId: Id, outcome: StringEnum(VISIT_OUTCOMES), visitedAt: Timestamp, visitedByName: Type.String(), residents: Type.Integer(), abnormalResidents: Type.Integer() });

export const Visit = Type.Object({
  id: Id,
  clientKey: Type.String(),
  campaignId: Id,
  campaignName: Type.String(),
  householdId: Id,
  address: Type.String(),
  outcome: StringEnum(VISIT_OUTCOMES),
  status: StringEnum(VISIT_STATUSES),
  visitedAt: Timestamp,
  receivedAt: Timestamp,
  visitedBy: Type.Object({ id: Type.Union([Id, Type.Null()]), name: Type.String() }),
  revisitOn: Type.Union([IsoDate, Type.Null()]),
  residents: Type.Integer(),
  abnormalResidents: Type.Integer(),
  /** The household's version after this visit (accepted), or its current one (conflict/discarded). */
  householdVersion: Type.Integer(),
  /** For a conflict: the colleague's visit it collided with. */
  conflict: Type.Union([ConflictInfo, Type.Null()]),
  resolvedAt: Type.Union([Timestamp, Type.Null()]),
});
export type Visit = Static<typeof Visit>;

export const VisitListQuery = Type.Object(
  { status: Type.Optional(StringEnum(VISIT_STATUSES)), campaignId: Type.Optional(Id), ...PageQuery },
  { additionalProperties: false },
);
export type VisitListQuery = Static<typeof VisitListQuery>;
export const VisitPage = Page(Visit);

export const ResolveConflictBody = Type.Object({ resolution: StringEnum(['keep_theirs', 'use_mine'] as const) }, { additionalProperties: false });
export type ResolveConflictBody = Static<typeof ResolveConflictBody>;

export const FollowUpQuery = Type.Object(
  { grid: Type.Optional(RegionCode), state: Type.Optional(StringEnum(['pending', 'nobody_home'] as const)), ...PageQuery },
  { additionalProperties: false },
);
export type FollowUpQuery = Static<typeof FollowUpQuery>;
/** A household not visited yet (never reached, or nobody home at the last attempt). */
export const FollowUpHousehold = Type.Object({
  id: Id,
  code: RegionCode,
  address: Type.String(),
  gridCode: RegionCode,
  gridName: Type.String(),
  state: StringEnum(['pending', 'nobody_home'] as const),
  revisitOn: Type.Union([IsoDate, Type.Null()]),
  lastVisitedAt: Type.Union([Timestamp, Type.Null()]),
  members: Type.Integer(),
});
export type FollowUpHousehold = Static<typeof FollowUpHousehold>;
export const FollowUpPage = Page(FollowUpHousehold);

export const AbnormalQuery = Type.Object({ grid: Type.Optional(RegionCode), ...PageQuery }, { additionalProperties: false });
export type AbnormalQuery = Static<typeof AbnormalQuery>;
export const AbnormalResident = Type.Object({
  residentId: Id,
  name: Type.String(),
  householdId: Id,
  address: Type.String(),
  gridCode: RegionCode,
  /** Codes `<item id>:<value>`; describeReason() puts them in words. */
  reasons: Type.Array(Type.String()),
  visitedAt: Timestamp,
  visitedByName: Type.String(),
});
export type AbnormalResident = Static<typeof AbnormalResident>;
export const AbnormalPage = Page(AbnormalResident);

export const Revisit = Type.Object({ campaignId: Id, campaignName: Type.String(), householdId: Id, address: Type.String(), gridCode: RegionCode, revisitOn: IsoDate });
export type Revisit = Static<typeof Revisit>;
export const RevisitList = Type.Object({ today: IsoDate, items: Type.Array(Revisit) });
export type RevisitList = Static<typeof RevisitList>;
