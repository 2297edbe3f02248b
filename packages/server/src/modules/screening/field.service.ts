import { RELATIONS } from '@gridline/shared';
import type {
  AbnormalQuery, CampaignStatus, FieldHousehold, FieldHouseholds, FieldHouseholdsQuery, FollowUpQuery, HouseholdState, Relation, RevisitList, Sex, VulnerabilityTag,
} from '@gridline/shared';
import { shanghaiDate } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import { campaignsRepository } from './campaigns.repository.js';
import { reportsRepository } from './reports.repository.js';
import { questionnaireOf, visibleCampaign, viewNode, type ScreeningDeps } from './screening-deps.js';

function ageOn(birthDate: string, today: string): number {
  let age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) age -= 1;
  return Math.max(0, age);
}

/** What grid workers carry into the field (their households, offline) and what leads follow up (not reached, abnormal). */
export class FieldService {
  constructor(private readonly deps: ScreeningDeps) {}

  /**
   * The households of one grid, or of the grids assigned to the caller, with members and campaign state:
   * the list the worker's phone keeps for offline visits. Members carry names only (no documents or phones).
   */
  async households(scope: Scope, id: string, q: FieldHouseholdsQuery): Promise<FieldHouseholds> {
    scope.require('screening.visit');
    const { db, clock } = this.deps;
    if (q.grid) scope.target(q.grid);
    const c = await visibleCampaign(db, scope, id);
    const wanted = q.grid ? [q.grid] : await campaignsRepository.assignedGrids(db, id, scope.actor.userId ?? '');
    const grids = (await campaignsRepository.gridsUnder(db, id, viewNode(scope, c))).filter((g) => wanted.includes(g.grid_code));
    if (q.grid && !grids.length) throw new AppError('GRIDLINE_NOT_FOUND');
    const now = clock.now();
    const today = shanghaiDate(now);
    const households: FieldHousehold[] = [];
    for (const g of grids) {
      const [rows, people] = await Promise.all([reportsRepository.householdsOfGrid(db, id, g.grid_code), reportsRepository.residentsOfGrid(db, g.grid_code)]);
      const members = new Map<string, FieldHousehold['members']>();
      for (const p of people) {
        const list = members.get(p.household_id) ?? [];
        list.push({ id: p.id, name: p.name, sex: p.sex as Sex, age: ageOn(p.birth_date, today), relationToHead: p.relation_to_head as Relation, tags: JSON.parse(p.tags) as VulnerabilityTag[] });
        members.set(p.household_id, list);
      }
      // The head first, then spouse, children … (the order a worker goes through a household).
      for (const list of members.values()) list.sort((a, b) => RELATIONS.indexOf(a.relationToHead) - RELATIONS.indexOf(b.relationToHead));
      for (const h of rows) {
        households.push({
          id: h.id, code: h.code, gridCode: g.grid_code, buildingCode: h.unit_code.slice(0, -2), buildingName: h.building_name ?? '', unitCode: h.unit_code, unitName: h.unit_name ?? '',
          room: h.room, address: h.address, state: (h.state ?? 'pending') as HouseholdState, version: Number(h.version ?? 0), revisitOn: h.revisit_on ?? null,
          lastVisitedAt: h.last_visited_at === null ? null : Number(h.last_visited_at), lastVisitedBy: h.last_visited_by_name ?? null, members: members.get(h.id) ?? [],
        });
      }
    }
    return { campaignId: id, campaignName: c.name, campaignStatus: c.status as CampaignStatus, questionnaire: questionnaireOf(c), grids: grids.map((g) => ({ code: g.grid_code, name: g.grid_name ?? g.grid_code })), today, fetchedAt: now, households };
  }

  /** Households not visited yet in the caller's part of the campaign (or one grid of it), for follow-up. */
  async followUp(scope: Scope, id: string, q: FollowUpQuery) {
    scope.require('screening.read');
    const { db } = this.deps;
    if (q.grid) scope.target(q.grid);
    const c = await visibleCampaign(db, scope, id);
    const node = q.grid ?? viewNode(scope, c);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { rows, total } = await reportsRepository.followUp(db, id, node, q.state, page, pageSize);
    return {
      items: rows.map((r) => ({
        id: r.id, code: r.code, address: r.address, gridCode: r.grid_code ?? r.code.slice(0, 15), gridName: r.grid_name ?? '', state: (r.state ?? 'pending') as 'pending' | 'nobody_home',
        revisitOn: r.revisit_on ?? null, lastVisitedAt: r.last_visited_at === null ? null : Number(r.last_visited_at), members: Number(r.members ?? 0),
      })),
      total, page, pageSize,
    };
  }

  /** Residents whose standing answers are abnormal (symptoms, special needs, a positive test, flagged answers). */
  async abnormal(scope: Scope, id: string, q: AbnormalQuery) {
    scope.require('screening.read');
    const { db } = this.deps;
    if (q.grid) scope.target(q.grid);
    const c = await visibleCampaign(db, scope, id);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { rows, total } = await reportsRepository.abnormal(db, id, q.grid ?? viewNode(scope, c), page, pageSize);
    return {
      items: rows.map((r) => ({
        residentId: r.resident_id, name: r.name ?? '（已不在名册）', householdId: r.household_id, address: r.address, gridCode: r.grid_code,
        reasons: JSON.parse(r.reasons) as string[], visitedAt: Number(r.last_visited_at), visitedByName: r.last_visited_by_name,
      })),
      total, page, pageSize,
    };
  }

  /** Households with nobody home whose revisit is due today or earlier, in the caller's assigned grids of active campaigns. */
  async revisits(scope: Scope): Promise<RevisitList> {
    scope.require('screening.visit');
    const today = shanghaiDate(this.deps.clock.now());
    const rows = await reportsRepository.revisitsDue(this.deps.db, scope, scope.actor.userId ?? '', today);
    return {
      today,
      items: rows.map((r) => ({ campaignId: r.campaign_id, campaignName: r.campaign_name, householdId: r.household_id, address: r.address, gridCode: r.grid_code, revisitOn: r.revisit_on ?? today })),
    };
  }
}
