import type { Executor, HouseholdMovesTable, HouseholdsTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

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

  /** Households whose address contains the text, under the caller's node, with their member counts. */
  searchByAddress(db: Executor, scope: Scope, text: string, limit: number) {
    return db
      .selectFrom('households')
      .select(['households.id', 'households.code', 'households.address', (eb) => eb.selectFrom('residents').select((e) => e.fn.countAll<number>().as('n')).whereRef('residents.household_id', '=', 'households.id').as('members')])
      .where(scope.where('households.code'))
      .where('households.address', 'like', `%${text.replace(/[%_]/g, '')}%`)
      .orderBy('households.code')
      .limit(limit)
      .execute();
  },

  moves(db: Executor, householdId: string) {
    return db.selectFrom('household_moves').selectAll().where('household_id', '=', householdId).orderBy('moved_at', 'desc').execute();
  },
};
