import { Type, type Static } from '@sinclair/typebox';
import { WHISTLE_CATEGORIES, WHISTLE_URGENCIES } from '../whistles/categories.js';
import { Id, RegionCode, StringEnum, Timestamp } from './common.js';

/** Kinds of government department a community whistles for (卫健/疾控, 公安/派出所, 城管, 民政, 市场监管, 住建, 水电气 …). */
export const DEPARTMENT_KINDS = ['health', 'cdc', 'police', 'urban', 'civil', 'market', 'housing', 'water', 'power', 'gas', 'transport', 'other'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];
export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, { zh: string; en: string }> = {
  health: { zh: '卫健', en: 'Health commission' },
  cdc: { zh: '疾控', en: 'CDC' },
  police: { zh: '公安/派出所', en: 'Police' },
  urban: { zh: '城管', en: 'Urban management' },
  civil: { zh: '民政', en: 'Civil affairs' },
  market: { zh: '市场监管', en: 'Market supervision' },
  housing: { zh: '住建', en: 'Housing and construction' },
  water: { zh: '供水', en: 'Water supply' },
  power: { zh: '供电', en: 'Power supply' },
  gas: { zh: '燃气', en: 'Gas supply' },
  transport: { zh: '交通', en: 'Transport' },
  other: { zh: '其他', en: 'Other' },
};

export const WhistleCategorySchema = StringEnum(WHISTLE_CATEGORIES);
export const WhistleUrgencySchema = StringEnum(WHISTLE_URGENCIES);

export const Department = Type.Object({
  id: Id,
  name: Type.String(),
  kind: StringEnum(DEPARTMENT_KINDS),
  /** The node of the region tree it serves (usually the street or the district). */
  nodeCode: RegionCode,
  nodeName: Type.String(),
  dutyContact: Type.String(),
  /** An official duty line (值班电话), shown to whoever whistles; not personal data. */
  dutyPhone: Type.String(),
  categories: Type.Array(WhistleCategorySchema),
  active: Type.Boolean(),
  staffCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Type.Integer(),
});
export type Department = Static<typeof Department>;

const DutyPhone = Type.String({ pattern: '^[0-9+\\- ]{3,20}$', description: 'Duty line: digits, +, - (3–20, e.g. 110 or 010-65000001)' });

export const CreateDepartmentBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 60 }),
    kind: StringEnum(DEPARTMENT_KINDS),
    nodeCode: RegionCode,
    dutyContact: Type.String({ minLength: 1, maxLength: 40 }),
    dutyPhone: DutyPhone,
    categories: Type.Array(WhistleCategorySchema, { maxItems: WHISTLE_CATEGORIES.length, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CreateDepartmentBody = Static<typeof CreateDepartmentBody>;

export const UpdateDepartmentBody = Type.Object(
  {
    version: Type.Integer(),
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 60 })),
    kind: Type.Optional(StringEnum(DEPARTMENT_KINDS)),
    dutyContact: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    dutyPhone: Type.Optional(DutyPhone),
    categories: Type.Optional(Type.Array(WhistleCategorySchema, { maxItems: WHISTLE_CATEGORIES.length, uniqueItems: true })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateDepartmentBody = Static<typeof UpdateDepartmentBody>;

export const DepartmentList = Type.Object({ items: Type.Array(Department) });
export type DepartmentList = Static<typeof DepartmentList>;

/** A routing rule: whistles of `category` raised under `nodeCode` go to `departmentId` (the lead when several). */
export const RoutingRule = Type.Object({
  id: Id,
  category: WhistleCategorySchema,
  nodeCode: RegionCode,
  nodeName: Type.String(),
  departmentId: Id,
  departmentName: Type.String(),
  lead: Type.Boolean(),
  createdAt: Timestamp,
});
export type RoutingRule = Static<typeof RoutingRule>;

export const CreateRoutingRuleBody = Type.Object(
  { category: WhistleCategorySchema, nodeCode: RegionCode, departmentId: Id, lead: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type CreateRoutingRuleBody = Static<typeof CreateRoutingRuleBody>;

export const RoutingRuleList = Type.Object({ items: Type.Array(RoutingRule) });

/** The deadline in force for each urgency at a node, and where it comes from (a node's setting, or the default). */
export const DeadlineSettingView = Type.Object({
  urgency: WhistleUrgencySchema,
  ackMinutes: Type.Integer(),
  resolveHours: Type.Integer(),
  /** The node whose setting applies; null = the built-in default (REFERENCE.md §4). */
  source: Type.Union([RegionCode, Type.Null()]),
  defaultAckMinutes: Type.Integer(),
  defaultResolveHours: Type.Integer(),
});
export const DeadlineSettings = Type.Object({ nodeCode: RegionCode, items: Type.Array(DeadlineSettingView) });
export type DeadlineSettings = Static<typeof DeadlineSettings>;

export const SetDeadlinesBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          urgency: WhistleUrgencySchema,
          ackMinutes: Type.Integer({ minimum: 5, maximum: 7 * 24 * 60 }),
          resolveHours: Type.Integer({ minimum: 1, maximum: 90 * 24 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: WHISTLE_URGENCIES.length },
    ),
  },
  { additionalProperties: false },
);
export type SetDeadlinesBody = Static<typeof SetDeadlinesBody>;
