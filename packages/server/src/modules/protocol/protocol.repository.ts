import type { Executor, ProtocolVersionsTable } from '../../db/schema.js';

/** Protocol versions: inserted, never updated (editing makes a new version). */
export const protocolRepository = {
  all(db: Executor) {
    return db.selectFrom('protocol_versions').selectAll().orderBy('effective_from').orderBy('created_at').execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('protocol_versions').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insert(db: Executor, row: ProtocolVersionsTable) {
    await db.insertInto('protocol_versions').values(row).execute();
  },
};
