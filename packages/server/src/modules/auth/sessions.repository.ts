import type { Executor, SessionsTable } from '../../db/schema.js';

export const sessionsRepository = {
  async insert(db: Executor, row: SessionsTable) {
    await db.insertInto('sessions').values(row).execute();
  },

  /** The session and its user in one query (runs on every authenticated request). */
  withUser(db: Executor, id: string) {
    return db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id as session_id', 'sessions.last_seen_at', 'sessions.expires_at', 'users.id as user_id', 'users.username',
        'users.display_name', 'users.role', 'users.node_code', 'users.household_id', 'users.resident_id', 'users.disabled', 'users.must_change_password',
      ])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
  },

  async touch(db: Executor, id: string, now: number) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
  },

  async delete(db: Executor, id: string) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  },

  async deleteForUser(db: Executor, userId: string, exceptId?: string) {
    let q = db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    await q.execute();
  },

  async deleteExpired(db: Executor, now: number, idleBefore: number) {
    await db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', idleBefore)])).execute();
  },
};
