import { relink, type ResidentLinks } from '../residents/resident-links.js';

/** A merged duplicate's cases follow it to the kept resident. */
export function registerCasesResidentLinks(links: ResidentLinks): void {
  links.register(relink('cases'));
}
