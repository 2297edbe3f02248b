import {
  ancestorCodes, CODE_LENGTH, evaluateLifting, levelOfCode, MEASURE_KIND_RULES, NEGATIVE_ROUND_HOURS, RISK_AREA_LEVEL_LABELS, shanghaiDay, shanghaiDayStart,
  type AreaControl, type AreaControlList, type AreaControlQuery, type AreaLifting, type AreaStepDownBody, type AreaStepDownResult, type ProtocolValues, type RegionLevel, type RiskAreaLevel,
} from '@gridline/shared';
import type { Db, Executor, MeasuresTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import { AREA_DENYING_LEVELS } from './area-steps.js';
import { areasRepository } from './areas.repository.js';
import { measuresRepository } from './measures.repository.js';
import type { MeasuresService } from './measures.service.js';

const HOUR_MS = 3_600_000;
const COMMUNITY = CODE_LENGTH.community;

/** The names of the node's ancestors from the community down (the district and street are the same for everyone here). */
function placeOf(code: string, nodes: Map<string, { name: string }>): string {
  return ancestorCodes(code).filter((c) => c.length >= COMMUNITY && c !== code).map((c) => nodes.get(c)?.name ?? c).join(' ');
}
const DAY_MS = 86_400_000;
type Geometry = NonNullable<AreaControl['map']>['geometry'];

/**
 * Area controls in force (issue #7): who they affect, whether their lifting rule holds under the protocol version
 * in force at their first day, and the step-down or lift that follows. Acting on a proposal follows the kind's
 * approval level (street) as creating one does: with it, the control ends now and the lower one starts now in the
 * same transaction; without it, the lower one waits for the street (approving it ends the higher one, see
 * area-steps.ts), and a lift is refused.
 */
export class AreasService {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService; protocol: ProtocolProvider; measures: MeasuresService }) {}

  /** Area controls in force under the node (default: mine), each with residents, lifting status and shape. */
  async list(scope: Scope, q: AreaControlQuery): Promise<AreaControlList> {
    scope.require('measure.read');
    const node = q.node ?? scope.node;
    scope.target(node);
    const { db, clock } = this.deps;
    const now = clock.now();
    const rows = await areasRepository.inForce(db, scope, node, now);
    const codes = rows.map((r) => r.region_code);
    const [residents, nodes, pending] = await Promise.all([areasRepository.residents(db, codes), areasRepository.nodes(db, codes), areasRepository.pendingStepDowns(db, rows.map((r) => r.id))]);
    const items: AreaControl[] = [];
    for (const m of rows) {
      const p = await this.protocolOf(m);
      const own = nodes.get(m.region_code);
      const shape = this.shapeOf(m.region_code, nodes);
      const step = pending.find((x) => x.source_id === m.id);
      items.push({
        id: m.id, regionCode: m.region_code, nodeName: own?.name ?? m.region_code, placeName: placeOf(m.region_code, nodes), nodeLevel: (levelOfCode(m.region_code) ?? 'household') as RegionLevel,
        areaLevel: m.area_level as RiskAreaLevel, status: m.status as AreaControl['status'], inForce: true, startAt: Number(m.start_at), plannedEndAt: Number(m.planned_end_at),
        protocol: { id: p.id, name: p.name }, residents: residents.get(m.region_code) ?? 0, lifting: await this.lifting(db, m, p, now), map: shape,
        pendingStepDown: step ? { id: step.id, toLevel: step.area_level as RiskAreaLevel } : null, sourceId: m.source_type === 'area_control' ? m.source_id : null, version: m.version,
      });
    }
    return { items, at: now };
  }

  /** Downgrade proposals: controls in force whose lifting rule is met and that have no step-down waiting. */
  async proposals(scope: Scope, q: AreaControlQuery): Promise<AreaControlList> {
    const all = await this.list(scope, q);
    return { items: all.items.filter((c) => c.lifting.status === 'met' && !c.pendingStepDown), at: all.at };
  }

  /**
   * Acts on a proposal: refuses (in Chinese) when the rule is not met; otherwise ends the control now and, when the
   * version steps it down, draws the lower level over the same node from now, linked to it (source 'area_control').
   */
  async stepDown(scope: Scope, id: string, body: AreaStepDownBody): Promise<AreaStepDownResult> {
    scope.require('measure.write');
    const { db, clock, audit, measures } = this.deps;
    const approver = scope.actor.displayName || scope.actor.username;
    const done = await db.transaction().execute(async (tx) => {
      const m = await measuresRepository.byId(tx, id);
      if (!m || m.kind !== 'area_control') throw new AppError('GRIDLINE_NOT_FOUND');
      scope.reach(m.region_code);
      const now = clock.now();
      if (m.status !== 'active' || Number(m.start_at) > now || now >= Number(m.planned_end_at)) {
        throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/params/id', code: 'not_active', message: '该区域管控不在执行中，无需降级或解除' }] });
      }
      if (m.version !== body.version) throw new AppError('GRIDLINE_STALE_VERSION');
      const p = await this.protocolOf(m);
      const lifting = await this.lifting(tx, m, p, now);
      if (lifting.status !== 'met') {
        throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/params/id', code: 'rule_not_met', message: `尚不符合解除条件：${lifting.missing.join('；')}` }] });
      }
      if ((await areasRepository.pendingStepDowns(tx, [m.id])).length) {
        throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/params/id', code: 'pending', message: '已有待审批的降级申请，请等待街道审批' }] });
      }
      const level = MEASURE_KIND_RULES.area_control.approval;
      const approved = measures.canApprove(scope, level, m.region_code);
      const label = RISK_AREA_LEVEL_LABELS[m.area_level as RiskAreaLevel].zh;
      const to = lifting.stepsDownTo;
      const note = body.note?.trim() || (to ? `符合解除条件（${lifting.rule}），${label}降为${RISK_AREA_LEVEL_LABELS[to].zh}` : `符合解除条件（${lifting.rule}），解除${label}`);
      if (!to) {
        if (!approved) throw new AppError('GRIDLINE_FORBIDDEN', { details: { reason: '解除区域管控须由街道决定' } });
        await measures.endIn(tx, scope, m.id, note);
        return { outcome: 'lifted' as const, ended: m.id, created: null };
      }
      // The lower level follows the same protocol version; its length is that level's lifting days (or the higher one's length where the level has none).
      const lowerRule = p.riskAreas.levels.find((l) => l.level === to);
      const length = lowerRule?.liftAfterDays ? lowerRule.liftAfterDays * DAY_MS : Number(m.planned_end_at) - Number(m.start_at);
      const row: MeasuresTable = {
        id: newId(), kind: 'area_control', status: approved ? 'active' : 'pending', subject_kind: null, resident_id: null, region_code: m.region_code, area_level: to,
        denies_passage: AREA_DENYING_LEVELS.has(to) ? 1 : 0, place_kind: null, place_name: null, site_id: null, legal_basis: JSON.stringify(MEASURE_KIND_RULES.area_control.legalBases),
        protocol_id: p.id, start_at: now, planned_end_at: now + length, ended_at: null, end_note: null, proportionate: 1,
        assessment: JSON.stringify({ subject: null, excesses: [], prescribed: lifting.rule }), required_approval: level, reason: note,
        decided_by: approved ? (scope.actor.userId ?? 'system') : null, decided_by_name: approved ? approver : null, decided_at: approved ? now : null,
        decision_reason: approved ? note : null, source_type: 'area_control', source_id: m.id, created_by: scope.actor.userId, created_by_name: approver,
        created_at: now, updated_at: now, version: 1,
      };
      if (approved) await measures.endIn(tx, scope, m.id, note);
      await measuresRepository.insert(tx, row);
      await audit.record(tx, scope, {
        action: 'measure.create', entityType: 'measure', entityId: row.id, regionCode: row.region_code,
        diff: { kind: [null, 'area_control'], level: [m.area_level, to], status: [null, row.status], source: [null, m.id], protocol: [null, p.id], reason: [null, note] },
      });
      return { outcome: approved ? ('stepped_down' as const) : ('pending' as const), ended: approved ? m.id : null, created: row.id };
    });
    return {
      outcome: done.outcome,
      ended: done.ended ? await measures.get(scope, done.ended) : null,
      created: done.created ? await measures.get(scope, done.created) : null,
    };
  }

  private async protocolOf(m: MeasuresTable): Promise<ProtocolValues> {
    return (await this.deps.protocol.byId(m.protocol_id)) ?? this.deps.protocol.inForce(Number(m.start_at));
  }

  /** The lifting rule of one control at `now`, from the infections and tests recorded under its node. */
  private async lifting(db: Executor, m: MeasuresTable, p: ProtocolValues, now: number): Promise<AreaLifting> {
    const level = m.area_level as RiskAreaLevel;
    const infection = await areasRepository.lastInfection(db, m.region_code, now);
    const days = [infection.onset, infection.confirmedAt === null ? null : shanghaiDay(infection.confirmedAt)].filter((d): d is string => d !== null).sort();
    const lastInfectionDay = days.at(-1) ?? null;
    const input = { level, firstDay: shanghaiDay(Number(m.start_at)), lastInfectionDay, today: shanghaiDay(now) };
    const needsRound = p.riskAreas.levels.find((l) => l.level === level)?.liftNeedsNegativeRound ?? false;
    // The positives that count are those since the infection-free days began, which the rule itself derives.
    const cleanFrom = evaluateLifting(p, { ...input, round: { inResidence: 0, untested: 0, positives: 0, lastSampledDay: null } }).cleanFrom;
    const round = needsRound ? await areasRepository.round(db, m.region_code, now, NEGATIVE_ROUND_HOURS * HOUR_MS, shanghaiDayStart(cleanFrom)) : null;
    const r = evaluateLifting(p, {
      ...input,
      round: round ? { inResidence: round.inResidence, untested: round.untested, positives: round.positives, lastSampledDay: round.lastSampledAt === null ? null : shanghaiDay(round.lastSampledAt) } : { inResidence: 0, untested: 0, positives: 0, lastSampledDay: null },
    });
    return { ...r, lastInfectionDay, round: round ? { inResidence: round.inResidence, untested: round.untested, positives: round.positives, windowHours: NEGATIVE_ROUND_HOURS } : null };
  }

  /** The node's own boundary, else its nearest ancestor's (marked inherited): buildings, units and households often have none. */
  private shapeOf(code: string, nodes: Map<string, { name: string; geometry: string | null }>): AreaControl['map'] {
    for (let len = code.length; len >= 6; len--) {
      const n = nodes.get(code.slice(0, len));
      if (n?.geometry) return { code: code.slice(0, len), name: n.name, inherited: len !== code.length, geometry: JSON.parse(n.geometry) as Geometry };
    }
    return null;
  }
}
