import { DEFAULT_PASSAGE_RULES, placeUrl, type PassageRules, type Place, type PlaceKind, type PlaceListQuery } from '@gridline/shared';
import { sql } from 'kysely';
import { underNode } from '../../db/dialect.js';
import type { Executor, PlacesTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

export function passageRulesOf(row: Pick<PlacesTable, 'passage_rules'>): PassageRules {
  return { ...DEFAULT_PASSAGE_RULES, ...(JSON.parse(row.passage_rules) as Partial<PassageRules>) };
}

export function toPlace(r: PlacesTable, publicUrl: string): Place {
  return {
    id: r.id,
    code: r.code,
    url: placeUrl(publicUrl, r.code),
    kind: r.kind as PlaceKind,
    name: r.name,
    address: r.address,
    regionCode: r.region_code,
    lat: r.lat,
    lng: r.lng,
    checkpoint: r.checkpoint === 1,
    passageRules: passageRulesOf(r),
    active: r.active === 1,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export const placesRepository = {
  byId(db: Executor, id: string) {
    return db.selectFrom('places').selectAll().where('id', '=', id).executeTakeFirst();
  },

  byCode(db: Executor, code: string) {
    return db.selectFrom('places').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async insert(db: Executor, row: PlacesTable) {
    await db.insertInto('places').values(row).execute();
  },

  /** Optimistic update: true when the row still had `version` (and now has version + 1). */
  async update(db: Executor, id: string, version: number, patch: Partial<PlacesTable>): Promise<boolean> {
    const r = await db
      .updateTable('places')
      .set({ ...patch, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  filtered(db: Executor, scope: Scope, node: string, q: Omit<PlaceListQuery, 'page' | 'pageSize'>) {
    let query = db.selectFrom('places').where(scope.where('places.region_code')).where(underNode('places.region_code', node));
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.checkpoint !== undefined) query = query.where('checkpoint', '=', q.checkpoint ? 1 : 0);
    if (q.active !== undefined) query = query.where('active', '=', q.active ? 1 : 0);
    // LIKE wildcards typed by the user are dropped rather than escaped (escaping differs between the databases).
    const text = q.q?.replace(/[\\%_]/g, '').trim();
    if (text) {
      const like = `%${text}%`;
      query = query.where((eb) => eb.or([eb('name', 'like', like), eb('address', 'like', like)]));
    }
    return query;
  },

  async list(db: Executor, scope: Scope, node: string, q: PlaceListQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const base = this.filtered(db, scope, node, q);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('region_code').orderBy('name').orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n), page, pageSize };
  },

  /** Active checkpoints under the caller's node (what checkpoint staff may pick). */
  checkpoints(db: Executor, scope: Scope) {
    return db
      .selectFrom('places')
      .selectAll()
      .where(scope.where('places.region_code'))
      .where('checkpoint', '=', 1)
      .where('active', '=', 1)
      .orderBy('region_code')
      .orderBy('name')
      .limit(500)
      .execute();
  },

  /** Active places under the caller's node, id and name only (device binding). */
  pickList(db: Executor, scope: Scope) {
    return db
      .selectFrom('places')
      .select(['id', 'name', 'region_code'])
      .where(scope.where('places.region_code'))
      .where('active', '=', 1)
      .orderBy('region_code')
      .orderBy('name')
      .limit(1000)
      .execute();
  },
};
