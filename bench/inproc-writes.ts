/** Write scenarios: the audited service call timed against a raw prepared statement doing the bare write. */
import Database from 'better-sqlite3';
import pg from 'pg';
import { applySqlitePragmas } from '../packages/server/src/db/database.js';
import { SERVING } from '../packages/server/src/bootstrap.js';
import { COMMUNITY } from './env.js';
import { importScenario } from './import-50k.js';
import { TIMING, userScope, type InprocRun } from './inproc-kit.js';
import { scanBatchIngest, scanBatchIngestGates } from './scans.js';
import { compare } from './stats.js';

export const WRITES: Record<string, InprocRun> = {
  'import-50k': importScenario,
  'scan-batch-ingest': scanBatchIngest,
  'scan-batch-ingest-gates': scanBatchIngestGates,

  async 'audited-update'(ctx, target) {
    const scope = await userScope(ctx, 'worker');
    const { residents } = ctx.services;
    const ids = (
      await ctx.db.selectFrom('residents').select(['id', 'version']).where('region_code', '>=', COMMUNITY).where('region_code', '<', `${COMMUNITY}:`).orderBy('id').limit(200).execute()
    ).map((r) => ({ id: r.id, version: r.version }));
    const subject = async (i: number) => {
      const row = ids[i % ids.length]!;
      const after = await residents.update(scope, row.id, { version: row.version, notes: `bench ${i}` });
      row.version = after.version;
    };
    // The baseline writes the same rows the service writes — the resident row and one audit event of the
    // same size — as raw prepared statements in one transaction, without reading, validating or chaining.
    // Its events get negative sequence numbers, so they never become the chain head the service reads.
    const diff = JSON.stringify({ notes: ['bench 0', 'bench 1'] });
    const hash = 'f'.repeat(64);
    const auditCols = 'seq, at, actor_id, actor_name, actor_role, actor_node, action, entity_type, entity_id, region_code, purpose, diff, ip, prev_hash, hash';
    const auditRow = (i: number, id: string, now: number) => [-(i + 1), now, scope.actor.userId, scope.actor.displayName, scope.actor.role, scope.actor.node, 'resident.update', 'resident', id, COMMUNITY, null, diff, null, hash, hash];
    let raw: (i: number) => Promise<void>;
    let closeRaw: () => Promise<void>;
    let rawSeq = 0;
    if (target.dialect === 'sqlite') {
      const conn = new Database(target.location);
      applySqlitePragmas(conn, SERVING);
      const update = conn.prepare('update residents set notes = ?, updated_at = ?, version = version + 1 where id = ?');
      const insert = conn.prepare(`insert into audit_events (${auditCols}) values (${Array(15).fill('?').join(', ')})`);
      const write = conn.transaction((i: number, id: string, now: number) => {
        update.run(`raw ${i}`, now, id);
        insert.run(...auditRow(i, id, now));
      });
      raw = async (i) => {
        const row = ids[i % ids.length]!;
        write(rawSeq++, row.id, Date.now());
        row.version++;
      };
      closeRaw = async () => void conn.close();
    } else {
      const client = new pg.Client({ connectionString: target.location });
      await client.connect();
      raw = async (i) => {
        const row = ids[i % ids.length]!;
        const now = Date.now();
        await client.query('begin');
        await client.query({ name: 'bench_raw_update', text: 'update residents set notes = $1, updated_at = $2, version = version + 1 where id = $3', values: [`raw ${i}`, now, row.id] });
        await client.query({ name: 'bench_raw_audit', text: `insert into audit_events (${auditCols}) values (${Array.from({ length: 15 }, (_, k) => `$${k + 1}`).join(', ')})`, values: auditRow(rawSeq++, row.id, now) });
        await client.query('commit');
        row.version++;
      };
      closeRaw = () => client.end();
    }
    try {
      const r = await compare(subject, raw, TIMING);
      return { ...r, notes: `${ids.length} residents of the community updated round-robin (notes field); service = read + validate + optimistic update + hash-chained audit event in one transaction, as a community worker` };
    } finally {
      await closeRaw();
    }
  },
};
