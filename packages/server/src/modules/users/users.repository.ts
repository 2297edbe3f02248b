import type { User, UserListQuery } from '@gridline/shared';
import type { Role } from '@gridline/shared';
import type { Executor, UsersTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

export function toUser(r: UsersTable): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    nodeCode: r.node_code,
    householdId: r.household_id,
    residentId: r.resident_id,
    disabled: r.disabled === 1,
    mustChangePassword: r.must_change_password === 1,
    lastLoginAt: r.last_login_at,
    departmentId: r.department_id ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const usersRepository = {
  byUsername(db: Executor, username: string) {
    return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async insert(db: Executor, row: UsersTable) {
    await db.insertInto('users').values(row).execute();
  },

  async update(db: Executor, id: string, patch: Partial<UsersTable>) {
    await db.updateTable('users').set(patch).where('id', '=', id).execute();
  },

  async list(db: Executor, scope: Scope, q: UserListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let base = db.selectFrom('users').where(scope.where('users.node_code'));
    if (q.role) base = base.where('role', '=', q.role);
    if (q.q) base = base.where((eb) => eb.or([eb('username', 'like', `${q.q}%`), eb('display_name', 'like', `${q.q}%`)]));
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('username').limit(pageSize).offset((page - 1) * pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toUser), total: Number(count.n), page, pageSize };
  },

  /** A resident removed from the register loses their account: disabled, unbound, signed out. Returns the ids. */
  async disableForResident(db: Executor, residentId: string, now: number): Promise<string[]> {
    const rows = await db.selectFrom('users').select('id').where('resident_id', '=', residentId).execute();
    if (rows.length) {
      const ids = rows.map((r) => r.id);
      await db.updateTable('users').set({ disabled: 1, resident_id: null, household_id: null, updated_at: now }).where('id', 'in', ids).execute();
      await db.deleteFrom('sessions').where('user_id', 'in', ids).execute();
    }
    return rows.map((r) => r.id);
  },

  /** A merged duplicate's account now belongs to the kept record (and its household). */
  async rebindResident(db: Executor, fromResidentId: string, toResidentId: string, householdId: string, nodeCode: string, now: number) {
    await db
      .updateTable('users')
      .set({ resident_id: toResidentId, household_id: householdId, node_code: nodeCode, updated_at: now })
      .where('resident_id', '=', fromResidentId)
      .execute();
  },

  /** Residents' accounts are bound to a household; moving the household moves their node. */
  async rebindHousehold(db: Executor, householdId: string, nodeCode: string, now: number) {
    await db.updateTable('users').set({ node_code: nodeCode, updated_at: now }).where('household_id', '=', householdId).execute();
  },
};
