import { Type, type Static } from '@sinclair/typebox';
import { PLACE_CODE_PATTERN, SCAN_SOURCES } from '../places/place-rules.js';
import { PLACE_KINDS } from '../protocol/values.js';
import { Id, Page, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

export const PlaceKindSchema = StringEnum(PLACE_KINDS);
export const PlaceCode = Type.String({ pattern: PLACE_CODE_PATTERN, description: 'Unguessable place code (16 base64url characters)' });

export const PassageRulesSchema = Type.Object(
  {
    requireTemperature: Type.Boolean({ description: 'A temperature must be recorded with every decision' }),
    feverDenies: Type.Boolean({ description: 'A fever reading denies passage (exemptions do not override it)' }),
    residentsOnly: Type.Boolean({ description: 'Only residents registered under the place’s node pass (exemptions override)' }),
  },
  { additionalProperties: false },
);

export const Place = Type.Object({
  id: Id,
  code: PlaceCode,
  /** What the poster's QR encodes: PUBLIC_URL/p/<code>. */
  url: Type.String(),
  kind: PlaceKindSchema,
  name: Type.String(),
  address: Type.String(),
  regionCode: RegionCode,
  lat: Type.Union([Type.Number(), Type.Null()]),
  lng: Type.Union([Type.Number(), Type.Null()]),
  checkpoint: Type.Boolean(),
  passageRules: PassageRulesSchema,
  active: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Place = Static<typeof Place>;

const placeFields = {
  kind: PlaceKindSchema,
  name: Type.String({ minLength: 1, maxLength: 60 }),
  address: Type.String({ maxLength: 200 }),
  regionCode: RegionCode,
  lat: Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()]),
  lng: Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()]),
  checkpoint: Type.Boolean(),
  passageRules: PassageRulesSchema,
  active: Type.Boolean(),
};

export const CreatePlaceBody = Type.Object(
  {
    kind: placeFields.kind,
    name: placeFields.name,
    address: Type.Optional(placeFields.address),
    regionCode: placeFields.regionCode,
    lat: Type.Optional(placeFields.lat),
    lng: Type.Optional(placeFields.lng),
    checkpoint: Type.Optional(placeFields.checkpoint),
    passageRules: Type.Optional(placeFields.passageRules),
    active: Type.Optional(placeFields.active),
  },
  { additionalProperties: false },
);
export type CreatePlaceBody = Static<typeof CreatePlaceBody>;

export const UpdatePlaceBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version read; a stale version is refused' }),
    kind: Type.Optional(placeFields.kind),
    name: Type.Optional(placeFields.name),
    address: Type.Optional(placeFields.address),
    regionCode: Type.Optional(placeFields.regionCode),
    lat: Type.Optional(placeFields.lat),
    lng: Type.Optional(placeFields.lng),
    checkpoint: Type.Optional(placeFields.checkpoint),
    passageRules: Type.Optional(placeFields.passageRules),
    active: Type.Optional(placeFields.active),
  },
  { additionalProperties: false },
);
export type UpdatePlaceBody = Static<typeof UpdatePlaceBody>;

export const PlaceListQuery = Type.Object(
  {
    ...PageQuery,
    node: Type.Optional(RegionCode),
    q: Type.Optional(Type.String({ maxLength: 60, description: 'Part of the name or address' })),
    kind: Type.Optional(PlaceKindSchema),
    checkpoint: Type.Optional(Type.Boolean()),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PlaceListQuery = Static<typeof PlaceListQuery>;

export const PlacePage = Page(Place);
export type PlacePage = Static<typeof PlacePage>;

export const PosterQuery = Type.Object({ format: Type.Optional(StringEnum(['pdf', 'png'] as const)) }, { additionalProperties: false });

/** What anyone who scanned a poster may see of the place. */
export const PublicPlace = Type.Object({ code: PlaceCode, name: Type.String(), kind: PlaceKindSchema, address: Type.String() });
export type PublicPlace = Static<typeof PublicPlace>;

export const VisitorCheckInBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 50 }), phone: Type.String({ minLength: 1, maxLength: 20 }) },
  { additionalProperties: false },
);
export type VisitorCheckInBody = Static<typeof VisitorCheckInBody>;

export const CheckInResult = Type.Object({ placeName: Type.String(), at: Timestamp, personMasked: Type.String() });
export type CheckInResult = Static<typeof CheckInResult>;

export const ScanSourceSchema = StringEnum(SCAN_SOURCES);

export const Scan = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  personKind: StringEnum(['resident', 'visitor'] as const),
  personMasked: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  source: ScanSourceSchema,
  temperature: Type.Union([Type.Number(), Type.Null()]),
  fever: Type.Boolean(),
});
export type Scan = Static<typeof Scan>;

export const ScanListQuery = Type.Object(
  { ...PageQuery, from: Type.Optional(Timestamp), to: Type.Optional(Timestamp) },
  { additionalProperties: false },
);
export type ScanListQuery = Static<typeof ScanListQuery>;
export const ScanPage = Page(Scan);
export type ScanPage = Static<typeof ScanPage>;

/** The resident's personal code as the portal shows it; `serverNow` lets the screen count down on the server's clock. */
export const PersonalCode = Type.Object({ code: Type.String(), issuedAt: Timestamp, expiresAt: Timestamp, serverNow: Timestamp, residentMasked: Type.String() });
export type PersonalCode = Static<typeof PersonalCode>;
