/**
 * autocannon for http-scan-single: like load.ts, but every request's item carries a key of its own (a repeated
 * key is answered "duplicate" without storing anything). Each `[<id>]` in the body becomes a fresh id per
 * request through `setupRequest` (autocannon 8's own `idReplacement` announces a Content-Length for 27-character
 * ids while hyperid 3 makes shorter ones, so servers wait for bytes that never come).
 */
import crypto from 'node:crypto';
import autocannon from 'autocannon';
import { summarize, type Summary } from './stats.js';

export interface ScanLoadOptions { url: string; method: 'POST'; headers: Record<string, string>; body: string; connections: number; durationS: number }
export interface ScanLoadResult { latency: Summary; non2xx: number; errors: number }

const opts = JSON.parse(process.argv[2] ?? '{}') as ScanLoadOptions;
if (!process.send) throw new Error('scans-load.ts is started by bench/scans-run.ts');
const times: number[] = [];
const t0 = performance.now();
const run = crypto.randomBytes(4).toString('hex');
let n = 0;
const url = new URL(opts.url);
// (`requests` is not in bench/autocannon.d.ts; passed through a variable, the declared options still check the rest.)
const options = {
  url: `${url.protocol}//${url.host}`,
  connections: opts.connections,
  duration: opts.durationS,
  requests: [{ method: opts.method, path: url.pathname, headers: opts.headers, setupRequest: (req: object) => ({ ...req, body: opts.body.replaceAll('[<id>]', `${run}-${++n}`) }) }],
};
autocannon(options, (err, result) => {
  if (err) throw err;
  const out: ScanLoadResult = { latency: summarize(times, performance.now() - t0), non2xx: result.non2xx, errors: result.errors };
  process.send!(out, () => process.exit(0));
}).on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
