import {
  addDays, arrivalPlan, describeArrivalPlan, isCalendarDate, ORIGIN_RISK_LABELS, originLevels, shanghaiDay, shanghaiDayStart, testTaskTitle, type Arrival, type ArrivalListQuery,
  type ArrivalPlanT, type ArrivalRules, type CreateArrivalBody, type FieldError, type MyArrivalBody, type OriginRisk, type ProtocolValues, type Resident,
} from '@gridline/shared';
import type { ArrivalsTable, Db, Executor, ResidentsTable, TasksTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import type { MonitoringService } from '../health/monitoring.service.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import { residentsRepository } from '../residents/residents.repository.js';
import type { ResidentsService } from '../residents/residents.service.js';
import { gridOf } from '../tasks/tasks.repository.js';
import type { TasksService } from '../tasks/tasks.service.js';
import { arrivalsRepository, toArrival, type ArrivalRow } from './arrivals.repository.js';

export interface ArrivalsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  protocol: ProtocolProvider;
  tasks: TasksService;
  monitoring: MonitoringService;
  residents: ResidentsService;
}

/** Arrivals may be reported ahead (报备 before travelling) and late, within these bounds. */
export const ARRIVAL_DAYS_AHEAD = 14;
export const ARRIVAL_DAYS_BACK = 90;

type Travel = MyArrivalBody;
const SOURCE = 'arrival';

function auditView(a: Pick<ArrivalsTable, 'resident_id' | 'origin_name' | 'origin_risk' | 'arrival_date' | 'transport' | 'transport_no' | 'protocol_id' | 'measure' | 'status'>) {
  return { residentId: a.resident_id, originName: a.origin_name, originRisk: a.origin_risk, arrivalDate: a.arrival_date, transport: a.transport, transportNo: a.transport_no, protocolId: a.protocol_id, measure: a.measure, status: a.status };
}

/**
 * Arrival reports (来返人员报备). The protocol in force at the arrival date decides what follows: daily health
 * monitoring, a task per test day ("第N天核酸"), isolation with its start and end. The record keeps what the
 * protocol required (plan + protocol id); it is not an isolation order (a later issue issues lawful orders).
 */
export class ArrivalsService {
  constructor(private readonly deps: ArrivalsDeps) {}

  private toPlan(p: ProtocolValues, origin: OriginRisk, date: string): ArrivalPlanT {
    const plan = arrivalPlan(p, origin, date);
    return { ...plan, summary: describeArrivalPlan(plan) };
  }

  /** The risk levels the protocol in force on `date` distinguishes, and what each requires. */
  async rules(date: string): Promise<ArrivalRules> {
    if (!isCalendarDate(date)) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/query/date', code: 'format', message: '日期不存在' }] });
    const p = await this.deps.protocol.inForce(shanghaiDayStart(date));
    return {
      date,
      protocol: { id: p.id, name: p.name, document: p.document, effectiveFrom: p.effectiveFrom },
      levels: originLevels(p).map((origin) => ({ origin, plan: this.toPlan(p, origin, date) })),
    };
  }

  /** Checks the travel fields against the calendar and the protocol in force at the arrival date. */
  private async checkTravel(t: Travel): Promise<ProtocolValues> {
    const today = shanghaiDay(this.deps.clock.now());
    const fields: FieldError[] = [];
    if (!isCalendarDate(t.arrivalDate)) fields.push({ path: '/body/arrivalDate', code: 'format', message: '日期不存在' });
    else if (t.arrivalDate > addDays(today, ARRIVAL_DAYS_AHEAD)) fields.push({ path: '/body/arrivalDate', code: 'range', message: `最多可提前 ${ARRIVAL_DAYS_AHEAD} 天报备` });
    else if (t.arrivalDate < addDays(today, -ARRIVAL_DAYS_BACK)) fields.push({ path: '/body/arrivalDate', code: 'range', message: `只能补报 ${ARRIVAL_DAYS_BACK} 天内的来返` });
    if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
    const p = await this.deps.protocol.inForce(shanghaiDayStart(t.arrivalDate));
    const levels = originLevels(p);
    if (!levels.includes(t.originRisk)) {
      throw new AppError('GRIDLINE_VALIDATION', {
        fields: [{ path: '/body/originRisk', code: 'level', message: `《${p.name}》未设“${ORIGIN_RISK_LABELS[t.originRisk].zh}”等级，请从${levels.map((l) => ORIGIN_RISK_LABELS[l].zh).join('、')}中选择` }],
      });
    }
    return p;
  }

