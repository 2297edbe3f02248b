import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openContext } from '../packages/server/src/bootstrap.js';
import { loadConfig } from '../packages/server/src/config/config.js';
import { DEMO_DISTRICT, DEMO_STREET } from '../packages/server/src/demo/demo-street.js';
import { ensureDistrictUser, seedScale } from './seed-scale.js';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = path.join(BENCH_DIR, '.data');

export type Scale = 'community' | 'street' | 'district';
export type BenchDialect = 'sqlite' | 'postgres';

/** Residents per scale: one demo street (5 communities, 40 grids) holds up to ~28k, so larger scales are several demo streets of 25,000 (see seed-scale.ts). */
export const SCALES: Record<Scale, number> = { community: 10_000, street: 100_000, district: 1_000_000 };
/** Scales too large for the embedded database: a district runs on PostgreSQL (DESIGN.md, scale path). */
export const POSTGRES_ONLY: readonly Scale[] = ['district'];
export const SEED = 20261129;
export const DISTRICT = DEMO_DISTRICT.code;
export const STREET = DEMO_STREET.code;
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

export function baseEnv(dataDir: string): Record<string, string> {
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

export async function seed(env: Record<string, string>, residents: number, log: (s: string) => void): Promise<{ streets: number; residents: number }> {
  const ctx = await openContext(loadConfig(env));
  try {
    return await seedScale(ctx, SEED, residents, log);
  } finally {
    await ctx.close();
  }
}

/** Migrates (a database seeded before a new migration gets it) and adds the accounts the scenarios use. */
export async function upgrade(env: Record<string, string>): Promise<void> {
  const ctx = await openContext(loadConfig(env));
  try {
    await ensureDistrictUser(ctx);
  } finally {
    await ctx.close();
  }
}

/** Residents and streets actually in the database. */
export async function contents(env: Record<string, string>): Promise<{ residents: number; streets: number }> {
  const ctx = await openContext(loadConfig(env), { migrate: false });
  try {
    const r = await ctx.db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const s = await ctx.db.selectFrom('region_nodes').select((eb) => eb.fn.countAll<number>().as('n')).where('level', '=', 'street').executeTakeFirstOrThrow();
    return { residents: Number(r.n), streets: Number(s.n) };
  } finally {
    await ctx.close();
  }
}
