import { Type, type Static } from '@sinclair/typebox';
import { RISK_AREA_LEVELS } from '../protocol/values.js';
import { Id, IsoDate, RegionCode, StringEnum, Timestamp } from './common.js';
import { Geometry } from './geo.js';
import { Measure, MEASURE_STATUSES } from './measures.js';
import { RegionLevelSchema } from './regions.js';

/**
 * Area controls in force (issue #7): residents affected, the lifting rule under the version at the start, the
 * downgrade proposal when it is met, and the shape to draw (the node's own, or its nearest ancestor's).
 */
const Level = StringEnum(RISK_AREA_LEVELS);

export const AreaLifting = Type.Object({
  status: StringEnum(['met', 'not_met', 'no_rule'] as const),
  /** The Shanghai day the rule was met. */
  metOn: Type.Union([IsoDate, Type.Null()]),
  /** What is still missing, in Chinese ("还需连续 2 天无新增", "尚缺全员核酸阴性：3 人未检测"). */
  missing: Type.Array(Type.String()),
  action: Type.Union([StringEnum(['step_down', 'lift'] as const), Type.Null()]),
  stepsDownTo: Type.Union([Level, Type.Null()]),
  rule: Type.String(),
  cleanDays: Type.Integer(),
  daysNeeded: Type.Union([Type.Integer(), Type.Null()]),
  cleanFrom: IsoDate,
  lastInfectionDay: Type.Union([IsoDate, Type.Null()]),
  /** The negative round, when the version asks for one. */
  round: Type.Union([Type.Object({ inResidence: Type.Integer(), untested: Type.Integer(), positives: Type.Integer(), windowHours: Type.Integer() }), Type.Null()]),
});
export type AreaLifting = Static<typeof AreaLifting>;

export const AreaControl = Type.Object({
  id: Id,
  regionCode: RegionCode,
  nodeName: Type.String(),
  /** Where it lies, from the community down ("梅园社区 第2网格 7栋"): many buildings are called 1栋. */
  placeName: Type.String(),
  nodeLevel: RegionLevelSchema,
  areaLevel: Level,
  status: StringEnum(MEASURE_STATUSES),
  inForce: Type.Boolean(),
  startAt: Timestamp,
  plannedEndAt: Timestamp,
  protocol: Type.Object({ id: Type.String(), name: Type.String() }),
  /** Residents registered under the node. */
  residents: Type.Integer(),
  lifting: AreaLifting,
  /** The shape drawn for it: the node's own boundary, or (inherited) its nearest ancestor's; null when none has one. */
  map: Type.Union([Type.Object({ code: RegionCode, name: Type.String(), inherited: Type.Boolean(), geometry: Geometry }), Type.Null()]),
  /** A step-down waiting for approval. */
  pendingStepDown: Type.Union([Type.Object({ id: Id, toLevel: Level }), Type.Null()]),
  /** The control this one stepped down from. */
  sourceId: Type.Union([Id, Type.Null()]),
  version: Type.Integer(),
});
export type AreaControl = Static<typeof AreaControl>;

export const AreaControlQuery = Type.Object({ node: Type.Optional(RegionCode) }, { additionalProperties: false });
export type AreaControlQuery = Static<typeof AreaControlQuery>;
export const AreaControlList = Type.Object({ items: Type.Array(AreaControl), at: Timestamp });
export type AreaControlList = Static<typeof AreaControlList>;

export const AreaStepDownBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version of the control as shown (refused when someone changed it meanwhile)' }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type AreaStepDownBody = Static<typeof AreaStepDownBody>;

export const AreaStepDownResult = Type.Object({
  /** Done at once (stepped down / lifted), or a lower control waiting for the street's approval. */
  outcome: StringEnum(['stepped_down', 'lifted', 'pending'] as const),
  ended: Type.Union([Measure, Type.Null()]),
  created: Type.Union([Measure, Type.Null()]),
});
export type AreaStepDownResult = Static<typeof AreaStepDownResult>;
