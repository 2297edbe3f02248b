import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type QueryResult,
  type CompiledQuery,
} from 'kysely';
import pg from 'pg';
import type { Config } from '../config/config.js';
import { postgresDialect, sqliteDialect, type Dialect } from './dialect.js';
import { translateDbError } from './errors/index.js';
import { startWalCheckpointer } from './wal-checkpointer.js';
import type { Database, Db } from './schema.js';

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** The SQLite connection itself, for the few hot paths that run synchronously on it; null on PostgreSQL. */
  sqlite: SqliteAccess | null;
  /** Named statements on the PostgreSQL pool, for the few hot paths whose planning costs more than their run; null on SQLite. */
  postgres: PostgresAccess | null;
  close(): Promise<void>;
}

export interface PostgresAccess {
  /**
   * Runs `text` as the named prepared statement `name` (each pooled connection prepares it once, and PostgreSQL
   * may keep one generic plan for it instead of planning every call; an ANALYZE of its tables replans it); driver
   * errors are translated as every query's are. One statement, no
   * transaction around it: it commits by itself.
   */
  prepared<R>(name: string, text: string, values: readonly unknown[]): Promise<R[]>;
}

/** Synchronous work on the one SQLite connection, taken in turn with Kysely's queries. */
export interface SqliteAccess {
  /**
   * Runs `fn` while holding the connection as a Kysely query would (nothing else runs on it meanwhile); its driver
   * errors are translated as every query's are. Never call it inside a Kysely transaction: that holds the connection.
   */
  exclusive<T>(fn: (conn: SqliteDatabase.Database) => T): Promise<T>;
}

const MIN_SQLITE = [3, 35, 0];
const MIN_POSTGRES_MAJOR = 13;

/**
 * Who copies the write-ahead log back into the database file: the committing connection once the log reaches
 * 64 MiB (SQLite's own way), or a background thread (wal-checkpointer.ts), the server's way.
 */
export type SqliteCheckpointing = 'inline' | 'background';

/**
 * How the connection's own commits treat the log. Inline: a commit checkpoints once the log reaches 16,384 pages
 * (64 MiB instead of SQLite's 1,000: a device batch dirties ~1,000 random leaves of the per-person scan index, so
 * the default checkpoints after nearly every batch and copies pages the next batch dirties again; batch ingest
 * commits 2.5-3x cheaper), and the file is cut back to 128 MiB when the log restarts so that a burst does not leave
 * a large file behind. Background: 65,536 pages (256 MiB) only as a safety net for when the thread falls behind,
 * and the file is left for the thread to cut back (doing it on every restart cost batch ingest ~10 %).
 */
export function setWalCheckpointing(conn: SqliteDatabase.Database, checkpointing: SqliteCheckpointing): void {
  conn.pragma(`wal_autocheckpoint = ${checkpointing === 'inline' ? 16384 : 65536}`);
  conn.pragma(`journal_size_limit = ${checkpointing === 'inline' ? 134217728 : -1}`);
}

/** SQLite pragmas, set in one place on every connection Gridline opens. */
export function applySqlitePragmas(conn: SqliteDatabase.Database, opts: { readonly?: boolean; checkpointing?: SqliteCheckpointing } = {}): void {
  const readonly = opts.readonly ?? false;
  if (!readonly) conn.pragma('journal_mode = WAL');
  conn.pragma('foreign_keys = ON');
  conn.pragma('busy_timeout = 5000');
  conn.pragma('synchronous = NORMAL');
  conn.pragma('temp_store = MEMORY');
  conn.pragma('cache_size = -65536');
  if (!readonly) setWalCheckpointing(conn, opts.checkpointing ?? 'inline');
}

/**
 * `checkpointing: 'background'` (the server) checkpoints a file database's WAL from a worker thread; a memory
 * database, and every other entry point (CLI, tests), checkpoints inline.
 */
