import { relink, type ResidentLinks } from '../residents/resident-links.js';

/**
 * Health reports, monitoring, follow-up tasks and arrivals follow a merged duplicate to the kept resident.
 * A daily report on a day the kept resident also reported cannot move (one report per resident per day): the
 * kept resident's report stands and the duplicate's is dropped (the merge's audit entry counts it).
 */
export function registerHealthResidentLinks(links: ResidentLinks): void {
  links.register(relink('health_reports', { uniqueWith: 'day_start' }));
  for (const table of ['health_monitoring', 'tasks', 'arrivals']) links.register(relink(table));
}
