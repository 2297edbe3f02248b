import {
  abnormalReasons, answerErrors, CODE_LENGTH, daysAfter, isUnder, isZeroDelta, nextTally, tallyDelta, type FieldError, type HouseholdTally, type Presence,
  type ResolveConflictBody, type Visit, type VisitBody, type VisitListQuery, type VisitOutcome,
} from '@gridline/shared';
import type { Executor, ScreeningCampaignsTable, ScreeningResultsTable, ScreeningVisitsTable } from '../../db/schema.js';
import { shanghaiDate } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import { announce } from '../events/event-bus.js';
import { householdsRepository } from '../residents/households.repository.js';
import { residentsRepository } from '../residents/residents.repository.js';
import { campaignsRepository } from './campaigns.repository.js';
import { questionnaireOf, type ScreeningDeps } from './screening-deps.js';
import { visitsRepository } from './visits.repository.js';

/** Another request moved the household on between our read and our write: run the visit again. */
class StateRace extends Error {}

const MAX_ATTEMPTS = 3;

/**
 * Household visits. A visit is idempotent by its client key (a repeated key returns the stored visit, never a
 * second one); a visit made without seeing a colleague's later completed visit is stored as a conflict for
 * its author to resolve, never applied over it. Accepted visits move the household's state and add their
 * delta to the grid's counters in the same transaction.
 */
export class VisitsService {
  constructor(private readonly deps: ScreeningDeps) {}

