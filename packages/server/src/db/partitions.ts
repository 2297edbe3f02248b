import { sql } from 'kysely';
import type { Executor } from './schema.js';

/**
 * Time-partitioned event tables on PostgreSQL: one partition per calendar month (UTC) of the epoch-ms column,
 * plus a default partition that catches anything outside them (history brought in by an import, a clock far
 * off). Old months can then be detached and archived whole, and queries bounded in time touch few partitions.
 * Tables here are event logs (health reports: one row per resident per day); later modules add theirs to the list and call
 * `dialect.partitionEventTable` in their migration (the generic path: `partitionByMonth`).
 */
export const PARTITIONED_TABLES = [
  { table: 'audit_events', column: 'at' },
  { table: 'scans', column: 'at' },
  { table: 'health_reports', column: 'day_start' },
] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number]['table'];

/** Advisory-lock key: instances creating next month's partition at the same moment do it once. */
const PARTITION_LOCK = 7_004_100;

export function monthStart(ms: number, offset = 0): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}

function partitionName(table: string, start: number): string {
  const d = new Date(start);
  return `${table}_${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Makes sure the month partitions from last month to `monthsAhead` months ahead exist. A new month is built
 * beside the table, filled with any rows the default partition holds for it, and attached, all in one
 * transaction (attaching straight away would fail while the default partition holds such rows).
 */
export async function ensureMonthlyPartitions(
  db: Executor,
  now: number,
  monthsAhead = 3,
  tables: readonly PartitionedTable[] = PARTITIONED_TABLES.map((t) => t.table),
): Promise<string[]> {
  const created: string[] = [];
  for (const { table, column } of PARTITIONED_TABLES) {
    if (!tables.includes(table)) continue;
    // A table whose migration has not run yet (an earlier migration making its own partitions) has none to make.
    const kind = await sql<{ k: string | null }>`select (select relkind from pg_class where oid = to_regclass(${table}))::text as k`.execute(db);
    if (kind.rows[0]?.k !== 'p') continue;
    for (let m = -1; m <= monthsAhead; m++) {
      const from = monthStart(now, m);
      const to = monthStart(now, m + 1);
      const name = partitionName(table, from);
      const exists = await sql<{ r: string | null }>`select to_regclass(${name}) as r`.execute(db);
      if (exists.rows[0]?.r) continue;
      const run = async (tx: Executor) => {
        await sql`select pg_advisory_xact_lock(${PARTITION_LOCK})`.execute(tx);
        const again = await sql<{ r: string | null }>`select to_regclass(${name}) as r`.execute(tx);
        if (again.rows[0]?.r) return;
        const t = sql.table(table);
        const p = sql.table(name);
        const c = sql.ref(column);
        await sql`create table ${p} (like ${t} including defaults)`.execute(tx);
        await sql`with moved as (delete from ${sql.table(`${table}_default`)} where ${c} >= ${from} and ${c} < ${to} returning *) insert into ${p} select * from moved`.execute(tx);
        await sql`alter table ${t} attach partition ${p} for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(tx);
        created.push(name);
      };
      // Inside a migration we already are in a transaction; elsewhere open one.
      if (db.isTransaction) await run(db);
      else await db.transaction().execute(run);
    }
  }
  return created;
}

const AUDIT_COLUMNS = sql.raw('seq, at, actor_id, actor_name, actor_role, actor_node, action, entity_type, entity_id, region_code, purpose, diff, ip, prev_hash, hash');

/**
 * Turns the audit log into a table partitioned by month of `at`, keeping its events. A partitioned table's
 * unique keys must contain the partition key, so the row id and the chain sequence are unique together with
 * `at`; the advisory lock every append holds and the chain's own order (`seq` strictly following, checked by
 * `gridline audit verify`) keep `seq` unique in practice.
 */
