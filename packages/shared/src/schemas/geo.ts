import { Type, type Static } from '@sinclair/typebox';
import { RegionCode } from './common.js';
import { RegionLevelSchema } from './regions.js';

/** GeoJSON geometry (Polygon or MultiPolygon; lon/lat, WGS-84). */
export const Geometry = Type.Object(
  {
    type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
    coordinates: Type.Array(Type.Unknown()),
  },
  { additionalProperties: true },
);

export const BoundaryFeature = Type.Object(
  {
    type: Type.Literal('Feature'),
    geometry: Geometry,
    properties: Type.Object({ code: Type.String() }, { additionalProperties: true }),
  },
  { additionalProperties: true },
);

/** Upload body: features whose `properties.code` names a region node (grid, building, …) under the caller's node. */
export const BoundaryImportBody = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(BoundaryFeature, { maxItems: 20000 }) },
  { additionalProperties: true },
);
export type BoundaryImportBody = Static<typeof BoundaryImportBody>;

export const BoundaryImportResult = Type.Object({
  updated: Type.Integer(),
  /** Features whose code is unknown or outside the caller's jurisdiction. */
  unmatched: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), reason: Type.String() })),
});
export type BoundaryImportResult = Static<typeof BoundaryImportResult>;

/** A node and its children that have boundaries, as GeoJSON for the map. */
export const RegionMap = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      geometry: Geometry,
      properties: Type.Object({ code: RegionCode, name: Type.String(), level: RegionLevelSchema, residentCount: Type.Integer(), self: Type.Boolean() }),
    }),
  ),
});
export type RegionMap = Static<typeof RegionMap>;

/** Public client configuration. */
export const ClientConfig = Type.Object({
  version: Type.String(),
  /** Map tile URL template; empty means draw boundaries on a blank background (no external tile server). */
  tileUrl: Type.String(),
  tileAttribution: Type.String(),
});
export type ClientConfig = Static<typeof ClientConfig>;
