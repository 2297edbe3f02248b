import { AppError } from '../../lib/errors.js';
import type { DialectName } from '../dialect.js';
import { classifyPostgres } from './postgres.js';
import { classifySqlite } from './sqlite.js';

export interface DbConstraintError {
  kind: 'unique' | 'foreign_key' | 'not_null' | 'check';
  table: string | undefined;
  columns: string[];
}

export function classifyDbError(dialect: DialectName, err: unknown): DbConstraintError | undefined {
  return dialect === 'sqlite' ? classifySqlite(err) : classifyPostgres(err);
}

/**
 * Driver error → domain error, at the repository edge, so services never see SQLITE_CONSTRAINT or 23505.
 * Services that know what a constraint means (a duplicate document) catch the classified form first.
 */
export function translateDbError(dialect: DialectName, err: unknown): unknown {
  if (err instanceof AppError) return err;
  const c = classifyDbError(dialect, err);
  if (!c) return err;
  const details = { table: c.table ?? null, columns: c.columns };
  switch (c.kind) {
    case 'unique':
      return new AppError('GRIDLINE_CONFLICT', { details, cause: err });
    case 'foreign_key':
      return new AppError('GRIDLINE_REFERENCE_MISSING', { details, cause: err });
    case 'not_null':
      return new AppError('GRIDLINE_REQUIRED_MISSING', {
        details,
        fields: c.columns.map((col) => ({ path: `/${col}`, code: 'required', message: '此项为必填项' })),
        cause: err,
      });
    case 'check':
      return new AppError('GRIDLINE_VALIDATION', { details, cause: err });
  }
}
