/** Read scenarios: a service call timed against the naive SQL a first version would have written. */
import { sql } from 'kysely';
import type { AppContext } from '../packages/server/src/context.js';
import { shanghaiDate } from '../packages/server/src/lib/clock.js';
import { DEMO_PASSWORD } from '../packages/server/src/demo/seed.js';
import { verifyPassword } from '../packages/server/src/modules/auth/password.js';
import { TOTAL_CAP } from '../packages/server/src/modules/residents/residents.repository.js';
import { birthRangeForAges } from '../packages/server/src/modules/residents/residents.service.js';
import { COMMUNITY, DISTRICT } from './env.js';
import { screeningCoverage } from './screening.js';
import { timingFor, TIMING, userScope, type InprocRun } from './inproc-kit.js';
import { DISTRICT_USER } from './seed-scale.js';
import { compare } from './stats.js';

/** The most frequent first character of names in the community: a realistic, non-trivial search term. */
async function commonSurname(c: AppContext): Promise<string> {
  const rows = await c.db.selectFrom('residents').select('name').where('region_code', '>=', COMMUNITY).where('region_code', '<', `${COMMUNITY}:`).limit(2000).execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.name.slice(0, 1), (counts.get(r.name.slice(0, 1)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

/** Resident counts per child of `node` (codes `childLength` long): the service against a grouped scan of every resident. */
async function dashboard(ctx: AppContext, username: string, node: string, childLength: number) {
  const scope = await userScope(ctx, username);
  const subject = () => ctx.services.regions.detail(scope, node);
  // Naive: group every resident by the child's prefix (no index range), then keep the node's children.
  const naive = async () => {
    const rows = await sql<{ child: string; n: number }>`select substr(region_code, 1, ${sql.lit(childLength)}) as child, count(*) as n from residents group by substr(region_code, 1, ${sql.lit(childLength)})`.execute(ctx.db);
    return rows.rows.filter((r) => r.child.startsWith(node));
  };
  const t0 = performance.now();
  const check = await subject();
  const callMs = performance.now() - t0;
  const naiveRows = await naive();
  if (!check.children.every((ch) => Number(naiveRows.find((r) => r.child === ch.code)?.n ?? 0) === ch.residentCount)) throw new Error(`dashboard ${node}: service and naive SQL disagree`);
  const r = await compare(subject, naive, timingFor(callMs));
  return { ...r, notes: `${check.children.length} children, ${check.node.residentCount} residents under the node; counts verified equal` };
}

/** The district's first page (optionally filtered) against LIKE-prefix SQL with the same filters. */
async function districtList(ctx: AppContext, filtered: boolean) {
  const scope = await userScope(ctx, DISTRICT_USER);
  const q = filtered ? { residenceStatus: 'registered' as const, tags: ['chronic_disease' as const], ageMin: 60 } : {};
  const subject = () => ctx.services.residents.list(scope, { node: DISTRICT, pageSize: 20, ...q });
  const born = birthRangeForAges(shanghaiDate(ctx.clock.now()), 60).to!;
  const where = filtered
    ? sql`region_code like ${`${DISTRICT}%`} and residence_status = 'registered' and tags like '%"chronic_disease"%' and birth_date <= ${born}`
    : sql`region_code like ${`${DISTRICT}%`}`;
  const naive = async () => {
    const [rows, count] = await Promise.all([
      sql`select * from residents where ${where} order by region_code, id limit 20`.execute(ctx.db),
      sql<{ n: number }>`select count(*) as n from residents where ${where}`.execute(ctx.db),
    ]);
    return { rows: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
  };
  const t0 = performance.now();
  const check = await subject();
  const callMs = performance.now() - t0;
  const naiveCheck = await naive();
  // The service counts exactly up to TOTAL_CAP and says "more" beyond it (unfiltered, its total is the maintained count).
  // Unfiltered, the service's total is the maintained count (exact); filtered over the district, PostgreSQL's estimate.
  const ok = filtered ? check.totalKind === 'estimate' || (check.totalKind === 'atLeast' ? naiveCheck.total > TOTAL_CAP : check.total === naiveCheck.total) : check.totalKind === 'exact' && check.total === naiveCheck.total;
  if (!ok) throw new Error(`district list: service ${check.total} (${check.totalKind}) vs naive ${naiveCheck.total}`);
  const r = await compare(subject, naive, timingFor(callMs));
  return {
    ...r,
    notes: `${naiveCheck.total.toLocaleString('en')} matching residents in the district; the service reports ${check.total.toLocaleString('en')} (${check.totalKind === 'estimate' ? "the planner's estimate" : check.totalKind === 'exact' ? 'the maintained count' : 'a count stopped at 10,000'}), checked against the naive count; page 1 of 20 + total, as the API returns them`,
  };
}

export const QUERIES: Record<string, InprocRun> = {
  'dashboard-grid-counts': (ctx) => dashboard(ctx, 'worker', COMMUNITY, 15),
  'dashboard-district-counts': (ctx) => dashboard(ctx, DISTRICT_USER, DISTRICT, 9),
  'list-district': (ctx) => districtList(ctx, false),
  'filter-district': (ctx) => districtList(ctx, true),
  'screening-coverage-district': screeningCoverage,

  async 'search-name'(ctx) {
    const scope = await userScope(ctx, 'worker');
    const q = await commonSurname(ctx);
    const subject = () => ctx.services.residents.list(scope, { node: COMMUNITY, q, pageSize: 20 });
    // Naive: LIKE '%…%' on name and a LIKE prefix on the code (no index range), page + count.
    const naive = async () => {
      const where = sql`region_code like ${`${COMMUNITY}%`} and name like ${`%${q}%`}`;
      const [rows, count] = await Promise.all([
        sql`select * from residents where ${where} order by region_code, id limit 20`.execute(ctx.db),
        sql<{ n: number }>`select count(*) as n from residents where ${where}`.execute(ctx.db),
      ]);
      return { rows: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
    };
    const check = await subject();
    const r = await compare(subject, naive, TIMING);
    return { ...r, notes: `q="${q}" (name prefix), ${check.total} matches in the community (naive '%q%' matches a superset)` };
  },

  async 'sign-in-vs-argon2'(ctx) {
    const u = await ctx.db.selectFrom('users').select('password_hash').where('username', '=', 'worker').executeTakeFirstOrThrow();
    const subject = () => ctx.services.auth.login('worker', DEMO_PASSWORD, { ip: '127.0.0.1', userAgent: 'bench' });
    const argon2Only = async () => {
      if (!(await verifyPassword(u.password_hash, DEMO_PASSWORD))) throw new Error('argon2 verify failed');
    };
    const r = await compare(subject, argon2Only, { rounds: 4, sliceMs: 750, warmup: 3 });
    return { ...r, notes: 'AuthService.login (user look-up, argon2id verify, session insert, audit event) vs the argon2id verify alone; a ratio near 1 means sign-in is dominated by argon2' };
  },
};
