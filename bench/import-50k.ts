/**
 * write-import-50k: a 50,000-row resident CSV imported into the first community as its worker, the way the
 * console does it — ImportsService.upload (store, detect, count, map), then run, executed by the job queue
 * (parse, validate, claim documents, resolve addresses, seal personal data, write in 1,000-row transactions,
 * audit every created household and resident). Baseline: the very rows the import stored (read back, deleted,
 * vacuumed) inserted again with raw prepared statements, 1,000 residents with their households and tags per
 * transaction. One run each; ops are rows, so "ops/s" is rows/s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildResidentId, type ImportResult } from '@gridline/shared';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import type { AppContext } from '../packages/server/src/context.js';
import { applySqlitePragmas } from '../packages/server/src/db/database.js';
import { SERVING } from '../packages/server/src/bootstrap.js';
import { underNode } from '../packages/server/src/db/dialect.js';
import { residentCountsRepository } from '../packages/server/src/modules/regions/resident-counts.repository.js';
import { COMMUNITY, type Target } from './env.js';
import { userScope, type InprocRun } from './inproc-kit.js';
import type { Summary } from './stats.js';

const ROWS = 50_000;
const BATCH = 1000;
const HEADERS = ['姓名', '身份证号', '手机号', '楼栋', '单元', '门牌号', '与户主关系', '人员类别', '标签'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰';

/** Two residents per new household, spread over the community's units on floors 20+ (the demo has none that high). */
function csvRows(units: { building: string; unit: string }[]): string[][] {
  const rows: string[][] = [HEADERS];
  for (let i = 0; i < ROWS; i++) {
    const h = Math.floor(i / 2);
    const slot = Math.floor(h / units.length);
    const floor = 20 + Math.floor(slot / 9);
    if (floor > 99) throw new Error('import-50k: the community has too few units for 25,000 new households');
    const born = new Date(Date.UTC(1940, 0, 1) + (i % 25_000) * 86_400_000).toISOString().slice(0, 10);
    const where = units[h % units.length]!;
    rows.push([
      `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}${GIVEN[i % GIVEN.length]}`,
      // An area code the demo generator never uses, so no document collides with the register.
      buildResidentId('650102', born, 100 + 2 * Math.floor(i / 25_000) + (i % 2)),
      `13${String(i).padStart(9, '0')}`,
      where.building, where.unit, `${floor}0${(slot % 9) + 1}`,
      i % 2 ? '配偶' : '户主', '户籍', i % 7 ? '' : '慢性病',
    ]);
  }
  return rows;
}

/** One measured run of `rows` rows taking `ms`: every percentile is the whole run. */
function oneRun(rows: number, ms: number): Summary {
  const r = Math.round(ms * 1000) / 1000;
  return { n: rows, p50: r, p95: r, p99: r, mean: r, perSecond: Math.round((rows / ms) * 1000 * 1000) / 1000 };
}

type Row = Record<string, unknown>;
interface Stored { households: Row[]; residents: Row[]; tags: Row[] }

/** Everything the import wrote (created at or after `since` under the community), then removed again. */
async function takeBack(ctx: AppContext, since: number): Promise<Stored> {
  const { db } = ctx;
  const mine = db.selectFrom('residents').select('id').where(underNode('region_code', COMMUNITY)).where('created_at', '>=', since);
  const stored: Stored = {
    households: await db.selectFrom('households').selectAll().where(underNode('code', COMMUNITY)).where('created_at', '>=', since).orderBy('id').execute(),
    residents: await db.selectFrom('residents').selectAll().where(underNode('region_code', COMMUNITY)).where('created_at', '>=', since).orderBy('id').execute(),
    tags: await db.selectFrom('resident_tags').selectAll().where('resident_id', 'in', mine).execute(),
  };
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('resident_tags').where('resident_id', 'in', mine).execute();
    await tx.deleteFrom('residents').where(underNode('region_code', COMMUNITY)).where('created_at', '>=', since).execute();
    await residentCountsRepository.add(tx, stored.residents.map((r) => ({ regionCode: String(r.region_code), delta: -1 })));
    await tx.deleteFrom('households').where(underNode('code', COMMUNITY)).where('created_at', '>=', since).execute();
  });
  if (ctx.dialect.name === 'postgres') await sql`vacuum analyze residents, households, resident_tags`.execute(db);
  return stored;
}

