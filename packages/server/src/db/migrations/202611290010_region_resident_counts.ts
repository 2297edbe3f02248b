import type { GridlineMigration } from '../migrate.js';
import { recomputeResidentCounts } from '../../modules/regions/resident-counts.repository.js';

/**
 * Residents per region node, kept up to date in the same transaction as every resident write (see
 * resident-counts.repository.ts): dashboards and the region tree read counts per child instead of grouping
 * the register — at district scale (a million residents) the grouping alone took ~200 ms. Keyed by
 * (code length, code) so "the children of a node" is one index range.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('region_resident_counts')
      .addColumn('depth', 'integer', (c) => c.notNull())
      .addColumn('code', d.codeType(), (c) => c.notNull())
      .addColumn('residents', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('region_resident_counts_pk', ['depth', 'code'])
      .execute();
    await recomputeResidentCounts(db);
  },
};
