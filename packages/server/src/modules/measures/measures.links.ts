import { relink, type ResidentLinks } from '../residents/resident-links.js';

/** A merged duplicate's isolation orders follow it to the kept resident (the order names the person, not the record). */
export function registerMeasuresResidentLinks(links: ResidentLinks): void {
  links.register(relink('measures'));
}
