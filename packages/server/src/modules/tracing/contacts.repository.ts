import type { Contact, ContactEvidence, ContactCategory, ContactSource, ContactStatus } from '@gridline/shared';
import { underNode } from '../../db/dialect.js';
import type { ContactsTable, Executor } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';
import { gridOf } from '../tasks/tasks.repository.js';

/** A contact row with its address (the household's, for residents). */
export type ContactRow = ContactsTable & { address: string | null; resident_phone: string | null };

export function toContact(r: ContactRow): Contact {
  return {
    id: r.id, caseId: r.case_id, category: r.category as ContactCategory, source: r.source as ContactSource, status: r.status as ContactStatus,
    residentId: r.resident_id, personName: r.person_name, phoneMasked: r.resident_id ? r.resident_phone : r.phone_masked,
    regionCode: r.region_code, gridCode: gridOf(r.region_code), address: r.address ?? '', relation: r.relation, viaContactId: r.via_contact_id,
    exposureAt: Number(r.exposure_at), evidence: JSON.parse(r.evidence) as ContactEvidence[], protocolId: r.protocol_id,
    decidedBy: r.decided_by, decidedAt: r.decided_at === null ? null : Number(r.decided_at), notifiedAt: r.notified_at === null ? null : Number(r.notified_at),
    taskId: r.task_id, version: r.version,
  };
}

function shown(db: Executor) {
  return db
    .selectFrom('contacts as k')
    .leftJoin('residents as r', 'r.id', 'k.resident_id')
    .leftJoin('households as h', 'h.id', 'r.household_id')
    .selectAll('k')
    .select(['h.address as address', 'r.phone_masked as resident_phone']);
}

