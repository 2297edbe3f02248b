import { Type, type Static } from '@sinclair/typebox';
import { Id, PageQuery, RegionCode, Timestamp } from './common.js';

/** 直报: a report sent straight to the district command, stored exactly as written (content hash) with a receipt. */
export const DirectReport = Type.Object({
  id: Id,
  title: Type.String(),
  body: Type.String(),
  /** sha256 (hex) of title + "\n" + body as stored: anyone can recompute it from what they see. */
  contentHash: Type.String(),
  sender: Type.Object({ id: Type.String(), name: Type.String(), role: Type.String(), nodeCode: RegionCode, nodeName: Type.String() }),
  targetNode: RegionCode,
  targetName: Type.String(),
  sentAt: Timestamp,
  deliveredAt: Timestamp,
  readAt: Type.Union([Timestamp, Type.Null()]),
  readBy: Type.Union([Type.String(), Type.Null()]),
});
export type DirectReport = Static<typeof DirectReport>;

export const SendReportBody = Type.Object(
  { title: Type.String({ minLength: 2, maxLength: 100 }), body: Type.String({ minLength: 5, maxLength: 10000 }) },
  { additionalProperties: false },
);
export type SendReportBody = Static<typeof SendReportBody>;

export const ReportListQuery = Type.Object(
  { ...PageQuery, unread: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type ReportListQuery = Static<typeof ReportListQuery>;
export const ReportPage = Type.Object({ items: Type.Array(DirectReport), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), unread: Type.Integer() });
export type ReportPage = Static<typeof ReportPage>;
