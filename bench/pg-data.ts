/**
 * PostgreSQL data for a run. The seeded database `gridline_bench_<scale>` is kept between runs and marked
 * (gridline_meta key 'bench': seed, residents asked, data format, residents written); a run reuses it when
 * the mark and the resident count match, re-seeds it otherwise or with --reseed, and then measures a clone
 * `gridline_bench_<scale>_run` (CREATE DATABASE … TEMPLATE, a file copy), so writes of one run never leak
 * into the next — as the SQLite file cache does.
 */
import pg from 'pg';
import { contents, seed, SEED, upgrade, type Scale } from './env.js';

const PG_DEFAULT = 'postgres://postgres@127.0.0.1:5432/postgres';
/** Bump when seed-scale.ts writes different data, so kept databases are re-seeded. */
const DATA_FORMAT = 2;

interface Mark { seed: number; asked: number; format: number; residents: number }

function urlOf(adminUrl: string, db: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Why the kept database cannot be reused, or null when it can. */
async function staleReason(url: string, asked: number): Promise<string | null> {
  return withClient(url, async (c) => {
    const meta = await c.query<{ value: string }>("select value from gridline_meta where key = 'bench'").catch(() => ({ rows: [] }));
    if (!meta.rows[0]) return 'no bench mark (seeding never finished)';
    const mark = JSON.parse(meta.rows[0].value) as Mark;
    if (mark.seed !== SEED || mark.asked !== asked || mark.format !== DATA_FORMAT) return `marked seed ${mark.seed}, ${mark.asked} asked, format ${mark.format}`;
    const n = Number((await c.query<{ n: string }>('select count(*) as n from residents')).rows[0]?.n ?? 0);
    return n === mark.residents ? null : `holds ${n} residents, marked ${mark.residents}`;
  });
}

export async function preparePostgres(
  scale: Scale, asked: number, base: Record<string, string>, log: (s: string) => void, reseed: boolean,
): Promise<{ env: Record<string, string>; location: string; residents: number; streets: number }> {
  const adminUrl = process.env.DATABASE_URL && /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL) ? process.env.DATABASE_URL : PG_DEFAULT;
  const kept = `gridline_bench_${scale}`;
  const clone = `${kept}_run`;
  const keptUrl = urlOf(adminUrl, kept);
  const keptEnv = { ...base, DATABASE_URL: keptUrl, DATABASE_POOL_SIZE: '10' };
  const { exists, version } = await withClient(adminUrl, async (c) => ({
    exists: (await c.query('select 1 from pg_database where datname = $1', [kept])).rowCount === 1,
    version: Number((await c.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]?.v ?? 0),
  }));
  const why = reseed ? '--reseed' : !exists ? 'not there yet' : await staleReason(keptUrl, asked);
  if (why) {
    log(`seeding database ${kept} (${why})`);
    const t0 = performance.now();
    await withClient(adminUrl, async (c) => {
      await c.query(`drop database if exists ${clone} with (force)`);
      await c.query(`drop database if exists ${kept} with (force)`);
      await c.query(`create database ${kept}`);
    });
    const has = await seed(keptEnv, asked, log);
    await withClient(keptUrl, (c) => c.query("insert into gridline_meta (key, value) values ('bench', $1)", [JSON.stringify({ seed: SEED, asked, format: DATA_FORMAT, residents: has.residents } satisfies Mark)]));
    log(`seeded ${has.residents} residents (${has.streets} streets) into ${kept} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    log(`reusing database ${kept} (same seed and scale; --reseed to rebuild it)`);
  }
  // New migrations and accounts reach a kept database too; vacuum sets the visibility map, so that
  // index-only scans skip the heap as they would on a long-running database.
  await upgrade(keptEnv);
  const t1 = performance.now();
  await withClient(keptUrl, (c) => c.query('vacuum analyze'));
  const tVacuum = performance.now();
  await withClient(adminUrl, async (c) => {
    await c.query(`drop database if exists ${clone} with (force)`);
    await c.query(`create database ${clone} template ${kept}${version >= 150000 ? ' strategy file_copy' : ''}`);
  });
  log(`vacuum analyze ${((tVacuum - t1) / 1000).toFixed(1)} s, cloned ${kept} → ${clone} in ${((performance.now() - tVacuum) / 1000).toFixed(1)} s`);
  const location = urlOf(adminUrl, clone);
  const env = { ...base, DATABASE_URL: location, DATABASE_POOL_SIZE: '10' };
  return { env, location, ...(await contents(env)) };
}
