import { sql } from 'kysely';
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

  /** A unit's households with member counts, head and vulnerable members (empty households included). */
  inUnit(db: Executor, unitCode: string) {
    return db
      .selectFrom('households as h')
      .leftJoin('residents as r', 'r.household_id', 'h.id')
      .select([
        'h.id', 'h.code', 'h.room', 'h.address',
        (eb) => eb.fn.count<number>('r.id').as('members'),
        sql<string | null>`max(case when r.relation_to_head = 'head' then r.name end)`.as('head'),
        sql<number>`sum(case when r.tags <> '[]' then 1 else 0 end)`.as('vulnerable'),
      ])
      .where('h.unit_code', '=', unitCode)
      .groupBy(['h.id', 'h.code', 'h.room', 'h.address'])
      .orderBy('h.code')
      .execute();
  },

  moves(db: Executor, householdId: string) {
    return db.selectFrom('household_moves').selectAll().where('household_id', '=', householdId).orderBy('moved_at', 'desc').execute();
  },
};
