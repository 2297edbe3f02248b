/**
 * In-process scenarios (queries and writes), each in its own process so its peak RSS is its own:
 * the service call is timed against the naive SQL or the raw prepared statement, in alternating rounds.
 * argv: <scenario> <targetJson>; replies { subject, baseline, rssMb, notes } over IPC.
 */
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { openContext } from '../packages/server/src/bootstrap.js';
import { loadConfig } from '../packages/server/src/config/config.js';
import type { AppContext } from '../packages/server/src/context.js';
import { applySqlitePragmas } from '../packages/server/src/db/database.js';
import { DEMO_PASSWORD } from '../packages/server/src/demo/seed.js';
import { verifyPassword } from '../packages/server/src/modules/auth/password.js';
import { Scope } from '../packages/server/src/security/scope.js';
import { COMMUNITY, type Target } from './env.js';
import { compare, maxRssMb } from './stats.js';

export interface InprocResult {
  subject: Awaited<ReturnType<typeof compare>>['subject'];
  baseline: Awaited<ReturnType<typeof compare>>['baseline'];
  rssMb: number;
  notes: string;
}

const [scenario, targetJson] = process.argv.slice(2);
if (!process.send || !scenario || !targetJson) throw new Error('inproc.ts is started by bench/run.ts');
const target = JSON.parse(targetJson) as Target;
const ctx = await openContext(loadConfig(target.env), { migrate: false });
const timing = { rounds: 4, sliceMs: 750, warmup: 5 };

async function workerScope(c: AppContext): Promise<Scope> {
  const u = await c.db.selectFrom('users').selectAll().where('username', '=', 'worker').executeTakeFirstOrThrow();
  return new Scope({ kind: 'user', userId: u.id, username: u.username, displayName: u.display_name, role: 'community_worker', node: u.node_code, householdId: null, residentId: null, sessionId: null, ip: '127.0.0.1' });
}

/** The most frequent first character of names in the community: a realistic, non-trivial search term. */
async function commonSurname(c: AppContext): Promise<string> {
  const rows = await c.db.selectFrom('residents').select('name').where('region_code', '>=', COMMUNITY).where('region_code', '<', `${COMMUNITY}:`).limit(2000).execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.name.slice(0, 1), (counts.get(r.name.slice(0, 1)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

async function run(): Promise<Omit<InprocResult, 'rssMb'>> {
  const scope = await workerScope(ctx);
  if (scenario === 'dashboard-grid-counts') {
    const { regions } = ctx.services;
    const subject = () => regions.detail(scope, COMMUNITY);
    // Naive: group every resident by grid prefix (no index range), then keep the community's grids.
    const naive = async () => {
      const rows = await sql<{ grid: string; n: number }>`select substr(region_code, 1, 15) as grid, count(*) as n from residents group by substr(region_code, 1, 15)`.execute(ctx.db);
      return rows.rows.filter((r) => r.grid.startsWith(COMMUNITY));
    };
    const check = await subject();
    const naiveRows = await naive();
    const same = check.children.every((ch) => Number(naiveRows.find((r) => r.grid === ch.code)?.n ?? 0) === ch.residentCount);
    if (!same) throw new Error('dashboard-grid-counts: service and naive SQL disagree');
    const r = await compare(subject, naive, timing);
    return { ...r, notes: `${check.children.length} grids, ${check.node.residentCount} residents in the community; counts verified equal` };
  }
  if (scenario === 'search-name') {
    const { residents } = ctx.services;
    const q = await commonSurname(ctx);
    const subject = () => residents.list(scope, { node: COMMUNITY, q, pageSize: 20 });
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
    const r = await compare(subject, naive, timing);
    return { ...r, notes: `q="${q}" (name prefix), ${check.total} matches in the community (naive '%q%' matches a superset)` };
  }
  if (scenario === 'sign-in-vs-argon2') {
    const { auth } = ctx.services;
    const u = await ctx.db.selectFrom('users').select('password_hash').where('username', '=', 'worker').executeTakeFirstOrThrow();
    const subject = () => auth.login('worker', DEMO_PASSWORD, { ip: '127.0.0.1', userAgent: 'bench' });
    const argon2Only = async () => {
      if (!(await verifyPassword(u.password_hash, DEMO_PASSWORD))) throw new Error('argon2 verify failed');
    };
    const r = await compare(subject, argon2Only, { rounds: 4, sliceMs: 750, warmup: 3 });
    return { ...r, notes: 'AuthService.login (user look-up, argon2id verify, session insert, audit event) vs the argon2id verify alone; a ratio near 1 means sign-in is dominated by argon2' };
  }
  if (scenario === 'audited-update') {
    const { residents } = ctx.services;
    const ids = (
      await ctx.db.selectFrom('residents').select(['id', 'version']).where('region_code', '>=', COMMUNITY).where('region_code', '<', `${COMMUNITY}:`).orderBy('id').limit(200).execute()
    ).map((r) => ({ id: r.id, version: r.version }));
    const subject = async (i: number) => {
      const row = ids[i % ids.length]!;
      const after = await residents.update(scope, row.id, { version: row.version, notes: `bench ${i}` });
      row.version = after.version;
    };
    let raw: (i: number) => Promise<void>;
    let closeRaw: () => Promise<void>;
    if (target.dialect === 'sqlite') {
      const conn = new Database(target.location);
      applySqlitePragmas(conn);
      const stmt = conn.prepare('update residents set notes = ?, updated_at = ?, version = version + 1 where id = ?');
      raw = async (i) => {
        const row = ids[i % ids.length]!;
        stmt.run(`raw ${i}`, Date.now(), row.id);
        row.version++;
      };
      closeRaw = async () => void conn.close();
    } else {
      const client = new pg.Client({ connectionString: target.location });
      await client.connect();
      raw = async (i) => {
        const row = ids[i % ids.length]!;
        await client.query({ name: 'bench_raw_update', text: 'update residents set notes = $1, updated_at = $2, version = version + 1 where id = $3', values: [`raw ${i}`, Date.now(), row.id] });
        row.version++;
      };
      closeRaw = () => client.end();
    }
    try {
      const r = await compare(subject, raw, timing);
      return { ...r, notes: `${ids.length} residents of the community updated round-robin (notes field); service = read + validate + optimistic update + hash-chained audit event in one transaction, as a community worker` };
    } finally {
      await closeRaw();
    }
  }
  throw new Error(`unknown in-process scenario ${scenario}`);
}

try {
  const result = await run();
  process.send({ ...result, rssMb: maxRssMb() } satisfies InprocResult, () => void ctx.close().then(() => process.exit(0)));
} catch (err) {
  process.send({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1));
}
