import type { DbConstraintError } from './index.js';

/** better-sqlite3 raises SqliteError with `code` such as SQLITE_CONSTRAINT_UNIQUE. */
export function classifySqlite(err: unknown): DbConstraintError | undefined {
  if (!(err instanceof Error) || !('code' in err) || typeof err.code !== 'string') return undefined;
  const code = err.code;
  // "UNIQUE constraint failed: residents.doc_type, residents.doc_number_hash"
  const columns = /failed: (.+)$/.exec(err.message)?.[1]?.split(',').map((c) => c.trim()) ?? [];
  const table = columns[0]?.split('.')[0];
  const cols = columns.map((c) => c.split('.')[1] ?? c);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return { kind: 'unique', table, columns: cols };
  // ON DELETE RESTRICT fires as a trigger-coded error with the foreign-key message (PostgreSQL: 23503 either way).
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || (code === 'SQLITE_CONSTRAINT_TRIGGER' && err.message === 'FOREIGN KEY constraint failed')) {
    return { kind: 'foreign_key', table: undefined, columns: [] };
  }
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') return { kind: 'not_null', table, columns: cols };
  if (code === 'SQLITE_CONSTRAINT_CHECK') return { kind: 'check', table: undefined, columns: [] };
  return undefined;
}