  /** A worker reports an arrival: a registered resident, or a new person registered at the arrival address. */
  async create(scope: Scope, body: CreateArrivalBody): Promise<Arrival> {
    scope.require('arrival.write');
    if (!!body.residentId === !!body.person) {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/residentId', code: 'one_of', message: '请选择已登记的居民，或填写新登记人员的信息（二选一）' }] });
    }
    const protocol = await this.checkTravel(body);
    if (body.residentId) {
      const resident = await residentsRepository.byId(this.deps.db, body.residentId);
      if (!resident || !scope.covers(resident.region_code)) {
        throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/residentId', code: 'missing', message: '所选居民不存在或不在您的管辖范围内' }] });
      }
      return this.record(scope, () => Promise.resolve(resident), body, protocol, 'worker', false);
    }
    const p = body.person!;
    // Registered through the register's own service (validated, deduplicated, audited the same way), in the
    // arrival's transaction: a refused arrival leaves no half-registered person behind.
    let created: Resident | undefined;
    const arrival = await this.record(
      scope,
      async (tx) => {
        created = await this.deps.residents
          .createIn(tx, scope, {
            householdId: p.householdId, name: p.name, docType: p.docType, docNumber: p.docNumber, phone: p.phone ?? null,
            ...(p.sex ? { sex: p.sex } : {}), ...(p.birthDate ? { birthDate: p.birthDate } : {}),
            relationToHead: p.relationToHead ?? 'non_relative', residenceStatus: p.residenceStatus ?? 'floating', notes: '来返人员报备时登记',
          })
          .catch((err: unknown) => {
            if (err instanceof AppError && err.fields) {
              throw new AppError(err.code, { fields: err.fields.map((f) => ({ ...f, path: f.path.replace(/^\/body\//, '/body/person/') })), ...(err.details ? { details: err.details } : {}), cause: err });
            }
            throw err;
          });
        const row = await residentsRepository.byId(tx, created.id);
        if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
        return row;
      },
      body, protocol, 'worker', true,
    );
    if (created) this.deps.residents.announceCreated(scope, created);
    return arrival;
  }

  /** A resident reports their own arrival in the portal. */
  async createMine(scope: Scope, body: MyArrivalBody): Promise<Arrival> {
    scope.require('self.write');
    const resident = scope.actor.residentId ? await residentsRepository.byId(this.deps.db, scope.actor.residentId) : undefined;
    if (!resident) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(resident.region_code);
    const protocol = await this.checkTravel(body);
    return this.record(scope, () => Promise.resolve(resident), body, protocol, 'self', false);
  }

  /** Stores the arrival, its monitoring and its test tasks in one transaction with the person `who` yields. */
  private async record(
    scope: Scope, who: (tx: Executor) => Promise<ResidentsTable>, t: Travel, protocol: ProtocolValues, kind: 'self' | 'worker', newlyRegistered: boolean,
  ): Promise<Arrival> {
    const { db, clock, audit, tasks, monitoring } = this.deps;
    const now = clock.now();
    const today = shanghaiDay(now);
    const plan = this.toPlan(protocol, t.originRisk, t.arrivalDate);
    let grid = '';
    let arrivalId = '';
    const raised = await db.transaction().execute(async (tx) => {
      const resident = await who(tx);
      grid = gridOf(resident.region_code);
      const row: ArrivalsTable = {
        id: newId(), resident_id: resident.id, region_code: resident.region_code, origin_name: t.originName.trim(), origin_risk: t.originRisk, arrival_date: t.arrivalDate,
        transport: t.transport, transport_no: t.transportNo?.trim() ?? '', note: t.note?.trim() ?? '', protocol_id: protocol.id, plan: JSON.stringify(plan),
        measure: plan.rule.measure, measure_start: plan.isolation?.start ?? null, measure_end: plan.isolation?.end ?? null, status: 'active',
        newly_registered: newlyRegistered ? 1 : 0, reporter_kind: kind, reporter_id: scope.actor.userId, reporter_name: scope.actor.displayName || scope.actor.username,
        created_at: now, updated_at: now, cancelled_at: null, cancel_reason: null,
      };
      arrivalId = row.id;
      const source = { type: SOURCE, id: row.id };
      await arrivalsRepository.insert(tx, row);
      await audit.record(tx, scope, { action: 'arrival.create', entityType: 'arrival', entityId: row.id, regionCode: row.region_code, diff: { ...auditDiff(null, auditView(row)), plan: plan.summary } });
      // Daily reports are required for the days still to come; past days stay in the plan as the record.
      if (plan.monitoring && plan.monitoring.endDay >= today) {
        await monitoring.addIn(tx, scope, {
          residentId: resident.id, regionCode: resident.region_code, reason: 'arrival', note: `${ORIGIN_RISK_LABELS[t.originRisk].zh}地区来返（${row.origin_name}）`,
          startDay: plan.monitoring.startDay, endDay: plan.monitoring.endDay, source, protocolId: protocol.id,
        });
      }
      const made: TasksTable[] = [];
      // A test day already over when the arrival is reported gets no task (it cannot be done any more).
      for (const test of plan.tests.filter((x) => x.dueAt > now)) {
        made.push(await tasks.addIn(tx, scope, {
          type: 'arrival_test', title: testTaskTitle(test.day), detail: `${row.origin_name} 来返，${t.arrivalDate} 抵达；${plan.summary}`, regionCode: grid,
          residentId: resident.id, dueAt: test.dueAt, source,
        }));
      }
      return made.length;
    });
    if (raised) tasks.announceChanged(scope, grid, { action: 'create', source: SOURCE, arrivalId });
    const shown = await arrivalsRepository.shown(db, arrivalId);
    if (!shown) throw new AppError('GRIDLINE_NOT_FOUND');
    return (await this.withTasks([shown]))[0]!;
  }

  private async withTasks(rows: ArrivalRow[]): Promise<Arrival[]> {
    const tasks = await this.deps.tasks.bySources(this.deps.db, SOURCE, rows.map((r) => r.id));
    return rows.map((r) =>
      toArrival(r, tasks.filter((t) => t.source_id === r.id).map((t) => ({ id: t.id, title: t.title, status: t.status as Arrival['tasks'][number]['status'], dueAt: t.due_at === null ? null : Number(t.due_at) }))),
    );
  }

  async list(scope: Scope, q: ArrivalListQuery) {
    scope.require('arrival.read');
    const node = scope.narrow(q.node);
    const { rows, total, page, pageSize } = await arrivalsRepository.list(this.deps.db, scope, node, q);
    return { items: await this.withTasks(rows), total, page, pageSize };
  }

  async get(scope: Scope, id: string): Promise<Arrival> {
    scope.require('arrival.read');
    const row = await arrivalsRepository.shown(this.deps.db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.region_code);
    return (await this.withTasks([row]))[0]!;
  }

  async mine(scope: Scope): Promise<{ items: Arrival[] }> {
    scope.require('self.read');
    const resident = scope.actor.residentId ? await residentsRepository.byId(this.deps.db, scope.actor.residentId) : undefined;
    if (!resident) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(resident.region_code);
    return { items: await this.withTasks(await arrivalsRepository.ofResident(this.deps.db, resident.id)) };
  }

  /** Withdraws a report entered in error: its open tasks are cancelled and its monitoring ends (audited). */
  async cancel(scope: Scope, id: string, reason: string): Promise<Arrival> {
    scope.require('arrival.write');
    const { db, clock, audit, tasks, monitoring } = this.deps;
    const nodes = await db.transaction().execute(async (tx) => {
      const before = await arrivalsRepository.byId(tx, id);
      if (!before) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(before.region_code);
      if (before.status !== 'active') throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/params/id', code: 'cancelled', message: '该报备已撤销' }] });
      const now = clock.now();
      const note = `来返报备撤销：${reason.trim()}`;
      await arrivalsRepository.cancel(tx, id, { status: 'cancelled', cancelled_at: now, cancel_reason: reason.trim(), updated_at: now });
      await audit.record(tx, scope, { action: 'arrival.cancel', entityType: 'arrival', entityId: id, regionCode: before.region_code, purpose: reason.trim(), diff: { status: ['active', 'cancelled'] } });
      await monitoring.endBySourceIn(tx, scope, { type: SOURCE, id }, note);
      return tasks.cancelBySource(tx, scope, { type: SOURCE, id }, note);
    });
    for (const node of nodes) tasks.announceChanged(scope, node, { action: 'update', source: SOURCE, arrivalId: id });
    return this.get(scope, id);
  }
}