/** Contacts: plain queries. Scoped lists filter on the contact's own node (its household's, or the case's). */
export const contactsRepository = {
  async byCase(db: Executor, caseId: string, scope: Scope): Promise<ContactRow[]> {
    return (await shown(db).where('k.case_id', '=', caseId).where(scope.where('k.region_code')).orderBy('k.category').orderBy('k.exposure_at', 'desc').orderBy('k.id').execute()) as ContactRow[];
  },

  /** Every contact of a case, unscoped (the trace merges into them; callers show only what is in scope). */
  allOfCase(db: Executor, caseId: string) {
    return db.selectFrom('contacts').selectAll().where('case_id', '=', caseId).execute();
  },

  async countElsewhere(db: Executor, caseId: string, scope: Scope): Promise<number> {
    const row = await db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('case_id', '=', caseId)
      .where((eb) => eb.not(scope.where('region_code')))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  byIds(db: Executor, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([] as ContactsTable[]);
    return db.selectFrom('contacts').selectAll().where('id', 'in', [...ids]).execute();
  },

  async shownByIds(db: Executor, ids: readonly string[]): Promise<ContactRow[]> {
    if (!ids.length) return [];
    return (await shown(db).where('k.id', 'in', [...ids]).execute()) as ContactRow[];
  },

  async insertMany(db: Executor, rows: ContactsTable[]) {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('contacts').values(rows.slice(i, i + 500)).execute();
  },

  async update(db: Executor, id: string, patch: Partial<ContactsTable>) {
    await db.updateTable('contacts').set(patch).where('id', '=', id).execute();
  },

  /** Confirmed contacts under a node (grid workers' follow-up, the measures issue), newest exposure first. */
  async confirmed(db: Executor, scope: Scope, node: string, opts: { since?: number; page: number; pageSize: number }) {
    let base = db.selectFrom('contacts as k').where(scope.where('k.region_code')).where('k.status', '=', 'confirmed');
    if (node !== scope.node) base = base.where(underNode('k.region_code', node));
    if (opts.since !== undefined) base = base.where('k.exposure_at', '>=', opts.since);
    const [rows, count] = await Promise.all([
      base
        .leftJoin('residents as r', 'r.id', 'k.resident_id')
        .leftJoin('households as h', 'h.id', 'r.household_id')
        .selectAll('k')
        .select(['h.address as address', 'r.phone_masked as resident_phone'])
        .orderBy('k.exposure_at', 'desc')
        .orderBy('k.id')
        .limit(opts.pageSize)
        .offset((opts.page - 1) * opts.pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as ContactRow[], total: Number(count.n) };
  },

  /** The figures of the 24-hour clock per case: contacts' statuses and times (unscoped: the case is in scope). */
  clockRows(db: Executor, caseIds: readonly string[]) {
    if (!caseIds.length) return Promise.resolve([] as Pick<ContactsTable, 'case_id' | 'status' | 'decided_at' | 'notified_at'>[]);
    return db.selectFrom('contacts').select(['case_id', 'status', 'decided_at', 'notified_at']).where('case_id', 'in', [...caseIds]).where('status', '=', 'confirmed').execute();
  },

  /** What the chain graph needs of every contact under a node: small rows, no personal data beyond the name. */
  graphRows(db: Executor, scope: Scope, node: string) {
    let q = db
      .selectFrom('contacts')
      .select(['id', 'case_id', 'resident_id', 'person_key', 'person_name', 'category', 'source', 'status', 'via_contact_id', 'exposure_at', 'evidence'])
      .where(scope.where('region_code'))
      .where('status', '!=', 'rejected');
    if (node !== scope.node) q = q.where(underNode('region_code', node));
    return q.execute();
  },
};

/**
 * One query per chunk of `items`, all sent at once: PostgreSQL's pool runs them side by side (a large trace reads
 * thousands of people in a dozen lists), SQLite's one connection takes them in turn; results in chunk order.
 */
async function inChunks<I, R>(items: readonly I[], size: number, query: (chunk: I[]) => Promise<R[]>): Promise<R[]> {
  const chunks: I[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return (await Promise.all(chunks.map(query))).flat();
}

/** What a trace reads besides contacts (read only): the scans, and who the people in them are. */
export const traceReads = {
  /** One person's scans in [from, to) (the scans_person_at index). */
  personScans(db: Executor, personKind: string, personId: string, from: number, to: number) {
    return db.selectFrom('scans').select(['place_id', 'at']).where('person_id', '=', personId).where('person_kind', '=', personKind).where('at', '>=', from).where('at', '<', to).execute();
  },

  /** Everyone's scans in the given place/time ranges (the scans_place_at index, one range each). */
  scansInRanges(db: Executor, ranges: readonly { placeId: string; from: number; to: number }[]) {
    return inChunks(ranges, 100, (chunk) =>
      db
        .selectFrom('scans')
        .select(['place_id', 'at', 'person_kind', 'person_id'])
        .where((eb) => eb.or(chunk.map((r) => eb.and([eb('place_id', '=', r.placeId), eb('at', '>=', r.from), eb('at', '<', r.to)]))))
        .execute(),
    );
  },

  /** Residents by id, in lists of 500 (a trace may name thousands; long IN lists plan badly). */
  residents(db: Executor, ids: readonly string[]) {
    return inChunks(ids, 500, (chunk) => db.selectFrom('residents').select(['id', 'name', 'household_id', 'region_code']).where('id', 'in', chunk).execute());
  },

  /** Everyone living in these households (the residents_household index), in lists of 500. */
  householdMembers(db: Executor, householdIds: readonly string[]) {
    return inChunks(householdIds, 500, (chunk) => db.selectFrom('residents').select(['id', 'name', 'household_id', 'region_code']).where('household_id', 'in', chunk).execute());
  },

  households(db: Executor, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('households').select(['id', 'address']).where('id', 'in', [...ids]).execute();
  },

  visitors(db: Executor, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('visitors').select(['id', 'name', 'phone_enc', 'phone_hash', 'phone_masked']).where('id', 'in', [...ids]).execute();
  },

  visitorByPhoneHash(db: Executor, hash: string) {
    return db.selectFrom('visitors').select(['id']).where('phone_hash', '=', hash).executeTakeFirst();
  },

  places(db: Executor, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('places').select(['id', 'name', 'address']).where('id', 'in', [...ids]).execute();
  },
};
