import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openContext } from '../packages/server/src/bootstrap.js';
import { loadConfig } from '../packages/server/src/config/config.js';
import { DEMO_STREET } from '../packages/server/src/demo/demo-street.js';
import { seedScale } from './seed-scale.js';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = path.join(BENCH_DIR, '.data');

export type Scale = 'community' | 'street';
export type BenchDialect = 'sqlite' | 'postgres';

/** Residents per scale: one demo street (5 communities, 40 grids) holds up to ~28k, so `street` is 4 demo streets (see seed-scale.ts). */
export const SCALES: Record<Scale, number> = { community: 10_000, street: 100_000 };
export const SEED = 20261129;
export const COMMUNITY = `${DEMO_STREET.code}001`;

/** What a run needs to reach the data: the server's environment plus, for raw baselines, where the database is. */
export interface Target {
  scale: Scale;
  dialect: BenchDialect;
  env: Record<string, string>;
  /** SQLite file or PostgreSQL URL of the seeded database. */
  location: string;
  /** What the seeded database holds. */
  residents: number;
  streets: number;
}

const PG_DEFAULT = 'postgres://postgres@127.0.0.1:5432/postgres';

function baseEnv(dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    // A key derived from the seed, so a cached database stays readable across runs.
    GRIDLINE_DATA_KEY: crypto.createHash('sha256').update(`gridline-bench-${SEED}`).digest('base64'),
    LOG_LEVEL: 'silent',
    LOGIN_RATE_PER_MINUTE: '100000',
    DEMO_ON_EMPTY: 'false',
    HOST: '127.0.0.1',
  };
}

async function seed(env: Record<string, string>, residents: number): Promise<void> {
  const ctx = await openContext(loadConfig(env));
  try {
    await seedScale(ctx, SEED, residents);
  } finally {
    await ctx.close();
  }
}

/** Residents and streets actually in the database. */
async function contents(env: Record<string, string>): Promise<{ residents: number; streets: number }> {
  const ctx = await openContext(loadConfig(env), { migrate: false });
  try {
    const r = await ctx.db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const s = await ctx.db.selectFrom('region_nodes').select((eb) => eb.fn.countAll<number>().as('n')).where('level', '=', 'street').executeTakeFirstOrThrow();
    return { residents: Number(r.n), streets: Number(s.n) };
  } finally {
    await ctx.close();
  }
}

/**
 * SQLite: the seeded file is cached under bench/.data/ (keyed by scale and seed) and copied for each run,
 * so writes of one run never leak into the next. PostgreSQL: a fresh database gridline_bench_<scale>.
 */
export async function prepare(scale: Scale, dialect: BenchDialect, log: (s: string) => void): Promise<Target> {
  const residents = SCALES[scale];
  const dataDir = path.join(DATA_DIR, `${scale}-${dialect}`);
  fs.mkdirSync(dataDir, { recursive: true });
  if (dialect === 'sqlite') {
    const cached = path.join(DATA_DIR, `${scale}-${SEED}-${residents}.sqlite`);
    if (!fs.existsSync(cached)) {
      const t0 = performance.now();
      const tmp = `${cached}.tmp`;
      for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
      await seed({ ...baseEnv(dataDir), DATABASE_URL: `sqlite:${tmp}` }, residents);
      fs.renameSync(tmp, cached);
      log(`seeded ${residents} residents (asked) into ${path.relative(process.cwd(), cached)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } else {
      log(`reusing ${path.relative(process.cwd(), cached)}`);
    }
    const file = path.join(dataDir, 'run.sqlite');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(cached, file);
    const env = { ...baseEnv(dataDir), DATABASE_URL: `sqlite:${file}` };
    return { scale, dialect, env, location: file, ...(await contents(env)) };
  }
  const adminUrl = process.env.DATABASE_URL && /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL) ? process.env.DATABASE_URL : PG_DEFAULT;
  const dbName = `gridline_bench_${scale}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.query(`create database ${dbName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const env = { ...baseEnv(dataDir), DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '10' };
  const t0 = performance.now();
  await seed(env, residents);
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  await c.query('analyze');
  await c.end();
  const has = await contents(env);
  log(`seeded ${has.residents} residents (${has.streets} streets) into database ${dbName} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { scale, dialect, env, location: url.toString(), ...has };
}
