import { sql } from 'kysely';
import type { ResidentLinks } from '../residents/resident-links.js';

/**
 * Health reports, monitoring, follow-up tasks and arrivals follow a merged duplicate to the kept resident.
 * A daily report on a day the kept resident also reported cannot move (one report per resident per day): the
 * kept resident's report stands and the duplicate's is dropped (the merge's audit entry counts it).
 */
export function registerHealthResidentLinks(links: ResidentLinks): void {
  links.register({
    name: 'health_reports',
    async reassign(tx, fromId, toId) {
      const dropped = await tx
        .deleteFrom('health_reports')
        .where('resident_id', '=', fromId)
        .where('day_start', 'in', (eb) => eb.selectFrom('health_reports as k').select('k.day_start').where('k.resident_id', '=', toId))
        .executeTakeFirst();
      const moved = await tx.updateTable('health_reports').set({ resident_id: toId }).where('resident_id', '=', fromId).executeTakeFirst();
      return { moved: Number(moved.numUpdatedRows), dropped: Number(dropped.numDeletedRows) };
    },
  });
  for (const table of ['health_monitoring', 'tasks', 'arrivals'] as const) {
    links.register({
      name: table,
      async reassign(tx, fromId, toId) {
        const res = await sql`update ${sql.table(table)} set resident_id = ${toId} where resident_id = ${fromId}`.execute(tx);
        return { moved: Number(res.numAffectedRows ?? 0n), dropped: 0 };
      },
    });
  }
}
