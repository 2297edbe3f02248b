import { addDays, daysBetween, isCalendarDate, shanghaiDay, type CreateMonitoringBody, type HealthMonitoring, type MonitoringListQuery } from '@gridline/shared';
import type { Db, Executor, HealthMonitoringTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import { residentsRepository } from '../residents/residents.repository.js';
import { healthRepository, toMonitoring } from './health.repository.js';

/** The longest a resident may be put under daily reporting by hand; arrivals follow their protocol's days. */
export const MANUAL_MONITORING_MAX_DAYS = 30;

export interface MonitoringDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
}

function auditView(m: Pick<HealthMonitoringTable, 'resident_id' | 'reason' | 'note' | 'start_day' | 'end_day' | 'source_type' | 'source_id' | 'protocol_id'>) {
  return { residentId: m.resident_id, reason: m.reason, note: m.note, startDay: m.start_day, endDay: m.end_day, source: m.source_type ? `${m.source_type}:${m.source_id}` : null, protocolId: m.protocol_id };
}

/**
 * Health monitoring: who must report daily, from which day to which. Arrivals add it as their protocol requires
 * (through `addIn`, in their own transaction); staff add it by hand with a reason and an end date.
 */
export class MonitoringService {
  constructor(private readonly deps: MonitoringDeps) {}

  private today(): string {
    return shanghaiDay(this.deps.clock.now());
  }

  /** Adds monitoring inside the caller's transaction, audited as the caller's action. */
  async addIn(tx: Executor, scope: Scope, input: { residentId: string; regionCode: string; reason: 'arrival' | 'manual'; note: string; startDay: string; endDay: string; source?: { type: string; id: string }; protocolId?: string | null }): Promise<HealthMonitoringTable> {
    const row: HealthMonitoringTable = {
      id: newId(), resident_id: input.residentId, region_code: input.regionCode, reason: input.reason, note: input.note, start_day: input.startDay, end_day: input.endDay,
      source_type: input.source?.type ?? null, source_id: input.source?.id ?? null, protocol_id: input.protocolId ?? null, created_by: scope.actor.userId,
      created_at: this.deps.clock.now(), ended_at: null, ended_by: null, end_note: null,
    };
    await healthRepository.insertMonitoring(tx, row);
    await this.deps.audit.record(tx, scope, { action: 'health.monitoring.create', entityType: 'health_monitoring', entityId: row.id, regionCode: row.region_code, diff: auditDiff(null, auditView(row)) });
    return row;
  }

  /** Ends the monitoring a record added (an arrival withdrawn), inside the caller's transaction. */
  async endBySourceIn(tx: Executor, scope: Scope, source: { type: string; id: string }, note: string): Promise<void> {
    for (const m of await healthRepository.monitoringBySource(tx, source.type, source.id)) await this.endRow(tx, scope, m, note);
  }

  private async endRow(tx: Executor, scope: Scope, m: HealthMonitoringTable, note: string) {
    if (m.ended_at !== null) return;
    const patch = { ended_at: this.deps.clock.now(), ended_by: scope.actor.userId, end_note: note };
    await healthRepository.endMonitoring(tx, m.id, patch);
    await this.deps.audit.record(tx, scope, { action: 'health.monitoring.end', entityType: 'health_monitoring', entityId: m.id, regionCode: m.region_code, diff: { endedAt: [null, patch.ended_at], endNote: [null, note] } });
  }

  async list(scope: Scope, q: MonitoringListQuery) {
    scope.require('health.read');
    const node = scope.narrow(q.node);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const today = this.today();
    const { rows, total } = await healthRepository.listMonitoring(this.deps.db, scope, node, { residentId: q.residentId, active: q.active, page, pageSize }, today);
    return { items: rows.map((r) => toMonitoring(r, today)), total, page, pageSize };
  }

  /** A resident put under daily reporting by hand, with a reason and an end date. */
  async create(scope: Scope, body: CreateMonitoringBody): Promise<HealthMonitoring> {
    scope.require('health.write');
    const today = this.today();
    const startDay = body.startDate ?? today;
    const fields = [];
    if (!isCalendarDate(startDay) || startDay < today) fields.push({ path: '/body/startDate', code: 'range', message: '开始日期不能早于今天' });
    if (!isCalendarDate(body.endDate) || body.endDate < startDay) fields.push({ path: '/body/endDate', code: 'range', message: '结束日期不能早于开始日期' });
    else if (daysBetween(startDay, body.endDate) >= MANUAL_MONITORING_MAX_DAYS) fields.push({ path: '/body/endDate', code: 'range', message: `健康监测最长 ${MANUAL_MONITORING_MAX_DAYS} 天（至 ${addDays(startDay, MANUAL_MONITORING_MAX_DAYS - 1)}）` });
    if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
    const id = await this.deps.db.transaction().execute(async (tx) => {
      const r = await residentsRepository.byId(tx, body.residentId);
      if (!r || !scope.covers(r.region_code)) throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/residentId', code: 'missing', message: '所选居民不存在或不在您的管辖范围内' }] });
      return (await this.addIn(tx, scope, { residentId: r.id, regionCode: r.region_code, reason: 'manual', note: body.note.trim(), startDay, endDay: body.endDate })).id;
    });
    return this.get(scope, id);
  }

  async end(scope: Scope, id: string, note: string): Promise<HealthMonitoring> {
    scope.require('health.write');
    await this.deps.db.transaction().execute(async (tx) => {
      const m = await healthRepository.shownMonitoring(tx, id);
      const r = m ? await residentsRepository.byId(tx, m.resident_id) : undefined;
      if (!m || !r) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(r.region_code);
      if (m.ended_at !== null) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/params/id', code: 'ended', message: '该健康监测已结束' }] });
      await this.endRow(tx, scope, m, note.trim());
    });
    return this.get(scope, id);
  }

  private async get(scope: Scope, id: string): Promise<HealthMonitoring> {
    const m = await healthRepository.shownMonitoring(this.deps.db, id);
    const r = m ? await residentsRepository.byId(this.deps.db, m.resident_id) : undefined;
    if (!m || !r) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(r.region_code);
    return toMonitoring(m, this.today());
  }
}
