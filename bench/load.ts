/**
 * The load generator, in its own process: autocannon against one URL for a bounded duration, recording
 * every response time (autocannon's own summary has no p95). Receives its options as JSON, replies over IPC.
 * With `freshIds`, every `[<id>]` in the body becomes a fresh id per request through `setupRequest` (autocannon
 * 8's own `idReplacement` announces a Content-Length for 27-character ids while hyperid 3 makes shorter ones, so
 * servers wait for bytes that never come).
 */
import crypto from 'node:crypto';
import autocannon from 'autocannon';
import { summarize, type Summary } from './stats.js';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationS: number;
  freshIds?: boolean;
}
export interface LoadResult { latency: Summary; non2xx: number; errors: number; bytesPerResponse: number }

const opts = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
if (!process.send) throw new Error('load.ts is started by bench/run.ts');
const times: number[] = [];
let bytes = 0;
const t0 = performance.now();
const run = crypto.randomBytes(4).toString('hex');
let n = 0;
const url = new URL(opts.url);
// (`requests` is not in bench/autocannon.d.ts; passed through a variable, the declared options still check the rest.)
const fresh = {
  url: `${url.protocol}//${url.host}`,
  connections: opts.connections,
  duration: opts.durationS,
  requests: [{ method: opts.method, path: `${url.pathname}${url.search}`, headers: opts.headers ?? {}, setupRequest: (req: object) => ({ ...req, body: (opts.body ?? '').replaceAll('[<id>]', `${run}-${++n}`) }) }],
};
const instance = autocannon(
  opts.freshIds ? fresh : { url: opts.url, method: opts.method, headers: opts.headers ?? {}, body: opts.body, connections: opts.connections, duration: opts.durationS },
  (err, result) => {
    if (err) throw err;
    const elapsed = performance.now() - t0;
    const out: LoadResult = { latency: summarize(times, elapsed), non2xx: result.non2xx, errors: result.errors, bytesPerResponse: times.length ? Math.round(bytes / times.length) : 0 };
    process.send!(out, () => process.exit(0));
  },
);
instance.on('response', (_client: unknown, _status: number, resBytes: number, responseTime: number) => {
  times.push(responseTime);
  bytes += resBytes;
});
