/**
 * npm run bench [-- --scale community|street|district --dialect sqlite|postgres|both --filter <text> --duration <s> --reseed]
 * npm run bench -- --explain [--scale district]   (EXPLAIN snapshots of the scenarios' queries, see explain.ts)
 *
 * For each dialect: prepare the seeded database, then run every scenario against its baseline in the same
 * run on this machine, and write bench/results/<scale>-<dialect>.json plus the table in bench/README.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openContext } from '../packages/server/src/bootstrap.js';
import { loadConfig } from '../packages/server/src/config/config.js';
import { DEMO_PASSWORD } from '../packages/server/src/demo/seed.js';
import { BENCH_DIR, DATA_DIR, POSTGRES_ONLY, SCALES, SEED, type BenchDialect, type Scale, type Target } from './env.js';
import type { InprocResult } from './inproc-kit.js';
import type { LoadOptions, LoadResult } from './load.js';
import { snapshotPlans } from './explain.js';
import { prepare } from './prepare.js';
import { writeReadme, type ScenarioResult } from './report.js';
import { HTTP, INPROC, type HttpScenario } from './scenarios.js';
import { TRACE_SCENARIO, traceScenarios } from './trace.js';
import type { BarePayload } from './target.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const explain = flag('explain');
const scale = arg('scale', explain ? 'district' : 'community') as Scale;
if (!(scale in SCALES)) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
const postgresOnly = POSTGRES_ONLY.includes(scale);
const dialectArg = arg('dialect', postgresOnly || explain ? 'postgres' : process.env.DATABASE_URL?.startsWith('postgres') ? 'both' : 'sqlite');
const dialects: BenchDialect[] = dialectArg === 'both' ? ['sqlite', 'postgres'] : [dialectArg as BenchDialect];
const filter = arg('filter', '');
// The two-hop trace is the one scenario asked of SQLite at the district scale (issue #6): allowed there alone.
const traceOnly = filter !== '' && TRACE_SCENARIO.name.includes(filter) && ![...HTTP, ...INPROC].some((s) => s.name.includes(filter));
if (postgresOnly && dialects.includes('sqlite') && !traceOnly) {
  console.error(`--scale ${scale} runs on PostgreSQL only (1M residents are past what one embedded SQLite file is meant to serve): use --dialect postgres (the trace alone may run there on SQLite: --filter trace)`);
  process.exit(2);
}
const durationS = Number(arg('duration', '5'));
const reseed = flag('reseed');
const log = (s: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);

// Children never outlive the run, even when it fails.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill();
});

/** Starts a child with tsx (inherited execArgv) and resolves with its first IPC message. */
function child<T>(file: string, args: string[]): { proc: ChildProcess; first: Promise<T> } {
  const proc = fork(path.join(BENCH_DIR, file), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  const first = new Promise<T>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as T));
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code} before replying`)));
  });
  return { proc, first };
}

function ask<T>(proc: ChildProcess, msg: string): Promise<T> {
  return new Promise((resolve) => {
    proc.once('message', (m) => resolve(m as T));
    proc.send(msg);
  });
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    proc.send('stop');
  });
}

async function load(opts: LoadOptions): Promise<LoadResult> {
  return child<LoadResult>('load.ts', [JSON.stringify(opts)]).first;
}

async function httpScenarios(target: Target): Promise<ScenarioResult[]> {
  const scenarios = HTTP.filter((s) => !filter || s.name.includes(filter));
  if (!scenarios.length) return [];

  const app = child<{ port: number }>('target.ts', ['app', JSON.stringify(target.env)]);
  const appPort = (await app.first).port;
  // Scenarios that need records of their own (a device and its token) make them before any request is sent.
  const prepared = new Map<string, { headers: Record<string, string>; body: string }>();
  if (scenarios.some((s) => s.prepare)) {
    const ctx = await openContext(loadConfig(target.env), { migrate: false });
    try {
      for (const s of scenarios) if (s.prepare) prepared.set(s.name, await s.prepare(ctx));
    } finally {
      await ctx.close();
    }
  }
  const appUrl = `http://127.0.0.1:${appPort}`;
  // One session per actor the chosen scenarios need.
  const cookies = new Map<string, string>();
  for (const actor of new Set(scenarios.map((s) => s.actor).filter((a) => a !== null))) {
    const login = await fetch(`${appUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: actor, password: DEMO_PASSWORD }) });
    if (login.status !== 200) throw new Error(`${actor} sign-in failed: ${login.status} ${await login.text()}`);
    cookies.set(actor, login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '));
  }
  const bodyOf = (s: HttpScenario) => prepared.get(s.name)?.body ?? s.body;
  const headersOf = (s: HttpScenario): Record<string, string> => ({
    ...(bodyOf(s) ? { 'content-type': 'application/json' } : {}), ...(s.actor ? { cookie: cookies.get(s.actor)! } : {}), ...prepared.get(s.name)?.headers,
  });

  // Capture each real response, so the bare baseline returns exactly the same bytes.
  const payloads: BarePayload[] = [];
  for (const s of scenarios) {
    const body0 = bodyOf(s)?.replaceAll('[<id>]', `capture-${Date.now()}`);
    const res = await fetch(`${appUrl}${s.url}`, { method: s.method, headers: headersOf(s), ...(body0 ? { body: body0 } : {}) });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${s.name}: ${res.status} ${body}`);
    payloads.push({ method: s.method, url: s.url, status: res.status, contentType: res.headers.get('content-type') ?? 'application/json', body });
  }
  const payloadFile = path.join(DATA_DIR, `bare-${target.scale}-${target.dialect}.json`);
  fs.writeFileSync(payloadFile, JSON.stringify(payloads));
  const bare = child<{ port: number }>('target.ts', ['bare', payloadFile]);
  const bareUrl = `http://127.0.0.1:${(await bare.first).port}`;

  const out: ScenarioResult[] = [];
  try {
    for (const [i, s] of scenarios.entries()) {
      const body = bodyOf(s);
      const common = { method: s.method, headers: headersOf(s), ...(body ? { body } : {}), ...(s.freshIds ? { freshIds: true } : {}), connections: s.connections, durationS };
      log(`${s.name}: baseline (bare Fastify) ${durationS} s, then subject ${durationS} s, ${s.connections} connections`);
      const base = await load({ ...common, url: `${bareUrl}${s.url}` });
      const subj = await load({ ...common, url: `${appUrl}${s.url}` });
      const bodyBytes = Buffer.byteLength(payloads[i]!.body);
      out.push({
        name: s.name, kind: 'http', what: s.what,
        baselineName: `bare Fastify route returning the same ${bodyBytes} bytes`,
        subject: subj.latency, baseline: base.latency,
        errors: { subjectNon2xx: subj.non2xx + subj.errors, baselineNon2xx: base.non2xx + base.errors },
        rssMb: 0, notes: `autocannon ${durationS} s, ${s.connections} connections, loopback, separate process; response ${bodyBytes} bytes`,
      });
    }
    const appRss = (await ask<{ rssMb: number }>(app.proc, 'rss')).rssMb;
    const bareRss = (await ask<{ rssMb: number }>(bare.proc, 'rss')).rssMb;
    for (const r of out) {
      r.rssMb = appRss;
      r.notes += `; peak RSS: server ${appRss} MB over all HTTP scenarios, bare ${bareRss} MB`;
    }
  } finally {
    await stop(bare.proc);
    await stop(app.proc);
  }
  return out;
}

