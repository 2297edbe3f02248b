import type { GridlineMigration } from '../migrate.js';

/** Background jobs (progress survives a reload) and uploaded import files awaiting a run. */
export const migration: GridlineMigration = {
  async up({ db, dialect: d }) {
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('message', 'text')
      // JSON: what the handler needs (a queue in another process reads it from here) and what it produced.
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('result', 'text')
      .addColumn('error', 'text')
      // JSON snapshot of the enqueuing actor: the job runs with the scope its owner had when submitting it.
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text')
      .addColumn('owner_node', d.codeType(), (c) => c.notNull())
      .addColumn('file_path', 'text')
      .addColumn('file_name', 'text')
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .addColumn('updated_at', d.bigint(), (c) => c.notNull())
      .addColumn('started_at', d.bigint())
      .addColumn('finished_at', d.bigint())
      .execute();
    await db.schema.createIndex('jobs_owner_idx').on('jobs').columns(['owner_id', 'created_at']).execute();
    await db.schema.createIndex('jobs_status_idx').on('jobs').columns(['status', 'created_at']).execute();

    await db.schema
      .createTable('import_files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_id', 'text')
      .addColumn('owner_node', d.codeType(), (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('file_path', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('size', d.bigint(), (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('encoding', 'text', (c) => c.notNull())
      .addColumn('row_count', 'integer', (c) => c.notNull())
      .addColumn('headers', 'text', (c) => c.notNull())
      .addColumn('created_at', d.bigint(), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('import_files_owner_idx').on('import_files').columns(['owner_id', 'created_at']).execute();
  },
};