  async record(scope: Scope, body: VisitBody): Promise<Visit> {
    scope.require('screening.visit');
    const { db } = this.deps;
    for (let attempt = 1; ; attempt++) {
      const stored = await visitsRepository.byKey(db, body.clientKey);
      if (stored) return this.replay(scope, stored);
      try {
        const { id, node } = await db.transaction().execute((tx) => this.recordIn(tx, scope, body));
        announce(this.deps.bus, scope, 'screening.changed', node, { campaignId: body.campaignId, householdId: body.householdId });
        return this.view(id);
      } catch (err) {
        // The same key stored by a concurrent request (unique index), or the household moved on under us: look again.
        const race = err instanceof StateRace || (err instanceof AppError && err.code === 'GRIDLINE_CONFLICT' && !err.fields);
        if (!race || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }

  /** The author's own visits, newest first; `status=conflict` lists what they still have to resolve. */
  async mine(scope: Scope, q: VisitListQuery) {
    scope.require('screening.visit');
    const { rows, total, page, pageSize } = await visitsRepository.mine(this.deps.db, scope.actor.userId ?? '', q);
    return { items: await this.views(rows.filter((r) => scope.covers(r.household_code))), total, page, pageSize };
  }

  /** The author settles a conflict: keep the colleague's visit (theirs stands, mine is set aside) or apply mine over it. */
  async resolve(scope: Scope, id: string, body: ResolveConflictBody): Promise<Visit> {
    scope.require('screening.visit');
    const { db, clock, audit } = this.deps;
    let node = '';
    await db.transaction().execute(async (tx) => {
      const v = await visitsRepository.byId(tx, id);
      if (!v || v.visited_by !== scope.actor.userId) throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(v.household_code);
      node = v.household_code;
      if (v.status !== 'conflict') throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/params/id', code: 'not_conflict', message: '该走访记录没有待处理的冲突' }] });
      const now = clock.now();
      if (body.resolution === 'keep_theirs') {
        await visitsRepository.update(tx, id, { status: 'discarded', resolved_by: scope.actor.userId, resolved_at: now });
      } else {
        const c = await campaignsRepository.byId(tx, v.campaign_id);
        if (!c) throw new AppError('GRIDLINE_NOT_FOUND');
        assertActive(c, '/params/id');
        const household = await householdsRepository.byId(tx, v.household_id);
        if (!household) throw new AppError('GRIDLINE_NOT_FOUND');
        const applied = await this.apply(tx, c, household.created_at, v);
        await visitsRepository.update(tx, id, { status: 'accepted', applied_version: applied, resolved_by: scope.actor.userId, resolved_at: now });
      }
      await audit.record(tx, scope, {
        action: 'screening.visit.resolve', entityType: 'screening_visit', entityId: id, regionCode: v.household_code,
        diff: { status: ['conflict', body.resolution === 'keep_theirs' ? 'discarded' : 'accepted'] },
      });
    });
    if (body.resolution === 'use_mine') announce(this.deps.bus, scope, 'screening.changed', node, { visitId: id });
    return this.view(id);
  }

  private async recordIn(tx: Executor, scope: Scope, body: VisitBody): Promise<{ id: string; node: string }> {
    const { clock, audit, protocol } = this.deps;
    // Out of reach reads as not found, the household first: another jurisdiction's campaign id reveals nothing.
    const household = await householdsRepository.byId(tx, body.householdId);
    if (!household) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(household.code);
    const c = await campaignsRepository.byId(tx, body.campaignId);
    const gridCode = household.code.slice(0, CODE_LENGTH.grid);
    if (!c || !isUnder(household.code, c.node_code) || !(await campaignsRepository.grid(tx, c.id, gridCode))) throw new AppError('GRIDLINE_NOT_FOUND');
    assertActive(c, '/body/campaignId');

    const now = clock.now();
    // A device clock ahead of the server's cannot date a visit in the future.
    const visitedAt = Math.min(body.visitedAt, now);
    const today = shanghaiDate(visitedAt);
    const q = questionnaireOf(c);
    const fields: FieldError[] = [];
    const members = new Map((await residentsRepository.byHousehold(tx, household.id)).map((r) => [r.id, r]));
    const inForce = await protocol.inForce(visitedAt);
    const results: ScreeningResultsTable[] = [];
    const id = newId();
    if (body.outcome === 'nobody_home') {
      if (body.results.length) fields.push({ path: '/body/results', code: 'nobody_home', message: '无人在家时不登记居民排查结果' });
      if (body.revisitOn !== undefined && body.revisitOn < today) fields.push({ path: '/body/revisitOn', code: 'past', message: '回访日期不能早于走访当天' });
    } else {
      if (!body.results.length) fields.push({ path: '/body/results', code: 'required', message: '请至少登记一位居民的排查结果' });
      if (body.revisitOn !== undefined) fields.push({ path: '/body/revisitOn', code: 'not_allowed', message: '已入户的走访不需要回访日期' });
      const seen = new Set<string>();
      body.results.forEach((r, i) => {
        const member = members.get(r.residentId);
        if (!member || seen.has(r.residentId)) {
          fields.push({ path: `/body/results/${i}/residentId`, code: member ? 'duplicate' : 'not_member', message: member ? '同一居民只能登记一次' : '该居民不是此户的成员（名单可能已变更，请刷新后重新登记）' });
          return;
        }
        seen.add(r.residentId);
        for (const e of answerErrors(q, r.answers, { today })) fields.push({ path: `/body/results/${i}/answers${e.path}`, code: e.code, message: `${member.name}：${e.message}` });
        const reasons = abnormalReasons(q, r.answers, inForce.abnormalSymptoms);
        results.push({ visit_id: id, resident_id: r.residentId, presence: String(r.answers.presence as Presence), answers: JSON.stringify(r.answers), abnormal: reasons.length ? 1 : 0, reasons: JSON.stringify(reasons) });
      });
    }
    const state = await visitsRepository.state(tx, c.id, household.id);
    const current = state?.version ?? 0;
    if (body.baseVersion > current) fields.push({ path: '/body/baseVersion', code: 'unknown', message: '户的版本号无效，请刷新名单后重新登记' });
    if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });

    const other = current > body.baseVersion ? await visitsRepository.otherVisitAfter(tx, c.id, household.id, body.baseVersion, scope.actor.userId) : undefined;
    const row: ScreeningVisitsTable = {
      id, client_key: body.clientKey, campaign_id: c.id, household_id: household.id, household_code: household.code, grid_code: gridCode,
      outcome: body.outcome, status: other ? 'conflict' : 'accepted', base_version: body.baseVersion, applied_version: null, conflict_visit_id: other?.id ?? null,
      visited_by: scope.actor.userId, visited_by_name: scope.actor.displayName, visited_at: visitedAt, received_at: now,
      revisit_on: body.outcome === 'nobody_home' ? (body.revisitOn ?? daysAfter(today, 1)) : null, note: body.note?.trim() ?? '', protocol_id: inForce.id,
      residents: results.length, abnormal_residents: results.filter((r) => r.abnormal).length, resolved_by: null, resolved_at: null,
    };
    await visitsRepository.insert(tx, row);
    await visitsRepository.insertResults(tx, results);
    if (!other) await visitsRepository.update(tx, id, { applied_version: await this.apply(tx, c, household.created_at, row) });
    await audit.record(tx, scope, {
      action: 'screening.visit', entityType: 'screening_visit', entityId: id, regionCode: household.code,
      diff: { outcome: [null, row.outcome], status: [null, row.status], residents: [null, row.residents], abnormal: [null, row.abnormal_residents], revisitOn: [null, row.revisit_on] },
    });
    return { id, node: household.code };
  }

  /**
   * Applies a visit to its household: the state moves to the next version and the grid's counters take the
   * transition's delta. Returns the version the visit produced.
   */
  private async apply(tx: Executor, c: ScreeningCampaignsTable, householdCreatedAt: number, v: ScreeningVisitsTable): Promise<number> {
    const now = this.deps.clock.now();
    const state = await visitsRepository.state(tx, c.id, v.household_id);
    const prev: HouseholdTally | null = state ? { state: state.state as HouseholdTally['state'], residents: state.residents_screened, abnormal: state.abnormal_residents } : null;
    const next = nextTally(prev, { outcome: v.outcome as VisitOutcome, residents: v.residents, abnormal: v.abnormal_residents });
    const version = (state?.version ?? 0) + 1;
    // A knock with nobody home after a completed visit keeps that visit standing (its results, no revisit).
    const stands = next.state === 'nobody_home' || v.outcome === 'visited';
    const patch = {
      household_code: v.household_code, grid_code: v.grid_code, state: next.state, version, residents_screened: next.residents, abnormal_residents: next.abnormal, updated_at: now,
      ...(stands || !state
        ? { last_visit_id: v.id, last_visited_at: v.visited_at, last_visited_by: v.visited_by, last_visited_by_name: v.visited_by_name, revisit_on: v.revisit_on }
        : {}),
    };
    if (!state) {
      await visitsRepository.insertState(tx, {
        campaign_id: c.id, household_id: v.household_id, last_visit_id: v.id, last_visited_at: v.visited_at, last_visited_by: v.visited_by,
        last_visited_by_name: v.visited_by_name, revisit_on: v.revisit_on, ...patch,
      });
    } else if (!(await visitsRepository.updateState(tx, c.id, v.household_id, state.version, patch))) {
      throw new StateRace();
    }
    const delta = tallyDelta(prev, next);
    // A household registered after the campaign counted its grid's households joins the total on its first visit.
    const newHousehold = !state && c.activated_at !== null && householdCreatedAt > c.activated_at;
    if (!isZeroDelta(delta) || newHousehold) await campaignsRepository.addToGrid(tx, c.id, v.grid_code, delta, newHousehold, now);
    return version;
  }

  /** A repeated client key: the stored visit, for its author; anyone else learns only that the key is taken. */
  private async replay(scope: Scope, v: ScreeningVisitsTable): Promise<Visit> {
    scope.reach(v.household_code);
    if (v.visited_by !== scope.actor.userId) {
      throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body/clientKey', code: 'taken', message: '该走访编号已被使用，请重新登记' }] });
    }
    return this.view(v.id);
  }

  private async view(id: string): Promise<Visit> {
    const v = await visitsRepository.byId(this.deps.db, id);
    if (!v) throw new AppError('GRIDLINE_NOT_FOUND');
    return (await this.views([v]))[0]!;
  }

  private async views(rows: ScreeningVisitsTable[]): Promise<Visit[]> {
    const { db } = this.deps;
    const conflicts = new Map((await visitsRepository.byIds(db, rows.map((r) => r.conflict_visit_id).filter((x): x is string => !!x))).map((v) => [v.id, v]));
    const out: Visit[] = [];
    for (const v of rows) {
      const [c, h, state] = await Promise.all([campaignsRepository.byId(db, v.campaign_id), householdsRepository.byId(db, v.household_id), visitsRepository.state(db, v.campaign_id, v.household_id)]);
      const other = v.conflict_visit_id ? conflicts.get(v.conflict_visit_id) : undefined;
      out.push({
        id: v.id, clientKey: v.client_key, campaignId: v.campaign_id, campaignName: c?.name ?? '', householdId: v.household_id, address: h?.address ?? '',
        outcome: v.outcome as VisitOutcome, status: v.status as Visit['status'], visitedAt: v.visited_at, receivedAt: v.received_at,
        visitedBy: { id: v.visited_by, name: v.visited_by_name }, revisitOn: v.revisit_on, residents: v.residents, abnormalResidents: v.abnormal_residents,
        householdVersion: v.status === 'accepted' && v.applied_version !== null ? v.applied_version : (state?.version ?? 0),
        conflict: v.status === 'conflict' && other
          ? { visitId: other.id, outcome: other.outcome as VisitOutcome, visitedAt: other.visited_at, visitedByName: other.visited_by_name, residents: other.residents, abnormalResidents: other.abnormal_residents }
          : null,
        resolvedAt: v.resolved_at,
      });
    }
    return out;
  }
}

function assertActive(c: ScreeningCampaignsTable, path: string): void {
  if (c.status !== 'active') {
    throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path, code: c.status, message: c.status === 'draft' ? '排查活动尚未启动，暂不能登记走访' : '排查活动已结束，不能再登记走访' }] });
  }
}
