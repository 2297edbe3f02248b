import type { Updateable } from 'kysely';
import type { Executor, JobsTable, NewJob } from '../../db/schema.js';

export const jobsRepository = {
  async insert(db: Executor, row: NewJob) {
    await db.insertInto('jobs').values(row).execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  },

  recentOfOwner(db: Executor, ownerId: string, limit: number) {
    return db.selectFrom('jobs').selectAll().where('owner_id', '=', ownerId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  },

  /** The oldest queued jobs of the kinds a runner can run: the order they are taken in. */
  queued(db: Executor, kinds: string[], limit: number) {
    return db.selectFrom('jobs').select(['id', 'kind']).where('status', '=', 'queued').where('kind', 'in', kinds).orderBy('created_at').orderBy('id').limit(limit).execute();
  },

  /** Takes a queued job for running; false when another runner took it first (the update matches once). */
  async claim(db: Executor, id: string, runner: string, now: number, wallNow: number): Promise<boolean> {
    const res = await db
      .updateTable('jobs')
      .set((eb) => ({ status: 'running', message: '处理中', started_at: now, updated_at: now, runner, heartbeat_at: wallNow, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async heartbeat(db: Executor, runner: string, wallNow: number) {
    await db.updateTable('jobs').set({ heartbeat_at: wallNow }).where('runner', '=', runner).where('status', '=', 'running').execute();
  },

  async update(db: Executor, id: string, patch: Updateable<Omit<JobsTable, 'id'>>) {
    await db.updateTable('jobs').set(patch).where('id', '=', id).execute();
  },

  /** Finished jobs whose file is older than the cutoff. */
  filesFinishedBefore(db: Executor, cutoff: number) {
    return db.selectFrom('jobs').select(['id', 'file_path']).where('file_path', 'is not', null).where('finished_at', '<', cutoff).execute();
  },

  async forgetFile(db: Executor, id: string) {
    await db.updateTable('jobs').set({ file_path: null }).where('id', '=', id).execute();
  },

  /**
   * Jobs a dead runner left running: they cannot resume mid-way, so they end as failed. With `staleBefore`
   * only those whose heartbeat is older (or missing); without it every running job (the only runner starts).
   */
  async failAbandoned(db: Executor, error: string, now: number, staleBefore: number | null): Promise<number> {
    let q = db.updateTable('jobs').set({ status: 'failed', message: '失败', error, updated_at: now, finished_at: now }).where('status', '=', 'running');
    if (staleBefore !== null) q = q.where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', staleBefore)]));
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows);
  },
};
