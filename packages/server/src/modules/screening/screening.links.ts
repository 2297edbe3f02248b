import { relink, type ResidentLinks } from '../residents/resident-links.js';

/**
 * Visit results follow a merged duplicate to the kept resident. Where one visit recorded both (duplicates are
 * often registered in the same household), the kept resident's answers stand and the duplicate's are dropped.
 */
export function registerScreeningResidentLinks(links: ResidentLinks): void {
  links.register(relink('screening_results', { uniqueWith: 'visit_id' }));
}
