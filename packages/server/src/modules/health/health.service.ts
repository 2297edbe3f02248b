import {
  CODE_LENGTH, followUpDueAt, isAbnormalReport, roundTemperature, shanghaiDay, shanghaiDayStart, SYMPTOM_LABELS, SYMPTOMS, temperatureProblem, type FieldError, type HealthFlag,
  type HealthReportBody, type HealthReportListQuery, type HealthReportResult, type HealthSummary, type MissingQuery, type MyHealthReportBody,
  type MyHealthToday, type ProtocolValues, type Symptom,
} from '@gridline/shared';
import type { Db, HealthReportsTable, ResidentsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import { residentsRepository } from '../residents/residents.repository.js';
import { gridOf } from '../tasks/tasks.repository.js';
import type { TasksService } from '../tasks/tasks.service.js';
import { healthRepository, toReport } from './health.repository.js';

export interface HealthDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  protocol: ProtocolProvider;
  tasks: TasksService;
}

/** A test result may be entered up to a few minutes "ahead" (clock skew) and at most two weeks back. */
const TEST_SKEW_MS = 10 * 60_000;
const TEST_MAX_AGE_MS = 14 * 86_400_000;

function protocolRef(p: ProtocolValues) {
  return { id: p.id, name: p.name, feverThresholdC: p.feverThresholdC, abnormalSymptoms: [...p.abnormalSymptoms] };
}

/** Reasons as people read them: the temperature sentence as is, symptom codes by their Chinese names. */
function reasonsZh(reasons: string[]): string {
  return reasons.map((r) => ((SYMPTOMS as readonly string[]).includes(r) ? SYMPTOM_LABELS[r as Symptom].zh : r)).join('；');
}

function auditView(r: Pick<HealthReportsTable, 'temperature_tenths' | 'symptoms' | 'test_result' | 'test_sampled_at' | 'note' | 'abnormal' | 'protocol_id' | 'reporter_kind'>) {
  return { temperatureC: r.temperature_tenths / 10, symptoms: JSON.parse(r.symptoms) as string[], test: r.test_result ? `${r.test_result}@${r.test_sampled_at}` : null, note: r.note, abnormal: r.abnormal === 1, protocolId: r.protocol_id, reporter: r.reporter_kind };
}

/**
 * Daily health reports. One report per resident per Shanghai day; a second one that day replaces it (audited
 * as an update). The protocol in force judges it; an abnormal report flags the resident and raises one
 * follow-up task for their grid (none if one is still open).
 */
export class HealthService {
  constructor(private readonly deps: HealthDeps) {}

  private today(): string {
    return shanghaiDay(this.deps.clock.now());
  }

  /** A worker records a resident's report (in person, by phone). */
  async report(scope: Scope, body: HealthReportBody): Promise<HealthReportResult> {
    scope.require('health.write');
    const resident = await residentsRepository.byId(this.deps.db, body.residentId);
    if (!resident || !scope.covers(resident.region_code)) {
      throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/residentId', code: 'missing', message: '所选居民不存在或不在您的管辖范围内' }] });
    }
    return this.record(scope, resident, body, 'worker');
  }

  /** The resident's own report in the portal. */
  async reportMine(scope: Scope, body: MyHealthReportBody): Promise<HealthReportResult> {
    scope.require('self.write');
    const resident = await this.myResident(scope);
    return this.record(scope, resident, body, 'self');
  }

  async myToday(scope: Scope): Promise<MyHealthToday> {
    scope.require('self.read');
    const resident = await this.myResident(scope);
    const now = this.deps.clock.now();
    const day = shanghaiDay(now);
    const [existing, monitoring, protocol] = await Promise.all([
      healthRepository.reportByResidentDay(this.deps.db, resident.id, day),
      healthRepository.activeMonitoring(this.deps.db, resident.id, day),
      this.deps.protocol.inForce(now),
    ]);
    return {
      day,
      required: !!monitoring,
      monitoringEndDay: monitoring?.end_day ?? null,
      report: existing ? toReport({ ...existing, resident_name: resident.name }) : null,
      protocol: protocolRef(protocol),
    };
  }