export async function createDatabase(config: Config['db'], opts: { checkpointing?: SqliteCheckpointing } = {}): Promise<DatabaseHandle> {
  if (config.dialect === 'sqlite') {
    if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const conn = new SqliteDatabase(config.file);
    const checkpointing = config.file === ':memory:' ? 'inline' : (opts.checkpointing ?? 'inline');
    applySqlitePragmas(conn, { checkpointing });
    const version = (conn.prepare('select sqlite_version() as v').get() as { v: string }).v;
    if (compareVersions(version.split('.').map(Number), MIN_SQLITE) < 0) {
      throw new Error(`SQLite ${version} is too old; Gridline needs ${MIN_SQLITE.join('.')} or later`);
    }
    const db = new Kysely<Database>({ dialect: translating(new SqliteDialect({ database: withStatementCache(conn) }), 'sqlite') });
    const sqlite: SqliteAccess = {
      exclusive: (fn) =>
        db.connection().execute(async () => {
          try {
            return fn(conn);
          } catch (err) {
            throw translateDbError('sqlite', err);
          }
        }),
    };
    const checkpointer =
      checkpointing === 'background'
        ? startWalCheckpointer(config.file, (err) => {
            // The thread is gone: commits checkpoint the log and cut it back themselves again, as without it.
            setWalCheckpointing(conn, 'inline');
            console.error(`WAL checkpoint thread failed, checkpointing inline from now on: ${err.message}`);
          })
        : null;
    const close = async () => {
      await checkpointer?.stop();
      await db.destroy();
    };
    return { db, dialect: sqliteDialect, sqlite, postgres: null, close };
  }

  // int8 (bigint, count(*)) as JS numbers: epoch-ms values and counts stay far below 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
  });
  if (config.schema) {
    const client = await pool.connect();
    try {
      await client.query(`create schema if not exists ${config.schema}`);
    } finally {
      client.release();
    }
  }
  const res = await pool.query<{ v: string }>("select current_setting('server_version_num') as v");
  const versionNum = Number(res.rows[0]?.v ?? 0);
  if (Math.floor(versionNum / 10000) < MIN_POSTGRES_MAJOR) {
    await pool.end();
    throw new Error(`PostgreSQL ${versionNum} is too old; Gridline needs ${MIN_POSTGRES_MAJOR} or later`);
  }
  const db = new Kysely<Database>({ dialect: translating(new PostgresDialect({ pool }), 'postgres') });
  const postgres: PostgresAccess = {
    async prepared<R>(name: string, text: string, values: readonly unknown[]) {
      try {
        return (await pool.query({ name, text, values: [...values] })).rows as R[];
      } catch (err) {
        throw translateDbError('postgres', err);
      }
    },
  };
  return { db, dialect: postgresDialect, sqlite: null, postgres, close: () => db.destroy() };
}

/** Statements kept prepared per connection: Kysely prepares every query anew, which for the hot paths costs as much as running it. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The connection as Kysely's SQLite driver sees it, with prepared statements reused by SQL text (least recently
 * used dropped first). Safe because the driver runs one query at a time on the connection and never leaves a
 * statement mid-iteration (Gridline streams no SQLite query); SQLite re-prepares a cached statement itself when
 * the schema changes under it.
 */
function withStatementCache(conn: SqliteDatabase.Database): { prepare(sql: string): SqliteDatabase.Statement; close(): void } {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = conn.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
    close: () => conn.close(),
  };
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Wraps a Kysely dialect so that every query's driver error is translated to a domain error
 * (unique, foreign key, not null) before any repository or service sees it.
 */
function translating(inner: KyselyDialect, name: 'sqlite' | 'postgres'): KyselyDialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createDriver: () => new TranslatingDriver(inner.createDriver(), name),
  };
}

class TranslatingDriver implements Driver {
  private readonly innerOf = new WeakMap<DatabaseConnection, DatabaseConnection>();
  constructor(
    private readonly inner: Driver,
    private readonly name: 'sqlite' | 'postgres',
  ) {}

  private unwrap(c: DatabaseConnection): DatabaseConnection {
    return this.innerOf.get(c) ?? c;
  }

  init() {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await this.inner.acquireConnection();
    const name = this.name;
    const wrapped: DatabaseConnection = {
      async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
        try {
          return await conn.executeQuery<R>(q);
        } catch (err) {
          throw translateDbError(name, err);
        }
      },
      streamQuery: <R>(q: CompiledQuery, chunkSize?: number) => conn.streamQuery<R>(q, chunkSize),
    };
    this.innerOf.set(wrapped, conn);
    return wrapped;
  }
  beginTransaction(c: DatabaseConnection, s: Parameters<Driver['beginTransaction']>[1]) {
    return this.inner.beginTransaction(this.unwrap(c), s);
  }
  commitTransaction(c: DatabaseConnection) {
    return this.inner.commitTransaction(this.unwrap(c));
  }
  rollbackTransaction(c: DatabaseConnection) {
    return this.inner.rollbackTransaction(this.unwrap(c));
  }
  releaseConnection(c: DatabaseConnection) {
    return this.inner.releaseConnection(this.unwrap(c));
  }
  destroy() {
    return this.inner.destroy();
  }
}
