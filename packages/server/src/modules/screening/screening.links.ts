import type { ResidentLinks } from '../residents/resident-links.js';

/**
 * Visit results follow a merged duplicate to the kept resident. Where one visit recorded both (duplicates are
 * often registered in the same household), the kept resident's answers stand and the duplicate's are dropped.
 */
export function registerScreeningResidentLinks(links: ResidentLinks): void {
  links.register({
    name: 'screening_results',
    async reassign(tx, fromId, toId) {
      const dropped = await tx
        .deleteFrom('screening_results')
        .where('resident_id', '=', fromId)
        .where('visit_id', 'in', (eb) => eb.selectFrom('screening_results as k').select('k.visit_id').where('k.resident_id', '=', toId))
        .executeTakeFirst();
      const moved = await tx.updateTable('screening_results').set({ resident_id: toId }).where('resident_id', '=', fromId).executeTakeFirst();
      return { moved: Number(moved.numUpdatedRows), dropped: Number(dropped.numDeletedRows) };
    },
  });
}
