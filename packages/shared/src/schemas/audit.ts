import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQuery, RegionCode, Timestamp } from './common.js';

export const AuditEvent = Type.Object({
  seq: Type.Integer(),
  at: Timestamp,
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  actorNode: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.Union([RegionCode, Type.Null()]),
  purpose: Type.Union([Type.String(), Type.Null()]),
  diff: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  hash: Type.String(),
});
export type AuditEvent = Static<typeof AuditEvent>;

export const AuditListQuery = Type.Object(
  {
    ...PageQuery,
    action: Type.Optional(Type.String({ maxLength: 64 })),
    entityType: Type.Optional(Type.String({ maxLength: 64 })),
    entityId: Type.Optional(Type.String({ maxLength: 64 })),
    actorId: Type.Optional(Type.String({ maxLength: 64 })),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type AuditListQuery = Static<typeof AuditListQuery>;
export const AuditPage = Page(AuditEvent);

export const AuditVerifyResult = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  firstBadSeq: Type.Union([Type.Integer(), Type.Null()]),
  problem: Type.Union([Type.Literal('altered'), Type.Literal('missing'), Type.Literal('reordered'), Type.Null()]),
  message: Type.String(),
});
export type AuditVerifyResult = Static<typeof AuditVerifyResult>;
