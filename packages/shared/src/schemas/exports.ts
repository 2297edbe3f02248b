import { Type, type Static } from '@sinclair/typebox';
import { ResidentListQuery } from './residents.js';

/** Export the filtered register to .xlsx as a background job; with a purpose, unmasked (needs the permission; audited). */
export const ExportResidentsBody = Type.Object(
  {
    filters: Type.Omit(ResidentListQuery, ['page', 'pageSize']),
    purpose: Type.Optional(Type.String({ minLength: 2, maxLength: 200, description: 'Set to export full document numbers and phones' })),
  },
  { additionalProperties: false },
);
export type ExportResidentsBody = Static<typeof ExportResidentsBody>;
