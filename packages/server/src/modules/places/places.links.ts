import { sql } from 'kysely';
import { relink, type ResidentLinks } from '../residents/resident-links.js';

/** A merged duplicate's scans, checkpoint decisions and exemptions follow to the kept resident (tracing needs them whole). */
export function registerPlacesResidentLinks(links: ResidentLinks): void {
  links.register(relink('scans', { column: 'person_id', where: sql`person_kind = 'resident'` }));
  links.register(relink('checkpoint_decisions'));
  links.register(relink('passage_exemptions'));
}
