/**
 * The load generator, in its own process: autocannon against one URL for a bounded duration, recording
 * every response time (autocannon's own summary has no p95). Receives its options as JSON, replies over IPC.
 */
import autocannon from 'autocannon';
import { summarize, type Summary } from './stats.js';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationS: number;
}
export interface LoadResult { latency: Summary; non2xx: number; errors: number; bytesPerResponse: number }

const opts = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
if (!process.send) throw new Error('load.ts is started by bench/run.ts');
const times: number[] = [];
let bytes = 0;
const t0 = performance.now();
const instance = autocannon(
  { url: opts.url, method: opts.method, headers: opts.headers ?? {}, body: opts.body, connections: opts.connections, duration: opts.durationS },
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
