import {
  levelOfCode, nextApproval, REGION_LEVELS, type Appeal, type AppealDecisionBody, type AppealListQuery, type AppealPage, type ApprovalLevel, type FileAppealBody, type Measure,
} from '@gridline/shared';
import type { AppealsTable, Db, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import { residentsRepository } from '../residents/residents.repository.js';
import { measuresRepository } from './measures.repository.js';
import type { MeasuresService } from './measures.service.js';

/** How long the deciding level has [D]: an appeal against a measure in force is urgent; a complaint needs inquiry. */
export const APPEAL_DAYS = 3;
export const COMPLAINT_DAYS = 7;

export interface AppealsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  measures: MeasuresService;
}

/**
 * Appeals and complaints (issue #7). A person under a measure appeals from the portal; the appeal goes to the
 * level above the one that imposed it and has a deadline; its outcome is shown to the person (a revoked measure
 * ends at once). Complaints about conduct (violence, sealed doors, blocked medical staff, tenants kept out) go to
 * the auditor and are not shown to the staff they concern.
 */
export class AppealsService {
  constructor(private readonly deps: AppealsDeps) {}

  async fileMine(scope: Scope, body: FileAppealBody): Promise<Appeal> {
    scope.require('self.write');
    const { db, clock, audit } = this.deps;
    const resident = scope.actor.residentId ? await residentsRepository.byId(db, scope.actor.residentId) : undefined;
    if (!resident) throw new AppError('GRIDLINE_NOT_FOUND');
    const now = clock.now();
    let regionCode = resident.region_code;
    let handler: string;
    if (body.kind === 'appeal') {
      const m = body.measureId ? await measuresRepository.byId(db, body.measureId) : undefined;
      // Only one's own measure, or an area control over one's home.
      const mine = m && (m.resident_id === resident.id || (m.kind === 'area_control' && resident.region_code.startsWith(m.region_code)));
      if (!m || !mine || m.status === 'pending' || m.status === 'refused') {
        throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/measureId', code: 'missing', message: '请选择针对您的、已生效的措施' }] });
      }
      regionCode = m.region_code;
      handler = nextApproval(m.required_approval as ApprovalLevel);
    } else {
      if (!body.complaintKind) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/complaintKind', code: 'required', message: '请选择投诉类别' }] });
      handler = 'auditor';
    }
    const row: AppealsTable = {
      id: newId(), kind: body.kind, measure_id: body.kind === 'appeal' ? body.measureId! : null, complaint_kind: body.kind === 'complaint' ? body.complaintKind! : null,
      text: body.text.trim(), resident_id: resident.id, filed_by: scope.actor.userId, filed_by_name: resident.name, region_code: regionCode, handler_level: handler,
      filed_at: now, due_at: now + (body.kind === 'appeal' ? APPEAL_DAYS : COMPLAINT_DAYS) * 86_400_000, status: 'open', outcome: null, decision: null,
      decided_by: null, decided_by_name: null, decided_at: null, version: 1,
    };
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('appeals').values(row).execute();
      await audit.record(tx, scope, { action: `${body.kind}.file`, entityType: 'appeal', entityId: row.id, regionCode, diff: { kind: [null, row.kind], measure: [null, row.measure_id], handler: [null, handler] } });
    });
    return this.view(row);
  }

  async mine(scope: Scope): Promise<Appeal[]> {
    scope.require('self.read');
    if (!scope.actor.residentId) return [];
    const rows = await this.deps.db.selectFrom('appeals').selectAll().where('resident_id', '=', scope.actor.residentId).orderBy('filed_at', 'desc').limit(100).execute();
    return Promise.all(rows.map((r) => this.view(r)));
  }

  /** The measures a resident is under (or was, in the last 30 days), as the notice shows them. */
  async myMeasures(scope: Scope): Promise<Measure[]> {
    scope.require('self.read');
    const resident = scope.actor.residentId ? await residentsRepository.byId(this.deps.db, scope.actor.residentId) : undefined;
    if (!resident) return [];
    const since = this.deps.clock.now() - 30 * 86_400_000;
    const rows = await this.deps.db
      .selectFrom('measures')
      .select('id')
      .where('status', 'in', ['active', 'ended'])
      .where((eb) => eb.or([eb('resident_id', '=', resident.id), eb.and([eb('kind', '=', 'area_control'), eb('region_code', '<=', resident.region_code)])]))
      .where('planned_end_at', '>', since)
      .orderBy('start_at', 'desc')
      .execute();
    const out: Measure[] = [];
    for (const r of rows) {
      const m = await measuresRepository.byId(this.deps.db, r.id);
      if (m && (m.resident_id === resident.id || resident.region_code.startsWith(m.region_code))) out.push(await this.deps.measures.shownForResident(m));
    }
    return out;
  }

  async list(scope: Scope, q: AppealListQuery): Promise<AppealPage> {
    scope.require('appeal.read');
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    let base = this.deps.db.selectFrom('appeals').where(scope.where('region_code'));
    // Complaints about staff conduct are for the auditor only.
    if (!scope.can('audit.read')) base = base.where('kind', '=', 'appeal');
    if (q.kind) base = base.where('kind', '=', q.kind);
    if (q.status) base = base.where('status', '=', q.status);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('status', 'desc').orderBy('due_at', 'asc').limit(pageSize).offset((page - 1) * pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: await Promise.all(rows.map((r) => this.view(r))), total: Number(count.n), page, pageSize };
  }

  async decide(scope: Scope, id: string, body: AppealDecisionBody): Promise<Appeal> {
    scope.require('appeal.decide');
    const { db, clock, audit } = this.deps;
    const row = await db.transaction().execute(async (tx) => {
      const a = await this.visible(tx, scope, id);
      if (a.status !== 'open') throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body', code: 'decided', message: '该申诉已处理' }] });
      const complaintOutcome = body.outcome === 'substantiated' || body.outcome === 'unsubstantiated';
      if ((a.kind === 'complaint') !== complaintOutcome) {
        throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/outcome', code: 'kind', message: a.kind === 'complaint' ? '投诉的结论为“属实”或“不属实”' : '申诉的结论为维持、撤销或变更措施' }] });
      }
      if (!this.mayDecide(scope, a)) throw new AppError('GRIDLINE_FORBIDDEN', { details: { reason: a.kind === 'complaint' ? '投诉由纪检监察（审计）处理' : `须由${LEVEL_ZH[a.handler_level] ?? a.handler_level}处理` } });
      const now = clock.now();
      const patch = { status: 'decided', outcome: body.outcome, decision: body.decision.trim(), decided_by: scope.actor.userId ?? 'system', decided_by_name: scope.actor.displayName || scope.actor.username, decided_at: now, version: a.version + 1 };
      const done = await tx.updateTable('appeals').set(patch).where('id', '=', id).where('version', '=', a.version).executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new AppError('GRIDLINE_STALE_VERSION');
      await audit.record(tx, scope, { action: `${a.kind}.decide`, entityType: 'appeal', entityId: id, regionCode: a.region_code, diff: { outcome: [null, body.outcome], decision: [null, patch.decision] } });
      const ended = a.kind === 'appeal' && body.outcome === 'revoked' && a.measure_id ? await this.deps.measures.endIn(tx, scope, a.measure_id, `申诉后撤销：${patch.decision}`) : null;
      return { appeal: { ...a, ...patch }, ended };
    });
    if (row.ended) this.deps.measures.announceEnded(scope, row.ended);
    return this.view(row.appeal);
  }

  /** Appeals: the handler level or above, with the approve permission; complaints: the auditor. */
  private mayDecide(scope: Scope, a: AppealsTable): boolean {
    if (scope.actor.role === 'system') return true;
    if (a.kind === 'complaint') return scope.can('audit.read');
    if (!scope.can('measure.approve')) return false;
    const own = levelOfCode(scope.node);
    return own !== undefined && REGION_LEVELS.indexOf(own) <= REGION_LEVELS.indexOf(a.handler_level as ApprovalLevel);
  }

  private async visible(db: Executor, scope: Scope, id: string): Promise<AppealsTable> {
    const a = await db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!a || (a.kind === 'complaint' && !scope.can('audit.read'))) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(a.region_code);
    return a;
  }

  private async view(a: AppealsTable): Promise<Appeal> {
    const m = a.measure_id ? await measuresRepository.byId(this.deps.db, a.measure_id) : undefined;
    return {
      id: a.id, kind: a.kind as Appeal['kind'], measureId: a.measure_id, measureKind: (m?.kind ?? null) as Appeal['measureKind'], complaintKind: a.complaint_kind as Appeal['complaintKind'],
      text: a.text, filedBy: a.filed_by_name, regionCode: a.region_code, handlerLevel: a.handler_level, filedAt: Number(a.filed_at), dueAt: Number(a.due_at),
      overdue: a.status === 'open' && this.deps.clock.now() > Number(a.due_at), status: a.status as Appeal['status'], outcome: a.outcome as Appeal['outcome'], decision: a.decision,
      decidedBy: a.decided_by_name, decidedAt: a.decided_at === null ? null : Number(a.decided_at), version: a.version,
    };
  }
}

const LEVEL_ZH: Record<string, string> = { community: '社区', street: '街道', district: '区' };