  private async myResident(scope: Scope): Promise<ResidentsTable> {
    const row = scope.actor.residentId ? await residentsRepository.byId(this.deps.db, scope.actor.residentId) : undefined;
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.region_code);
    return row;
  }

  private async record(scope: Scope, resident: ResidentsTable, body: MyHealthReportBody, kind: 'self' | 'worker'): Promise<HealthReportResult> {
    const { db, clock, audit, tasks } = this.deps;
    const now = clock.now();
    const fields: FieldError[] = [];
    const problem = temperatureProblem(body.temperatureC);
    if (problem) fields.push({ path: '/body/temperatureC', code: 'range', message: problem });
    if (body.test && (body.test.sampledAt > now + TEST_SKEW_MS || body.test.sampledAt < now - TEST_MAX_AGE_MS)) {
      fields.push({ path: '/body/test/sampledAt', code: 'range', message: '采样时间须在最近 14 天内，且不能晚于现在' });
    }
    if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
    const day = shanghaiDay(now);
    const temperature = roundTemperature(body.temperatureC);
    const symptoms = SYMPTOMS.filter((s) => body.symptoms.includes(s));
    const protocol = await this.deps.protocol.inForce(now);
    const judged = isAbnormalReport(protocol, temperature, symptoms);

    const out = await db.transaction().execute(async (tx) => {
      const before = await healthRepository.reportByResidentDay(tx, resident.id, day);
      const row: HealthReportsTable = {
        id: newId(), resident_id: resident.id, region_code: resident.region_code, day, day_start: shanghaiDayStart(day), temperature_tenths: Math.round(temperature * 10), symptoms: JSON.stringify(symptoms),
        test_sampled_at: body.test?.sampledAt ?? null, test_result: body.test?.result ?? null, note: body.note?.trim() ?? '', abnormal: judged.abnormal ? 1 : 0,
        abnormal_reasons: JSON.stringify(judged.reasons), protocol_id: protocol.id, reporter_kind: kind, reporter_id: scope.actor.userId,
        reporter_name: scope.actor.displayName || scope.actor.username, reported_at: now, created_at: now, version: 1,
      };
      const stored = await healthRepository.upsertReport(tx, row);
      const updated = stored.id !== row.id;
      await audit.record(tx, scope, {
        action: updated ? 'health.report.update' : 'health.report.create', entityType: 'health_report', entityId: stored.id, regionCode: resident.region_code,
        diff: auditDiff(before ? auditView(before) : null, auditView(row)),
      });
      let followUp: { id: string; created: boolean } | null = null;
      if (judged.abnormal) {
        const open = await tasks.activeFor(tx, resident.id, 'health_followup');
        if (open) followUp = { id: open.id, created: false };
        else {
          const task = await tasks.addIn(tx, scope, {
            type: 'health_followup', title: '健康异常随访', detail: `${day} ${reasonsZh(judged.reasons)}（依据《${protocol.name}》）`,
            regionCode: gridOf(resident.region_code), residentId: resident.id, dueAt: followUpDueAt(now), source: { type: 'health_report', id: stored.id },
          });
          followUp = { id: task.id, created: true };
        }
      }
      return { id: stored.id, updated, followUp };
    });
    if (out.followUp?.created) tasks.announceChanged(scope, gridOf(resident.region_code), { action: 'create', taskId: out.followUp.id, type: 'health_followup' });
    const shown = await healthRepository.shownReport(db, out.id);
    if (!shown) throw new AppError('GRIDLINE_NOT_FOUND');
    return { report: toReport(shown), updated: out.updated, followUpTaskId: out.followUp?.id ?? null };
  }

  /** The fever threshold and abnormal symptoms in force now (the report form colours a fever as it is typed). */
  async protocolNow(scope: Scope) {
    scope.require('health.read');
    return protocolRef(await this.deps.protocol.inForce(this.deps.clock.now()));
  }

  async list(scope: Scope, q: HealthReportListQuery) {
    scope.require('health.read');
    const node = scope.narrow(q.node);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { rows, total } = await healthRepository.listReports(this.deps.db, scope, node, { day: q.day, abnormal: q.abnormal, residentId: q.residentId, page, pageSize });
    return { items: rows.map(toReport), total, page, pageSize };
  }

  /** Today under a node, per grid: reports, abnormal ones, residents required to report and those still missing. */
  async summary(scope: Scope, requested: string | undefined): Promise<HealthSummary> {
    scope.require('health.read');
    const node = scope.narrow(requested);
    const now = this.deps.clock.now();
    const day = shanghaiDay(now);
    const len = CODE_LENGTH.grid;
    const { db } = this.deps;
    const [protocol, grids, reports, required] = await Promise.all([
      this.deps.protocol.inForce(now),
      healthRepository.gridsUnder(db, node, len),
      healthRepository.reportsPerGrid(db, scope, node, day, len),
      healthRepository.requiredPerGrid(db, scope, node, day, len),
    ]);
    const byGrid = new Map(grids.map((g) => [g.code, { code: g.code, name: g.name, reports: 0, abnormal: 0, required: 0, missing: 0 }]));
    const row = (code: string) => {
      let r = byGrid.get(code);
      if (!r) byGrid.set(code, (r = { code, name: code, reports: 0, abnormal: 0, required: 0, missing: 0 }));
      return r;
    };
    for (const r of reports) Object.assign(row(r.grid), { reports: Number(r.reports), abnormal: Number(r.abnormal ?? 0) });
    for (const r of required) Object.assign(row(r.grid), { required: Number(r.required), missing: Number(r.missing ?? 0) });
    const list = [...byGrid.values()].sort((a, b) => a.code.localeCompare(b.code));
    const totals = list.reduce((t, g) => ({ reports: t.reports + g.reports, abnormal: t.abnormal + g.abnormal, required: t.required + g.required, missing: t.missing + g.missing }), { reports: 0, abnormal: 0, required: 0, missing: 0 });
    return { day, protocol: protocolRef(protocol), totals, grids: list };
  }

  /** Residents who must report today and have not, for the grid worker to chase (phones masked). */
  async missing(scope: Scope, q: MissingQuery) {
    scope.require('health.read');
    const node = scope.narrow(q.node);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const { rows, total } = await healthRepository.missing(this.deps.db, scope, node, this.today(), page, pageSize);
    return {
      items: rows.map((r) => ({
        residentId: r.resident_id, name: r.name, phoneMasked: r.phone_masked, regionCode: r.region_code, gridCode: gridOf(r.region_code), address: r.address,
        monitoringId: r.monitoring_id, reason: r.note || (r.reason === 'arrival' ? '来返人员健康监测' : '健康监测'), endDay: r.end_day, lastReportDay: (r.last_day as string | null) ?? null,
      })),
      total, page, pageSize,
    };
  }

  /** Health flags for residents of the register list: an abnormal report still followed up; monitoring today. */
  async flags(scope: Scope, ids: string[]): Promise<{ items: HealthFlag[] }> {
    scope.require('health.read');
    const { db, tasks } = this.deps;
    const inScope = (await healthRepository.residentsInScope(db, scope, [...new Set(ids)])).map((r) => r.id);
    const day = this.today();
    const [open, monitoring] = await Promise.all([tasks.activeForResidents(db, inScope, 'health_followup'), healthRepository.monitoringOf(db, inScope, day)]);
    const reports = new Map((await healthRepository.reportsByIds(db, open.map((t) => t.source_id).filter((s): s is string => !!s))).map((r) => [r.id, r]));
    const items = new Map<string, HealthFlag>();
    const flag = (id: string) => {
      let f = items.get(id);
      if (!f) items.set(id, (f = { residentId: id, abnormal: null, monitoring: null }));
      return f;
    };
    for (const t of open) {
      if (!t.resident_id) continue;
      const report = t.source_id ? reports.get(t.source_id) : undefined;
      flag(t.resident_id).abnormal = { day: report?.day ?? shanghaiDay(Number(t.created_at)), reasons: report ? (JSON.parse(report.abnormal_reasons) as string[]) : [], taskId: t.id };
    }
    for (const m of monitoring) {
      const f = flag(m.resident_id);
      if (!f.monitoring || m.end_day > f.monitoring.endDay) f.monitoring = { endDay: m.end_day, reason: m.reason as 'arrival' | 'manual', reportedToday: Boolean(Number(m.reported)) };
    }
    return { items: [...items.values()] };
  }
}
