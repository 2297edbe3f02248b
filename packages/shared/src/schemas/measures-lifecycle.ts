import { Type, type Static } from '@sinclair/typebox';
import { PERSON_MEASURES } from '../measures/measure-kinds.js';
import { Id, IsoDate, PageQuery, RegionCode, StringEnum, Timestamp } from './common.js';

/** The life of an isolation order after it takes effect (issue #7): release proposals at the due date, delivery records. */

const Condition = Type.Object({
  code: StringEnum(['test_day', 'no_positive', 'no_abnormal', 'medical_criteria'] as const),
  met: Type.Boolean(),
  label: Type.String(),
  problem: Type.Union([Type.String(), Type.Null()]),
});

/** A person measure due for release: its last day is today or past, and no person has released it yet. */
export const ReleaseProposal = Type.Object({
  id: Id,
  kind: StringEnum(PERSON_MEASURES),
  resident: Type.Object({ id: Id, name: Type.String() }),
  regionCode: RegionCode,
  protocol: Type.Object({ id: Type.String(), name: Type.String() }),
  startAt: Timestamp,
  plannedEndAt: Timestamp,
  /** The last day in force (Asia/Shanghai). */
  dueDay: IsoDate,
  /** The planned end has passed: the measure no longer has effect, only the record of its release is missing. */
  overdue: Type.Boolean(),
  /** Still in force, so it may be extended (with the approval the new length needs). */
  extendable: Type.Boolean(),
  met: Type.Boolean(),
  summary: Type.String(),
  conditions: Type.Array(Condition),
  version: Type.Integer(),
});
export type ReleaseProposal = Static<typeof ReleaseProposal>;

export const ReleaseListQuery = Type.Object({ ...PageQuery, node: Type.Optional(RegionCode) }, { additionalProperties: false });
export type ReleaseListQuery = Static<typeof ReleaseListQuery>;
export const ReleaseProposalPage = Type.Object({ items: Type.Array(ReleaseProposal), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), at: Timestamp });
export type ReleaseProposalPage = Static<typeof ReleaseProposalPage>;

export const BulkReleaseBody = Type.Object(
  {
    measureIds: Type.Array(Id, { minItems: 1, maxItems: 200 }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    /** Releases those whose conditions do not hold too (a doctor's opinion, a result reported elsewhere); audited. */
    overrideReason: Type.Optional(Type.String({ minLength: 4, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type BulkReleaseBody = Static<typeof BulkReleaseBody>;
export const BulkReleaseResult = Type.Object({
  released: Type.Integer(),
  results: Type.Array(Type.Object({ id: Id, released: Type.Boolean(), problem: Type.Union([Type.String(), Type.Null()]) })),
});
export type BulkReleaseResult = Static<typeof BulkReleaseResult>;

export const DELIVERY_DOCUMENTS = ['notice', 'release'] as const;
export type DeliveryDocument = (typeof DELIVERY_DOCUMENTS)[number];
export const DELIVERY_DOCUMENT_LABELS: Record<DeliveryDocument, { zh: string; en: string }> = {
  notice: { zh: '告知书', en: 'Notice' },
  release: { zh: '解除证明', en: 'Release certificate' },
};
export const DELIVERY_CHANNELS = ['portal', 'in_person', 'posted', 'sms_phone'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export const DELIVERY_CHANNEL_LABELS: Record<DeliveryChannel, { zh: string; en: string }> = {
  portal: { zh: '门户查看', en: 'Viewed in the portal' },
  in_person: { zh: '当面送达签收', en: 'Handed over, signed' },
  posted: { zh: '张贴', en: 'Posted' },
  sms_phone: { zh: '短信/电话告知', en: 'SMS or phone call' },
};
/** Channels staff record; 门户查看 is recorded by the portal itself the first time the person opens the document. */
export const STAFF_DELIVERY_CHANNELS = ['in_person', 'posted', 'sms_phone'] as const;

export const MeasureDelivery = Type.Object({
  id: Id,
  measureId: Id,
  document: StringEnum(DELIVERY_DOCUMENTS),
  channel: StringEnum(DELIVERY_CHANNELS),
  deliveredAt: Timestamp,
  recordedBy: Type.String(),
  note: Type.String(),
  createdAt: Timestamp,
});
export type MeasureDelivery = Static<typeof MeasureDelivery>;

export const RecordDeliveriesBody = Type.Object(
  {
    measureIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }),
    document: StringEnum(DELIVERY_DOCUMENTS),
    channel: StringEnum(STAFF_DELIVERY_CHANNELS),
    /** When it was delivered (default: now); not in the future. */
    deliveredAt: Type.Optional(Timestamp),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type RecordDeliveriesBody = Static<typeof RecordDeliveriesBody>;
/** How many were recorded now, and how many already had this document delivered by this channel. */
export const RecordDeliveriesResult = Type.Object({ recorded: Type.Integer(), already: Type.Integer() });
export type RecordDeliveriesResult = Static<typeof RecordDeliveriesResult>;

export const MeasuresViewedBody = Type.Object({ measureIds: Type.Array(Id, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false });
export type MeasuresViewedBody = Static<typeof MeasuresViewedBody>;
