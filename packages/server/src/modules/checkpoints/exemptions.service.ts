import { EXEMPTION_CATEGORY_RULES, EXEMPTION_MAX_DAYS, maskName, type CreateExemptionBody, type Exemption, type ExemptionListQuery } from '@gridline/shared';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import { residentsRepository } from '../residents/residents.repository.js';
import type { PassageCheck } from './passage-checks.js';
import { categoryLabel, exemptionsRepository, shanghaiShort, toExemption } from './exemptions.repository.js';

export interface ExemptionsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
}

const DAY_MS = 86_400_000;

/**
 * 通行豁免: a resident may pass checkpoints that would otherwise stop them — medical staff on duty, an emergency
 * hospital visit, dialysis, childbirth, chemotherapy, supply and essential workers — for a stated reason and a limited
 * time (per category), granted at once by a place.write user (the approver on record), audited, revocable. The
 * checkpoint lets an exemption lift denials; a person's own isolation yields only to urgent medical needs.
 */
export class ExemptionsService {
  constructor(private readonly deps: ExemptionsDeps) {}

  async list(scope: Scope, q: ExemptionListQuery) {
    scope.require('place.write');
    const node = scope.narrow(q.node);
    return exemptionsRepository.list(this.deps.db, scope, node, q, this.deps.clock.now());
  }

  async create(scope: Scope, body: CreateExemptionBody): Promise<Exemption> {
    scope.require('place.write');
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    // Each category has its own longest grant (place-rules.ts says why); urgent medical needs are granted at once like the rest.
    const maxDays = EXEMPTION_CATEGORY_RULES[body.category].maxDays;
    const fields = [];
    if (body.validUntil <= body.validFrom) fields.push({ path: '/body/validUntil', code: 'order', message: '结束时间应晚于开始时间' });
    else if (body.validUntil - body.validFrom > maxDays * DAY_MS) {
      fields.push({ path: '/body/validUntil', code: 'too_long', message: `${maxDays < EXEMPTION_MAX_DAYS ? categoryLabel(body.category) : ''}豁免期限最长 ${maxDays} 天，到期后可重新办理` });
    }
    if (body.validUntil <= now) fields.push({ path: '/body/validUntil', code: 'past', message: '结束时间已过，无需办理豁免' });
    const reason = body.reason.trim();
    if (reason.length < 2) fields.push({ path: '/body/reason', code: 'required', message: '请填写豁免理由' });
    if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
    return db.transaction().execute(async (tx) => {
      const resident = await residentsRepository.byId(tx, body.residentId);
      if (!resident || !scope.covers(resident.region_code)) {
        throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/residentId', code: 'missing', message: '所选居民不存在或不在您的管辖范围内' }] });
      }
      const row = {
        id: newId(), resident_id: resident.id, region_code: resident.region_code, category: body.category, reason, valid_from: body.validFrom,
        valid_until: body.validUntil, approved_by: scope.actor.userId, approved_by_name: scope.actor.displayName, created_at: now,
        revoked_at: null, revoked_by: null, revoke_reason: null,
      };
      await exemptionsRepository.insert(tx, row);
      await audit.record(tx, scope, {
        action: 'exemption.create', entityType: 'passage_exemption', entityId: row.id, regionCode: row.region_code, purpose: reason,
        diff: auditDiff(null, { resident: maskName(resident.name), residentId: resident.id, category: row.category, validFrom: row.valid_from, validUntil: row.valid_until }),
      });
      return toExemption({ ...row, resident_name: resident.name }, now);
    });
  }

  async revoke(scope: Scope, id: string, reasonInput: string): Promise<Exemption> {
    scope.require('place.write');
    const { db, clock, audit } = this.deps;
    const reason = reasonInput.trim();
    if (reason.length < 2) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/reason', code: 'required', message: '请填写撤销理由' }] });
    return db.transaction().execute(async (tx) => {
      const row = await exemptionsRepository.byId(tx, id);
      if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(row.region_code);
      if (row.revoked_at !== null) throw new AppError('GRIDLINE_CONFLICT', { details: { reason: '该豁免已撤销' } });
      const now = clock.now();
      await exemptionsRepository.revoke(tx, id, scope.actor.userId, reason, now);
      await audit.record(tx, scope, { action: 'exemption.revoke', entityType: 'passage_exemption', entityId: id, regionCode: row.region_code, purpose: reason, diff: { revokedAt: [null, now] } });
      return toExemption({ ...row, revoked_at: now, revoked_by: scope.actor.userId, revoke_reason: reason }, now);
    });
  }
}

/** The passage check this module contributes: every exemption in force at the moment of passage. */
export const exemptionCheck: PassageCheck = {
  name: 'exemptions',
  async check(ctx) {
    const rows = await exemptionsRepository.inForce(ctx.db, ctx.residentId, ctx.at);
    return rows.map((r) => ({
      effect: 'exempt' as const,
      code: r.category,
      reason: `通行豁免：${categoryLabel(r.category)}（${r.reason}），有效至 ${shanghaiShort(r.valid_until)}`,
      until: r.valid_until,
    }));
  },
};
