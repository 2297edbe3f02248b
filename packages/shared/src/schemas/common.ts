import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** A closed set of strings as a plain JSON-Schema `enum` (clear validation errors, clean OpenAPI). */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const Id = Type.String({ format: 'uuid', description: 'Time-ordered UUID (v7)' });
export const RegionCode = Type.String({ pattern: '^[0-9]{6,24}$', description: 'Region path code' });
export const Timestamp = Type.Integer({ description: 'Milliseconds since the Unix epoch (UTC)' });
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const FieldErrorSchema = Type.Object({ path: Type.String(), code: Type.String(), message: Type.String() });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable GRIDLINE_… code' }),
      message: Type.String({ description: 'Chinese message for the UI' }),
      messageEn: Type.String(),
      fields: Type.Optional(Type.Array(FieldErrorSchema)),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'ErrorResponse' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });
}

export const Ok = Type.Object({ ok: Type.Literal(true) });