/** The stored rows in transactions of BATCH residents (with their households and tags): milliseconds spent inserting. */
async function rawInsert(target: Target, s: Stored): Promise<number> {
  const tagsOf = new Map<unknown, Row[]>();
  for (const t of s.tags) tagsOf.set(t.resident_id, [...(tagsOf.get(t.resident_id) ?? []), t]);
  const householdById = new Map(s.households.map((h) => [h.id, h]));
  const batches: Stored[] = [];
  const placed = new Set<unknown>();
  for (let i = 0; i < s.residents.length; i += BATCH) {
    const residents = s.residents.slice(i, i + BATCH);
    const households = residents.map((r) => r.household_id).filter((id) => !placed.has(id) && placed.add(id)).map((id) => householdById.get(id)).filter((h) => h !== undefined);
    batches.push({ households, residents, tags: residents.flatMap((r) => tagsOf.get(r.id) ?? []) });
  }
  const tables = ['households', 'residents', 'resident_tags'] as const;
  const pick = (b: Stored, t: (typeof tables)[number]) => (t === 'households' ? b.households : t === 'residents' ? b.residents : b.tags);
  const columns = Object.fromEntries(tables.map((t) => [t, Object.keys(pick(s, t)[0] ?? {})]));
  if (target.dialect === 'sqlite') {
    const conn = new Database(target.location);
    applySqlitePragmas(conn, SERVING);
    const stmts = tables.map((t) => [t, conn.prepare(`insert into ${t} (${columns[t]!.join(', ')}) values (${columns[t]!.map(() => '?').join(', ')})`)] as const);
    const write = conn.transaction((b: Stored) => {
      for (const [t, stmt] of stmts) for (const row of pick(b, t)) stmt.run(...columns[t]!.map((c) => row[c]));
    });
    const t0 = performance.now();
    for (const b of batches) write(b);
    const ms = performance.now() - t0;
    conn.close();
    return ms;
  }
  const client = new pg.Client({ connectionString: target.location });
  await client.connect();
  // One prepared multi-row statement per table and row count (the last batch is shorter).
  const insert = (t: (typeof tables)[number], rows: Row[]) => {
    if (!rows.length) return Promise.resolve();
    const cols = columns[t]!;
    const values = rows.map((_r, k) => `(${cols.map((_c, j) => `$${k * cols.length + j + 1}`).join(', ')})`).join(', ');
    return client.query({ name: `bench_raw_${t}_${rows.length}`, text: `insert into ${t} (${cols.join(', ')}) values ${values}`, values: rows.flatMap((r) => cols.map((c) => r[c])) });
  };
  const t0 = performance.now();
  for (const b of batches) {
    await client.query('begin');
    for (const t of tables) await insert(t, pick(b, t));
    await client.query('commit');
  }
  const ms = performance.now() - t0;
  await client.end();
  return ms;
}

export const importScenario: InprocRun = async (ctx, target) => {
  const scope = await userScope(ctx, 'worker');
  const { db, services, clock } = ctx;
  const nodes = await db.selectFrom('region_nodes').select(['code', 'name', 'level', 'parent_code']).where(underNode('code', COMMUNITY)).where('level', 'in', ['building', 'unit']).orderBy('code').execute();
  const buildingName = new Map(nodes.filter((n) => n.level === 'building').map((n) => [n.code, n.name]));
  const units = nodes.filter((n) => n.level === 'unit').map((n) => ({ building: buildingName.get(n.parent_code ?? '')!, unit: n.name }));
  const file = path.join(target.env.DATA_DIR!, 'import-50k.csv');
  fs.writeFileSync(file, `${csvRows(units).map((r) => r.join(',')).join('\r\n')}\r\n`);

  await services.queue.start();
  const since = clock.now();
  const t0 = performance.now();
  const analysis = await services.imports.upload(scope, '居民导入-5万行.csv', fs.createReadStream(file));
  const t1 = performance.now();
  const queued = await services.imports.run(scope, analysis.id, { mapping: analysis.mapping, dryRun: false, onExisting: 'update' });
  await services.queue.idle();
  const t2 = performance.now();
  await services.queue.stop();
  const job = await services.jobs.get(scope, queued.id);
  const result = job.result as unknown as ImportResult | null;
  if (job.status !== 'succeeded' || result?.created !== ROWS) throw new Error(`import-50k: job ${job.status} ${job.error ?? ''} ${JSON.stringify(result)}`);

  const stored = await takeBack(ctx, since);
  if (stored.residents.length !== ROWS) throw new Error(`import-50k: read back ${stored.residents.length} residents`);
  const rawMs = await rawInsert(target, stored);
  // The raw rows bypass the maintained counts (a derived write the service makes); put them back in step, untimed.
  await residentCountsRepository.add(ctx.db, stored.residents.map((r) => ({ regionCode: String(r.region_code), delta: 1 })));
  const subject = oneRun(ROWS, t2 - t0);
  const baseline = oneRun(ROWS, rawMs);
  return {
    subject, baseline,
    notes: `one run each: import ${((t2 - t0) / 1000).toFixed(1)} s (upload + analysis ${((t1 - t0) / 1000).toFixed(1)} s, job ${((t2 - t1) / 1000).toFixed(1)} s) = ${Math.round(subject.perSecond)} rows/s; ` +
      `raw inserts ${(rawMs / 1000).toFixed(1)} s = ${Math.round(baseline.perSecond)} rows/s; ${result.created} residents and ${stored.households.length} households created, ` +
      `${stored.tags.length} tags; into ${units.length} units of the community on a register of ${target.residents.toLocaleString('en')}`,
  };
};
