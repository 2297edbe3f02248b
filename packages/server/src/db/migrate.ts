import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Dialect } from './dialect.js';
import type { Db } from './schema.js';

/** What every migration receives: the database and the dialect helpers (never a raw dialect check). */
export interface MigrationContext {
  db: Db;
  dialect: Dialect;
}

export interface GridlineMigration {
  up(ctx: MigrationContext): Promise<void>;
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** One folder, files named <YYYYMMDDHHmm>_<name>.ts, applied in name order; each gets { db, dialect }. */
class FolderProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d{12}_[a-z0-9_]+\.ts$/.test(f)).sort();
    const out: Record<string, Migration> = {};
    for (const file of files) {
      const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as { migration: GridlineMigration };
      const dialect = this.dialect;
      out[file.replace(/\.ts$/, '')] = { up: (db) => mod.migration.up({ db: db as Db, dialect }) };
    }
    return out;
  }
}

/**
 * `schema` (PostgreSQL DATABASE_SCHEMA) pins Kysely's bookkeeping tables to that schema: otherwise its
 * existence check sees another schema's kysely_migration tables and never creates its own.
 */
export async function migrateToLatest(db: Db, dialect: Dialect, schema?: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: new FolderProvider(dialect), ...(schema ? { migrationTableSchema: schema } : {}) });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** Names of applied migrations, oldest first (export files record them). */
export async function appliedMigrations(db: Db, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderProvider(dialect) });
  return (await migrator.getMigrations()).filter((m) => m.executedAt).map((m) => m.name);
}
