import fs from 'node:fs';
import path from 'node:path';
import { baseEnv, contents, DATA_DIR, POSTGRES_ONLY, SCALES, SEED, seed, upgrade, type BenchDialect, type Scale, type Target } from './env.js';
import { preparePostgres } from './pg-data.js';

/**
 * A seeded database for this run, never written by an earlier run. SQLite: the seeded file is cached under
 * bench/.data/ (keyed by scale and seed) and copied for each run. PostgreSQL: see pg-data.ts (a kept,
 * seeded database cloned for each run). `reseed` discards the cache first; `anyScale` lets SQLite take a scale
 * meant for PostgreSQL (the trace alone, see run.ts).
 */
export async function prepare(scale: Scale, dialect: BenchDialect, log: (s: string) => void, reseed = false, anyScale = false): Promise<Target> {
  if (dialect === 'sqlite' && POSTGRES_ONLY.includes(scale) && !anyScale) throw new Error(`--scale ${scale} runs on PostgreSQL only: use --dialect postgres`);
  const residents = SCALES[scale];
  const dataDir = path.join(DATA_DIR, `${scale}-${dialect}`);
  fs.mkdirSync(dataDir, { recursive: true });
  if (dialect === 'postgres') return { scale, dialect, ...(await preparePostgres(scale, residents, baseEnv(dataDir), log, reseed)) };
  const cached = path.join(DATA_DIR, `${scale}-${SEED}-${residents}.sqlite`);
  if (reseed) fs.rmSync(cached, { force: true });
  if (!fs.existsSync(cached)) {
    const t0 = performance.now();
    const tmp = `${cached}.tmp`;
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
    await seed({ ...baseEnv(dataDir), DATABASE_URL: `sqlite:${tmp}` }, residents, log);
    fs.renameSync(tmp, cached);
    log(`seeded ${residents} residents (asked) into ${path.relative(process.cwd(), cached)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    log(`reusing ${path.relative(process.cwd(), cached)}`);
  }
  const file = path.join(dataDir, 'run.sqlite');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(cached, file);
  const env = { ...baseEnv(dataDir), DATABASE_URL: `sqlite:${file}` };
  await upgrade(env);
  return { scale, dialect, env, location: file, ...(await contents(env)) };
}
