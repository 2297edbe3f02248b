/**
 * Child process of trace.ts: times TracingService.findContacts (two hops) against the naive self-join on the
 * trace data, after checking that every contact the self-join finds, the service finds too.
 * argv: { target, data } as JSON; replies { subject, baseline, rssMb, notes } over IPC.
 */
import { BUILT_IN_PROTOCOLS } from '@gridline/shared';
import { sql } from 'kysely';
import { openContext } from '../packages/server/src/bootstrap.js';
import { loadConfig } from '../packages/server/src/config/config.js';
import { casesRepository } from '../packages/server/src/modules/cases/cases.repository.js';
import { TracingService } from '../packages/server/src/modules/tracing/tracing.service.js';
import type { Target } from './env.js';
import { timingFor } from './inproc-kit.js';
import { compare, maxRssMb } from './stats.js';
import type { TraceData } from './trace-data.js';

const [json] = process.argv.slice(2);
if (!process.send || !json) throw new Error('trace-inproc.ts is started by bench/trace.ts');
const { target, data } = JSON.parse(json) as { target: Target; data: TraceData };
const ctx = await openContext(loadConfig(data.env), { migrate: false });

try {
  // The ninth edition (两跳: 次密接 identified from close contacts' households) whatever the date.
  const ninth = BUILT_IN_PROTOCOLS[0]!;
  const tracing = new TracingService({ db: ctx.db, clock: ctx.clock, audit: ctx.services.audit, cipher: ctx.cipher, protocol: { inForce: async () => ninth, byId: async () => ninth, list: async () => [ninth] }, tasks: ctx.services.tasks });
  const caseRow = (await casesRepository.byId(ctx.db, data.caseId))!;
  const subject = () => tracing.findContacts(caseRow, { secondaryOf: 'all' });
  const { tracing: rules } = ninth;
  const stay = rules.assumedStayMinutes * 60_000;
  const slack = (rules.assumedStayMinutes - rules.minOverlapMinutes) * 60_000;
  const first = await subject();
  const { from, to } = first.window;
  const person = caseRow.resident_id!;
  const naive = async () => {
    const res = await sql<{ kind: string; person_kind: string; person_id: string }>`
      with c as (
        select place_id, at from scans where person_id = ${person} and person_kind = 'resident' and at >= ${from} and at < ${to}
      ), hop1 as (
        select distinct b.person_kind, b.person_id from c join scans b
          on b.place_id = c.place_id and b.at < c.at + ${stay} and b.at + ${stay} > c.at and abs(b.at - c.at) <= ${slack}
        where b.person_id <> ${person}
      ), close_res as (
        select person_id as id from hop1 where person_kind = 'resident'
        union
        select r.id from residents r where r.household_id = (select household_id from residents where id = ${person}) and r.id <> ${person}
      ), second as (
        select distinct r2.id from residents r1 join residents r2 on r2.household_id = r1.household_id
        where r1.id in (select id from close_res) and r2.id <> ${person} and r2.id not in (select id from close_res)
      )
      select 'close' as kind, person_kind, person_id from hop1
      union all select 'household', 'resident', id from close_res
      union all select 'secondary', 'resident', id from second`.execute(ctx.db);
    return res.rows;
  };
  const rows = await naive();
  const key = (kind: string, id: string) => `${kind === 'visitor' ? 'p' : 'r'}:${id}`;
  const naiveClose = new Set(rows.filter((r) => r.kind !== 'secondary' && r.person_kind === 'resident').map((r) => key('resident', r.person_id)));
  const mineClose = new Set(first.candidates.filter((c) => c.category === 'close').map((c) => c.key));
  const missing = [...naiveClose].filter((k) => !mineClose.has(k));
  if (missing.length) throw new Error(`the service missed ${missing.length} close contacts the self-join found (e.g. ${missing[0]})`);
  const naiveSecondary = rows.filter((r) => r.kind === 'secondary').length;
  const mineSecondary = first.candidates.filter((c) => c.category === 'secondary').length;
  const t0 = performance.now();
  await subject();
  const callMs = performance.now() - t0;
  const timing = { ...timingFor(callMs), maxPerSlice: 200 };
  const r = await compare(subject, naive, timing);
  const p50 = r.subject.p50;
  const ratio = r.baseline.p50 / p50;
  const limit = target.dialect === 'sqlite' ? 100 : 200;
  process.send(
    {
      ...r,
      rssMb: maxRssMb(),
      notes:
        `${data.scans.toLocaleString('en')} scans at ${data.places.toLocaleString('en')} places; the case: ${first.caseScans} scans in the 14-day window → ${mineClose.size} close contacts ` +
        `(self-join: ${naiveClose.size} residents; every one found by the service${mineClose.size > naiveClose.size ? ', the service also joins overlapping visits into one stay' : ''}) and ${mineSecondary} secondary (self-join ${naiveSecondary}); ` +
        `self-join ÷ service p50 = ${ratio.toFixed(1)}× (target ≥ 20×); p95 ${r.subject.p95.toFixed(1)} ms against the district target ≤ ${limit} ms on ${target.dialect}`,
    },
    () => void ctx.close().then(() => process.exit(0)),
  );
} catch (err) {
  process.send({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1));
}
