/**
 * Scans for the trace benchmark (issue #6): a fortnight of scan logs over the seeded residents, and one
 * confirmed case to trace. Realistic in the ways a trace's cost depends on: everyone scans 3–7 places a day
 * (5 on average, over the 16 days kept: ≥ 70M at the district), between 07:00 and 22:00 in
 * Asia/Shanghai, at places of their own street whose popularity is skewed (Zipf, s = 0.8, over one place per
 * 25 residents: a street's busiest market takes ~6 % of its scans, ~8,000 a day); each resident has 5 usual
 * places (drawn by that popularity) where 85 % of their scans happen, the rest anywhere in the street.
 *
 * Kept apart from the main seed (which other scenarios share): SQLite, a cached copy of the seeded file with
 * the scans added (bench/.data/<scale>-<seed>-<residents>-trace-v<format>.sqlite); PostgreSQL, a kept database
 * gridline_bench_<scale>_trace made from this run's clone and marked. The trace only reads, so runs measure it
 * in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { addDays, DEFAULT_PASSAGE_RULES, shanghaiDay, shanghaiDayStart } from '@gridline/shared';
import { openContext } from '../packages/server/src/bootstrap.js';
import { loadConfig } from '../packages/server/src/config/config.js';
import { applySqlitePragmas } from '../packages/server/src/db/database.js';
import { newId } from '../packages/server/src/lib/ids.js';
import { Scope } from '../packages/server/src/security/scope.js';
import { DATA_DIR, SEED, type Target } from './env.js';

/** Bump when the scans written here change, so cached trace data is rebuilt. */
const TRACE_FORMAT = 3;
/**
 * Days of scan log kept: the 14-day window a trace reads and two days before it, as a log kept longer than any one
 * window holds (and ≥ 70M scans at the district: 996k residents × 5 a day × ~15.5 days, today being partly over).
 */
export const HISTORY_DAYS = 16;
const PER_PLACE = 25;
/** Each resident's usual places (drawn by popularity), where 85 % of their scans happen. */
const HABITS = 5;

export interface TraceData {
  env: Record<string, string>;
  location: string;
  caseId: string;
  scans: number;
  places: number;
}

interface Mark { format: number; residents: number; scans: number; places: number; caseId: string; seededAt: number }

/** A small deterministic generator (the bench's data must be the same every time). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type ScanTuple = [at: number, placeId: string, regionCode: string, personId: string];

/**
 * Writes places and scans through `write` (batches), then creates the case to trace (a resident with a typical
 * day, onset 10 days ago: the window runs from 4 days before onset to now, 14 days).
 */
