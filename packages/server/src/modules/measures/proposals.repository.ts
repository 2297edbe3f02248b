import type { Executor } from '../../db/schema.js';

/** What measure proposals read of measures: plain queries in lists of 500 (long IN lists plan badly). */
export const proposalsRepository = {
  /** Contacts (by id) from which a measure was already taken — pending, in force or ended; a refused one does not count. */
  async takenContacts(db: Executor, contactIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < contactIds.length; i += 500) {
      const rows = await db
        .selectFrom('measures')
        .select('source_id')
        .where('source_type', '=', 'contact')
        .where('source_id', 'in', contactIds.slice(i, i + 500))
        .where('status', '!=', 'refused')
        .execute();
      for (const r of rows) if (r.source_id) out.add(r.source_id);
    }
    return out;
  },

  /** Each resident's person measure awaiting approval or in force at `at` (whatever its source), the latest ending first. */
  async liveByResident(db: Executor, residentIds: readonly string[], at: number) {
    const out = new Map<string, { kind: string; status: string; end: number }>();
    for (let i = 0; i < residentIds.length; i += 500) {
      const rows = await db
        .selectFrom('measures')
        .select(['resident_id', 'kind', 'status', 'planned_end_at', 'ended_at'])
        .where('resident_id', 'in', residentIds.slice(i, i + 500))
        .where('kind', '!=', 'area_control')
        .where((eb) =>
          eb.or([
            eb('status', '=', 'pending'),
            eb.and([eb('status', '=', 'active'), eb('start_at', '<=', at), eb(eb.fn.coalesce('ended_at', 'planned_end_at'), '>', at)]),
          ]),
        )
        .orderBy('planned_end_at', 'desc')
        .execute();
      for (const r of rows) {
        if (r.resident_id && !out.has(r.resident_id)) out.set(r.resident_id, { kind: r.kind, status: r.status, end: Number(r.ended_at ?? r.planned_end_at) });
      }
    }
    return out;
  },

  /** Case numbers by id (the list shows which case a contact belongs to). */
  async caseNumbers(db: Executor, caseIds: readonly string[]): Promise<Map<string, string>> {
    if (!caseIds.length) return new Map();
    const rows = await db.selectFrom('cases').select(['id', 'case_no']).where('id', 'in', [...caseIds]).execute();
    return new Map(rows.map((r) => [r.id, r.case_no]));
  },
};
