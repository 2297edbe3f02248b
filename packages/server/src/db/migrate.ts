import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
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
/** Advisory-lock key held while migrating, so that several instances starting at once migrate once. */
const MIGRATION_LOCK = 7_004_000;

/** One folder, files named <YYYYMMDDHHmm>_<name>.ts, applied in name order. */
async function migrationFiles(): Promise<{ name: string; load: () => Promise<GridlineMigration> }[]> {
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d{12}_[a-z0-9_]+\.ts$/.test(f)).sort();
  return files.map((file) => ({
    name: file.replace(/\.ts$/, ''),
    load: async () => ((await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as { migration: GridlineMigration }).migration,
  }));
}

/**
 * Applies pending migrations, each in its own transaction together with its bookkeeping row (both
 * databases have transactional DDL), on one connection holding the migration lock. Kept small and
 * ours rather than Kysely's Migrator, whose table-existence checks look across all PostgreSQL schemas.
 */
export async function migrateToLatest(db: Db, dialect: Dialect): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await dialect.lockSession(conn, MIGRATION_LOCK);
    try {
      await sql`create table if not exists gridline_migrations (name text primary key, applied_at ${dialect.bigint()} not null)`.execute(conn);
      const done = new Set((await sql<{ name: string }>`select name from gridline_migrations`.execute(conn)).rows.map((r) => r.name));
      const applied: string[] = [];
      for (const m of await migrationFiles()) {
        if (done.has(m.name)) continue;
        const migration = await m.load();
        await conn.transaction().execute(async (tx) => {
          await migration.up({ db: tx, dialect });
          await sql`insert into gridline_migrations (name, applied_at) values (${m.name}, ${Date.now()})`.execute(tx);
        });
        applied.push(m.name);
      }
      return applied;
    } finally {
      await dialect.unlockSession(conn, MIGRATION_LOCK);
    }
  });
}

/** Names of applied migrations, oldest first (export files record them). */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from gridline_migrations order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}
