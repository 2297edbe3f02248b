import type { DbConstraintError } from './index.js';

interface PgError extends Error {
  code?: string;
  table?: string;
  column?: string;
  constraint?: string;
  detail?: string;
}

/** node-postgres errors carry SQLSTATE in `code`: 23505 unique, 23503 foreign key, 23502 not null, 23514 check. */
export function classifyPostgres(err: unknown): DbConstraintError | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as PgError;
  // detail: 'Key (doc_type, doc_number_hash)=(…) already exists.'
  const keyCols = /^Key \(([^)]+)\)/.exec(e.detail ?? '')?.[1]?.split(',').map((c) => c.trim()) ?? [];
  switch (e.code) {
    case '23505':
      return { kind: 'unique', table: e.table, columns: keyCols };
    case '23503':
      return { kind: 'foreign_key', table: e.table, columns: keyCols };
    case '23502':
      return { kind: 'not_null', table: e.table, columns: e.column ? [e.column] : [] };
    case '23514':
      return { kind: 'check', table: e.table, columns: [] };
    default:
      return undefined;
  }
}
