import type { GridlineMigration } from '../migrate.js';

/** Merge history: the folded duplicate's full stored row (still encrypted), who merged it, when and why. */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('resident_merges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kept_id', 'text', (c) => c.notNull().references('residents.id').onDelete('cascade'))
      .addColumn('merged_id', 'text', (c) => c.notNull())
      .addColumn('region_code', d.codeType(), (c) => c.notNull())
      .addColumn('snapshot', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('merged_by', 'text')
      .addColumn('merged_at', d.bigint(), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('resident_merges_kept_idx').on('resident_merges').columns(['kept_id', 'merged_at']).execute();
  },
};
