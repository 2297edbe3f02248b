import { EXEMPTION_CATEGORY_LABELS, maskName, type Exemption, type ExemptionCategory, type ExemptionListQuery } from '@gridline/shared';
import { underNode } from '../../db/dialect.js';
import type { Executor, PassageExemptionsTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

export function toExemption(r: PassageExemptionsTable & { resident_name: string | null }, now: number): Exemption {
  return {
    id: r.id,
    residentId: r.resident_id,
    residentMasked: r.resident_name ? maskName(r.resident_name) : '',
    regionCode: r.region_code,
    category: r.category as ExemptionCategory,
    reason: r.reason,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    approvedByName: r.approved_by_name,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    revokeReason: r.revoke_reason,
    active: r.revoked_at === null && r.valid_from <= now && now < r.valid_until,
  };
}

/** `12月3日 18:00` in Beijing time: how an exemption's end reads at the gate. */
export function shanghaiShort(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

export function categoryLabel(category: string): string {
  return EXEMPTION_CATEGORY_LABELS[category as ExemptionCategory]?.zh ?? category;
}

export const exemptionsRepository = {
  async insert(db: Executor, row: PassageExemptionsTable) {
    await db.insertInto('passage_exemptions').values(row).execute();
  },

  byId(db: Executor, id: string) {
    return db
      .selectFrom('passage_exemptions')
      .leftJoin('residents', 'residents.id', 'passage_exemptions.resident_id')
      .selectAll('passage_exemptions')
      .select('residents.name as resident_name')
      .where('passage_exemptions.id', '=', id)
      .executeTakeFirst();
  },

  /** Exemptions of one resident in force at `at` (begun, not ended, not revoked). */
  inForce(db: Executor, residentId: string, at: number) {
    return db
      .selectFrom('passage_exemptions')
      .selectAll()
      .where('resident_id', '=', residentId)
      .where('valid_until', '>', at)
      .where('valid_from', '<=', at)
      .where('revoked_at', 'is', null)
      .orderBy('valid_until', 'desc')
      .execute();
  },

  async list(db: Executor, scope: Scope, node: string, q: ExemptionListQuery, now: number) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let base = db
      .selectFrom('passage_exemptions')
      .where(scope.where('passage_exemptions.region_code'))
      .where(underNode('passage_exemptions.region_code', node));
    if (q.residentId) base = base.where('passage_exemptions.resident_id', '=', q.residentId);
    if (q.activeOnly) base = base.where('revoked_at', 'is', null).where('valid_until', '>', now).where('valid_from', '<=', now);
    const [rows, count] = await Promise.all([
      base
        .leftJoin('residents', 'residents.id', 'passage_exemptions.resident_id')
        .selectAll('passage_exemptions')
        .select('residents.name as resident_name')
        .orderBy('passage_exemptions.created_at', 'desc')
        .orderBy('passage_exemptions.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map((r) => toExemption(r, now)), total: Number(count.n), page, pageSize };
  },

  async revoke(db: Executor, id: string, by: string | null, reason: string, at: number) {
    await db.updateTable('passage_exemptions').set({ revoked_at: at, revoked_by: by, revoke_reason: reason }).where('id', '=', id).execute();
  },
};