async function seedScans(env: Record<string, string>, write: (rows: ScanTuple[]) => Promise<void>, log: (s: string) => void): Promise<Omit<Mark, 'format'>> {
  const ctx = await openContext(loadConfig(env));
  try {
    const now = ctx.clock.now();
    const residents = await ctx.db.selectFrom('residents').select(['id', 'region_code']).orderBy('id').execute();
    const communities = await ctx.db.selectFrom('region_nodes').select('code').where('level', '=', 'community').orderBy('code').execute();
    const streetOf = (code: string) => code.slice(0, 9);
    const streets = [...new Set(communities.map((c) => streetOf(c.code)))].sort();
    const rand = rng(SEED);
    // Places per street, in its communities, ranked by popularity.
    const placeRows = [];
    const byStreet = new Map<string, { ids: string[]; regions: string[]; cumulative: number[] }>();
    for (const s of streets) {
      const inStreet = communities.filter((c) => streetOf(c.code) === s);
      const n = Math.max(20, Math.round(residents.filter((r) => streetOf(r.region_code) === s).length / PER_PLACE));
      const entry = { ids: [] as string[], regions: [] as string[], cumulative: [] as number[] };
      let total = 0;
      for (let i = 0; i < n; i++) {
        const id = newId();
        const region = inStreet[i % inStreet.length]!.code;
        placeRows.push({
          id, code: `bench${id.replaceAll('-', '').slice(-20)}`, kind: i % 7 === 0 ? 'market' : i % 3 === 0 ? 'shop' : 'workplace', name: `压测场所${s.slice(-3)}-${i + 1}`, address: '',
          region_code: region, lat: null, lng: null, checkpoint: 0, passage_rules: JSON.stringify(DEFAULT_PASSAGE_RULES), active: 1, version: 1, created_at: now, updated_at: now,
        });
        total += 1 / (i + 1) ** 0.8;
        entry.ids.push(id);
        entry.regions.push(region);
        entry.cumulative.push(total);
      }
      byStreet.set(s, entry);
    }
    for (let i = 0; i < placeRows.length; i += 500) await ctx.db.insertInto('places').values(placeRows.slice(i, i + 500)).execute();
    const zipf = (street: string): number => {
      const e = byStreet.get(street) ?? byStreet.values().next().value!;
      const x = rand() * e.cumulative[e.cumulative.length - 1]!;
      let lo = 0;
      let hi = e.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (e.cumulative[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const habits = new Int32Array(residents.length * HABITS);
    residents.forEach((r, i) => {
      for (let h = 0; h < HABITS; h++) habits[i * HABITS + h] = zipf(streetOf(r.region_code));
    });
    const pickPlace = (street: string, resident: number): [string, string] => {
      const e = byStreet.get(street) ?? byStreet.values().next().value!;
      const idx = rand() < 0.85 ? habits[resident * HABITS + Math.floor(rand() * HABITS)]! : zipf(street);
      return [e.ids[idx]!, e.regions[idx]!];
    };
    const today = shanghaiDay(now);
    let scans = 0;
    let batch: ScanTuple[] = [];
    const t0 = performance.now();
    for (let d = HISTORY_DAYS - 1; d >= 0; d--) {
      const start = shanghaiDayStart(addDays(today, -d));
      for (const [ri, r] of residents.entries()) {
        const k = 3 + Math.floor(rand() * 5);
        for (let j = 0; j < k; j++) {
          const at = start + 7 * 3_600_000 + Math.floor(rand() * 15 * 60) * 60_000 + Math.floor(rand() * 60_000);
          if (at >= now) continue;
          const [placeId, region] = pickPlace(streetOf(r.region_code), ri);
          batch.push([at, placeId, region, r.id]);
        }
        if (batch.length >= 50_000) {
          await write(batch);
          scans += batch.length;
          batch = [];
        }
      }
      log(`trace scans: day ${HISTORY_DAYS - d}/${HISTORY_DAYS}, ${scans.toLocaleString('en')} written (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    if (batch.length) {
      await write(batch);
      scans += batch.length;
    }
    // The case: the resident in the middle of the register (a typical household and day).
    const subject = residents[Math.floor(residents.length / 2)]!;
    const c = await ctx.services.cases.create(Scope.system('bench'), { classification: 'confirmed', residentId: subject.id, onsetDate: addDays(today, -10), reportSource: '医院报告' });
    return { residents: residents.length, scans, places: placeRows.length, caseId: c.id, seededAt: now };
  } finally {
    await ctx.close();
  }
}

/**
 * Writers load the scans with the table's secondary indexes dropped and build them afterwards from their own
 * definitions (as read from the database, so they are exactly the migration's): a sorted build is many times
 * faster than 70M random index inserts at the district scale.
 */
interface ScanWriter { write: (rows: ScanTuple[]) => Promise<void>; finish: (log: (s: string) => void) => Promise<void> }

function sqliteWriter(file: string): ScanWriter {
  const conn = new Database(file);
  applySqlitePragmas(conn);
  const indexes = conn.prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = 'scans' and sql is not null").all() as { name: string; sql: string }[];
  for (const ix of indexes) conn.exec(`drop index ${ix.name}`);
  const insert = conn.prepare("insert into scans (at, place_id, region_code, person_kind, person_id, source, temperature_tenths, fever, device_id) values (?, ?, ?, 'resident', ?, 'self', null, 0, null)");
  const many = conn.transaction((rows: ScanTuple[]) => {
    for (const r of rows) insert.run(r[0], r[1], r[2], r[3]);
  });
  return {
    write: async (rows) => void many(rows),
    finish: async (log) => {
      // The sorter spills to temporary files rather than holding gigabytes of keys in memory; two threads sort.
      conn.pragma('temp_store = FILE');
      conn.pragma('threads = 2');
      for (const ix of indexes) {
        const t0 = performance.now();
        conn.exec(ix.sql);
        log(`built ${ix.name} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
      conn.close();
    },
  };
}

async function pgWriter(url: string): Promise<ScanWriter> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  // The partitioned table's own indexes (each spans its partitions); the primary key stays.
  const indexes = (
    await c.query<{ name: string; def: string }>(
      "select ic.relname as name, pg_get_indexdef(i.indexrelid) as def from pg_index i join pg_class ic on ic.oid = i.indexrelid where i.indrelid = 'scans'::regclass and not i.indisprimary",
    )
  ).rows;
  for (const ix of indexes) await c.query(`drop index ${ix.name}`);
  return {
    write: async (rows) => {
      await c.query(
        "insert into scans (at, place_id, region_code, person_kind, person_id, source, fever) select a, p, r, 'resident', i, 'self', 0 from unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) as u(a, p, r, i)",
        [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
      );
    },
    finish: async (log) => {
      await c.query("set maintenance_work_mem = '1GB'");
      for (const ix of indexes) {
        const t0 = performance.now();
        // The parent's definition reads `ON ONLY scans` (the parent alone); built on the table, it spans every partition.
        await c.query(ix.def.replace(/ ON ONLY /, ' ON '));
        log(`built ${ix.name} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
      await c.end();
    },
  };
}

/** The trace scenario's database for this target: reused when marked for the same residents and format. */
export async function prepareTraceData(target: Target, log: (s: string) => void): Promise<TraceData> {
  if (target.dialect === 'sqlite') {
    const cached = path.join(DATA_DIR, `${target.scale}-${SEED}-${target.residents}-trace-v${TRACE_FORMAT}.sqlite`);
    const metaFile = `${cached}.json`;
    if (!fs.existsSync(cached) || !fs.existsSync(metaFile)) {
      const tmp = `${cached}.tmp`;
      for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
      const src = new Database(target.location);
      await src.backup(tmp);
      src.close();
      const env = { ...target.env, DATABASE_URL: `sqlite:${tmp}` };
      const w = sqliteWriter(tmp);
      const t0 = performance.now();
      const mark = await seedScans(env, w.write, log);
      await w.finish(log);
      const conn = new Database(tmp);
      conn.exec('analyze');
      conn.pragma('wal_checkpoint(TRUNCATE)');
      conn.close();
      fs.renameSync(tmp, cached);
      fs.writeFileSync(metaFile, JSON.stringify({ format: TRACE_FORMAT, ...mark }));
      log(`seeded ${mark.scans.toLocaleString('en')} scans at ${mark.places} places into ${path.relative(process.cwd(), cached)} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    } else log(`reusing ${path.relative(process.cwd(), cached)}`);
    const mark = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as Mark;
    const env = { ...target.env, DATABASE_URL: `sqlite:${cached}` };
    return { env, location: cached, caseId: mark.caseId, scans: mark.scans, places: mark.places };
  }
  const runUrl = new URL(target.location);
  const runDb = runUrl.pathname.slice(1);
  const traceDb = runDb.replace(/_run$/, '_trace');
  const adminUrl = new URL(target.location);
  adminUrl.pathname = '/postgres';
  const traceUrl = new URL(target.location);
  traceUrl.pathname = `/${traceDb}`;
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  let mark: Mark | null = null;
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [traceDb])).rowCount === 1;
    if (exists) {
      const c = new pg.Client({ connectionString: traceUrl.toString() });
      await c.connect();
      const row = await c.query<{ value: string }>("select value from gridline_meta where key = 'bench-trace'").catch(() => ({ rows: [] as { value: string }[] }));
      await c.end();
      const m = row.rows[0] ? (JSON.parse(row.rows[0].value) as Mark) : null;
      if (m && m.format === TRACE_FORMAT && m.residents === target.residents) mark = m;
    }
    if (!mark) {
      log(`seeding trace scans into ${traceDb}`);
      await admin.query(`drop database if exists ${traceDb} with (force)`);
      await admin.query(`create database ${traceDb} template ${runDb}`);
      const env = { ...target.env, DATABASE_URL: traceUrl.toString() };
      const w = await pgWriter(traceUrl.toString());
      const t0 = performance.now();
      const seeded = await seedScans(env, w.write, log);
      mark = { format: TRACE_FORMAT, ...seeded };
      await w.finish(log);
      const c = new pg.Client({ connectionString: traceUrl.toString() });
      await c.connect();
      await c.query("insert into gridline_meta (key, value) values ('bench-trace', $1)", [JSON.stringify(mark)]);
      await c.query('vacuum analyze');
      await c.end();
      log(`seeded ${mark.scans.toLocaleString('en')} scans at ${mark.places} places into ${traceDb} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    } else log(`reusing database ${traceDb}`);
  } finally {
    await admin.end();
  }
  const env = { ...target.env, DATABASE_URL: traceUrl.toString() };
  return { env, location: traceUrl.toString(), caseId: mark.caseId, scans: mark.scans, places: mark.places };
}
