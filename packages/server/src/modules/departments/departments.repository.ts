import { ancestorCodes, type Department, type DepartmentKind, type RoutingRule, type WhistleCategory } from '@gridline/shared';
import { sql } from 'kysely';
import type { DepartmentsTable, Executor, WhistleDeadlinesTable, WhistleRoutesTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';

export type DepartmentRow = DepartmentsTable & { node_name: string | null; staff_count: number | string | null };

export function toDepartment(r: DepartmentRow): Department {
  return {
    id: r.id, name: r.name, kind: r.kind as DepartmentKind, nodeCode: r.node_code, nodeName: r.node_name ?? r.node_code,
    dutyContact: r.duty_contact, dutyPhone: r.duty_phone, categories: JSON.parse(r.categories) as WhistleCategory[], active: r.active === 1,
    staffCount: Number(r.staff_count ?? 0), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), version: r.version,
  };
}

/**
 * What a user may see of the registry: departments at their node or below it, and those above it that serve them
 * (a street's worker sees the district's 疾控 as well as the street's 卫健办); never a neighbouring street's.
 */
function visible(scope: Scope, column: string) {
  const above = ancestorCodes(scope.node).filter((c) => c !== scope.node);
  return (eb: { or: (xs: ReturnType<Scope['where']>[]) => ReturnType<Scope['where']> }) =>
    above.length ? eb.or([scope.where(column), sql<boolean>`${sql.ref(column)} in (${sql.join(above)})`]) : scope.where(column);
}

function shown(db: Executor) {
  return db
    .selectFrom('departments as d')
    .leftJoin('region_nodes as n', 'n.code', 'd.node_code')
    .selectAll('d')
    .select(['n.name as node_name', (eb) => eb.selectFrom('users as u').whereRef('u.department_id', '=', 'd.id').where('u.disabled', '=', 0).select((e) => e.fn.countAll<number>().as('c')).as('staff_count')]);
}

export const departmentsRepository = {
  async list(db: Executor, scope: Scope): Promise<DepartmentRow[]> {
    return (await shown(db).where(visible(scope, 'd.node_code')).orderBy('d.node_code').orderBy('d.name').execute()) as DepartmentRow[];
  },

  async shownById(db: Executor, id: string): Promise<DepartmentRow | undefined> {
    return (await shown(db).where('d.id', '=', id).executeTakeFirst()) as DepartmentRow | undefined;
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  byIds(db: Executor, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('departments').selectAll().where('id', 'in', ids).execute();
  },

  /** Whether a department lies where the scope may see it (its node, below, or above on the scope's path). */
  isVisible(scope: Scope, d: Pick<DepartmentsTable, 'node_code'>): boolean {
    return scope.covers(d.node_code) || scope.node.startsWith(d.node_code);
  },

  async insert(db: Executor, row: DepartmentsTable) {
    await db.insertInto('departments').values(row).execute();
  },

  async update(db: Executor, id: string, version: number, patch: Partial<DepartmentsTable>) {
    const res = await db.updateTable('departments').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('GRIDLINE_STALE_VERSION');
  },

  /** The department a user works for (department staff), or null. */
  async departmentOfUser(db: Executor, userId: string | null): Promise<string | null> {
    if (!userId) return null;
    const u = await db.selectFrom('users').select('department_id').where('id', '=', userId).executeTakeFirst();
    return u?.department_id ?? null;
  },

  // ---- routing rules ----

  async routes(db: Executor, scope: Scope): Promise<RoutingRule[]> {
    const rows = await db
      .selectFrom('whistle_routes as r')
      .innerJoin('departments as d', 'd.id', 'r.department_id')
      .leftJoin('region_nodes as n', 'n.code', 'r.node_code')
      .selectAll('r')
      .select(['d.name as department_name', 'n.name as node_name'])
      .where(visible(scope, 'r.node_code'))
      .orderBy('r.category')
      .orderBy('r.node_code')
      .orderBy('r.lead', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id, category: r.category as WhistleCategory, nodeCode: r.node_code, nodeName: r.node_name ?? r.node_code, departmentId: r.department_id,
      departmentName: r.department_name, lead: r.lead === 1, createdAt: Number(r.created_at),
    }));
  },

  routeById(db: Executor, id: string) {
    return db.selectFrom('whistle_routes').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Rules that could apply to a place: those at the place's node or any node above it, to active departments. */
  async rulesCovering(db: Executor, regionCode: string, category: WhistleCategory) {
    return db
      .selectFrom('whistle_routes as r')
      .innerJoin('departments as d', 'd.id', 'r.department_id')
      .select(['r.id', 'r.category', 'r.node_code', 'r.department_id', 'r.lead'])
      .where('r.node_code', 'in', ancestorCodes(regionCode))
      .where('r.category', '=', category)
      .where('d.active', '=', 1)
      .execute();
  },

  async insertRoute(db: Executor, row: WhistleRoutesTable) {
    await db.insertInto('whistle_routes').values(row).execute();
  },

  /** A new lead takes over: the other rules of the same (category, node) stop leading. */
  async clearLead(db: Executor, category: string, nodeCode: string) {
    await db.updateTable('whistle_routes').set({ lead: 0 }).where('category', '=', category).where('node_code', '=', nodeCode).execute();
  },

  async deleteRoute(db: Executor, id: string) {
    await db.deleteFrom('whistle_routes').where('id', '=', id).execute();
  },

  // ---- deadlines ----

  deadlinesCovering(db: Executor, regionCode: string) {
    return db.selectFrom('whistle_deadlines').selectAll().where('node_code', 'in', ancestorCodes(regionCode)).execute();
  },

  allDeadlines(db: Executor) {
    return db.selectFrom('whistle_deadlines').selectAll().execute();
  },

  async upsertDeadline(db: Executor, row: WhistleDeadlinesTable) {
    await db
      .insertInto('whistle_deadlines')
      .values(row)
      .onConflict((oc) => oc.columns(['node_code', 'urgency']).doUpdateSet({ ack_ms: row.ack_ms, resolve_ms: row.resolve_ms, updated_by: row.updated_by, updated_at: row.updated_at }))
      .execute();
  },
};
