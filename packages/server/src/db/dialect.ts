import { CompiledQuery, sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { ensureMonthlyPartitions, partitionEventTable, type PartitionedTable } from './partitions.js';
import type { Database, Executor } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/**
 * Every difference between SQLite and PostgreSQL lives here (and in db/errors/*).
 * Domain code asks for a capability; it never checks which database it runs on.
 */
export interface Dialect {
  readonly name: DialectName;
  /** Column type for region-path codes: binary collation, so prefix ranges use the index. */
  codeType(): RawBuilder<unknown>;
  /** Column type for an auto-incrementing integer primary key. */
  serialPrimaryKey(): RawBuilder<unknown>;
  /** Column type for 64-bit integers (epoch ms). */
  bigint(): RawBuilder<unknown>;
  /**
   * Serializes writers of an append-only chain (the audit log) inside a transaction.
   * PostgreSQL: a transaction-scoped advisory lock; SQLite: the single writer already does.
   */
  lockChain(tx: Executor, key: number): Promise<void>;
  /** Session-level lock on one connection (migrations): PostgreSQL advisory lock; SQLite needs none. */
  lockSession(conn: Executor, key: number): Promise<void>;
  unlockSession(conn: Executor, key: number): Promise<void>;
  /** After a bulk import with explicit ids, move sequences past them. */
  afterBulkInsert(db: Executor, table: keyof Database, idColumn: string): Promise<void>;
  /** Makes an event table time-partitioned, keeping its rows (PostgreSQL, in a migration); SQLite keeps one table. */
  partitionEventTable(db: Executor, table: PartitionedTable): Promise<void>;
  /** Time-partitioned event tables: creates the monthly partitions around `now` (PostgreSQL); SQLite has none. */
  ensurePartitions(db: Executor, now: number): Promise<string[]>;
  /** Case-insensitive contains/prefix match. */
  ilike(column: Expression<string>, pattern: string): Expression<SqlBool>;
  /**
   * An index key that serves `column like 'prefix%'`: PostgreSQL needs `text_pattern_ops` outside the C
   * locale; null on SQLite, whose LIKE is case-insensitive and uses no plain index.
   */
  likePrefixKey(column: string): RawBuilder<unknown> | null;
  /** The planner's row estimate for a query (PostgreSQL); null where there is none (SQLite). */
  estimateRows(db: Executor, query: CompiledQuery): Promise<number | null>;
  /** Largest number of bound parameters in one statement. */
  readonly maxParameters: number;
  /**
   * Inserts many rows of plain values (the high-volume paths: device batches). PostgreSQL sends each column as
   * one typed array (`insert … select * from unnest(…)`): a short statement whatever the row count, instead of
   * a statement of rows × columns parameters that is built, sent and parsed anew for every batch.
   */
  /** `column` is one of `values` (text), as one parameter whatever their number. */
  anyOf(column: string, values: readonly string[]): Expression<SqlBool>;
  bulkInsert<K extends string>(db: Executor, table: keyof Database & string, columns: Record<K, BulkColumnType>, rows: Record<NoInfer<K>, unknown>[], opts?: BulkInsertOptions<NoInfer<K>>): Promise<Record<K, unknown>[]>;
}

/** How a bulk-inserted column is typed (PostgreSQL casts its array to this). */
export type BulkColumnType = 'bigint' | 'integer' | 'text';

export interface BulkInsertOptions<K extends string> {
  /** Rows that conflict on this key are skipped (ON CONFLICT DO NOTHING). */
  conflictDoNothing?: K[];
  /** Columns of the rows actually inserted to read back; nothing is read back without it. */
  returning?: K[];
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  codeType: () => sql`text`,
  serialPrimaryKey: () => sql`integer primary key autoincrement`,
  bigint: () => sql`integer`,
  async lockChain() {},
  async lockSession() {},
  async unlockSession() {},
  async afterBulkInsert() {},
  partitionEventTable: async () => undefined,
  ensurePartitions: async () => [],
  ilike: (column, pattern) => sql<SqlBool>`lower(${column}) like lower(${pattern})`,
  likePrefixKey: () => null,
  estimateRows: async () => null,
  maxParameters: 32000,
  anyOf: (column, values) => sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`,
  async bulkInsert(db, table, columns, rows, opts) {
    // Chunked multi-row inserts, the text written here rather than through the query builder (which costs as much
    // as the insert for a thousand rows); chunks of a fixed size repeat the same text, so the connection's
    // statement cache (database.ts) prepares each shape once.
    const names = Object.keys(columns) as (keyof typeof columns & string)[];
    const per = Math.min(SQLITE_BULK_ROWS, Math.max(1, Math.floor(32000 / names.length)));
    const quote = (c: string) => `"${c.replaceAll('"', '""')}"`;
    const one = `(${names.map(() => '?').join(', ')})`;
    const conflict = opts?.conflictDoNothing ? ` on conflict (${opts.conflictDoNothing.map(quote).join(', ')}) do nothing` : '';
    const returning = opts?.returning ? ` returning ${opts.returning.map(quote).join(', ')}` : '';
    const head = `insert into ${quote(table)} (${names.map(quote).join(', ')}) values `;
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const params: unknown[] = new Array(chunk.length * names.length);
      let k = 0;
      for (const r of chunk) for (const c of names) params[k++] = r[c] ?? null;
      const text = `${head}${new Array<string>(chunk.length).fill(one).join(', ')}${conflict}${returning}`;
      const res = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, params));
      out.push(...res.rows);
    }
    return out as never;
  },
};

