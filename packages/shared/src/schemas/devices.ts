import { Type, type Static } from '@sinclair/typebox';
import { Id, RegionCode, StringEnum, Timestamp } from './common.js';

/** A gate device (物联网+): bound to one place; authenticates with a bearer token shown once. */
export const Device = Type.Object({
  id: Id,
  name: Type.String(),
  placeId: Id,
  placeName: Type.String(),
  regionCode: RegionCode,
  /** Last four characters of the token, to tell tokens apart; the token itself is never stored. */
  tokenHint: Type.String(),
  active: Type.Boolean(),
  acceptedTotal: Type.Integer(),
  rejectedTotal: Type.Integer(),
  lastSeenAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Device = Static<typeof Device>;

export const CreateDeviceBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }), placeId: Id }, { additionalProperties: false });
export type CreateDeviceBody = Static<typeof CreateDeviceBody>;

export const UpdateDeviceBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateDeviceBody = Static<typeof UpdateDeviceBody>;

/** Returned once, at creation or when the token is replaced. */
export const DeviceWithToken = Type.Object({ device: Device, token: Type.String() });
export type DeviceWithToken = Static<typeof DeviceWithToken>;

export const DevicePlace = Type.Object({ id: Id, name: Type.String(), regionCode: RegionCode });
export type DevicePlace = Static<typeof DevicePlace>;

export const DeviceRejection = Type.Object({ id: Type.Integer(), at: Timestamp, itemKey: Type.Union([Type.String(), Type.Null()]), reason: Type.String() });
export type DeviceRejection = Static<typeof DeviceRejection>;

export const INGEST_MAX_ITEMS = 1000;
export const INGEST_KINDS = ['scan', 'temperature'] as const;

/**
 * One item as a device sends it. The batch envelope is validated as a whole; items are checked one by one so
 * that a bad item is rejected with its reason while the good ones in the same batch are kept.
 */
export const IngestItem = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 128, description: 'Idempotency key, unique per device: a repeated key is a duplicate' }),
    kind: StringEnum(INGEST_KINDS),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A scanned personal code' })),
    residentId: Type.Optional(Id),
    at: Timestamp,
    temperature: Type.Optional(Type.Number({ description: '°C; required for kind "temperature"' })),
  },
  { additionalProperties: false },
);
export type IngestItem = Static<typeof IngestItem>;

export const IngestBody = Type.Object(
  { items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: INGEST_MAX_ITEMS, description: `Up to ${INGEST_MAX_ITEMS} IngestItem objects` }) },
  { additionalProperties: false },
);
export type IngestBody = Static<typeof IngestBody>;

export const IngestItemResult = Type.Object({
  index: Type.Integer(),
  key: Type.Union([Type.String(), Type.Null()]),
  status: StringEnum(['accepted', 'duplicate', 'rejected'] as const),
  reason: Type.Optional(Type.String()),
});
export type IngestItemResult = Static<typeof IngestItemResult>;

export const IngestResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(IngestItemResult),
});
export type IngestResult = Static<typeof IngestResult>;
