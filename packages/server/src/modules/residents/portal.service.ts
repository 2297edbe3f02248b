import { parseMobilePhone, PHONE_MESSAGE, type Resident } from '@gridline/shared';
import { AppError } from '../../lib/errors.js';
import { announce } from '../events/event-bus.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff } from '../audit/audit.service.js';
import { sealPhone } from './personal-fields.js';
import { residentsRepository, toResident } from './residents.repository.js';
import type { ResidentsDeps } from './residents.service.js';

/** The resident's own view: their record, and correcting their own phone number. */
export class PortalService {
  constructor(private readonly deps: ResidentsDeps) {}

  async myDetails(scope: Scope): Promise<Resident> {
    scope.require('self.read');
    const row = scope.actor.residentId ? await residentsRepository.byId(this.deps.db, scope.actor.residentId) : undefined;
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.region_code);
    return toResident(row);
  }

  async changeMyPhone(scope: Scope, phoneInput: string): Promise<Resident> {
    scope.require('self.write');
    const p = parseMobilePhone(phoneInput);
    if (!p.ok) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/phone', code: 'format', message: PHONE_MESSAGE.zh }] });
    const { db, clock, audit, cipher } = this.deps;
    const changed = await db.transaction().execute(async (tx) => {
      const row = scope.actor.residentId ? await residentsRepository.byId(tx, scope.actor.residentId) : undefined;
      if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(row.region_code);
      const patch = { ...sealPhone(cipher, p.value), updated_at: clock.now() };
      await residentsRepository.update(tx, row.id, row.version, patch);
      await audit.record(tx, scope, { action: 'resident.self_phone', entityType: 'resident', entityId: row.id, regionCode: row.region_code, diff: auditDiff({ phone: row.phone_masked }, { phone: patch.phone_masked }) });
      return toResident({ ...row, ...patch, version: row.version + 1 });
    });
    announce(this.deps.bus, scope, 'resident.changed', changed.regionCode, { action: 'update', residentId: changed.id });
    return changed;
  }
}
