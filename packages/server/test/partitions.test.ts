/**
 * Event tables are time-partitioned on PostgreSQL (the audit log now): monthly partitions exist ahead of
 * time, rows land in their month, rows outside every month wait in the default partition and move into their
 * month when it is created, and the audit chain is unaffected. SQLite keeps one table and has nothing to do.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMonthlyPartitions, monthStart } from '../src/db/partitions.js';
import { Scope } from '../src/security/scope.js';
import { TEST_DIALECT } from './db.js';
import { createTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: false });
});
afterAll(() => t.close());

async function record(at: number): Promise<number> {
  t.clock.set(at);
  await t.ctx.db.transaction().execute((tx) => t.ctx.services.audit.record(tx, Scope.system('test'), { action: 'test.partition', entityType: 'system' }));
  const last = await t.ctx.db.selectFrom('audit_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
  return Number(last.seq);
}

// One branch per dialect: each run tests what its database does (nothing reported as skipped).
if (TEST_DIALECT === 'postgres') describe('audit log partitions (PostgreSQL)', () => {
  const partitionOf = async (seq: number) =>
    (await sql<{ p: string }>`select tableoid::regclass::text as p from audit_events where seq = ${seq}`.execute(t.ctx.db)).rows[0]?.p.replace(/^.*\./, '');
  const month = (ms: number) => `audit_events_${new Date(ms).toISOString().slice(0, 7).replace('-', '')}`;

  it('is a partitioned table with last month to three months ahead already there', async () => {
    const kind = await sql<{ k: string }>`select relkind as k from pg_class where oid = 'audit_events'::regclass`.execute(t.ctx.db);
    expect(kind.rows[0]!.k).toBe('p');
    const parts = (await sql<{ p: string }>`select inhrelid::regclass::text as p from pg_inherits where inhparent = 'audit_events'::regclass`.execute(t.ctx.db)).rows.map((r) => r.p.replace(/^.*\./, ''));
    for (let m = -1; m <= 3; m++) expect(parts).toContain(month(monthStart(Date.now(), m)));
    expect(parts).toContain('audit_events_default');
  });

  it('puts an event in its month; one beyond every month waits in the default partition and moves when its month is made', async () => {
    const now = await record(Date.now());
    expect(await partitionOf(now)).toBe(month(Date.now()));
    const far = Date.UTC(2031, 5, 15, 8, 0, 0);
    const later = await record(far);
    expect(await partitionOf(later)).toBe('audit_events_default');
    const created = await ensureMonthlyPartitions(t.ctx.db, far, 0, ['audit_events']);
    expect(created).toEqual([month(monthStart(far, -1)), month(far)]);
    expect(await partitionOf(later)).toBe(month(far));
    // Creating is idempotent, and the chain reads as before.
    expect(await ensureMonthlyPartitions(t.ctx.db, far, 0, ['audit_events'])).toEqual([]);
    expect((await t.ctx.services.audit.verify(t.ctx.db)).ok).toBe(true);
  });
});

else describe('audit log on SQLite', () => {
  it('stays one table: there are no partitions to make', async () => {
    expect(await t.ctx.dialect.ensurePartitions(t.ctx.db, Date.now())).toEqual([]);
    await record(Date.UTC(2031, 5, 15));
    expect((await t.ctx.services.audit.verify(t.ctx.db)).ok).toBe(true);
  });
});
