import {
  addDays, assessAreaControl, CODE_LENGTH, assessPersonMeasure, isCalendarDate, legalBasis, levelOfCode, MEASURE_KIND_RULES, REGION_LEVELS, shanghaiDay, shanghaiDayStart,
  type ApprovalLevel, type AreaControlBody, type Assessment, type FieldError, type Measure, type MeasureAssessment, type MeasureDecisionBody, type MeasureExtendBody, type MeasureListQuery,
  type MeasurePage, type MeasureReleaseBody, type MeasureSubject, type PersonMeasureBody, type ProtocolValues,
} from '@gridline/shared';
import type { Db, Executor, MeasuresTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import { residentsRepository } from '../residents/residents.repository.js';
import { residentCountsRepository } from '../regions/resident-counts.repository.js';
import type { MeasureLifecycle } from './measures-lifecycle.service.js';
import type { IsolationSites } from './sites.service.js';
import { measuresRepository } from './measures.repository.js';
import { stepDownApprovedIn } from './area-steps.js';

export interface MeasuresDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  protocol: ProtocolProvider;
  /** Infections (confirmed or asymptomatic, open) living under a node: what an area control is drawn around. */
  infectionsUnder(db: Executor, node: string): Promise<number>;
  /** What a person measure sets going while in force (monitoring, test tasks), in the measure's own transaction. */
  lifecycle: MeasureLifecycle;
  /** Designated isolation sites: a centralized isolation names one and takes a place in its transaction. */
  sites: IsolationSites;
}

/** How far back a measure may start (contacts count from their last exposure) and how far ahead it may be planned. */
const START_DAYS_BACK = 14;
const START_DAYS_AHEAD = 7;
/** Levels under which checkpoints deny passage to residents of the area. */
const DENYING_LEVELS = new Set(['high', 'medium', 'lockdown', 'control']);

/**
 * Control measures (issue #7). The proportionality guard (@gridline/shared measures) assesses every proposal
 * against the protocol version in force at its first day; a measure within it takes effect with its kind's
 * usual approval (at once when the person imposing it holds that approval), one beyond it waits for the next
 * level up and a written reason, and what no approval makes lawful is refused. Effects are read by the
 * checkpoint at the moment of passage (measures.passage.ts), so a measure stops counting at its end time.
 */
export class MeasuresService {
  constructor(private readonly deps: MeasuresDeps) {}

  /** Whether the actor may approve at `level` for `regionCode`: the approve permission, at that level or above, covering the place. */
  canApprove(scope: Scope, level: ApprovalLevel, regionCode: string): boolean {
    if (!scope.can('measure.approve') || !scope.covers(regionCode)) return false;
    if (scope.actor.role === 'system') return true;
    const own = levelOfCode(scope.node);
    return own !== undefined && REGION_LEVELS.indexOf(own) <= REGION_LEVELS.indexOf(level);
  }

  private checkFirstDay(firstDay: string): void {
    const today = shanghaiDay(this.deps.clock.now());
    const fields: FieldError[] = [];
    if (!isCalendarDate(firstDay)) fields.push({ path: '/body/firstDay', code: 'format', message: '日期不存在' });
    else if (firstDay < addDays(today, -START_DAYS_BACK)) fields.push({ path: '/body/firstDay', code: 'range', message: `开始日期最早为 ${START_DAYS_BACK} 天前（自最后接触日起算）` });
    else if (firstDay > addDays(today, START_DAYS_AHEAD)) fields.push({ path: '/body/firstDay', code: 'range', message: `开始日期最多提前 ${START_DAYS_AHEAD} 天` });
    if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
  }

  private subjectOf(body: PersonMeasureBody): MeasureSubject {
    const s = body.subject;
    if (s.kind === 'case') {
      if (!s.classification) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/subject/classification', code: 'required', message: '请选择感染者类别（确诊或无症状）' }] });
      return { kind: 'case', classification: s.classification };
    }
    if (s.kind === 'arrival') {
      if (!s.origin) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/subject/origin', code: 'required', message: '请选择来源地风险等级' }] });
      return { kind: 'arrival', origin: s.origin };
    }
    return { kind: s.kind };
  }

