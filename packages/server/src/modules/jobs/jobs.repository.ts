import type { Executor, JobsTable } from '../../db/schema.js';

export const jobsRepository = {
  async insert(db: Executor, row: JobsTable) {
    await db.insertInto('jobs').values(row).execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  },

  recentOfOwner(db: Executor, ownerId: string, limit: number) {
    return db.selectFrom('jobs').selectAll().where('owner_id', '=', ownerId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  },

  /** Oldest first: the order a restarted runner picks queued jobs up again. */
  queued(db: Executor) {
    return db.selectFrom('jobs').select(['id', 'kind']).where('status', '=', 'queued').orderBy('created_at').orderBy('id').execute();
  },

  /** Takes a queued job for running; false when another runner took it first. */
  async claim(db: Executor, id: string, now: number): Promise<boolean> {
    const res = await db.updateTable('jobs').set({ status: 'running', message: '处理中', started_at: now, updated_at: now }).where('id', '=', id).where('status', '=', 'queued').executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async update(db: Executor, id: string, patch: Partial<Omit<JobsTable, 'id'>>) {
    await db.updateTable('jobs').set(patch).where('id', '=', id).execute();
  },

  /** Finished jobs whose file is older than the cutoff. */
  filesFinishedBefore(db: Executor, cutoff: number) {
    return db.selectFrom('jobs').select(['id', 'file_path']).where('file_path', 'is not', null).where('finished_at', '<', cutoff).execute();
  },

  async forgetFile(db: Executor, id: string) {
    await db.updateTable('jobs').set({ file_path: null }).where('id', '=', id).execute();
  },

  /** Jobs a crashed process left running: they cannot resume mid-way, so they end as failed. */
  async failRunning(db: Executor, error: string, now: number): Promise<number> {
    const res = await db.updateTable('jobs').set({ status: 'failed', error, updated_at: now, finished_at: now }).where('status', '=', 'running').executeTakeFirst();
    return Number(res.numUpdatedRows);
  },
};