async function inprocScenarios(target: Target): Promise<ScenarioResult[]> {
  const out: ScenarioResult[] = [];
  for (const s of INPROC.filter((x) => !filter || x.name.includes(filter))) {
    log(`${s.name}: subject vs baseline, alternating rounds`);
    const r = await child<InprocResult | { error: string }>('inproc.ts', [s.name.replace(/^(query|write)-/, ''), JSON.stringify(target)]).first;
    if ('error' in r) throw new Error(`${s.name}: ${r.error}`);
    out.push({ name: s.name, kind: s.kind, what: s.what, baselineName: s.baselineName, subject: r.subject, baseline: r.baseline, rssMb: r.rssMb, notes: `in-process, one call at a time; peak RSS of the process running both; ${r.notes}` });
  }
  return out;
}

if (explain) {
  if (!dialects.includes('postgres')) throw new Error('--explain snapshots PostgreSQL plans: use --dialect postgres');
  const target = await prepare(scale, 'postgres', log, reseed);
  await snapshotPlans(target, log);
  process.exit(0);
}

fs.mkdirSync(path.join(BENCH_DIR, 'results'), { recursive: true });
for (const dialect of dialects) {
  const t0 = performance.now();
  log(`${scale} on ${dialect}: preparing ${SCALES[scale]} residents (seed ${SEED})`);
  const target = await prepare(scale, dialect, log, reseed, traceOnly);
  const prepS = (performance.now() - t0) / 1000;
  const scenarios = [...(await httpScenarios(target)), ...(await inprocScenarios(target)), ...(await traceScenarios(target, filter, log))];
  const wallS = (performance.now() - t0) / 1000;
  const file = path.join(BENCH_DIR, 'results', `${scale}-${dialect}.json`);
  // A filtered run refreshes its scenarios in the existing results and keeps the others.
  if (filter && fs.existsSync(file)) {
    const prev = JSON.parse(fs.readFileSync(file, 'utf8')) as { scenarios: ScenarioResult[] };
    const fresh = new Map(scenarios.map((s) => [s.name, s]));
    const merged = prev.scenarios.map((s) => fresh.get(s.name) ?? s);
    for (const s of scenarios) if (!prev.scenarios.some((p) => p.name === s.name)) merged.push(s);
    const order = [...HTTP, ...INPROC].map((s) => s.name);
    const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
    scenarios.splice(0, scenarios.length, ...merged.sort((a, b) => rank(a.name) - rank(b.name)));
  }
  const result = {
    scale, dialect, seed: SEED, residents: target.residents, streets: target.streets, filter: filter || null,
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    wallSeconds: { prepare: Math.round(prepS * 10) / 10, total: Math.round(wallS * 10) / 10 },
    scenarios,
  };
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), file)} (${wallS.toFixed(1)} s wall)`);
}
writeReadme();
log('updated bench/README.md');