export async function partitionAuditEvents(db: Executor): Promise<void> {
  await sql`alter table audit_events rename to audit_events_legacy`.execute(db);
  for (const idx of ['audit_events_region_idx', 'audit_events_entity_idx', 'audit_events_pkey', 'audit_events_seq_key']) {
    await sql`alter index if exists ${sql.ref(idx)} rename to ${sql.ref(idx.replace('audit_events', 'audit_events_legacy'))}`.execute(db);
  }
  await sql`
    create table audit_events (
      id bigserial not null,
      seq bigint not null,
      at bigint not null,
      actor_id text, actor_name text, actor_role text, actor_node text collate "C",
      action text not null, entity_type text not null, entity_id text, region_code text collate "C",
      purpose text, diff text, ip text, prev_hash text not null, hash text not null,
      primary key (id, at),
      unique (seq, at)
    ) partition by range (at)`.execute(db);
  await sql`create table audit_events_default partition of audit_events default`.execute(db);
  await sql`create index audit_events_region_idx on audit_events (region_code, seq)`.execute(db);
  await sql`create index audit_events_entity_idx on audit_events (entity_type, entity_id)`.execute(db);
  await sql`create index audit_events_at_idx on audit_events (at)`.execute(db);
  await sql`insert into audit_events (id, ${AUDIT_COLUMNS}) select id, ${AUDIT_COLUMNS} from audit_events_legacy order by id`.execute(db);
  await sql`select setval(pg_get_serial_sequence('audit_events', 'id'), coalesce((select max(id) from audit_events), 0) + 1, false)`.execute(db);
  await sql`drop table audit_events_legacy`.execute(db);
  await ensureMonthlyPartitions(db, Date.now(), 3, ['audit_events']);
}

/** Makes an event table partitioned by month, keeping its rows: the audit log's own path, or the generic one. */
export async function partitionEventTable(db: Executor, table: PartitionedTable): Promise<void> {
  if (table === 'audit_events') return partitionAuditEvents(db);
  const entry = PARTITIONED_TABLES.find((t) => t.table === table);
  if (!entry) throw new Error(`${table} is not listed in PARTITIONED_TABLES`);
  await partitionByMonth(db, entry.table, entry.column);
}

/**
 * The generic path for a table created by a migration on both databases: on PostgreSQL it becomes a table
 * partitioned by range of `column` with the same columns, defaults and collations (CREATE TABLE … LIKE), its
 * primary key extended by `column` (a partitioned table's unique keys must hold the partition key), its other
 * indexes re-created under their own names from their definitions, its serial sequences handed over, its rows
 * copied, then a default partition and the months around now. A unique index without `column` cannot exist on
 * a partitioned table: that is refused with the index named, rather than silently dropped.
 */
export async function partitionByMonth(db: Executor, table: string, column: string): Promise<void> {
  const legacy = `${table}_legacy`;
  const indexes = (
    await sql<{ name: string; def: string; primary: boolean; unique: boolean; columns: string[] }>`
      select c.relname as name, pg_get_indexdef(i.indexrelid) as def, i.indisprimary as primary, i.indisunique as unique,
             array(select a.attname::text from unnest(i.indkey) k join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k) as columns
      from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = to_regclass(${table})`.execute(db)
  ).rows;
  for (const ix of indexes) {
    if (ix.unique && !ix.primary && !ix.columns.includes(column)) throw new Error(`Unique index ${ix.name} on ${table} lacks the partition key ${column}`);
  }
  const primary = indexes.find((ix) => ix.primary);
  await sql`alter table ${sql.table(table)} rename to ${sql.table(legacy)}`.execute(db);
  for (const ix of indexes) await sql`alter index ${sql.ref(ix.name)} rename to ${sql.ref(`${ix.name.slice(0, 56)}_legacy`)}`.execute(db);
  await sql`create table ${sql.table(table)} (like ${sql.table(legacy)} including defaults) partition by range (${sql.ref(column)})`.execute(db);
  const keyColumns = [...new Set([...(primary?.columns ?? []), column])];
  await sql`alter table ${sql.table(table)} add primary key (${sql.join(keyColumns.map((c) => sql.ref(c)))})`.execute(db);
  for (const ix of indexes.filter((x) => !x.primary)) {
    // The definition names the index and the (renamed) table as they were: point it at the new table.
    const def = ix.def.replace(/ ON (ONLY )?("?[A-Za-z0-9_]+"?\.)?"?[A-Za-z0-9_]+"? USING /, ` ON ${table} USING `);
    await sql.raw(def).execute(db);
  }
  const serials = (
    await sql<{ col: string; seq: string | null }>`
      select a.attname::text as col, pg_get_serial_sequence(${legacy}, a.attname) as seq
      from pg_attribute a where a.attrelid = to_regclass(${legacy}) and a.attnum > 0 and not a.attisdropped`.execute(db)
  ).rows.filter((r): r is { col: string; seq: string } => r.seq !== null);
  for (const s of serials) await sql`alter sequence ${sql.raw(s.seq)} owned by ${sql.table(table)}.${sql.ref(s.col)}`.execute(db);
  await sql`insert into ${sql.table(table)} select * from ${sql.table(legacy)}`.execute(db);
  await sql`drop table ${sql.table(legacy)}`.execute(db);
  await sql`create table ${sql.table(`${table}_default`)} partition of ${sql.table(table)} default`.execute(db);
  await ensureMonthlyPartitions(db, Date.now(), 3, [table as PartitionedTable]);
}
