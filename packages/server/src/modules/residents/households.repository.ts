import type { Executor, HouseholdMovesTable, HouseholdsTable } from '../../db/schema.js';

export const householdsRepository = {
  byId(db: Executor, id: string) {
    return db.selectFrom('households').selectAll().where('id', '=', id).executeTakeFirst();
  },

  byCode(db: Executor, code: string) {
    return db.selectFrom('households').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async insert(db: Executor, row: HouseholdsTable) {
    await db.insertInto('households').values(row).execute();
  },

  async insertMany(db: Executor, rows: HouseholdsTable[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('households').values(rows.slice(i, i + 500)).execute();
  },

  async relocate(db: Executor, id: string, patch: Pick<HouseholdsTable, 'code' | 'unit_code' | 'room' | 'address' | 'updated_at'>) {
    await db.updateTable('households').set(patch).where('id', '=', id).execute();
  },

  async insertMove(db: Executor, row: HouseholdMovesTable) {
    await db.insertInto('household_moves').values(row).execute();
  },

  moves(db: Executor, householdId: string) {
    return db.selectFrom('household_moves').selectAll().where('household_id', '=', householdId).orderBy('moved_at', 'desc').execute();
  },
};
