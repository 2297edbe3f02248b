import { CODE_LENGTH } from '@gridline/shared';
import { sql } from 'kysely';
import { underNode } from '../../db/dialect.js';
import type { Executor } from '../../db/schema.js';

/** Code lengths of every level (6 district … 24 household): a resident counts toward its code's prefix at each. */
const DEPTHS = [...new Set(Object.values(CODE_LENGTH))].sort((a, b) => a - b);

/**
 * Residents per region node, maintained by the residents repository inside each write's transaction (insert,
 * delete, move, household recode, bulk insert), so a count is never out of step with the register it counts.
 * Deltas are applied in code order, the same lock order for every writer (no deadlocks on PostgreSQL).
 */
export const residentCountsRepository = {
  /** Adds `delta` residents at `regionCode` and every ancestor of it. */
  async add(db: Executor, changes: { regionCode: string; delta: number }[]): Promise<void> {
    const deltas = new Map<string, number>();
    for (const { regionCode, delta } of changes) {
      for (const depth of DEPTHS) {
        if (depth > regionCode.length) break;
        const code = regionCode.slice(0, depth);
        deltas.set(code, (deltas.get(code) ?? 0) + delta);
      }
    }
    const rows = [...deltas].filter(([, d]) => d !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, residents]) => ({ depth: code.length, code, residents }));
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('region_resident_counts')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['depth', 'code']).doUpdateSet({ residents: sql<number>`region_resident_counts.residents + excluded.residents` }))
        .execute();
    }
  },

  /** Residents under each child (codes of `childLength`) of a node: one index range, no scan of the register. */
  async byChild(db: Executor, parentCode: string, childLength: number): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('region_resident_counts')
      .select(['code', 'residents'])
      .where('depth', '=', childLength)
      .where(underNode('code', parentCode))
      .where('residents', '>', 0)
      .execute();
    return new Map(rows.map((r) => [r.code, Number(r.residents)]));
  },

  /** Residents at and under one node. */
  async of(db: Executor, code: string): Promise<number> {
    const row = await db.selectFrom('region_resident_counts').select('residents').where('depth', '=', code.length).where('code', '=', code).executeTakeFirst();
    return Number(row?.residents ?? 0);
  },

  /** Residents under each of these nodes (a code names its depth): one query for a list's worth. */
  async ofMany(db: Executor, codes: readonly string[]): Promise<Map<string, number>> {
    if (!codes.length) return new Map();
    const rows = await db.selectFrom('region_resident_counts').select(['code', 'residents']).where('code', 'in', [...codes]).execute();
    return new Map(rows.map((r) => [r.code, Number(r.residents)]));
  },
};

/** Rebuilds every count from the register (the migration that adds the table; after a logical import). */
export async function recomputeResidentCounts(db: Executor): Promise<void> {
  await db.deleteFrom('region_resident_counts').execute();
  for (const depth of DEPTHS) {
    await sql`insert into region_resident_counts (depth, code, residents)
      select ${sql.lit(depth)}, substr(region_code, 1, ${sql.lit(depth)}), count(*) from residents
      where length(region_code) >= ${sql.lit(depth)} group by substr(region_code, 1, ${sql.lit(depth)})`.execute(db);
  }
}
