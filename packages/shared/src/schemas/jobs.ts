import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Timestamp } from './common.js';

export const JOB_KINDS = ['resident_import', 'resident_export', 'screening_report', 'webhook_delivery', 'measure_notices'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A background job as its owner sees it; progress survives a page reload because it lives in the database. */
export const Job = Type.Object({
  id: Id,
  kind: StringEnum(JOB_KINDS),
  status: StringEnum(JOB_STATUSES),
  progress: Type.Integer({ description: 'Units done (rows)' }),
  total: Type.Integer({ description: 'Units in all; 0 while unknown' }),
  message: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  /** A file is ready at GET /api/jobs/:id/download (exports; import error reports). */
  downloadable: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  finishedAt: Type.Union([Timestamp, Type.Null()]),
});
export type Job = Static<typeof Job>;
export const JobList = Type.Object({ items: Type.Array(Job) });
