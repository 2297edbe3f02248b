import {
  addDays, DAY_MS, evaluateRelease, shanghaiDay, shanghaiDayStart, type BulkReleaseBody, type BulkReleaseResult, type PersonMeasure, type ReleaseListQuery, type ReleaseProposal,
  type ReleaseProposalPage, type ReleaseVerdict, type Symptom, type TestResult,
} from '@gridline/shared';
import type { Db, Executor, MeasuresTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import { measuresRepository } from './measures.repository.js';
import { lifecycleRepository, type DueRow } from './measures-lifecycle.repository.js';
import type { MeasureLifecycle } from './measures-lifecycle.service.js';

export interface ReleasesDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  lifecycle: MeasureLifecycle;
}

type Evidence = { tests: { sampledAt: number; result: TestResult }[]; reports: { day: string; temperatureC: number; symptoms: Symptom[] }[] };

/**
 * Release proposals at the due date (issue #7): person measures whose last day is today or past and that no person
 * has released, each with the release conditions of the protocol version at its start judged on what was reported.
 * The planned end ends the measure's effect by itself (measures.passage.ts); the release is the human record of it,
 * which the release certificate then states.
 */
export class MeasureReleases {
  constructor(private readonly deps: ReleasesDeps) {}

  /** The end of today in Shanghai: a measure whose last day is today is due. */
  private horizon(now: number): number {
    return shanghaiDayStart(addDays(shanghaiDay(now), 1));
  }

  async proposals(scope: Scope, q: ReleaseListQuery): Promise<ReleaseProposalPage> {
    scope.require('measure.read');
    const node = scope.narrow(q.node);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const now = this.deps.clock.now();
    const { rows, total } = await lifecycleRepository.dueForRelease(this.deps.db, scope, node, this.horizon(now), page, pageSize);
    const evidence = await this.evidence(this.deps.db, rows);
    const items: ReleaseProposal[] = [];
    for (const m of rows) items.push(await this.proposal(m, evidence.get(m.resident_id!) ?? { tests: [], reports: [] }, now));
    return { items, total, page, pageSize, at: now };
  }

  private async proposal(m: DueRow, ev: Evidence, now: number): Promise<ReleaseProposal> {
    const { p, verdict, lastDay } = await this.judge(m, ev);
    return {
      id: m.id, kind: m.kind as PersonMeasure, resident: { id: m.resident_id!, name: m.resident_name }, regionCode: m.region_code, protocol: { id: p.id, name: p.name },
      startAt: Number(m.start_at), plannedEndAt: Number(m.planned_end_at), dueDay: lastDay, overdue: now >= Number(m.planned_end_at), extendable: now < Number(m.planned_end_at),
      met: verdict.met, summary: verdict.summary, conditions: verdict.conditions, version: m.version,
    };
  }

  private async judge(m: MeasuresTable, ev: Evidence) {
    const { p, subject, schedule } = await this.deps.lifecycle.scheduleOf(m);
    return { p, verdict: evaluateRelease(p, subject, schedule, ev), lastDay: schedule.lastDay };
  }

  /** Tests and reports over the measures' windows, for all of them in two queries. */
  private async evidence(db: Executor, rows: MeasuresTable[]): Promise<Map<string, Evidence>> {
    const out = new Map<string, Evidence>();
    if (!rows.length) return out;
    const ids = [...new Set(rows.map((r) => r.resident_id!))];
    const from = Math.min(...rows.map((r) => Number(r.start_at)));
    const to = Math.max(...rows.map((r) => Number(r.planned_end_at))) + DAY_MS;
    const [tests, reports] = await Promise.all([lifecycleRepository.testsOf(db, ids, from, to), lifecycleRepository.reportsOf(db, ids, from, to)]);
    const of = (id: string) => {
      let e = out.get(id);
      if (!e) out.set(id, (e = { tests: [], reports: [] }));
      return e;
    };
    for (const t of tests) if (t.test_sampled_at !== null && t.test_result) of(t.resident_id).tests.push({ sampledAt: Number(t.test_sampled_at), result: t.test_result as TestResult });
    for (const r of reports) of(r.resident_id).reports.push({ day: r.day, temperatureC: r.temperature_tenths / 10, symptoms: JSON.parse(r.symptoms) as Symptom[] });
    return out;
  }

