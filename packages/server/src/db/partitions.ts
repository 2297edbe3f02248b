import { sql } from 'kysely';
import type { Executor } from './schema.js';

/**
 * Time-partitioned event tables on PostgreSQL: one partition per calendar month (UTC) of the epoch-ms column,
 * plus a default partition that catches anything outside them (history brought in by an import, a clock far
 * off). Old months can then be detached and archived whole, and queries bounded in time touch few partitions.
 * Tables here are append-only event logs; later modules add theirs (scans, health reports) to the list.
 */
export const PARTITIONED_TABLES = [{ table: 'audit_events', column: 'at' }] as const;
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
export async function ensureMonthlyPartitions(db: Executor, now: number, monthsAhead = 3): Promise<string[]> {
  const created: string[] = [];
  for (const { table, column } of PARTITIONED_TABLES) {
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
  await ensureMonthlyPartitions(db, Date.now());
}
