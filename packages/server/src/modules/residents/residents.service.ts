import {
  normalizeResident, normalizeToken, parseResidentId, type CreateResidentBody, type NormalizedResident, type Resident, type ResidentListQuery,
  type UpdateResidentBody,
} from '@gridline/shared';
import type { Dialect } from '../../db/dialect.js';
import type { Db, Executor, ResidentsTable } from '../../db/schema.js';
import { shanghaiDate, type Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import { announce, type EventBus } from '../events/event-bus.js';
import { usersRepository } from '../users/users.repository.js';
import { householdsRepository } from './households.repository.js';
import { documentHash, phoneHash, sealDocument, sealPhone } from './personal-fields.js';
import { residentsRepository, toResident, type ResidentSearch } from './residents.repository.js';

export interface ResidentsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  cipher: PersonalDataCipher;
  /** Live "something changed here" events for other users' screens; absent in tools that run without a server. */
  bus?: EventBus;
  /** Row estimates for filtered totals over wide scopes (PostgreSQL); without it totals are counted. */
  dialect?: Dialect;
}

/** What the audit log keeps of a resident: masked document and phone, never the plain values. */
export function auditView(r: Resident): Record<string, unknown> {
  return {
    name: r.name, sex: r.sex, birthDate: r.birthDate, docType: r.docType, docNumber: r.docNumberMasked, phone: r.phoneMasked,
    relationToHead: r.relationToHead, residenceStatus: r.residenceStatus, tags: r.tags, notes: r.notes, householdId: r.householdId,
  };
}

/**
 * Age band [min, max] in whole years on `today` → birth dates (from, to]: aged ≥ min means born on or before
 * today minus min years; aged ≤ max means born after today minus (max + 1) years.
 */
export function birthRangeForAges(today: string, ageMin?: number, ageMax?: number): { from?: string; to?: string } {
  const shift = (years: number) => `${String(Number(today.slice(0, 4)) - years).padStart(4, '0')}${today.slice(4)}`;
  return { ...(ageMax !== undefined ? { from: shift(ageMax + 1) } : {}), ...(ageMin !== undefined ? { to: shift(ageMin) } : {}) };
}

export class ResidentsService {
  constructor(private readonly deps: ResidentsDeps) {}

  private today(): string {
    return shanghaiDate(this.deps.clock.now());
  }

  async list(scope: Scope, q: ResidentListQuery) {
    scope.require('resident.read');
    const node = scope.narrow(q.node);
    return residentsRepository.list(this.deps.db, scope, node, q, this.searchOf(q.q), birthRangeForAges(this.today(), q.ageMin, q.ageMax), {
      ...(this.deps.dialect ? { estimate: this.deps.dialect.estimateRows } : {}),
    });
  }

  /** The scoped, filtered register as a query, for walking it in batches (exports); the same filters as `list`. */
  filteredQuery(scope: Scope, q: Omit<ResidentListQuery, 'page' | 'pageSize'>) {
    scope.require('resident.read');
    const node = scope.narrow(q.node);
    const query = residentsRepository.filtered(this.deps.db, scope, node, q, this.searchOf(q.q), birthRangeForAges(this.today(), q.ageMin, q.ageMax));
    return { node, query };
  }

  private searchOf(raw: string | undefined): ResidentSearch | undefined {
    const q = raw ? normalizeToken(raw) : '';
    if (!q) return undefined;
    const { cipher } = this.deps;
    if (/^\d{3}[\dX]$/i.test(q)) return { kind: 'last4', value: q.toUpperCase() };
    if (/^1[3-9]\d{9}$/.test(q)) return { kind: 'phoneHash', value: phoneHash(cipher, q) };
    const id = parseResidentId(q, this.today());
    if (id.ok) return { kind: 'docHash', values: [documentHash(cipher, 'resident_id', id.value)] };
    if (/^[A-Z0-9]{5,18}$/i.test(q)) return { kind: 'docHash', values: ['passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id'].map((t) => documentHash(cipher, t, q.toUpperCase())) };
    return { kind: 'name', value: q };
  }

  async get(scope: Scope, id: string): Promise<Resident> {
    scope.require('resident.read');
    const row = await residentsRepository.byId(this.deps.db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.region_code);
    return toResident(row);
  }

  async create(scope: Scope, body: CreateResidentBody): Promise<Resident> {
    const created = await this.deps.db.transaction().execute((tx) => this.createIn(tx, scope, body));
    this.announceCreated(scope, created);
    return created;
  }

