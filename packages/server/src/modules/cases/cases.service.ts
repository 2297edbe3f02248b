import {
  CASE_CLASSIFICATION_LABELS, CASE_OUTCOME_LABELS, CASE_RECLASSIFY, isCalendarDate, normalizeText, parseMobilePhone, PHONE_MESSAGE, shanghaiDay, shanghaiDayStart,
  type CaseClassification, type CaseDetail, type CaseListQuery, type CasePage, type CaseView, type CloseCaseBody, type CreateCaseBody, type FieldError,
  type ReclassifyCaseBody, type UpdateCaseBody,
} from '@gridline/shared';
import type { CasesTable, Db, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { householdsRepository } from '../residents/households.repository.js';
import { sealPhone } from '../residents/personal-fields.js';
import { residentsRepository } from '../residents/residents.repository.js';
import { casesRepository, toCaseChange, toCaseView } from './cases.repository.js';

export interface CasesDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  cipher: PersonalDataCipher;
  protocol: ProtocolProvider;
}

/** Onset and sampling dates may lie this far back (a case found by tracing long after). */
export const CASE_DAYS_BACK = 60;

function auditView(c: Pick<CasesTable, 'case_no' | 'classification' | 'status' | 'outcome' | 'resident_id' | 'person_name' | 'phone_masked' | 'region_code' | 'address' | 'onset_date' | 'sampling_date' | 'confirmed_at' | 'report_source' | 'protocol_id' | 'note'>) {
  return {
    caseNo: c.case_no, classification: c.classification, status: c.status, outcome: c.outcome, residentId: c.resident_id, personName: c.person_name, phone: c.phone_masked,
    regionCode: c.region_code, address: c.address, onsetDate: c.onset_date, samplingDate: c.sampling_date, confirmedAt: c.confirmed_at, reportSource: c.report_source,
    protocolId: c.protocol_id, note: c.note,
  };
}

/** The day whose protocol governs a case: symptom onset if symptomatic, else sampling, else the day it was reported. */
export function anchorDate(c: { onset_date: string | null; sampling_date: string | null }, reportedDay: string): string {
  return c.onset_date ?? c.sampling_date ?? reportedDay;
}

/**
 * Cases (病例): suspected, confirmed and asymptomatic infections of residents or of people not in the register.
 * A case belongs to a node (the resident's household, or the node chosen for a non-resident) and is scoped by it.
 * Every classification, status and outcome change is kept with who, when and why (case_changes) and audited.
 * The case keeps the protocol version in force at its anchor date (onset, else sampling): tracing reads its rules.
 */
export class CasesService {
  constructor(private readonly deps: CasesDeps) {}

  async get(scope: Scope, id: string): Promise<CaseView> {
    scope.require('case.read');
    const row = await casesRepository.shown(this.deps.db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.region_code);
    return toCaseView(row);
  }

  /** The case with its timeline of changes. */
  async detail(scope: Scope, id: string): Promise<CaseDetail> {
    const c = await this.get(scope, id);
    const changes = await casesRepository.changes(this.deps.db, id);
    return { case: c, changes: changes.map(toCaseChange) };
  }

  async list(scope: Scope, q: CaseListQuery): Promise<CasePage> {
    scope.require('case.read');
    const node = scope.narrow(q.node);
    const dayStart = shanghaiDayStart(shanghaiDay(this.deps.clock.now()));
    const [page, counts] = await Promise.all([
      casesRepository.list(this.deps.db, scope, node, q),
      casesRepository.counts(this.deps.db, scope, node, q, dayStart),
    ]);
    return { ...page, counts };
  }

  /** Dates are real, not in the future and not too far back; sampling is not before onset by more than the window. */
  private checkDates(body: { onsetDate?: string | null; samplingDate?: string | null }, today: string): void {
    const fields: FieldError[] = [];
    const earliest = shanghaiDay(shanghaiDayStart(today) - CASE_DAYS_BACK * 86_400_000);
    for (const [key, label] of [['onsetDate', '发病日期'], ['samplingDate', '采样日期']] as const) {
      const v = body[key];
      if (v === undefined || v === null) continue;
      if (!isCalendarDate(v)) fields.push({ path: `/body/${key}`, code: 'format', message: `${label}不存在` });
      else if (v > today) fields.push({ path: `/body/${key}`, code: 'future', message: `${label}不能晚于今天` });
      else if (v < earliest) fields.push({ path: `/body/${key}`, code: 'range', message: `${label}不能早于 ${CASE_DAYS_BACK} 天前` });
    }
    if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
  }

  private async protocolAt(date: string) {
    return this.deps.protocol.inForce(shanghaiDayStart(date));
  }

  /** The next case number of a day: BL-YYYYMMDD-NNN. */
  private async nextCaseNo(tx: Executor, day: string): Promise<string> {
    const compact = day.replaceAll('-', '');
    const last = await casesRepository.lastNumberOfDay(tx, compact);
    const n = last ? Number(last.slice(-3)) + 1 : 1;
    return `BL-${compact}-${String(n).padStart(3, '0')}`;
  }