/** Rows per SQLite bulk statement: large enough to amortize a statement, small enough to keep few shapes cached. */
const SQLITE_BULK_ROWS = 500;

export const postgresDialect: Dialect = {
  name: 'postgres',
  codeType: () => sql`text collate "C"`,
  serialPrimaryKey: () => sql`bigserial primary key`,
  bigint: () => sql`bigint`,
  async lockChain(tx, key) {
    await sql`select pg_advisory_xact_lock(${key})`.execute(tx);
  },
  async lockSession(conn, key) {
    await sql`select pg_advisory_lock(${key})`.execute(conn);
  },
  async unlockSession(conn, key) {
    await sql`select pg_advisory_unlock(${key})`.execute(conn);
  },
  async afterBulkInsert(db, table, idColumn) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${idColumn}), coalesce((select max(${sql.ref(idColumn)}) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
  },
  partitionEventTable: (db, table) => partitionEventTable(db, table),
  ensurePartitions: (db, now) => ensureMonthlyPartitions(db, now),
  ilike: (column, pattern) => sql<SqlBool>`${column} ilike ${pattern}`,
  likePrefixKey: (column) => sql`${sql.ref(column)} text_pattern_ops`,
  async estimateRows(db, query) {
    const res = await db.executeQuery<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>(CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]));
    const rows = res.rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'];
    return typeof rows === 'number' ? Math.round(rows) : null;
  },
  maxParameters: 65000,
  anyOf: (column, values) => sql<SqlBool>`${sql.ref(column)} = any(${values}::text[])`,
  async bulkInsert(db, table, columns, rows, opts) {
    if (!rows.length) return [];
    const names = Object.keys(columns) as (keyof typeof columns & string)[];
    const arrays = names.map((c) => sql`${rows.map((r) => r[c] ?? null)}::${sql.raw(columns[c])}[]`);
    const conflict = opts?.conflictDoNothing ? sql` on conflict (${sql.join(opts.conflictDoNothing.map((c) => sql.ref(c)))}) do nothing` : sql``;
    const returning = opts?.returning ? sql` returning ${sql.join(opts.returning.map((c) => sql.ref(c)))}` : sql``;
    const res = await sql<Record<string, unknown>>`insert into ${sql.table(table)} (${sql.join(names.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})${conflict}${returning}`.execute(db);
    return res.rows as never;
  },
};

/**
 * "Everything under a node" as an index range: codes are digit strings and ':' sorts right after '9',
 * so [node, node + ':') holds exactly the node and its descendants under binary collation.
 */
export function underNode(column: string, node: string): Expression<SqlBool> {
  const ref = sql.ref(column);
  return sql<SqlBool>`(${ref} >= ${node} and ${ref} < ${node + ':'})`;
}