  private shown(a: Assessment, p: ProtocolValues): MeasureAssessment {
    return { ...a, protocol: { id: p.id, name: p.name } };
  }

  /** The guard's answer for a person measure, before anything is stored (the form shows it as the user types). */
  async assessPerson(scope: Scope, body: PersonMeasureBody): Promise<MeasureAssessment> {
    scope.require('measure.write');
    this.checkFirstDay(body.firstDay);
    const p = await this.deps.protocol.inForce(shanghaiDayStart(body.firstDay));
    return this.shown(assessPersonMeasure(p, this.subjectOf(body), body.measure, body.days), p);
  }

  async assessArea(scope: Scope, body: AreaControlBody): Promise<MeasureAssessment> {
    scope.require('measure.write');
    scope.target(body.scopeCode);
    this.checkFirstDay(body.firstDay);
    const p = await this.deps.protocol.inForce(shanghaiDayStart(body.firstDay));
    const cases = await this.deps.infectionsUnder(this.deps.db, body.scopeCode);
    return this.shown(assessAreaControl(p, { level: body.level, scopeCode: body.scopeCode, plannedDays: body.plannedDays, casesInScope: cases, sealsExits: body.sealsExits ?? false }), p);
  }

  /** `inTx` runs inside the measure's transaction before it is stored (bulk imposition takes its per-contact lock there). */
  async createPerson(scope: Scope, body: PersonMeasureBody, inTx?: (tx: Executor) => Promise<void>): Promise<Measure> {
    scope.require('measure.write');
    const resident = await residentsRepository.byId(this.deps.db, body.residentId);
    if (!resident || !scope.covers(resident.region_code)) {
      throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/residentId', code: 'missing', message: '所选居民不存在或不在您的管辖范围内' }] });
    }
    const assessment = await this.assessPerson(scope, body);
    const site = await this.deps.sites.placeFor(scope, body, resident.region_code);
    return this.store(scope, assessment, body.reason, this.subjectOf(body), {
      kind: body.measure, subject_kind: body.subject.kind, resident_id: resident.id, region_code: resident.region_code, area_level: null,
      denies_passage: body.measure === 'home_health_monitoring' ? 0 : 1, place_kind: site ? 'site' : body.place.kind, place_name: site ? site.name : body.place.name.trim(), site_id: site?.id ?? null,
      start_at: shanghaiDayStart(body.firstDay), planned_end_at: shanghaiDayStart(addDays(body.firstDay, body.days)),
      source_type: body.source?.type ?? null, source_id: body.source?.id ?? null,
    }, async (tx) => {
      await inTx?.(tx);
      // Counted inside the transaction, after the caller's own checks, so the last place goes to one imposition only.
      if (site) await this.deps.sites.claimIn(tx, site.id);
    });
  }

  async createArea(scope: Scope, body: AreaControlBody): Promise<Measure> {
    const assessment = await this.assessArea(scope, body);
    return this.store(scope, assessment, body.reason, null, {
      kind: 'area_control', subject_kind: null, resident_id: null, region_code: body.scopeCode, area_level: body.level,
      denies_passage: DENYING_LEVELS.has(body.level) ? 1 : 0, place_kind: null, place_name: null, site_id: null,
      start_at: shanghaiDayStart(body.firstDay), planned_end_at: shanghaiDayStart(addDays(body.firstDay, body.plannedDays)), source_type: null, source_id: null,
    });
  }

