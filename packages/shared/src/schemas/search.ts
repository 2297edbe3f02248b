import { Type, type Static } from '@sinclair/typebox';
import { Id, RegionCode } from './common.js';
import { RegionLevelSchema } from './regions.js';
import { Resident } from './residents.js';

export const SearchQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 50 }) }, { additionalProperties: false });
export type SearchQuery = Static<typeof SearchQuery>;

/** Global search within the caller's jurisdiction: residents, households by address, region nodes by name. */
export const SearchResult = Type.Object({
  residents: Type.Array(Resident),
  households: Type.Array(Type.Object({ id: Id, code: RegionCode, address: Type.String(), memberCount: Type.Integer() })),
  regions: Type.Array(Type.Object({ code: RegionCode, name: Type.String(), level: RegionLevelSchema })),
});
export type SearchResult = Static<typeof SearchResult>;
