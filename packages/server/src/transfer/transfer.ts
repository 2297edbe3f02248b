import fs from 'node:fs';
import { recomputeResidentCounts } from '../modules/regions/resident-counts.repository.js';
import readline from 'node:readline';
import { once } from 'node:events';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { appliedMigrations } from '../db/migrate.js';
import type { Database, Executor } from '../db/schema.js';
import { AppError } from '../lib/errors.js';

/**
 * The supported way to move a deployment between SQLite and PostgreSQL: a logical, line-delimited JSON
 * file (one header line, then one line per row), written and read table by table in dependency order.
 * Columns are portable by design (text, integers), so rows travel as they are; ciphertexts need the same
 * data key, which the header's fingerprint checks. Sessions are not exported (everyone signs in again).
 */
export const TABLES: { name: keyof Database; key: string[] }[] = [
  { name: 'gridline_meta', key: ['key'] },
  { name: 'region_nodes', key: ['code'] },
  { name: 'households', key: ['id'] },
  { name: 'residents', key: ['id'] },
  { name: 'resident_tags', key: ['resident_id', 'tag'] },
  { name: 'household_moves', key: ['id'] },
  { name: 'resident_merges', key: ['id'] },
  { name: 'departments', key: ['id'] },
  { name: 'users', key: ['id'] },
  { name: 'health_reports', key: ['id'] },
  { name: 'health_monitoring', key: ['id'] },
  { name: 'arrivals', key: ['id'] },
  { name: 'tasks', key: ['id'] },
  { name: 'whistle_routes', key: ['id'] },
  { name: 'whistle_deadlines', key: ['node_code', 'urgency'] },
  { name: 'whistles', key: ['id'] },
  { name: 'whistle_departments', key: ['whistle_id', 'department_id'] },
  { name: 'whistle_events', key: ['id'] },
  // File contents stay in DATA_DIR/files/whistles (copy the data directory along with the export).
  { name: 'whistle_files', key: ['id'] },
  { name: 'screening_campaigns', key: ['id'] },
  { name: 'screening_grids', key: ['campaign_id', 'grid_code'] },
  { name: 'screening_assignments', key: ['campaign_id', 'grid_code', 'user_id'] },
  { name: 'screening_households', key: ['campaign_id', 'household_id'] },
  { name: 'screening_visits', key: ['id'] },
  { name: 'screening_results', key: ['visit_id', 'resident_id'] },
  { name: 'places', key: ['id'] },
  { name: 'visitors', key: ['id'] },
  { name: 'scans', key: ['id'] },
  { name: 'personal_code_uses', key: ['nonce', 'place_id'] },
  { name: 'checkpoint_decisions', key: ['id'] },
  { name: 'passage_exemptions', key: ['id'] },
  { name: 'devices', key: ['id'] },
  { name: 'device_receipts', key: ['device_id', 'item_key'] },
  { name: 'device_rejections', key: ['id'] },
  { name: 'protocol_versions', key: ['id'] },
  { name: 'cases', key: ['id'] },
  { name: 'case_changes', key: ['id'] },
  // After cases (contacts reference them).
  { name: 'contacts', key: ['id'] },
  { name: 'isolation_sites', key: ['id'] },
  { name: 'measures', key: ['id'] },
  { name: 'appeals', key: ['id'] },
  { name: 'measure_deliveries', key: ['id'] },
  { name: 'notifications', key: ['id'] },
  { name: 'notification_settings', key: ['user_id'] },
  { name: 'webhook_subscriptions', key: ['id'] },
  { name: 'webhook_deliveries', key: ['id'] },
  { name: 'webhook_attempts', key: ['id'] },
  { name: 'inbox_rules', key: ['id'] },
  { name: 'inbox_tokens', key: ['id'] },
  { name: 'inbox_items', key: ['id'] },
  { name: 'direct_reports', key: ['id'] },
  { name: 'audit_events', key: ['id'] },
];
/** Tables deliberately left out of an export, and why: everything else must be in TABLES (transfer.test.ts checks). */
export const NOT_EXPORTED: Record<string, string> = {
  sessions: 'everyone signs in again on the new deployment',
  jobs: 'background jobs and their files belong to the deployment that ran them',
  import_files: 'uploads live in that deployment’s DATA_DIR and expire',
  schedule_runs: 'per-period claims of that deployment’s scheduler',
  region_resident_counts: 'derived: rebuilt from the imported register',
  gridline_migrations: 'the schema version, compared in the header instead',
};

/** Tables a fresh migration already fills (built-in rows): an import replaces their rows instead of refusing. */
export const SEEDED_BY_MIGRATIONS: ReadonlySet<string> = new Set<keyof Database>(['protocol_versions']);

const FORMAT = 'gridline-export';
const FORMAT_VERSION = 1;
const BATCH = 1000;

export interface ExportHeader {
  format: typeof FORMAT;
  formatVersion: number;
  exportedAt: string;
  sourceDialect: string;
  migrations: string[];
  keyFingerprint: string;
  tables: Record<string, number>;
}

type Row = Record<string, unknown>;

async function* rowsOf(db: Executor, table: keyof Database, key: string[]): AsyncGenerator<Row> {
  let last: Row | undefined;
  for (;;) {
    let q = db.selectFrom(table).selectAll();
    if (last) {
      const k0 = key[0]!;
      const k1 = key[1];
      q = k1
        ? q.where(sql<boolean>`(${sql.ref(k0)} > ${last[k0]} or (${sql.ref(k0)} = ${last[k0]} and ${sql.ref(k1)} > ${last[k1]}))`)
        : q.where(sql<boolean>`${sql.ref(k0)} > ${last[k0]}`);
    }
    for (const k of key) q = q.orderBy(sql.ref(k));
    const batch = (await q.limit(BATCH).execute()) as Row[];
    for (const r of batch) yield r;
    if (batch.length < BATCH) return;
    last = batch[batch.length - 1];
  }
}