  async create(scope: Scope, body: CreateCaseBody): Promise<CaseView> {
    scope.require('case.write');
    const { db, clock, audit, cipher } = this.deps;
    const now = clock.now();
    const today = shanghaiDay(now);
    if (!!body.residentId === !!body.person) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/residentId', code: 'required', message: '请选择登记在册的居民，或填写非登记人员的信息（二选一）' }] });
    }
    this.checkDates(body, today);
    if (body.classification === 'asymptomatic' && body.onsetDate) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/onsetDate', code: 'asymptomatic', message: '无症状感染者没有发病日期，请填写采样日期' }] });
    }
    if (body.confirmedAt !== undefined && body.confirmedAt !== null && (body.confirmedAt > now || body.classification === 'suspected')) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/confirmedAt', code: 'range', message: body.classification === 'suspected' ? '疑似病例尚未确诊' : '确诊时间不能晚于现在' }] });
    }
    const onset = body.onsetDate ?? null;
    const sampling = body.samplingDate ?? null;
    const protocol = await this.protocolAt(anchorDate({ onset_date: onset, sampling_date: sampling }, today));
    const actorName = scope.actor.displayName || scope.actor.username;
    // Two reporters numbering the same day at once: the loser retries with the next number.
    for (let attempt = 0; ; attempt++) {
      try {
        const id = await db.transaction().execute(async (tx) => {
          let person: Pick<CasesTable, 'resident_id' | 'person_name' | 'phone_enc' | 'phone_hash' | 'phone_masked' | 'region_code' | 'address'>;
          if (body.residentId) {
            const r = await residentsRepository.byId(tx, body.residentId);
            if (!r || !scope.covers(r.region_code)) {
              throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/residentId', code: 'missing', message: '所选居民不存在或不在您的管辖范围内' }] });
            }
            const h = await householdsRepository.byId(tx, r.household_id);
            person = { resident_id: r.id, person_name: r.name, phone_enc: null, phone_hash: null, phone_masked: null, region_code: r.region_code, address: h?.address ?? '' };
          } else {
            const p = body.person!;
            const name = normalizeText(p.name);
            const fields: FieldError[] = [];
            if (!name) fields.push({ path: '/body/person/name', code: 'required', message: '请填写姓名' });
            let phone: string | null = null;
            if (p.phone) {
              const parsed = parseMobilePhone(p.phone);
              if (parsed.ok) phone = parsed.value;
              else fields.push({ path: '/body/person/phone', code: 'format', message: PHONE_MESSAGE.zh });
            }
            if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
            scope.target(p.regionCode);
            if (!(await regionsRepository.byCode(tx, p.regionCode))) {
              throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/person/regionCode', code: 'missing', message: '所选区域不存在' }] });
            }
            const sealed = sealPhone(cipher, phone);
            person = { resident_id: null, person_name: name, phone_enc: sealed.phone_enc, phone_hash: sealed.phone_hash, phone_masked: sealed.phone_masked, region_code: p.regionCode, address: normalizeText(p.address) };
          }
          const confirmedAt = body.classification === 'suspected' ? null : (body.confirmedAt ?? now);
          const row: CasesTable = {
            id: newId(), case_no: await this.nextCaseNo(tx, today), classification: body.classification, status: 'open', outcome: null, ...person,
            onset_date: onset, sampling_date: sampling, confirmed_at: confirmedAt, report_source: body.reportSource, protocol_id: protocol.id,
            note: body.note?.trim() ?? '', created_by: actorName, created_at: now, updated_at: now, version: 1,
          };
          await casesRepository.insert(tx, row);
          await casesRepository.insertChange(tx, {
            id: newId(), case_id: row.id, at: now, actor_id: scope.actor.userId, actor_name: actorName, field: 'created', from_value: null, to_value: row.classification,
            reason: `${body.reportSource}；依据《${protocol.name}》`,
          });
          await audit.record(tx, scope, { action: 'case.create', entityType: 'case', entityId: row.id, regionCode: row.region_code, diff: auditDiff(null, auditView(row)) });
          return row.id;
        });
        return this.get(scope, id);
      } catch (err) {
        if (attempt < 3 && err instanceof AppError && err.code === 'GRIDLINE_CONFLICT') continue;
        throw err;
      }
    }
  }

  /** Dates, address, source and note; a changed onset or sampling date re-reads the protocol version at the new anchor. */
  async update(scope: Scope, id: string, body: UpdateCaseBody): Promise<CaseView> {
    scope.require('case.write');
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    this.checkDates(body, shanghaiDay(now));
    await db.transaction().execute(async (tx) => {
      const before = await this.loadForChange(tx, scope, id, body.version);
      const patch: Partial<CasesTable> = { updated_at: now };
      if (body.onsetDate !== undefined) patch.onset_date = body.onsetDate;
      if (body.samplingDate !== undefined) patch.sampling_date = body.samplingDate;
      if (body.address !== undefined) patch.address = normalizeText(body.address);
      if (body.reportSource !== undefined) patch.report_source = body.reportSource;
      if (body.note !== undefined) patch.note = body.note.trim();
      const after = { ...before, ...patch };
      if (after.classification === 'asymptomatic' && after.onset_date) {
        throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/onsetDate', code: 'asymptomatic', message: '无症状感染者没有发病日期' }] });
      }
      if (after.onset_date !== before.onset_date || after.sampling_date !== before.sampling_date) {
        patch.protocol_id = (await this.protocolAt(anchorDate(after, shanghaiDay(Number(before.created_at))))).id;
      }
      await casesRepository.update(tx, id, before.version, patch);
      await audit.record(tx, scope, { action: 'case.update', entityType: 'case', entityId: id, regionCode: before.region_code, diff: auditDiff(auditView(before), auditView({ ...before, ...patch })) });
    });
    return this.get(scope, id);
  }

  /** suspected → confirmed | asymptomatic, asymptomatic → confirmed; confirmation starts the 24-hour clock. */
  async reclassify(scope: Scope, id: string, body: ReclassifyCaseBody): Promise<CaseView> {
    scope.require('case.write');
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    await db.transaction().execute(async (tx) => {
      const before = await this.loadForChange(tx, scope, id, body.version);
      const from = before.classification as CaseClassification;
      if (!CASE_RECLASSIFY[from].includes(body.classification)) {
        throw new AppError('GRIDLINE_VALIDATION', {
          fields: [{ path: '/body/classification', code: 'transition', message: `${CASE_CLASSIFICATION_LABELS[from].zh}不能改为${CASE_CLASSIFICATION_LABELS[body.classification].zh}` }],
        });
      }
      if (body.confirmedAt !== undefined && (body.confirmedAt > now || body.confirmedAt < Number(before.created_at) - CASE_DAYS_BACK * 86_400_000)) {
        throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/confirmedAt', code: 'range', message: '确诊时间不能晚于现在' }] });
      }
      const patch: Partial<CasesTable> = { classification: body.classification, updated_at: now };
      // An asymptomatic infection was already laboratory-confirmed: its clock keeps running from then.
      if (before.confirmed_at === null) patch.confirmed_at = body.confirmedAt ?? now;
      await casesRepository.update(tx, id, before.version, patch);
      await casesRepository.insertChange(tx, {
        id: newId(), case_id: id, at: now, actor_id: scope.actor.userId, actor_name: scope.actor.displayName || scope.actor.username,
        field: 'classification', from_value: from, to_value: body.classification, reason: body.reason.trim(),
      });
      await audit.record(tx, scope, { action: 'case.reclassify', entityType: 'case', entityId: id, regionCode: before.region_code, diff: { ...auditDiff(auditView(before), auditView({ ...before, ...patch })), reason: body.reason.trim() } });
    });
    return this.get(scope, id);
  }

  /** Closes a case with its outcome; 'ruled_out' only ends a suspected case. */
  async close(scope: Scope, id: string, body: CloseCaseBody): Promise<CaseView> {
    scope.require('case.write');
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    await db.transaction().execute(async (tx) => {
      const before = await this.loadForChange(tx, scope, id, body.version);
      if (body.outcome === 'ruled_out' && before.classification !== 'suspected') {
        throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/outcome', code: 'outcome', message: `只有疑似病例可以“${CASE_OUTCOME_LABELS.ruled_out.zh}”` }] });
      }
      const patch: Partial<CasesTable> = { status: 'closed', outcome: body.outcome, updated_at: now };
      await casesRepository.update(tx, id, before.version, patch);
      const actor = { actor_id: scope.actor.userId, actor_name: scope.actor.displayName || scope.actor.username };
      const reason = body.reason.trim();
      await casesRepository.insertChange(tx, { id: newId(), case_id: id, at: now, ...actor, field: 'status', from_value: before.status, to_value: 'closed', reason });
      await casesRepository.insertChange(tx, { id: newId(), case_id: id, at: now, ...actor, field: 'outcome', from_value: before.outcome, to_value: body.outcome, reason });
      await audit.record(tx, scope, { action: 'case.close', entityType: 'case', entityId: id, regionCode: before.region_code, diff: { ...auditDiff(auditView(before), auditView({ ...before, ...patch })), reason } });
    });
    return this.get(scope, id);
  }

  private async loadForChange(tx: Executor, scope: Scope, id: string, version: number): Promise<CasesTable> {
    const before = await casesRepository.byId(tx, id);
    if (!before) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(before.region_code);
    if (before.version !== version) throw new AppError('GRIDLINE_STALE_VERSION');
    if (before.status === 'closed') throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/version', code: 'closed', message: '病例已结案，不能再修改' }] });
    return before;
  }
}