  private async store(
    scope: Scope, a: MeasureAssessment, reason: string | undefined, subject: MeasureSubject | null,
    m: Pick<MeasuresTable, 'kind' | 'subject_kind' | 'resident_id' | 'region_code' | 'area_level' | 'denies_passage' | 'place_kind' | 'place_name' | 'site_id' | 'start_at' | 'planned_end_at' | 'source_type' | 'source_id'>,
    inTx?: (tx: Executor) => Promise<void>,
  ): Promise<Measure> {
    if (a.refusals.length) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: a.refusals.map((f) => ({ path: f.code === 'level_unknown' ? '/body/level' : '/body/sealsExits', code: f.code, message: f.message })) });
    }
    const why = reason?.trim() ?? '';
    if (a.reasonRequired && why.length < 4) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/reason', code: 'required', message: `该措施超出防控方案（${a.excesses.map((f) => f.message).join('；')}），须写明理由并由上一级审批` }] });
    }
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    const selfApproved = this.canApprove(scope, a.approval, m.region_code);
    const name = scope.actor.displayName || scope.actor.username;
    const row: MeasuresTable = {
      id: newId(), ...m, status: selfApproved ? 'active' : 'pending', legal_basis: JSON.stringify(MEASURE_KIND_RULES[m.kind as keyof typeof MEASURE_KIND_RULES].legalBases),
      protocol_id: a.protocol.id, ended_at: null, end_note: null, proportionate: a.proportionate ? 1 : 0,
      assessment: JSON.stringify({ subject, excesses: a.excesses, prescribed: a.prescribed }), required_approval: a.approval, reason: why,
      decided_by: selfApproved ? scope.actor.userId ?? 'system' : null, decided_by_name: selfApproved ? name : null, decided_at: selfApproved ? now : null,
      decision_reason: selfApproved ? (why || '符合防控方案') : null, created_by: scope.actor.userId, created_by_name: name, created_at: now, updated_at: now, version: 1,
    };
    const grids = await db.transaction().execute(async (tx) => {
      await inTx?.(tx);
      await measuresRepository.insert(tx, row);
      await audit.record(tx, scope, {
        action: 'measure.create', entityType: 'measure', entityId: row.id, regionCode: row.region_code,
        diff: { kind: [null, row.kind], status: [null, row.status], protocol: [null, row.protocol_id], proportionate: [null, a.proportionate], approval: [null, a.approval], reason: [null, why || null] },
      });
      return this.deps.lifecycle.activateIn(tx, scope, row);
    });
    this.deps.lifecycle.announce(scope, grids, row.id);
    return this.view(row);
  }

  async decide(scope: Scope, id: string, body: MeasureDecisionBody): Promise<Measure> {
    scope.require('measure.approve');
    const { db, clock, audit } = this.deps;
    const row = await db.transaction().execute(async (tx) => {
      const m = await this.visible(tx, scope, id);
      if (m.status !== 'pending') throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body', code: 'decided', message: '该措施已审批过' }] });
      if (!this.canApprove(scope, m.required_approval as ApprovalLevel, m.region_code)) {
        throw new AppError('GRIDLINE_FORBIDDEN', { details: { reason: `须由${LEVEL_ZH[m.required_approval as ApprovalLevel]}审批` } });
      }
      const now = clock.now();
      const patch: Partial<MeasuresTable> = {
        status: body.approve ? 'active' : 'refused', decided_by: scope.actor.userId ?? 'system', decided_by_name: scope.actor.displayName || scope.actor.username,
        decided_at: now, decision_reason: body.reason.trim(), updated_at: now,
      };
      // An approved step-down of an area control ends the higher control now and starts from now (area-steps.ts).
      if (body.approve && m.kind === 'area_control' && m.source_type === 'area_control') Object.assign(patch, await stepDownApprovedIn(tx, this, scope, m, now));
      if (!(await measuresRepository.update(tx, id, m.version, patch))) throw new AppError('GRIDLINE_STALE_VERSION');
      await audit.record(tx, scope, { action: body.approve ? 'measure.approve' : 'measure.refuse', entityType: 'measure', entityId: id, regionCode: m.region_code, diff: { status: [m.status, patch.status], reason: [null, patch.decision_reason] } });
      const after = { ...m, ...patch, version: m.version + 1 };
      return { after, grids: await this.deps.lifecycle.activateIn(tx, scope, after) };
    });
    this.deps.lifecycle.announce(scope, row.grids, id);
    return this.view(row.after);
  }

  /**
   * Extends a measure in force, always with a reason, judged by the protocol version in force at its start (not
   * today's): the whole length is assessed again, and whoever extends must hold the approval that length needs.
   */
  async extend(scope: Scope, id: string, body: MeasureExtendBody): Promise<Measure> {
    scope.require('measure.write');
    const { db, clock, audit, protocol } = this.deps;
    const row = await db.transaction().execute(async (tx) => {
      const m = await this.visible(tx, scope, id);
      const now = clock.now();
      if (m.status !== 'active' || now >= m.planned_end_at || m.kind === 'area_control') {
        throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body', code: 'not_active', message: '只能延长执行中的人员措施（区域管控按解除条件办理）' }] });
      }
      const p = await protocol.byId(m.protocol_id);
      if (!p) throw new AppError('GRIDLINE_NOT_FOUND');
      const days = Math.round((Number(m.planned_end_at) - Number(m.start_at)) / 86_400_000) + body.days;
      const subject = (JSON.parse(m.assessment) as { subject?: MeasureSubject }).subject ?? { kind: (m.subject_kind ?? 'close_contact') as 'close_contact' };
      const a = assessPersonMeasure(p, subject, m.kind as PersonMeasureBody['measure'], days);
      if (!this.canApprove(scope, a.approval, m.region_code)) {
        throw new AppError('GRIDLINE_FORBIDDEN', { details: { reason: `延长至 ${days} 天${a.proportionate ? '' : '超出防控方案'}，须由${LEVEL_ZH[a.approval]}决定` } });
      }
      const patch: Partial<MeasuresTable> = {
        planned_end_at: Number(m.planned_end_at) + body.days * 86_400_000, proportionate: a.proportionate ? 1 : 0, required_approval: a.approval,
        assessment: JSON.stringify({ subject, excesses: a.excesses, prescribed: a.prescribed }), updated_at: now,
      };
      if (!(await measuresRepository.update(tx, id, m.version, patch))) throw new AppError('GRIDLINE_STALE_VERSION');
      await audit.record(tx, scope, {
        action: 'measure.extend', entityType: 'measure', entityId: id, regionCode: m.region_code,
        diff: { plannedEndAt: [Number(m.planned_end_at), patch.planned_end_at], days: [days - body.days, days], reason: [null, body.reason.trim()], protocol: [null, p.id], proportionate: [m.proportionate === 1, a.proportionate] },
      });
      const after = { ...m, ...patch, version: m.version + 1 };
      return { after, grids: await this.deps.lifecycle.extendIn(tx, scope, m, after) };
    });
    this.deps.lifecycle.announce(scope, row.grids, id);
    return this.view(row.after);
  }

  /** A person releases a measure in force (the planned end releases it by itself). */
  async release(scope: Scope, id: string, body: MeasureReleaseBody): Promise<Measure> {
    scope.require('measure.write');
    const row = await this.deps.db.transaction().execute(async (tx) => {
      await this.visible(tx, scope, id);
      return this.endIn(tx, scope, id, body.note.trim());
    });
    this.announceEnded(scope, row);
    return this.view(row);
  }

  /** After the commit of an early end (a release, a revoking appeal): the grid's task lists refresh live. */
  announceEnded(scope: Scope, m: MeasuresTable): void {
    this.deps.lifecycle.announce(scope, [m.region_code.slice(0, CODE_LENGTH.grid)], m.id);
  }

  /** Ends a measure in force now, inside the caller's transaction (a release, an appeal that revoked it); audited. */
  async endIn(tx: Executor, scope: Scope, id: string, note: string): Promise<MeasuresTable> {
    const m = await measuresRepository.byId(tx, id);
    if (!m) throw new AppError('GRIDLINE_NOT_FOUND');
    const now = this.deps.clock.now();
    if (m.status !== 'active' || now >= m.planned_end_at) throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body', code: 'not_active', message: '该措施不在执行中，无需解除' }] });
    const patch: Partial<MeasuresTable> = { status: 'ended', ended_at: Math.max(now, m.start_at + 1), end_note: note, updated_at: now };
    if (!(await measuresRepository.update(tx, id, m.version, patch))) throw new AppError('GRIDLINE_STALE_VERSION');
    await this.deps.audit.record(tx, scope, { action: 'measure.release', entityType: 'measure', entityId: id, regionCode: m.region_code, diff: { status: [m.status, 'ended'], note: [null, note] } });
    const after = { ...m, ...patch, version: m.version + 1 };
    await this.deps.lifecycle.closeIn(tx, scope, after, note);
    return after;
  }

  /** A measure as the person under it sees it in the portal (the notice). */
  shownForResident(m: MeasuresTable): Promise<Measure> {
    return this.view(m);
  }

  async get(scope: Scope, id: string): Promise<Measure> {
    scope.require('measure.read');
    return this.view(await this.visible(this.deps.db, scope, id));
  }

  async list(scope: Scope, q: MeasureListQuery): Promise<MeasurePage> {
    scope.require('measure.read');
    const node = q.node ?? scope.node;
    scope.target(node);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { rows, total } = await measuresRepository.list(this.deps.db, scope, node, { ...q, page, pageSize });
    return { items: await this.views(rows), total, page, pageSize };
  }

  private async visible(db: Executor, scope: Scope, id: string): Promise<MeasuresTable> {
    const m = await measuresRepository.byId(db, id);
    if (!m) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(m.region_code);
    return m;
  }

  private async view(m: MeasuresTable): Promise<Measure> {
    return (await this.views([m]))[0]!;
  }

  /** Measures as the API shows them: the people's names and the areas' resident counts read once for the whole list. */
  private async views(rows: readonly MeasuresTable[]): Promise<Measure[]> {
    const { db } = this.deps;
    const residentIds = [...new Set(rows.flatMap((m) => (m.resident_id ? [m.resident_id] : [])))];
    const areaCodes = [...new Set(rows.filter((m) => m.kind === 'area_control').map((m) => m.region_code))];
    const [names, counts] = await Promise.all([
      residentIds.length ? db.selectFrom('residents').select(['id', 'name']).where('id', 'in', residentIds).execute() : [],
      residentCountsRepository.ofMany(db, areaCodes),
    ]);
    const nameOf = new Map(names.map((r) => [r.id, r.name]));
    return Promise.all(rows.map((m) => this.shape(m, m.resident_id ? (nameOf.get(m.resident_id) ?? '') : '', counts.get(m.region_code) ?? 0)));
  }

  private async shape(m: MeasuresTable, residentName: string, areaResidents: number): Promise<Measure> {
    const now = this.deps.clock.now();
    const protocol = await this.deps.protocol.byId(m.protocol_id);
    const assessment = JSON.parse(m.assessment) as { excesses: { code: string; message: string }[] };
    const end = m.ended_at ?? m.planned_end_at;
    const affected = m.kind === 'area_control' ? { residentsAffected: areaResidents } : {};
    return {
      id: m.id, kind: m.kind as Measure['kind'], status: m.status as Measure['status'], subjectKind: m.subject_kind as Measure['subjectKind'],
      resident: m.resident_id ? { id: m.resident_id, name: residentName } : null, regionCode: m.region_code, areaLevel: m.area_level as Measure['areaLevel'], ...affected,
      place: m.place_kind ? { kind: m.place_kind, name: m.place_name ?? '', siteId: m.site_id ?? null } : null,
      legalBases: (JSON.parse(m.legal_basis) as string[]).map((id) => {
        const b = legalBasis(id);
        return { id, law: b?.law ?? id, lawVersion: b?.lawVersion ?? '', article: b?.article ?? '' };
      }),
      protocol: { id: m.protocol_id, name: protocol?.name ?? m.protocol_id },
      startAt: Number(m.start_at), plannedEndAt: Number(m.planned_end_at), endedAt: m.ended_at === null ? null : Number(m.ended_at),
      inForce: m.status === 'active' && Number(m.start_at) <= now && now < Number(end),
      proportionate: m.proportionate === 1, excesses: assessment.excesses, requiredApproval: m.required_approval as ApprovalLevel, reason: m.reason,
      decision: m.decided_at === null ? null : { by: m.decided_by_name ?? '', at: Number(m.decided_at), approved: m.status !== 'refused', reason: m.decision_reason ?? '' },
      createdBy: m.created_by_name, createdAt: Number(m.created_at), version: m.version,
    };
  }
}

const LEVEL_ZH: Record<ApprovalLevel, string> = { community: '社区', street: '街道', district: '区' };
