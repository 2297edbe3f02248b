import { ancestorCodes, type RegionLevel } from '@gridline/shared';
import type { Executor, RegionNodesTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';
import { residentCountsRepository } from './resident-counts.repository.js';

export const regionsRepository = {
  byCode(db: Executor, code: string) {
    return db.selectFrom('region_nodes').selectAll().where('code', '=', code).executeTakeFirst();
  },

  children(db: Executor, parentCode: string) {
    return db.selectFrom('region_nodes').selectAll().where('parent_code', '=', parentCode).orderBy('code').execute();
  },

  async insert(db: Executor, row: RegionNodesTable) {
    await db.insertInto('region_nodes').values(row).execute();
  },

  async insertMany(db: Executor, rows: RegionNodesTable[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('region_nodes').values(rows.slice(i, i + 500)).execute();
  },

  async existing(db: Executor, codes: string[]): Promise<string[]> {
    if (!codes.length) return [];
    return (await db.selectFrom('region_nodes').select('code').where('code', 'in', codes).execute()).map((r) => r.code);
  },

  async setGeometry(db: Executor, code: string, geometry: string, now: number) {
    await db.updateTable('region_nodes').set({ geometry, updated_at: now }).where('code', '=', code).execute();
  },

  async rename(db: Executor, code: string, name: string, now: number) {
    await db.updateTable('region_nodes').set({ name, updated_at: now }).where('code', '=', code).execute();
  },

  /** The node and its ancestors, root first; a household code ends with the household itself. */
  async path(db: Executor, code: string): Promise<{ code: string; name: string; level: RegionLevel }[]> {
    const codes = ancestorCodes(code);
    const nodes = await db.selectFrom('region_nodes').select(['code', 'name', 'level']).where('code', 'in', codes).orderBy('code').execute();
    const out = nodes.map((n) => ({ code: n.code, name: n.name, level: n.level as RegionLevel }));
    if (code.length === 24) {
      const h = await db.selectFrom('households').select(['code', 'address']).where('code', '=', code).executeTakeFirst();
      if (h) out.push({ code: h.code, name: h.address, level: 'household' });
    }
    return out;
  },

  /** Residents per child node, from the maintained counts (one index range; the register is not scanned). */
  residentCountsByChild(db: Executor, parentCode: string, childCodeLength: number): Promise<Map<string, number>> {
    return residentCountsRepository.byChild(db, parentCode, childCodeLength);
  },


  /** Direct children per child node (region nodes, or households for units). */
  async childCounts(db: Executor, childCodes: string[], childrenAreUnits: boolean): Promise<Map<string, number>> {
    if (!childCodes.length) return new Map();
    const rows = childrenAreUnits
      ? await db.selectFrom('households').select(['unit_code as parent', (eb) => eb.fn.countAll<number>().as('n')]).where('unit_code', 'in', childCodes).groupBy('unit_code').execute()
      : await db.selectFrom('region_nodes').select(['parent_code as parent', (eb) => eb.fn.countAll<number>().as('n')]).where('parent_code', 'in', childCodes).groupBy('parent_code').execute();
    return new Map(rows.map((r) => [r.parent ?? '', Number(r.n)]));
  },

  searchByName(db: Executor, scope: Scope, text: string, limit: number) {
    return db
      .selectFrom('region_nodes')
      .select(['code', 'name', 'level'])
      .where(scope.where('region_nodes.code'))
      .where('name', 'like', `%${text.replace(/[%_]/g, '')}%`)
      .orderBy('code')
      .limit(limit)
      .execute();
  },

  async isEmpty(db: Executor): Promise<boolean> {
    return !(await db.selectFrom('region_nodes').select('code').limit(1).executeTakeFirst());
  },

  root(db: Executor) {
    return db.selectFrom('region_nodes').selectAll().where('parent_code', 'is', null).orderBy('code').executeTakeFirst();
  },
};
