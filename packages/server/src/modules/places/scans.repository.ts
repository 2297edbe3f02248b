import type { Insertable } from 'kysely';
import type { Executor, ScansTable, VisitorsTable } from '../../db/schema.js';

export type NewScan = Insertable<ScansTable>;

/** Scans and visitors: plain queries. Reads are always by place or by person within a time range (the indexes). */
export const scansRepository = {
  /**
   * Forgets scans older than `cutoff` (person × place × time is a location trace, sensitive personal data kept
   * only as long as tracing needs it) and the visitors no remaining scan names.
   */
  async purgeBefore(db: Executor, cutoff: number): Promise<{ scans: number; visitors: number }> {
    const scans = await db.deleteFrom('scans').where('at', '<', cutoff).executeTakeFirst();
    const visitors = await db
      .deleteFrom('visitors')
      .where('created_at', '<', cutoff)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('scans').select('scans.id').whereRef('scans.person_id', '=', 'visitors.id').where('scans.person_kind', '=', 'visitor'))))
      .executeTakeFirst();
    return { scans: Number(scans.numDeletedRows), visitors: Number(visitors.numDeletedRows) };
  },

  /** Inserts rows in statements under the parameter limit; returns their ids in order. */
  async insertMany(db: Executor, rows: NewScan[]): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += 1000) {
      const out = await db.insertInto('scans').values(rows.slice(i, i + 1000)).returning('id').execute();
      ids.push(...out.map((r) => Number(r.id)));
    }
    return ids;
  },

  /** The bulk path (device batches): no ids read back. */
  async insertOne(db: Executor, row: NewScan): Promise<number> {
    const out = await db.insertInto('scans').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(out.id);
  },

  /** One place's scans in [from, to), newest first, with the person's name and masked phone. */
  async byPlace(db: Executor, placeId: string, from: number, to: number, page: number, pageSize: number) {
    const base = db.selectFrom('scans').where('scans.place_id', '=', placeId).where('scans.at', '>=', from).where('scans.at', '<', to);
    const [rows, count] = await Promise.all([
      base
        .leftJoin('residents', (j) => j.onRef('residents.id', '=', 'scans.person_id').on('scans.person_kind', '=', 'resident'))
        .leftJoin('visitors', (j) => j.onRef('visitors.id', '=', 'scans.person_id').on('scans.person_kind', '=', 'visitor'))
        .select([
          'scans.id', 'scans.at', 'scans.person_kind', 'scans.source', 'scans.temperature_tenths', 'scans.fever',
          'residents.name as resident_name', 'residents.phone_masked as resident_phone', 'visitors.name as visitor_name', 'visitors.phone_masked as visitor_phone',
        ])
        .orderBy('scans.at', 'desc')
        .orderBy('scans.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  visitorByPhoneHash(db: Executor, phoneHash: string) {
    return db.selectFrom('visitors').selectAll().where('phone_hash', '=', phoneHash).executeTakeFirst();
  },

  async insertVisitor(db: Executor, row: VisitorsTable) {
    await db.insertInto('visitors').values(row).execute();
  },

  async renameVisitor(db: Executor, id: string, name: string, now: number) {
    await db.updateTable('visitors').set({ name, updated_at: now }).where('id', '=', id).execute();
  },
};
