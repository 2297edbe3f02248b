/**
 * The scan benchmarks on their own (until they are registered in run.ts):
 *   node --import tsx bench/scans-run.ts [--dialect sqlite|postgres] [--duration 5] [--connections 10] [--rounds 3] [--only batch|single]
 * Prepares the community-scale database like `npm run bench`, then runs write-scan-batch-ingest in process
 * and http-scan-single over loopback (app and bare baseline each in their own process, autocannon in a third,
 * as the harness does) and prints both results as JSON.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openContext } from '../packages/server/src/bootstrap.js';
import { loadConfig } from '../packages/server/src/config/config.js';
import { baseEnv, BENCH_DIR, contents, DATA_DIR, SCALES, SEED, seed, upgrade, type BenchDialect, type Target } from './env.js';
import { prepare } from './prepare.js';
import { scanBatchIngest, scanSingleRequest } from './scans.js';
import type { ScanLoadOptions, ScanLoadResult } from './scans-load.js';
import { maxRssMb } from './stats.js';
import type { BarePayload } from './target.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
};
const dialect = arg('dialect', 'sqlite') as BenchDialect;
const durationS = Number(arg('duration', '5'));
const only = arg('only', '');
const connections = Number(arg('connections', '10'));
const rounds = Number(arg('rounds', '3'));
const log = (s: string) => console.log(`[scans ${new Date().toISOString().slice(11, 19)}] ${s}`);

function child<T>(file: string, args: string[]): { proc: ChildProcess; first: Promise<T> } {
  const proc = fork(path.join(BENCH_DIR, file), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const first = new Promise<T>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as T));
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code} before replying`)));
  });
  return { proc, first };
}
const stop = (proc: ChildProcess) => new Promise<void>((resolve) => (proc.exitCode !== null ? resolve() : (proc.once('exit', () => resolve()), proc.send('stop'))));

/**
 * SQLite: a copy of its own of the community-scale file (seeded into the harness's cache when missing), so that a
 * run of the whole suite at the same time is not disturbed. PostgreSQL: the harness's own clone (do not run both).
 */
async function ownSqlite(): Promise<Target> {
  const cached = path.join(DATA_DIR, `community-${SEED}-${SCALES.community}.sqlite`);
  const dataDir = path.join(DATA_DIR, 'scans-sqlite');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(cached)) await seed({ ...baseEnv(dataDir), DATABASE_URL: `sqlite:${cached}` }, SCALES.community, log);
  const file = path.join(dataDir, 'run.sqlite');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  fs.copyFileSync(cached, file);
  const env = { ...baseEnv(dataDir), DATABASE_URL: `sqlite:${file}` };
  await upgrade(env);
  return { scale: 'community', dialect: 'sqlite', env, location: file, ...(await contents(env)) };
}
const target = dialect === 'sqlite' ? await ownSqlite() : await prepare('community', dialect, log);
const out: Record<string, unknown> = {};

if (only !== 'single') {
  log('write-scan-batch-ingest: service vs raw prepared inserts, alternating rounds');
  const ctx = await openContext(loadConfig(target.env), { migrate: false });
  try {
    const r = await scanBatchIngest(ctx, target);
    out['write-scan-batch-ingest'] = { ...r, ratio: Math.round((r.subject.perSecond / r.baseline.perSecond) * 1000) / 1000, rssMb: maxRssMb() };
  } finally {
    await ctx.close();
  }
}

if (only !== 'batch') {
  const ctx = await openContext(loadConfig(target.env), { migrate: false });
  const request = await scanSingleRequest(ctx);
  await ctx.close();
  const app = child<{ port: number }>('target.ts', ['app', JSON.stringify(target.env)]);
  const appUrl = `http://127.0.0.1:${(await app.first).port}`;
  const captured = await fetch(`${appUrl}${request.url}`, { method: 'POST', headers: request.headers, body: request.body.replace('[<id>]', 'capture') });
  const body = await captured.text();
  if (captured.status !== 200) throw new Error(`http-scan-single: ${captured.status} ${body}`);
  const payloadFile = path.join(DATA_DIR, `bare-scans-${dialect}.json`);
  fs.writeFileSync(payloadFile, JSON.stringify([{ method: 'POST', url: request.url, status: 200, contentType: 'application/json; charset=utf-8', body }] satisfies BarePayload[]));
  const bare = child<{ port: number }>('target.ts', ['bare', payloadFile]);
  const bareUrl = `http://127.0.0.1:${(await bare.first).port}`;
  try {
    const common = { method: 'POST' as const, headers: request.headers, body: request.body, connections, durationS };
    // Alternating rounds (baseline, subject, baseline, …) so that a shared machine's swings hit both alike.
    log(`http-scan-single: ${rounds} rounds of baseline (bare Fastify) ${durationS} s then subject ${durationS} s, ${connections} connections`);
    // Warm-up (JIT, page cache, the first writes of the table), not counted.
    for (const url of [bareUrl, appUrl]) await child<ScanLoadResult>('scans-load.ts', [JSON.stringify({ ...common, durationS: 2, url: `${url}${request.url}` } satisfies ScanLoadOptions)]).first;
    const runs: Record<'baseline' | 'subject', ScanLoadResult[]> = { baseline: [], subject: [] };
    for (let r = 0; r < rounds; r++) {
      runs.baseline.push(await child<ScanLoadResult>('scans-load.ts', [JSON.stringify({ ...common, url: `${bareUrl}${request.url}` } satisfies ScanLoadOptions)]).first);
      runs.subject.push(await child<ScanLoadResult>('scans-load.ts', [JSON.stringify({ ...common, url: `${appUrl}${request.url}` } satisfies ScanLoadOptions)]).first);
    }
    const total = (xs: ScanLoadResult[]) => ({
      perSecond: Math.round(xs.reduce((a, x) => a + x.latency.perSecond, 0) / xs.length),
      p50: xs.map((x) => x.latency.p50).sort((a, b) => a - b)[Math.floor(xs.length / 2)],
      p95: Math.max(...xs.map((x) => x.latency.p95)),
      non2xx: xs.reduce((a, x) => a + x.non2xx + x.errors, 0),
      perRound: xs.map((x) => Math.round(x.latency.perSecond)),
    });
    const subject = total(runs.subject);
    const baseline = total(runs.baseline);
    out['http-scan-single'] = { subject, baseline, ratio: Math.round((subject.perSecond / baseline.perSecond) * 1000) / 1000 };
  } finally {
    await stop(bare.proc);
    await stop(app.proc);
  }
}
console.log(JSON.stringify(out, null, 2));
process.exit(0);