export async function exportData(ctx: AppContext, file: string): Promise<ExportHeader> {
  const { db } = ctx;
  const tables: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await db.selectFrom(t.name).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    tables[t.name] = Number(r.n);
  }
  const header: ExportHeader = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    exportedAt: new Date(ctx.clock.now()).toISOString(),
    sourceDialect: ctx.dialect.name,
    migrations: await appliedMigrations(db),
    keyFingerprint: ctx.cipher.fingerprint,
    tables,
  };
  const out = fs.createWriteStream(file, { encoding: 'utf8' });
  const write = async (line: string) => {
    if (!out.write(line + '\n')) await once(out, 'drain');
  };
  await write(JSON.stringify(header));
  // One read transaction: a consistent snapshot on PostgreSQL; SQLite's single connection is consistent anyway.
  await db.transaction().execute(async (tx) => {
    for (const t of TABLES) for await (const row of rowsOf(tx, t.name, t.key)) await write(JSON.stringify({ t: t.name, r: row }));
  });
  out.end();
  await once(out, 'finish');
  return header;
}

/** A line that is not JSON (a file cut mid-line, or not an export at all) is a refusal, not a crash. */
function parseLine(line: string, lineNo: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new AppError('GRIDLINE_IMPORT_INVALID', { message: `Line ${lineNo} is not valid JSON: the file is truncated, damaged or not a Gridline export` });
  }
}

export async function importData(ctx: AppContext, file: string): Promise<{ header: ExportHeader; imported: Record<string, number> }> {
  const { db, dialect } = ctx;
  const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  const first = await it.next();
  let lineNo = 1;
  const header = (first.done ? undefined : parseLine(first.value, lineNo)) as ExportHeader | undefined;
  if (!header || header.format !== FORMAT || header.formatVersion !== FORMAT_VERSION) {
    throw new AppError('GRIDLINE_IMPORT_INVALID', { message: 'Not a Gridline export file (format/version header missing or unknown)' });
  }
  const mine = await appliedMigrations(db);
  if (JSON.stringify(mine) !== JSON.stringify(header.migrations)) {
    throw new AppError('GRIDLINE_IMPORT_INVALID', { message: `Schema mismatch: the file was exported at migrations [${header.migrations.join(', ')}], this database is at [${mine.join(', ')}]; upgrade the older side first` });
  }
  if (header.keyFingerprint !== ctx.cipher.fingerprint) {
    throw new AppError('GRIDLINE_IMPORT_INVALID', { message: 'The data key differs from the exporting deployment: copy its gridline.key (or GRIDLINE_DATA_KEY) first, or encrypted fields would be unreadable' });
  }
  const nonEmpty: string[] = [];
  for (const t of TABLES) {
    if (SEEDED_BY_MIGRATIONS.has(t.name)) continue;
    if (await db.selectFrom(t.name).select(sql.lit(1).as('x')).limit(1).executeTakeFirst()) nonEmpty.push(t.name);
  }
  if (nonEmpty.length) throw new AppError('GRIDLINE_IMPORT_INVALID', { message: `The target database is not empty (${nonEmpty.join(', ')}); import into a freshly migrated database` });

  const imported: Record<string, number> = {};
  await db.transaction().execute(async (tx) => {
    // Rows the migrations insert (built-in protocol versions) are replaced by the file's, which include them.
    for (const t of SEEDED_BY_MIGRATIONS) await tx.deleteFrom(t as keyof Database).execute();
    let table: keyof Database | undefined;
    let batch: Row[] = [];
    const flush = async () => {
      if (table && batch.length) {
        const per = Math.max(1, Math.floor(dialect.maxParameters / Math.max(1, Object.keys(batch[0]!).length)) - 1);
        for (let i = 0; i < batch.length; i += Math.min(per, 500)) await tx.insertInto(table).values(batch.slice(i, i + Math.min(per, 500)) as never).execute();
        imported[table] = (imported[table] ?? 0) + batch.length;
      }
      batch = [];
    };
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      lineNo++;
      if (!next.value.trim()) continue;
      const { t, r } = parseLine(next.value, lineNo) as { t: keyof Database; r: Row };
      if (!TABLES.some((x) => x.name === t)) throw new AppError('GRIDLINE_IMPORT_INVALID', { message: `Unknown table "${String(t)}" in the file` });
      if (t !== table || batch.length >= 500) {
        await flush();
        table = t;
      }
      batch.push(r);
    }
    await flush();
    for (const t of TABLES) {
      if ((imported[t.name] ?? 0) !== (header.tables[t.name] ?? 0)) {
        throw new AppError('GRIDLINE_IMPORT_INVALID', { message: `Table ${t.name}: the header announces ${header.tables[t.name] ?? 0} rows, the file holds ${imported[t.name] ?? 0}; the file is truncated or edited` });
      }
    }
    await dialect.afterBulkInsert(tx, 'audit_events', 'id');
    for (const table of ['scans', 'checkpoint_decisions', 'device_rejections'] as const) await dialect.afterBulkInsert(tx, table, 'id');
    // Derived counts are not in the file: rebuilt from the imported register.
    await recomputeResidentCounts(tx);
  });
  return { header, imported };
}
