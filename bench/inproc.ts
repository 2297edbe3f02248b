/**
 * In-process scenarios (queries and writes), each in its own process so its peak RSS is its own:
 * the service call is timed against the naive SQL or the raw prepared statement (see inproc-queries.ts,
 * inproc-writes.ts, import-50k.ts). argv: <scenario> <targetJson>; replies { subject, baseline, rssMb, notes } over IPC.
 */
import { openContext, SERVING } from '../packages/server/src/bootstrap.js';
import { loadConfig } from '../packages/server/src/config/config.js';
import type { Target } from './env.js';
import type { InprocResult } from './inproc-kit.js';
import { QUERIES } from './inproc-queries.js';
import { WRITES } from './inproc-writes.js';
import { maxRssMb } from './stats.js';

const [scenario, targetJson] = process.argv.slice(2);
if (!process.send || !scenario || !targetJson) throw new Error('inproc.ts is started by bench/run.ts');
const target = JSON.parse(targetJson) as Target;
// As the server opens its database: the WAL is checkpointed by a thread (the baselines' connections match it).
const ctx = await openContext(loadConfig(target.env), { migrate: false, ...SERVING });

try {
  const run = QUERIES[scenario] ?? WRITES[scenario];
  if (!run) throw new Error(`unknown in-process scenario ${scenario}`);
  const result = await run(ctx, target);
  process.send({ ...result, rssMb: maxRssMb() } satisfies InprocResult, () => void ctx.close().then(() => process.exit(0)));
} catch (err) {
  process.send({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1));
}
