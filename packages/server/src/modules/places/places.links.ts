import { sql } from 'kysely';
import type { ResidentLinks } from '../residents/resident-links.js';

/** A merged duplicate's scans, checkpoint decisions and exemptions follow to the kept resident (tracing needs them whole). */
export function registerPlacesResidentLinks(links: ResidentLinks): void {
  const move = (name: string, statement: (fromId: string, toId: string) => ReturnType<typeof sql>) =>
    links.register({
      name,
      async reassign(tx, fromId, toId) {
        const res = await statement(fromId, toId).execute(tx);
        return { moved: Number(res.numAffectedRows ?? 0n), dropped: 0 };
      },
    });
  move('scans', (from, to) => sql`update scans set person_id = ${to} where person_kind = 'resident' and person_id = ${from}`);
  move('checkpoint_decisions', (from, to) => sql`update checkpoint_decisions set resident_id = ${to} where resident_id = ${from}`);
  move('passage_exemptions', (from, to) => sql`update passage_exemptions set resident_id = ${to} where resident_id = ${from}`);
}
