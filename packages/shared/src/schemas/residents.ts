import { Type, type Static } from '@sinclair/typebox';
import { DOCUMENT_TYPES } from '../identity/documents.js';
import { RELATIONS, RESIDENCE_STATUSES, SEXES, VULNERABILITY_TAGS } from '../vocab.js';
import { Id, IsoDate, Page, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

const lit = StringEnum;

export const SexSchema = lit(SEXES);
export const DocumentTypeSchema = lit(DOCUMENT_TYPES);
export const RelationSchema = lit(RELATIONS);
export const ResidenceStatusSchema = lit(RESIDENCE_STATUSES);
export const TagSchema = lit(VULNERABILITY_TAGS);

/** A resident as every list and detail returns it: document and phone always masked. */
export const Resident = Type.Object({
  id: Id,
  householdId: Id,
  regionCode: RegionCode,
  name: Type.String(),
  sex: SexSchema,
  birthDate: IsoDate,
  docType: DocumentTypeSchema,
  docNumberMasked: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  relationToHead: RelationSchema,
  residenceStatus: ResidenceStatusSchema,
  tags: Type.Array(TagSchema),
  notes: Type.String(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Resident = Static<typeof Resident>;

const residentFields = {
  name: Type.String({ minLength: 1, maxLength: 50 }),
  sex: Type.Optional(SexSchema),
  birthDate: Type.Optional(IsoDate),
  docType: DocumentTypeSchema,
  docNumber: Type.String({ minLength: 1, maxLength: 40 }),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
  relationToHead: RelationSchema,
  residenceStatus: ResidenceStatusSchema,
  tags: Type.Optional(Type.Array(TagSchema, { maxItems: 20, uniqueItems: true })),
  notes: Type.Optional(Type.String({ maxLength: 500 })),
};

export const CreateResidentBody = Type.Object({ householdId: Id, ...residentFields }, { additionalProperties: false });
export type CreateResidentBody = Static<typeof CreateResidentBody>;

export const UpdateResidentBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version read; a stale version is refused' }),
    name: Type.Optional(residentFields.name),
    sex: Type.Optional(SexSchema),
    birthDate: Type.Optional(IsoDate),
    docType: Type.Optional(DocumentTypeSchema),
    docNumber: Type.Optional(residentFields.docNumber),
    phone: residentFields.phone,
    relationToHead: Type.Optional(RelationSchema),
    residenceStatus: Type.Optional(ResidenceStatusSchema),
    tags: residentFields.tags,
    notes: residentFields.notes,
    householdId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type UpdateResidentBody = Static<typeof UpdateResidentBody>;

export const ResidentListQuery = Type.Object(
  {
    ...PageQuery,
    node: Type.Optional(RegionCode),
    q: Type.Optional(Type.String({ maxLength: 50, description: 'Name prefix, or the last 4 digits of phone or document' })),
    tags: Type.Optional(Type.Array(TagSchema, { maxItems: 20, description: 'Any of these tags' })),
    residenceStatus: Type.Optional(ResidenceStatusSchema),
    ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 150, description: 'Age band, inclusive (Asia/Shanghai today)' })),
    ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
    sort: Type.Optional(lit(['name', 'birthDate', 'updatedAt', 'regionCode'] as const)),
    order: Type.Optional(lit(['asc', 'desc'] as const)),
  },
  { additionalProperties: false },
);
export type ResidentListQuery = Static<typeof ResidentListQuery>;
/**
 * How `total` was obtained: `exact`; `atLeast` (a filtered count stopped at 10,000 — shown as "10,000+");
 * `estimate` (a filtered list over a street or more on PostgreSQL: the planner's estimate — shown as "约 N").
 */
export const TOTAL_KINDS = ['exact', 'atLeast', 'estimate'] as const;
export type TotalKind = (typeof TOTAL_KINDS)[number];
export const ResidentPage = Type.Composite([Page(Resident), Type.Object({ totalKind: StringEnum(TOTAL_KINDS) })]);

export const UnmaskBody = Type.Object(
  { purpose: Type.String({ minLength: 2, maxLength: 200, description: 'Why the full data is needed; audited' }) },
  { additionalProperties: false },
);
export type UnmaskBody = Static<typeof UnmaskBody>;
export const UnmaskedResident = Type.Object({ id: Id, docNumber: Type.String(), phone: Type.Union([Type.String(), Type.Null()]) });

export const Household = Type.Object({
  id: Id,
  code: RegionCode,
  unitCode: RegionCode,
  room: Type.String(),
  address: Type.String(),
  members: Type.Array(Resident),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Household = Static<typeof Household>;

export const CreateHouseholdBody = Type.Object(
  {
    unitCode: RegionCode,
    room: Type.String({ pattern: '^[0-9]{4}$', description: 'Floor and room, 4 digits: 0302 = floor 3 room 2' }),
  },
  { additionalProperties: false },
);
export type CreateHouseholdBody = Static<typeof CreateHouseholdBody>;

export const MoveHouseholdBody = Type.Object(
  {
    unitCode: RegionCode,
    room: Type.String({ pattern: '^[0-9]{4}$' }),
    reason: Type.String({ minLength: 2, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type MoveHouseholdBody = Static<typeof MoveHouseholdBody>;

/** A unit's households for the region tree, including those nobody lives in yet. */
export const UnitHousehold = Type.Object({
  id: Id,
  code: RegionCode,
  room: Type.String(),
  address: Type.String(),
  memberCount: Type.Integer(),
  headName: Type.Union([Type.String(), Type.Null()]),
  vulnerableCount: Type.Integer({ description: 'Members with at least one vulnerability tag' }),
});
export type UnitHousehold = Static<typeof UnitHousehold>;

export const HouseholdMove = Type.Object({
  id: Id,
  fromCode: RegionCode,
  toCode: RegionCode,
  fromAddress: Type.String(),
  toAddress: Type.String(),
  reason: Type.String(),
  movedBy: Type.Union([Id, Type.Null()]),
  movedAt: Timestamp,
});
export type HouseholdMove = Static<typeof HouseholdMove>;

export const ChangeMyPhoneBody = Type.Object({ phone: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });
export type ChangeMyPhoneBody = Static<typeof ChangeMyPhoneBody>;

export const DuplicateGroups = Type.Object({
  groups: Type.Array(
    Type.Object({
      reason: StringEnum(['same_document', 'same_name_birth_phone'] as const),
      residents: Type.Array(Resident),
    }),
  ),
});
export type DuplicateGroups = Static<typeof DuplicateGroups>;

export const MergeResidentBody = Type.Object(
  {
    /** The duplicate record to fold into this one; it is removed, its snapshot kept in the merge history. */
    duplicateId: Id,
    reason: Type.String({ minLength: 2, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type MergeResidentBody = Static<typeof MergeResidentBody>;
