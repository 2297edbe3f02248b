/**
 * `npm run bench -- --explain [--scale district]`: EXPLAIN (COSTS OFF) snapshots of the queries the list,
 * filter, search and dashboard scenarios issue, on the seeded PostgreSQL data. The SQL is what Kysely compiles
 * for the real service calls (captured by a plugin on the context's database), with the scenarios' parameters;
 * each service call's statements and plans go to bench/explain/<call>.txt (committed, to diff after a change).
 * The console also shows each statement's execution time from EXPLAIN ANALYZE (not written: it varies).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import pg from 'pg';
import type { ResidentListQuery } from '@gridline/shared';
import { loadConfig } from '../packages/server/src/config/config.js';
import { createContext, type AppContext } from '../packages/server/src/context.js';
import { createDatabase } from '../packages/server/src/db/database.js';
import { systemClock } from '../packages/server/src/lib/clock.js';
import { loadDataKey, PersonalDataCipher } from '../packages/server/src/lib/personal-data.js';
import { BENCH_DIR, COMMUNITY, DISTRICT, STREET, type Target } from './env.js';
import { userScope } from './inproc-kit.js';
import { DISTRICT_USER } from './seed-scale.js';

interface Captured { sql: string; parameters: readonly unknown[] }

const FILTER: Partial<ResidentListQuery> = { residenceStatus: 'registered', tags: ['chronic_disease'], ageMin: 60 };

/** Each snapshot: a file name and the service call whose statements it holds. */
function calls(ctx: AppContext): { name: string; what: string; run: () => Promise<unknown> }[] {
  const { residents, regions } = ctx.services;
  const as = (user: string) => userScope(ctx, user);
  const list = (user: string, node: string, q: Partial<ResidentListQuery> = {}) => async () => residents.list(await as(user), { node, pageSize: 20, ...q });
  const out: { name: string; what: string; run: () => Promise<unknown> }[] = [];
  for (const [level, user, node] of [['community', 'worker', COMMUNITY], ['street', 'command', STREET], ['district', DISTRICT_USER, DISTRICT]] as const) {
    out.push(
      { name: `residents-list-${level}`, what: `ResidentsService.list as ${user}: node=${node}, pageSize=20`, run: list(user, node) },
      { name: `residents-filter-${level}`, what: `ResidentsService.list as ${user}: node=${node}, residenceStatus=registered, tags=chronic_disease, ageMin=60`, run: list(user, node, FILTER) },
      { name: `residents-search-name-${level}`, what: `ResidentsService.list as ${user}: node=${node}, q=王`, run: list(user, node, { q: '王' }) },
    );
  }
  out.push(
    { name: 'residents-search-last4-community', what: `ResidentsService.list as worker: node=${COMMUNITY}, q=1234`, run: list('worker', COMMUNITY, { q: '1234' }) },
    { name: 'regions-detail-community', what: `RegionsService.detail(${COMMUNITY}) as worker (dashboard: grids with counts)`, run: async () => regions.detail(await as('worker'), COMMUNITY) },
    { name: 'regions-detail-district', what: `RegionsService.detail(${DISTRICT}) as ${DISTRICT_USER} (dashboard: streets with counts)`, run: async () => regions.detail(await as(DISTRICT_USER), DISTRICT) },
  );
  return out;
}

const literal = (v: unknown) => (typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v));

export async function snapshotPlans(target: Target, log: (s: string) => void): Promise<void> {
  const config = loadConfig(target.env);
  const handle = await createDatabase(config.db);
  let captured: Captured[] = [];
  let capturing = false;
  const capture: KyselyPlugin = {
    transformQuery(args) {
      if (capturing) {
        const q = handle.db.getExecutor().compileQuery(args.node as RootOperationNode, args.queryId);
        captured.push({ sql: q.sql, parameters: q.parameters });
      }
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const ctx = createContext(config, { ...handle, db: handle.db.withPlugin(capture) }, systemClock, new PersonalDataCipher(loadDataKey(config.dataKey, config.dataDir).key));
  const client = new pg.Client({ connectionString: target.location });
  await client.connect();
  const dir = path.join(BENCH_DIR, 'explain');
  fs.mkdirSync(dir, { recursive: true });
  try {
    for (const c of calls(ctx)) {
      captured = [];
      capturing = true;
      await c.run().finally(() => (capturing = false));
      const own = captured.filter((q) => !/from "users"/.test(q.sql));
      const parts = [`-- ${c.what}`, `-- ${target.scale} scale: ${target.residents.toLocaleString('en')} residents, ${target.streets} streets; EXPLAIN (COSTS OFF) on PostgreSQL`, ''];
      for (const [i, q] of own.entries()) {
        const plan = await client.query<{ 'QUERY PLAN': string }>(`explain (costs off) ${q.sql}`, q.parameters as unknown[]);
        const analyzed = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, costs off) ${q.sql}`, q.parameters as unknown[]);
        const time = analyzed.rows.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Execution Time')) ?? '';
        log(`${c.name} #${i + 1}: ${time}`);
        parts.push(`-- statement ${i + 1} of ${own.length}`, q.sql, `-- parameters: ${q.parameters.map(literal).join(', ') || 'none'}`, '', ...plan.rows.map((r) => r['QUERY PLAN']), '');
      }
      fs.writeFileSync(path.join(dir, `${c.name}.txt`), parts.join('\n'));
    }
    log(`wrote ${path.relative(process.cwd(), dir)}/*.txt`);
  } finally {
    await client.end();
    await ctx.close();
  }
}
