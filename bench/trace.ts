/**
 * The trace scenario (issue #6): a full two-hop trace of one case over 14 days — the case's scans in the window,
 * everyone co-located at those places (close contacts, with the household), then the households of every close
 * contact (secondary contacts) — through TracingService.findContacts, against the straightforward SQL self-join
 * (scans a join scans b on the place and overlapping time, then residents joined on the household), both in a
 * child process (trace-inproc.ts) on the trace data of trace-data.ts.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { BENCH_DIR, type Target } from './env.js';
import type { InprocResult } from './inproc-kit.js';
import type { ScenarioResult } from './report.js';
import { prepareTraceData } from './trace-data.js';

export const TRACE_SCENARIO = {
  name: 'query-trace-two-hop',
  kind: 'query' as const,
  what: 'TracingService.findContacts(case, two hops) under the ninth edition: case scans in the 14-day window (person index), co-located scans per stay (place index ranges), household, secondary contacts (households of every close contact)',
  baselineName: 'straightforward SQL self-join: scans a join scans b on b.place_id = a.place_id and overlapping stays (b.at < a.at + stay and b.at + stay > a.at, |Δ| ≤ stay − overlap), then residents joined on household_id for the household and the second hop',
};

export async function traceScenarios(target: Target, filter: string, log: (s: string) => void): Promise<ScenarioResult[]> {
  if (filter && !TRACE_SCENARIO.name.includes(filter)) return [];
  const data = await prepareTraceData(target, log);
  log(`${TRACE_SCENARIO.name}: subject vs baseline, alternating rounds (${data.scans.toLocaleString('en')} scans)`);
  const proc = fork(path.join(BENCH_DIR, 'trace-inproc.ts'), [JSON.stringify({ target, data })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const r = await new Promise<InprocResult | { error: string }>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as InprocResult | { error: string }));
    proc.once('exit', (code) => reject(new Error(`trace-inproc.ts exited with ${code} before replying`)));
  });
  if ('error' in r) throw new Error(`${TRACE_SCENARIO.name}: ${r.error}`);
  return [{ ...TRACE_SCENARIO, subject: r.subject, baseline: r.baseline, rssMb: r.rssMb, notes: `in-process, one call at a time; peak RSS of the process running both; ${r.notes}` }];
}