  /**
   * Registers a resident inside the caller's transaction (a record that registers a new person with it, such as
   * an arrival, stays all-or-nothing); the caller announces the change with `announceCreated` after commit.
   */
  async createIn(tx: Executor, scope: Scope, body: CreateResidentBody): Promise<Resident> {
    scope.require('resident.write');
    const value = this.validate(body);
    const { clock, audit, cipher } = this.deps;
    const household = await householdsRepository.byId(tx, body.householdId);
    if (!household || !scope.covers(household.code)) {
      throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/householdId', code: 'missing', message: '所选的户不存在或不在您的管辖范围内' }] });
    }
    await this.assertDocumentFree(tx, scope, value, null);
    const now = clock.now();
    const row: ResidentsTable = {
      id: newId(), household_id: household.id, region_code: household.code, name: value.name, sex: value.sex, birth_date: value.birthDate,
      doc_type: value.docType, ...sealDocument(cipher, value.docType, value.docNumber), ...sealPhone(cipher, value.phone),
      relation_to_head: value.relationToHead, residence_status: value.residenceStatus, tags: JSON.stringify(value.tags), notes: value.notes,
      version: 1, created_at: now, updated_at: now,
    };
    await residentsRepository.insert(tx, row).catch((err: unknown) => this.duplicateFromConflict(err));
    const created = toResident(row);
    await audit.record(tx, scope, { action: 'resident.create', entityType: 'resident', entityId: row.id, regionCode: row.region_code, diff: auditDiff(null, auditView(created)) });
    return created;
  }

  announceCreated(scope: Scope, created: Resident): void {
    announce(this.deps.bus, scope, 'resident.changed', created.regionCode, { action: 'create', residentId: created.id });
  }

  async update(scope: Scope, id: string, body: UpdateResidentBody): Promise<Resident> {
    scope.require('resident.write');
    const { db, clock, audit, cipher } = this.deps;
    let from = '';
    const after = await db.transaction().execute(async (tx) => {
      const before = await residentsRepository.byId(tx, id);
      if (!before) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(before.region_code);
      from = before.region_code;
      if (before.version !== body.version) throw new AppError('GRIDLINE_STALE_VERSION');
      const docChanged = body.docNumber !== undefined || (body.docType !== undefined && body.docType !== before.doc_type);
      const docNumber = body.docNumber ?? cipher.decrypt(before.doc_number_enc);
      const merged = {
        name: body.name ?? before.name,
        sex: (body.sex ?? (docChanged ? undefined : before.sex)) as NormalizedResident['sex'] | undefined,
        birthDate: body.birthDate ?? (docChanged ? undefined : before.birth_date),
        docType: (body.docType ?? before.doc_type) as NormalizedResident['docType'],
        docNumber,
        phone: body.phone === undefined ? (before.phone_enc ? cipher.decrypt(before.phone_enc) : null) : body.phone,
        relationToHead: (body.relationToHead ?? before.relation_to_head) as NormalizedResident['relationToHead'],
        residenceStatus: (body.residenceStatus ?? before.residence_status) as NormalizedResident['residenceStatus'],
        tags: body.tags ?? (JSON.parse(before.tags) as NormalizedResident['tags']),
        notes: body.notes ?? before.notes,
      };
      const value = this.validate(merged);
      if (docChanged) await this.assertDocumentFree(tx, scope, value, id);
      let householdId = before.household_id;
      let regionCode = before.region_code;
      if (body.householdId && body.householdId !== before.household_id) {
        const target = await householdsRepository.byId(tx, body.householdId);
        if (!target || !scope.covers(target.code)) {
          throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/householdId', code: 'missing', message: '目标户不存在或不在您的管辖范围内' }] });
        }
        householdId = target.id;
        regionCode = target.code;
      }
      const now = clock.now();
      const patch: Partial<ResidentsTable> = {
        household_id: householdId, region_code: regionCode, name: value.name, sex: value.sex, birth_date: value.birthDate, doc_type: value.docType,
        ...(docChanged ? sealDocument(cipher, value.docType, value.docNumber) : {}),
        ...(body.phone !== undefined ? sealPhone(cipher, value.phone) : {}),
        relation_to_head: value.relationToHead, residence_status: value.residenceStatus, tags: JSON.stringify(value.tags), notes: value.notes, updated_at: now,
      };
      // The tag index is rewritten only when tags or the household change (most edits touch neither).
      if (patch.tags === before.tags) delete patch.tags;
      if (patch.region_code === before.region_code) delete patch.region_code;
      await residentsRepository.update(tx, id, before.version, patch).catch((err: unknown) => this.duplicateFromConflict(err));
      const after = toResident({ ...before, ...patch, version: before.version + 1 } as ResidentsTable);
      await audit.record(tx, scope, { action: 'resident.update', entityType: 'resident', entityId: id, regionCode, diff: auditDiff(auditView(toResident(before)), auditView(after)) });
      return after;
    });
    announce(this.deps.bus, scope, 'resident.changed', after.regionCode, { action: 'update', residentId: id });
    if (from !== after.regionCode) announce(this.deps.bus, scope, 'resident.changed', from, { action: 'move_out', residentId: id });
    return after;
  }

