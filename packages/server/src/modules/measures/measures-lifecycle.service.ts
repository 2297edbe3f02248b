import { MEASURE_KIND_LABELS, measureSchedule, shanghaiDay, testTaskTitle, addDays, type MeasureSchedule, type MeasureSubject, type PersonMeasure, type ProtocolValues, type ScheduledTest } from '@gridline/shared';
import type { Executor, MeasuresTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import type { MonitoringService } from '../health/monitoring.service.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import { gridOf } from '../tasks/tasks.repository.js';
import type { TasksService } from '../tasks/tasks.service.js';

/** The source type of the monitoring rows and test tasks a measure raises. */
export const MEASURE_SOURCE = 'measure';

export interface LifecycleDeps {
  clock: Clock;
  protocol: ProtocolProvider;
  monitoring: MonitoringService;
  tasks: TasksService;
}

/** Who the measure is for, as stored with its assessment (older rows: the subject kind alone). */
export function subjectOfRow(m: Pick<MeasuresTable, 'assessment' | 'subject_kind'>): MeasureSubject {
  const stored = (JSON.parse(m.assessment) as { subject?: MeasureSubject | null }).subject;
  return stored ?? ({ kind: m.subject_kind ?? 'close_contact' } as MeasureSubject);
}

const isPerson = (m: MeasuresTable) => m.kind !== 'area_control' && !!m.resident_id;

/**
 * What a person measure sets going while it is in force (issue #7), always inside the transaction that changes the
 * measure: daily health monitoring over its window (the person reports in the portal; staff see who has not) and
 * a "第N天核酸" task for the household's grid on each test day the protocol version at its start prescribes for
 * that measure. Ending it early ends the monitoring and cancels the open tasks; extending it adds what now falls
 * inside. Pending measures set nothing going: activation is the approval.
 */
export class MeasureLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  private async versionOf(m: MeasuresTable): Promise<ProtocolValues> {
    const p = await this.deps.protocol.byId(m.protocol_id);
    if (!p) throw new AppError('GRIDLINE_NOT_FOUND', { details: { reason: `防控方案版本 ${m.protocol_id} 不存在` } });
    return p;
  }

  /** The measure's window and test days under the version at its start. */
  async scheduleOf(m: MeasuresTable): Promise<{ p: ProtocolValues; subject: MeasureSubject; schedule: MeasureSchedule }> {
    const p = await this.versionOf(m);
    const subject = subjectOfRow(m);
    return { p, subject, schedule: measureSchedule(p, subject, m.kind as PersonMeasure, Number(m.start_at), Number(m.planned_end_at)) };
  }

  /** A measure has just taken effect (created active, or approved). Returns the grids whose task lists changed. */
  async activateIn(tx: Executor, scope: Scope, m: MeasuresTable): Promise<string[]> {
    if (!isPerson(m) || m.status !== 'active') return [];
    const { p, schedule } = await this.scheduleOf(m);
    await this.monitorIn(tx, scope, m, p, schedule.firstDay, schedule.lastDay, '');
    return this.raiseTests(tx, scope, m, p, schedule.firstDay, schedule.tests);
  }

  /** A measure in force was extended: monitoring for the added days, and the test days that now fall inside. */
  async extendIn(tx: Executor, scope: Scope, before: MeasuresTable, after: MeasuresTable): Promise<string[]> {
    if (!isPerson(after) || after.status !== 'active') return [];
    const old = await this.scheduleOf(before);
    const { p, schedule } = await this.scheduleOf(after);
    if (schedule.lastDay > old.schedule.lastDay) {
      await this.monitorIn(tx, scope, after, p, addDays(old.schedule.lastDay, 1), schedule.lastDay, `（延长）`);
    }
    const had = new Set(old.schedule.tests.map((t) => t.day));
    return this.raiseTests(tx, scope, after, p, schedule.firstDay, schedule.tests.filter((t) => !had.has(t.day)));
  }

  /** A measure ended (released, or revoked on appeal): its monitoring ends and its open test tasks are cancelled. */
  async closeIn(tx: Executor, scope: Scope, m: MeasuresTable, note: string): Promise<string[]> {
    if (!isPerson(m)) return [];
    const source = { type: MEASURE_SOURCE, id: m.id };
    const why = `${MEASURE_KIND_LABELS[m.kind as PersonMeasure].zh}已解除：${note}`;
    await this.deps.monitoring.endBySourceIn(tx, scope, source, why);
    return this.deps.tasks.cancelBySource(tx, scope, source, why);
  }

  /** Tells the grids' screens (after commit) that their task lists changed. */
  announce(scope: Scope, nodes: string[], measureId: string): void {
    for (const node of new Set(nodes)) this.deps.tasks.announceChanged(scope, node, { action: 'update', source: MEASURE_SOURCE, measureId });
  }

  private async monitorIn(tx: Executor, scope: Scope, m: MeasuresTable, p: ProtocolValues, startDay: string, endDay: string, suffix: string): Promise<void> {
    // Reports are required for days still to come; a measure entered after its window adds nothing.
    if (endDay < shanghaiDay(this.deps.clock.now()) || endDay < startDay) return;
    await this.deps.monitoring.addIn(tx, scope, {
      residentId: m.resident_id!, regionCode: m.region_code, reason: 'manual', note: `${MEASURE_KIND_LABELS[m.kind as PersonMeasure].zh}期间每日健康监测${suffix}`,
      startDay, endDay, source: { type: MEASURE_SOURCE, id: m.id }, protocolId: p.id,
    });
  }

  private async raiseTests(tx: Executor, scope: Scope, m: MeasuresTable, p: ProtocolValues, firstDay: string, tests: ScheduledTest[]): Promise<string[]> {
    const now = this.deps.clock.now();
    const grid = gridOf(m.region_code);
    let raised = 0;
    // A test day already over when the measure takes effect gets no task (it cannot be done any more).
    for (const test of tests.filter((x) => x.dueAt > now)) {
      await this.deps.tasks.addIn(tx, scope, {
        type: 'measure_test', title: testTaskTitle(test.day), regionCode: grid, residentId: m.resident_id, dueAt: test.dueAt, source: { type: MEASURE_SOURCE, id: m.id },
        detail: `${MEASURE_KIND_LABELS[m.kind as PersonMeasure].zh}（${firstDay} 起），${test.date} 采样；依据《${p.name}》`,
      });
      raised++;
    }
    return raised ? [grid] : [];
  }
}
