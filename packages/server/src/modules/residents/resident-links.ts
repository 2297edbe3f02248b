import { sql } from 'kysely';
import type { Executor } from '../../db/schema.js';

/** A module's records that point at a resident (health reports, tasks, scans, visit results, …). */
export interface ResidentLink {
  /** What the records are, as the merge's audit entry names them, e.g. 'health_reports'. */
  name: string;
  /**
   * Re-points the records of `fromId` to `toId` inside the merge's transaction. Records that cannot move
   * (e.g. a daily report on a day the kept resident also reported) are dropped and counted as `dropped`.
   */
  reassign(tx: Executor, fromId: string, toId: string): Promise<{ moved: number; dropped: number }>;
}

/**
 * Merging duplicate residents folds one record into the other; every module whose records point at
 * residents registers how to re-point them, so a merge never loses them and never fails on them (their
 * foreign keys refuse deleting a resident who still has records, by design).
 */
export class ResidentLinks {
  private readonly links: ResidentLink[] = [];

  register(link: ResidentLink): void {
    if (this.links.some((l) => l.name === link.name)) throw new Error(`Resident link ${link.name} is already registered`);
    this.links.push(link);
  }

  async reassign(tx: Executor, fromId: string, toId: string): Promise<Record<string, { moved: number; dropped: number }>> {
    const out: Record<string, { moved: number; dropped: number }> = {};
    for (const l of this.links) {
      const r = await l.reassign(tx, fromId, toId);
      if (r.moved || r.dropped) out[l.name] = r;
    }
    return out;
  }
}

/**
 * The usual link: re-point `column` of `table` from the duplicate to the kept resident. With `uniqueWith`, rows
 * that would collide with a row the kept resident already has (same value there, e.g. the same day or visit)
 * are dropped first: the kept resident's row stands.
 */
export function relink(table: string, opts: { column?: string; uniqueWith?: string; where?: ReturnType<typeof sql> } = {}): ResidentLink {
  const col = sql.ref(opts.column ?? 'resident_id');
  const extra = opts.where ? sql`and ${opts.where}` : sql``;
  return {
    name: table,
    async reassign(tx, fromId, toId) {
      let dropped = 0;
      if (opts.uniqueWith) {
        const u = sql.ref(opts.uniqueWith);
        const res = await sql`delete from ${sql.table(table)} where ${col} = ${fromId} ${extra} and ${u} in (select ${u} from ${sql.table(table)} where ${col} = ${toId})`.execute(tx);
        dropped = Number(res.numAffectedRows ?? 0n);
      }
      const res = await sql`update ${sql.table(table)} set ${col} = ${toId} where ${col} = ${fromId} ${extra}`.execute(tx);
      return { moved: Number(res.numAffectedRows ?? 0n), dropped };
    },
  };
}