  async remove(scope: Scope, id: string): Promise<void> {
    scope.require('resident.write');
    const { db, audit } = this.deps;
    const node = await db.transaction().execute(async (tx) => {
      const before = await residentsRepository.byId(tx, id);
      if (!before) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(before.region_code);
      const accounts = await usersRepository.disableForResident(tx, id, this.deps.clock.now());
      for (const userId of accounts) {
        await audit.record(tx, scope, { action: 'user.disable', entityType: 'user', entityId: userId, regionCode: before.region_code, purpose: 'resident removed from the register' });
      }
      await residentsRepository.delete(tx, id).catch((err: unknown) => {
        throw err instanceof AppError && err.code === 'GRIDLINE_REFERENCE_MISSING' ? new AppError('GRIDLINE_IN_USE', { cause: err }) : err;
      });
      await audit.record(tx, scope, { action: 'resident.delete', entityType: 'resident', entityId: id, regionCode: before.region_code, diff: auditDiff(auditView(toResident(before)), null) });
      return before.region_code;
    });
    announce(this.deps.bus, scope, 'resident.changed', node, { action: 'delete', residentId: id });
  }

  /** The full document number and phone of one resident, for a stated purpose; the view is audited. */
  async unmask(scope: Scope, id: string, purpose: string) {
    scope.require('resident.unmask');
    const trimmed = purpose.trim();
    if (trimmed.length < 2) throw new AppError('GRIDLINE_PURPOSE_REQUIRED', { fields: [{ path: '/body/purpose', code: 'required', message: '请填写查看用途' }] });
    const { db, audit, cipher } = this.deps;
    return db.transaction().execute(async (tx) => {
      const row = await residentsRepository.byId(tx, id);
      if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(row.region_code);
      await audit.record(tx, scope, { action: 'resident.unmask', entityType: 'resident', entityId: id, regionCode: row.region_code, purpose: trimmed, diff: { fields: ['docNumber', 'phone'] } });
      return { id, docNumber: cipher.decrypt(row.doc_number_enc), phone: row.phone_enc ? cipher.decrypt(row.phone_enc) : null };
    });
  }

  /**
   * A concurrent registration of the same document passes the pre-check and loses at the unique index:
   * report it as the duplicate it is (without a pointer: the failed transaction cannot look it up).
   */
  private duplicateFromConflict(err: unknown): never {
    if (err instanceof AppError && err.code === 'GRIDLINE_CONFLICT' && (err.details?.columns as string[] | undefined)?.includes('doc_number_hash')) {
      throw new AppError('GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT', {
        fields: [{ path: '/body/docNumber', code: 'duplicate', message: '该证件号码刚刚已被登记，请检索后核实' }],
        cause: err,
      });
    }
    throw err;
  }

  private validate(input: Parameters<typeof normalizeResident>[0]): NormalizedResident {
    const r = normalizeResident(input, this.today());
    if (!r.ok) throw new AppError('GRIDLINE_VALIDATION', { fields: r.fields });
    return r.value;
  }

  /** A document number is registered once; the refusal points at the existing record when the caller may see it. */
  private async assertDocumentFree(tx: Executor, scope: Scope, value: NormalizedResident, selfId: string | null) {
    const existing = await residentsRepository.byDocumentHash(tx, value.docType, documentHash(this.deps.cipher, value.docType, value.docNumber));
    if (existing && existing.id !== selfId) {
      const visible = scope.covers(existing.region_code);
      throw new AppError('GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT', {
        fields: [{ path: '/body/docNumber', code: 'duplicate', message: visible ? '该证件号码已登记，请查看已有记录' : '该证件号码已在其他辖区登记，请联系上级核实' }],
        details: visible ? { existingResidentId: existing.id } : { inOtherJurisdiction: true },
      });
    }
  }
}
