import type { GridlineMigration } from '../migrate.js';

/**
 * Several instances on one database: a job records which runner claimed it, how many times it was claimed
 * (exactly once is the rule; the column makes it checkable) and a wall-clock heartbeat, so an instance that
 * starts fails only the jobs whose runner stopped beating — not the ones another live instance is running.
 * `schedule_runs` lets every instance tick a schedule while only the first to claim a slot runs it.
 */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema.alterTable('jobs').addColumn('runner', 'text').execute();
    await db.schema.alterTable('jobs').addColumn('heartbeat_at', d.bigint()).execute();
    await db.schema.alterTable('jobs').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema
      .createTable('schedule_runs')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('slot', d.bigint(), (c) => c.notNull())
      .addColumn('runner', 'text', (c) => c.notNull())
      .addColumn('started_at', d.bigint(), (c) => c.notNull())
      .addPrimaryKeyConstraint('schedule_runs_pk', ['name', 'slot'])
      .execute();
  },
};