  /**
   * Releases many at once, one transaction each: every release is its own decision about one person (and its own
   * certificate), so a measure changed meanwhile (extended, revoked on appeal) or whose conditions do not hold is
   * reported alone while the others are released. Ids out of reach refuse the whole request first, as if missing.
   */
  async release(scope: Scope, body: BulkReleaseBody): Promise<BulkReleaseResult> {
    scope.require('measure.write');
    const ids = [...new Set(body.measureIds)];
    const found = await lifecycleRepository.measuresByIds(this.deps.db, scope, ids);
    if (found.length !== ids.length) throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/measureIds', code: 'missing', message: '部分措施不存在或不在您的管辖范围内' }] });
    if (found.some((m) => m.kind === 'area_control')) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/measureIds', code: 'area', message: '区域管控按解除条件办理，请只选择人员措施' }] });
    const override = body.overrideReason?.trim() ?? '';
    const results: BulkReleaseResult['results'] = [];
    for (const id of ids) {
      try {
        const grids = await this.deps.db.transaction().execute((tx) => this.releaseOne(tx, scope, id, body.note?.trim() ?? '', override));
        this.deps.lifecycle.announce(scope, grids, id);
        results.push({ id, released: true, problem: null });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        results.push({ id, released: false, problem: err.fields?.[0]?.message ?? (err.code === 'GRIDLINE_STALE_VERSION' ? '该措施刚被他人修改，请刷新后重试' : err.message) });
      }
    }
    return { released: results.filter((r) => r.released).length, results };
  }

  private async releaseOne(tx: Executor, scope: Scope, id: string, note: string, override: string): Promise<string[]> {
    const m = await measuresRepository.byId(tx, id);
    if (!m) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(m.region_code);
    const now = this.deps.clock.now();
    if (m.status !== 'active' || Number(m.planned_end_at) > this.horizon(now)) {
      throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body/measureIds', code: 'not_due', message: m.status === 'active' ? '未到解除日期（提前解除请在措施详情中办理）' : '该措施已解除或未生效' }] });
    }
    const [ev] = [...(await this.evidence(tx, [m])).values()];
    const { verdict } = await this.judge(m, ev ?? { tests: [], reports: [] });
    if (!verdict.met && override.length < 4) {
      throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body/overrideReason', code: 'conditions', message: `${verdict.summary}（须延长，或写明理由后解除）` }] });
    }
    // Released on the due day: the effect ends now. Released after the planned end: it ended then; the record says so.
    const endedAt = Math.max(Math.min(now, Number(m.planned_end_at)), Number(m.start_at) + 1);
    const endNote = this.endNote(verdict, note, override);
    const patch: Partial<MeasuresTable> = { status: 'ended', ended_at: endedAt, end_note: endNote, updated_at: now };
    if (!(await measuresRepository.update(tx, id, m.version, patch))) throw new AppError('GRIDLINE_STALE_VERSION');
    await this.deps.audit.record(tx, scope, {
      action: 'measure.release', entityType: 'measure', entityId: id, regionCode: m.region_code,
      diff: { status: [m.status, 'ended'], endedAt: [null, endedAt], note: [null, endNote], conditions: [null, verdict.summary], override: [null, verdict.met ? null : override] },
    });
    return this.deps.lifecycle.closeIn(tx, scope, { ...m, ...patch, version: m.version + 1 }, endNote);
  }

  private endNote(v: ReleaseVerdict, note: string, override: string): string {
    const base = v.met ? '期满解除，解除条件满足' : `期满解除（${v.summary}；理由：${override}）`;
    return note ? `${base}；${note}` : base;
  }
}
