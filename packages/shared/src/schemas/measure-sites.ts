import { Type, type Static } from '@sinclair/typebox';
import { Id, RegionCode, StringEnum, Timestamp } from './common.js';

/** Designated isolation sites (集中隔离点, issue #7): where centralized isolation takes place, with a capacity. */
export const SITE_KINDS = ['hotel', 'designated', 'hospital'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];
export const SITE_KIND_LABELS: Record<SiteKind, { zh: string; en: string }> = {
  hotel: { zh: '隔离酒店', en: 'Quarantine hotel' },
  designated: { zh: '集中隔离点', en: 'Designated site' },
  hospital: { zh: '定点医院', en: 'Designated hospital' },
};

export const IsolationSite = Type.Object({
  id: Id,
  name: Type.String(),
  address: Type.String(),
  kind: StringEnum(SITE_KINDS),
  /** The street or district that designates it (it serves everything under that node). */
  regionCode: RegionCode,
  regionName: Type.String(),
  capacity: Type.Integer(),
  /** Centralized isolations at the site pending or in force now (places taken). */
  inUse: Type.Integer(),
  free: Type.Integer(),
  contactPhone: Type.String(),
  active: Type.Boolean(),
  note: Type.String(),
  /** Whether the caller may edit it (measure.approve at street level or above, covering its node). */
  editable: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Type.Integer(),
});
export type IsolationSite = Static<typeof IsolationSite>;

export const IsolationSiteList = Type.Object({ items: Type.Array(IsolationSite), total: Type.Integer() });
export type IsolationSiteList = Static<typeof IsolationSiteList>;

export const IsolationSiteQuery = Type.Object(
  { includeInactive: Type.Optional(Type.Boolean({ description: 'Also list deactivated sites' })) },
  { additionalProperties: false },
);
export type IsolationSiteQuery = Static<typeof IsolationSiteQuery>;

const Phone = Type.String({ maxLength: 40 });
export const IsolationSiteBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 100 }),
    address: Type.String({ maxLength: 200 }),
    kind: StringEnum(SITE_KINDS),
    regionCode: RegionCode,
    capacity: Type.Integer({ minimum: 1, maximum: 100_000 }),
    contactPhone: Phone,
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type IsolationSiteBody = Static<typeof IsolationSiteBody>;

export const IsolationSitePatch = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    kind: Type.Optional(StringEnum(SITE_KINDS)),
    capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    contactPhone: Type.Optional(Phone),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    /** false deactivates it: no new isolation may name it (people already there stay). */
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type IsolationSitePatch = Static<typeof IsolationSitePatch>;

/** A site with the people at it now (only those whose measures lie in the caller's jurisdiction). */
export const IsolationSiteDetail = Type.Object({
  site: IsolationSite,
  occupants: Type.Array(
    Type.Object({
      measureId: Id,
      residentName: Type.String(),
      status: StringEnum(['pending', 'active'] as const),
      startAt: Timestamp,
      plannedEndAt: Timestamp,
    }),
  ),
  /** Places taken by people outside the caller's jurisdiction (counted, never named). */
  othersInUse: Type.Integer(),
});
export type IsolationSiteDetail = Static<typeof IsolationSiteDetail>;
