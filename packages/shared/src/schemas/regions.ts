import { Type, type Static } from '@sinclair/typebox';
import { REGION_LEVELS } from '../region.js';
import { RegionCode, StringEnum, Timestamp } from './common.js';

export const RegionLevelSchema = StringEnum(REGION_LEVELS);

export const RegionNode = Type.Object({
  code: RegionCode,
  parentCode: Type.Union([RegionCode, Type.Null()]),
  level: RegionLevelSchema,
  name: Type.String(),
  residentCount: Type.Integer(),
  childCount: Type.Integer(),
  updatedAt: Timestamp,
});
export type RegionNode = Static<typeof RegionNode>;

export const RegionNodeDetail = Type.Object({
  node: RegionNode,
  path: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: RegionLevelSchema })),
  children: Type.Array(RegionNode),
});
export type RegionNodeDetail = Static<typeof RegionNodeDetail>;

export const CreateRegionBody = Type.Object(
  { code: RegionCode, name: Type.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: false },
);
export type CreateRegionBody = Static<typeof CreateRegionBody>;

export const UpdateRegionBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 60 }) },
  { additionalProperties: false },
);
export type UpdateRegionBody = Static<typeof UpdateRegionBody>;
