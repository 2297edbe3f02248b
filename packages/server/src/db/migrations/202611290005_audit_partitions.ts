import type { GridlineMigration } from '../migrate.js';

/**
 * The audit log becomes time-partitioned where the dialect partitions event tables (PostgreSQL: by month of
 * `at`, existing events copied over; see db/partitions.ts). SQLite keeps one table.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect }) {
    await dialect.partitionEventTable(db, 'audit_events');
  },
};
