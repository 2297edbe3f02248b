import type { DuplicateGroups, MergeResidentBody, Resident, VulnerabilityTag } from '@gridline/shared';
import type { Executor, ResidentsTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { announce } from '../events/event-bus.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff } from '../audit/audit.service.js';
import { usersRepository } from '../users/users.repository.js';
import { residentsRepository, toResident } from './residents.repository.js';
import type { ResidentLinks } from './resident-links.js';
import type { ResidentsDeps } from './residents.service.js';
import { auditView } from './residents.service.js';

/** Candidate keys, strongest first: the same person entered twice usually keeps name, birth date and a number tail. */
const KEYS = [
  { reason: 'same_document' as const, column: 'doc_last4' as const },
  { reason: 'same_name_birth_phone' as const, column: 'phone_last4' as const },
];
const MAX_GROUPS = 100;

export class DuplicatesService {
  constructor(private readonly deps: ResidentsDeps & { links: ResidentLinks }) {}

  /** Groups of likely duplicates under a node: same name and birth date, and the same document or phone tail. */
  async candidates(scope: Scope, requestedNode: string | undefined): Promise<DuplicateGroups> {
    scope.require('resident.read');
    const node = scope.narrow(requestedNode);
    const { db } = this.deps;
    const groups: DuplicateGroups['groups'] = [];
    const seen = new Set<string>();
    for (const key of KEYS) {
      const dupes = await residentsRepository.duplicateKeys(db, scope, node, key.column, MAX_GROUPS);
      for (const d of dupes) {
        const rows = await residentsRepository.withDuplicateKey(db, scope, key.column, d);
        const ids = rows.map((r) => r.id).sort().join(',');
        if (seen.has(ids)) continue;
        seen.add(ids);
        groups.push({ reason: key.reason, residents: rows.map(toResident) });
      }
    }
    return { groups: groups.slice(0, MAX_GROUPS) };
  }

  /**
   * Folds a duplicate into the kept record: fills what the kept record lacks (phone, tags, notes), moves
   * accounts bound to the duplicate, stores the duplicate's full stored row in the merge history and removes
   * it — all in one audited transaction.
   */
  async merge(scope: Scope, keptId: string, body: MergeResidentBody): Promise<Resident> {
    scope.require('resident.write');
    if (keptId === body.duplicateId) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/duplicateId', code: 'same', message: '不能与自身合并' }] });
    }
    const { db, clock, audit } = this.deps;
    const merged = await db.transaction().execute(async (tx) => {
      const kept = await this.inScope(tx, scope, keptId);
      const dup = await this.inScope(tx, scope, body.duplicateId);
      const now = clock.now();
      const tags = [...new Set([...(JSON.parse(kept.tags) as VulnerabilityTag[]), ...(JSON.parse(dup.tags) as VulnerabilityTag[])])].sort();
      const notes = [kept.notes, dup.notes].filter(Boolean).join('；').slice(0, 500);
      const patch: Partial<ResidentsTable> = {
        tags: JSON.stringify(tags),
        notes,
        ...(kept.phone_enc ? {} : { phone_enc: dup.phone_enc, phone_hash: dup.phone_hash, phone_masked: dup.phone_masked, phone_last4: dup.phone_last4 }),
        updated_at: now,
      };
      await tx.insertInto('resident_merges').values({
        id: newId(), kept_id: kept.id, merged_id: dup.id, region_code: kept.region_code, snapshot: JSON.stringify(dup), reason: body.reason,
        merged_by: scope.actor.userId, merged_at: now,
      }).execute();
      await usersRepository.rebindResident(tx, dup.id, kept.id, kept.household_id, kept.region_code, now);
      // Other modules' records (health reports, tasks, scans, visit results, …) follow to the kept resident.
      const relinked = await this.deps.links.reassign(tx, dup.id, kept.id);
      await residentsRepository.delete(tx, dup.id);
      await residentsRepository.update(tx, kept.id, kept.version, patch);
      const after = toResident({ ...kept, ...patch, version: kept.version + 1 });
      await audit.record(tx, scope, {
        action: 'resident.merge', entityType: 'resident', entityId: kept.id, regionCode: kept.region_code, purpose: body.reason,
        diff: { ...auditDiff(auditView(toResident(kept)), auditView(after)), mergedResident: [auditView(toResident(dup)), null], mergedId: [dup.id, null], ...(Object.keys(relinked).length ? { relinked } : {}) },
      });
      return after;
    });
    announce(this.deps.bus, scope, 'resident.changed', merged.regionCode, { action: 'merge', residentId: merged.id, mergedId: body.duplicateId });
    return merged;
  }

  /** Merges folded into a resident, newest first (masked snapshots). */
  async history(scope: Scope, keptId: string) {
    scope.require('resident.read');
    const { db } = this.deps;
    await this.inScope(db, scope, keptId);
    const rows = await db.selectFrom('resident_merges').selectAll().where('kept_id', '=', keptId).orderBy('merged_at', 'desc').execute();
    return rows.map((r) => ({ id: r.id, mergedId: r.merged_id, merged: toResident(JSON.parse(r.snapshot) as ResidentsTable), reason: r.reason, mergedBy: r.merged_by, mergedAt: r.merged_at }));
  }

  private async inScope(db: Executor, scope: Scope, id: string): Promise<ResidentsTable> {
    const row = await residentsRepository.byId(db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.region_code);
    return row;
  }
}
