import { sql, type CompiledQuery } from 'kysely';
import { CODE_LENGTH, type Resident, type ResidentListQuery, type TotalKind, type VulnerabilityTag } from '@gridline/shared';
import { underNode } from '../../db/dialect.js';
import { residentCountsRepository } from '../regions/resident-counts.repository.js';
import type { Executor, ResidentsTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';

export function toResident(r: ResidentsTable): Resident {
  return {
    id: r.id,
    householdId: r.household_id,
    regionCode: r.region_code,
    name: r.name,
    sex: r.sex as Resident['sex'],
    birthDate: r.birth_date,
    docType: r.doc_type as Resident['docType'],
    docNumberMasked: r.doc_number_masked,
    phoneMasked: r.phone_masked,
    relationToHead: r.relation_to_head as Resident['relationToHead'],
    residenceStatus: r.residence_status as Resident['residenceStatus'],
    tags: JSON.parse(r.tags) as VulnerabilityTag[],
    notes: r.notes,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A search term is read as: 4 digits → last four of phone or document; 11 digits → phone; else a name prefix. */
export type ResidentSearch = { kind: 'last4'; value: string } | { kind: 'phoneHash'; value: string } | { kind: 'docHash'; values: string[] } | { kind: 'name'; value: string };

export const SORT_COLUMNS = { name: 'name', birthDate: 'birth_date', updatedAt: 'updated_at', regionCode: 'region_code' } as const;

/** Beyond this many matches a list reports "10,000+" instead of counting on. */
export const TOTAL_CAP = 10_000;

export const residentsRepository = {
  /** (name, birth date, tail) keys held by more than one resident under a node. */
  duplicateKeys(db: Executor, scope: Scope, node: string, tail: 'doc_last4' | 'phone_last4', limit: number) {
    return db
      .selectFrom('residents')
      .select(['name', 'birth_date', `${tail} as tail`])
      .where(scope.where('residents.region_code'))
      .where(underNode('residents.region_code', node))
      .where(tail, 'is not', null)
      .groupBy(['name', 'birth_date', tail])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .limit(limit)
      .execute();
  },

  withDuplicateKey(db: Executor, scope: Scope, tail: 'doc_last4' | 'phone_last4', key: { name: string; birth_date: string; tail: string | null }) {
    return db
      .selectFrom('residents')
      .selectAll()
      .where(scope.where('residents.region_code'))
      .where('name', '=', key.name)
      .where('birth_date', '=', key.birth_date)
      .where(tail, '=', key.tail)
      .orderBy('created_at')
      .execute();
  },

  byId(db: Executor, id: string) {
    return db.selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirst();
  },

  byDocumentHash(db: Executor, docType: string, hash: string) {
    return db.selectFrom('residents').select(['id', 'region_code']).where('doc_type', '=', docType).where('doc_number_hash', '=', hash).executeTakeFirst();
  },

  byHousehold(db: Executor, householdId: string) {
    return db.selectFrom('residents').selectAll().where('household_id', '=', householdId).orderBy('birth_date').execute();
  },

  async insert(db: Executor, row: ResidentsTable) {
    await db.insertInto('residents').values(row).execute();
    await residentCountsRepository.add(db, [{ regionCode: row.region_code, delta: 1 }]);
    await this.setTags(db, row.id, row.region_code, JSON.parse(row.tags) as string[], false);
  },

  /** Bulk path for demo data and imports: rows and their tag index, in batches under the parameter limit. */
  async insertMany(db: Executor, rows: ResidentsTable[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('residents').values(rows.slice(i, i + 500)).execute();
    await residentCountsRepository.add(db, rows.map((r) => ({ regionCode: r.region_code, delta: 1 })));
    const tags = rows.flatMap((r) => (JSON.parse(r.tags) as string[]).map((tag) => ({ resident_id: r.id, tag, region_code: r.region_code })));
    for (let i = 0; i < tags.length; i += 1000) await db.insertInto('resident_tags').values(tags.slice(i, i + 1000)).execute();
  },

  /** Optimistic update: only applies when the stored version is the one the caller read. */
  async update(db: Executor, id: string, version: number, patch: Partial<ResidentsTable>) {
    // A move changes the counts of the old place and the new one.
    const moved = patch.region_code !== undefined ? await db.selectFrom('residents').select('region_code').where('id', '=', id).where('version', '=', version).executeTakeFirst() : undefined;
    const res = await db.updateTable('residents').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('GRIDLINE_STALE_VERSION');
    if (moved && patch.region_code && moved.region_code !== patch.region_code) {
      await residentCountsRepository.add(db, [{ regionCode: moved.region_code, delta: -1 }, { regionCode: patch.region_code, delta: 1 }]);
    }
    if (patch.tags !== undefined || patch.region_code !== undefined) {
      const row = await this.byId(db, id);
      if (row) await this.setTags(db, id, row.region_code, JSON.parse(row.tags) as string[], true);
    }
  },

  async setTags(db: Executor, residentId: string, regionCode: string, tags: string[], replace: boolean) {
    if (replace) await db.deleteFrom('resident_tags').where('resident_id', '=', residentId).execute();
    if (tags.length) await db.insertInto('resident_tags').values(tags.map((tag) => ({ resident_id: residentId, tag, region_code: regionCode }))).execute();
  },

  async delete(db: Executor, id: string) {
    const gone = await db.deleteFrom('residents').where('id', '=', id).returning('region_code').executeTakeFirst();
    if (gone) await residentCountsRepository.add(db, [{ regionCode: gone.region_code, delta: -1 }]);
  },

  /** Moves every member of a household (and their tag index) to its new code. */
  async recodeHousehold(db: Executor, householdId: string, regionCode: string, now: number) {
    const members = await db.selectFrom('residents').select('region_code').where('household_id', '=', householdId).execute();
    await residentCountsRepository.add(db, members.flatMap((m) => [{ regionCode: m.region_code, delta: -1 }, { regionCode, delta: 1 }]));
    await db
      .updateTable('residents')
      .set((eb) => ({ region_code: regionCode, updated_at: now, version: eb('version', '+', 1) }))
      .where('household_id', '=', householdId)
      .execute();
    await db
      .updateTable('resident_tags')
      .set({ region_code: regionCode })
      .where('resident_id', 'in', (eb) => eb.selectFrom('residents').select('id').where('household_id', '=', householdId))
      .execute();
  },

  /**
   * The scoped, filtered register as a query: the list pages it, exports walk it in keyset batches.
   * Every condition is an index range or an indexed equality.
   */
  filtered(db: Executor, scope: Scope, node: string, q: Omit<ResidentListQuery, 'page' | 'pageSize'>, search: ResidentSearch | undefined, birthRange: { from?: string; to?: string } = {}) {
    let base = db.selectFrom('residents').where(scope.where('residents.region_code'));
    if (node !== scope.node) base = base.where(underNode('residents.region_code', node));
    if (q.residenceStatus) base = base.where('residence_status', '=', q.residenceStatus);
    if (q.tags?.length) {
      const tags = q.tags;
      base = base.where((eb) => eb.exists(eb.selectFrom('resident_tags').select('resident_id').whereRef('resident_tags.resident_id', '=', 'residents.id').where('resident_tags.tag', 'in', tags)));
    }
    if (birthRange.from) base = base.where('birth_date', '>', birthRange.from);
    if (birthRange.to) base = base.where('birth_date', '<=', birthRange.to);
    if (search) {
      if (search.kind === 'last4') base = base.where((eb) => eb.or([eb('doc_last4', '=', search.value), eb('phone_last4', '=', search.value)]));
      else if (search.kind === 'phoneHash') base = base.where('phone_hash', '=', search.value);
      else if (search.kind === 'docHash') base = base.where('doc_number_hash', 'in', search.values);
      else base = base.where('name', 'like', `${search.value.replace(/[%_]/g, '')}%`);
    }
    return base;
  },

  /**
   * The scoped, filtered, paginated register, with a total that never costs more than the page:
   * - unfiltered: the node's maintained count (exact at any scale, no scan);
   * - filtered over a street or more, where the database can estimate (PostgreSQL): the planner's estimate —
   *   an exact count there joins 25k–1M rows with their tags on every page turn (0.1–1 s);
   * - otherwise exact up to `cap`, then "more than": nobody pages through ten thousand people, they narrow.
   */
  async list(
    db: Executor, scope: Scope, node: string, q: ResidentListQuery, search: ResidentSearch | undefined, birthRange: { from?: string; to?: string } = {},
    opts: { cap?: number; estimate?: (db: Executor, query: CompiledQuery) => Promise<number | null> } = {},
  ): Promise<{ items: Resident[]; total: number; totalKind: TotalKind; page: number; pageSize: number }> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const cap = opts.cap ?? TOTAL_CAP;
    const base = this.filtered(db, scope, node, q, search, birthRange);
    const sortColumn = SORT_COLUMNS[q.sort ?? 'regionCode'];
    const order = q.order ?? 'asc';
    const unfiltered = node.length > 0 && !q.residenceStatus && !q.tags?.length && !birthRange.from && !birthRange.to && !search;
    const wide = node.length > 0 && node.length <= CODE_LENGTH.street;
    const total = async (): Promise<{ n: number; kind: TotalKind }> => {
      if (unfiltered) return { n: await residentCountsRepository.of(db, node), kind: 'exact' };
      const matches = base.select(sql<number>`1`.as('one'));
      const estimated = wide && opts.estimate ? await opts.estimate(db, matches.compile()) : null;
      if (estimated !== null) return { n: estimated, kind: 'estimate' };
      const counted = await db.selectFrom(matches.limit(cap + 1).as('capped')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const n = Number(counted.n);
      return n > cap ? { n: cap, kind: 'atLeast' } : { n, kind: 'exact' };
    };
    const [rows, t] = await Promise.all([base.selectAll().orderBy(sortColumn, order).orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute(), total()]);
    return { items: rows.map(toResident), total: t.n, totalKind: t.kind, page, pageSize };
  },
};
