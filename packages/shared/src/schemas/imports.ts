import { Type, type Static } from '@sinclair/typebox';
import { Id, RegionCode, StringEnum } from './common.js';

/** Register fields an import column can map to. */
export const IMPORT_FIELDS = [
  'name', 'sex', 'docType', 'docNumber', 'birthDate', 'phone', 'building', 'unit', 'room', 'relationToHead', 'residenceStatus', 'tags', 'notes',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Columns an import cannot do without. */
export const IMPORT_REQUIRED_FIELDS: readonly ImportField[] = ['name', 'docNumber', 'building', 'unit', 'room'];

export const ImportMapping = Type.Record(Type.String(), Type.Union([StringEnum(IMPORT_FIELDS), Type.Null()]), {
  description: 'Source column header → register field (null: ignore the column)',
});
export type ImportMapping = Static<typeof ImportMapping>;

/** What an uploaded file looks like: detected encoding, headers, the automatic mapping and a sample. */
export const ImportAnalysis = Type.Object({
  id: Id,
  fileName: Type.String(),
  format: StringEnum(['xlsx', 'csv'] as const),
  encoding: StringEnum(['utf-8', 'gbk', 'xlsx'] as const),
  rowCount: Type.Integer(),
  headers: Type.Array(Type.String()),
  mapping: ImportMapping,
  /** Required fields no column maps to yet (the manual mapping step must fill them). */
  missingFields: Type.Array(StringEnum(IMPORT_FIELDS)),
  sample: Type.Array(Type.Array(Type.String()), { description: 'First rows as text, in header order' }),
});
export type ImportAnalysis = Static<typeof ImportAnalysis>;

export const RunImportBody = Type.Object(
  {
    mapping: ImportMapping,
    /** Validate and count only; nothing is written. */
    dryRun: Type.Boolean(),
    /** What to do with a row whose document is already registered: update changed fields, or skip it. */
    onExisting: StringEnum(['update', 'skip'] as const),
    /** The community or grid the rows' buildings belong to (defaults to the importer's node). */
    node: Type.Optional(RegionCode),
  },
  { additionalProperties: false },
);
export type RunImportBody = Static<typeof RunImportBody>;

/** The `result` of a finished import job. */
export const ImportResult = Type.Object({
  dryRun: Type.Boolean(),
  total: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  skipped: Type.Integer(),
  rejected: Type.Integer(),
  /** Households created (dry run: to be created) for rooms not registered before. */
  householdsCreated: Type.Optional(Type.Integer()),
  /** First rejected rows (all of them are in the downloadable error report). */
  errors: Type.Array(Type.Object({ row: Type.Integer(), column: Type.String(), value: Type.String(), reason: Type.String() })),
});
export type ImportResult = Static<typeof ImportResult>;
