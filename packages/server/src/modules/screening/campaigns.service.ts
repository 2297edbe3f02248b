import {
  ancestorCodes, defaultQuestionnaire, isUnder, levelOfCode, questionnaireErrors, roleCan, type AssignWorkersBody, type Campaign, type CampaignGrid, type CampaignListQuery,
  type CampaignVersionBody, type CreateCampaignBody, type FieldError, type Questionnaire, type Role, type UpdateCampaignBody,
} from '@gridline/shared';
import type { Executor, ScreeningCampaignsTable } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff } from '../audit/audit.service.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { campaignsRepository } from './campaigns.repository.js';
import { ProgressService } from './progress.service.js';
import { questionnaireOf, visibleCampaign, VISITING_ROLES, viewNode, type ScreeningDeps } from './screening-deps.js';

const CAMPAIGN_LEVELS = new Set(['district', 'street', 'community', 'grid']);

/** Campaigns: a node, dates and a questionnaire; split into the node's grids, each given to grid workers; draft → active → closed. */
export class CampaignsService {
  private readonly progress: ProgressService;

  constructor(private readonly deps: ScreeningDeps) {
    this.progress = new ProgressService(deps);
  }

  async list(scope: Scope, q: CampaignListQuery) {
    scope.require('screening.read');
    const { rows, total, page, pageSize } = await campaignsRepository.list(this.deps.db, scope, q, scope.actor.userId);
    const items: Campaign[] = [];
    for (const c of rows) items.push(await this.progress.summary(scope, c));
    return { items, total, page, pageSize };
  }

  async get(scope: Scope, id: string): Promise<Campaign> {
    scope.require('screening.read');
    return this.progress.summary(scope, await visibleCampaign(this.deps.db, scope, id));
  }

  async create(scope: Scope, body: CreateCampaignBody): Promise<Campaign> {
    scope.require('screening.manage');
    const level = levelOfCode(body.nodeCode);
    if (!level || !CAMPAIGN_LEVELS.has(level)) {
      throw new AppError('GRIDLINE_REGION_INVALID_CODE', { fields: [{ path: '/body/nodeCode', code: 'level', message: '排查范围须为区县、街道、社区或网格' }] });
    }
    scope.target(body.nodeCode);
    const questionnaire = body.questionnaire ?? defaultQuestionnaire();
    checkCampaignFields(body.startsOn, body.endsOn, questionnaire);
    const { db, clock, audit } = this.deps;
    const id = newId();
    await db.transaction().execute(async (tx) => {
      if (!(await regionsRepository.byCode(tx, body.nodeCode))) {
        throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/nodeCode', code: 'missing', message: `区划 ${body.nodeCode} 不存在` }] });
      }
      const grids = await campaignsRepository.gridCodesUnder(tx, body.nodeCode);
      if (!grids.length) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/nodeCode', code: 'no_grids', message: '该区域下还没有网格，无法分网格排查' }] });
      const now = clock.now();
      const row: ScreeningCampaignsTable = {
        id, name: body.name.trim(), node_code: body.nodeCode, starts_on: body.startsOn, ends_on: body.endsOn, questionnaire: JSON.stringify(questionnaire),
        status: 'draft', version: 1, created_by: scope.actor.userId, created_at: now, updated_at: now, activated_at: null, closed_at: null,
      };
      await campaignsRepository.insert(tx, row);
      await this.addGrids(tx, scope, id, grids, now);
      await audit.record(tx, scope, {
        action: 'screening.campaign.create', entityType: 'screening_campaign', entityId: id, regionCode: body.nodeCode,
        diff: { name: [null, row.name], dates: [null, `${body.startsOn}~${body.endsOn}`], grids: [null, grids.length], items: [null, questionnaire.items.length] },
      });
    });
    return this.get(scope, id);
  }

  async update(scope: Scope, id: string, body: UpdateCampaignBody): Promise<Campaign> {
    scope.require('screening.manage');
    const { db, clock, audit } = this.deps;
    await db.transaction().execute(async (tx) => {
      const c = await this.managed(tx, scope, id);
      if (c.version !== body.version) throw new AppError('GRIDLINE_STALE_VERSION');
      if (c.status === 'closed') throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body', code: 'closed', message: '排查活动已结束，不能修改' }] });
      if (body.questionnaire && c.status !== 'draft') {
        throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body/questionnaire', code: 'active', message: '排查已开始，问卷不能再修改（已登记的走访按原问卷填写）' }] });
      }
      const q = body.questionnaire ?? questionnaireOf(c);
      checkCampaignFields(body.startsOn ?? c.starts_on, body.endsOn ?? c.ends_on, q);
      const patch: Partial<ScreeningCampaignsTable> = {
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.startsOn !== undefined ? { starts_on: body.startsOn } : {}),
        ...(body.endsOn !== undefined ? { ends_on: body.endsOn } : {}),
        ...(body.questionnaire ? { questionnaire: JSON.stringify(body.questionnaire) } : {}),
        updated_at: clock.now(),
      };
      if (!(await campaignsRepository.update(tx, id, c.version, patch))) throw new AppError('GRIDLINE_STALE_VERSION');
      const view = (r: Partial<ScreeningCampaignsTable>) => ({ name: r.name, startsOn: r.starts_on, endsOn: r.ends_on, questionnaire: r.questionnaire ? JSON.parse(r.questionnaire) as unknown : undefined });
      await audit.record(tx, scope, { action: 'screening.campaign.update', entityType: 'screening_campaign', entityId: id, regionCode: c.node_code, diff: auditDiff(view(c), view({ ...c, ...patch })) });
    });
    return this.get(scope, id);
  }

  /** Starts the campaign: grids added to the region tree since it was drafted join it, and each grid's households are counted. */
  async activate(scope: Scope, id: string, body: CampaignVersionBody): Promise<Campaign> {
    scope.require('screening.manage');
    const { db, clock, audit } = this.deps;
    await db.transaction().execute(async (tx) => {
      const c = await this.managed(tx, scope, id);
      if (c.version !== body.version) throw new AppError('GRIDLINE_STALE_VERSION');
      if (c.status !== 'draft') throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body', code: 'status', message: '只有草稿状态的排查活动可以启动' }] });
      const now = clock.now();
      const known = new Set((await campaignsRepository.gridsUnder(tx, id, c.node_code)).map((g) => g.grid_code));
      const added = (await campaignsRepository.gridCodesUnder(tx, c.node_code)).filter((g) => !known.has(g));
      await this.addGrids(tx, scope, id, added, now);
      const totals = await campaignsRepository.householdCountsByGrid(tx, c.node_code);
      await campaignsRepository.setTotals(tx, id, totals, now);
      if (!(await campaignsRepository.setStatus(tx, id, c.version, 'active', { activated_at: now, updated_at: now }))) throw new AppError('GRIDLINE_STALE_VERSION');
      let households = 0;
      for (const n of totals.values()) households += n;
      await audit.record(tx, scope, { action: 'screening.campaign.activate', entityType: 'screening_campaign', entityId: id, regionCode: c.node_code, diff: { status: ['draft', 'active'], households: [null, households] } });
    });
    return this.get(scope, id);
  }

  async close(scope: Scope, id: string, body: CampaignVersionBody): Promise<Campaign> {
    scope.require('screening.manage');
    const { db, clock, audit } = this.deps;
    await db.transaction().execute(async (tx) => {
      const c = await this.managed(tx, scope, id);
      if (c.version !== body.version) throw new AppError('GRIDLINE_STALE_VERSION');
      if (c.status === 'closed') throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body', code: 'status', message: '排查活动已经结束' }] });
      const now = clock.now();
      if (!(await campaignsRepository.setStatus(tx, id, c.version, 'closed', { closed_at: now, updated_at: now }))) throw new AppError('GRIDLINE_STALE_VERSION');
      await audit.record(tx, scope, { action: 'screening.campaign.close', entityType: 'screening_campaign', entityId: id, regionCode: c.node_code, diff: { status: [c.status, 'closed'] } });
    });
    return this.get(scope, id);
  }

  /** The campaign's grids in the caller's jurisdiction, each with its workers and who else could take it. */
  async grids(scope: Scope, id: string): Promise<CampaignGrid[]> {
    scope.require('screening.manage');
    const { db } = this.deps;
    const c = await this.managed(db, scope, id);
    const node = viewNode(scope, c);
    const [grids, assigned] = await Promise.all([campaignsRepository.gridsUnder(db, id, node), campaignsRepository.assignments(db, id, node)]);
    const candidateNodes = [...new Set(grids.flatMap((g) => ancestorCodes(g.grid_code)))].filter((n) => scope.covers(n));
    const candidates = await campaignsRepository.usersOn(db, candidateNodes, VISITING_ROLES);
    return grids.map((g) => ({
      gridCode: g.grid_code,
      gridName: g.grid_name ?? g.grid_code,
      communityName: g.community_name ?? '',
      workers: assigned.filter((a) => a.grid_code === g.grid_code).map((a) => ({ id: a.id, displayName: a.display_name, username: a.username })),
      candidates: candidates.filter((u) => isUnder(g.grid_code, u.node_code)).map((u) => ({ id: u.id, displayName: u.display_name, username: u.username })),
    }));
  }

  /**
   * Gives a grid to workers. Only staff who may record visits and whose jurisdiction covers the grid qualify
   * (so the one scope rule still decides which households they reach); anyone else reads as "cannot take it".
   */
  async assign(scope: Scope, id: string, gridCode: string, body: AssignWorkersBody): Promise<CampaignGrid> {
    scope.require('screening.manage');
    scope.target(gridCode);
    const { db, clock, audit } = this.deps;
    await db.transaction().execute(async (tx) => {
      const c = await this.managed(tx, scope, id);
      if (c.status === 'closed') throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body', code: 'closed', message: '排查活动已结束，不能调整分工' }] });
      if (!(await campaignsRepository.grid(tx, id, gridCode))) throw new AppError('GRIDLINE_NOT_FOUND');
      const eligible = await campaignsRepository.usersOn(tx, ancestorCodes(gridCode).filter((n) => scope.covers(n)), VISITING_ROLES);
      const ok = new Set(eligible.map((u) => u.id));
      const fields: FieldError[] = body.userIds
        .map((u, i) => ({ u, i }))
        .filter(({ u }) => !ok.has(u))
        .map(({ i }) => ({ path: `/body/userIds/${i}`, code: 'not_eligible', message: '该人员不能负责此网格（须为有入户排查权限、且管辖范围包含该网格的在岗工作人员）' }));
      if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
      const before = (await campaignsRepository.assignments(tx, id, gridCode)).map((a) => a.username);
      await campaignsRepository.clearAssignments(tx, id, gridCode);
      const now = clock.now();
      await campaignsRepository.insertAssignments(tx, body.userIds.map((u) => ({ campaign_id: id, grid_code: gridCode, user_id: u, assigned_by: scope.actor.userId, assigned_at: now })));
      const after = eligible.filter((u) => body.userIds.includes(u.id)).map((u) => u.username);
      await audit.record(tx, scope, { action: 'screening.campaign.assign', entityType: 'screening_campaign', entityId: id, regionCode: gridCode, diff: { workers: [before, after] } });
    });
    const grid = (await this.grids(scope, id)).find((g) => g.gridCode === gridCode);
    if (!grid) throw new AppError('GRIDLINE_NOT_FOUND');
    return grid;
  }

  /** A campaign the caller manages: visible, and its whole node lies in the caller's jurisdiction. */
  private async managed(db: Executor, scope: Scope, id: string): Promise<ScreeningCampaignsTable> {
    const c = await campaignsRepository.byId(db, id);
    // A campaign above the caller's node (a street's, seen by a community) is theirs to work in, not to manage.
    if (!c || !scope.covers(c.node_code)) throw new AppError('GRIDLINE_NOT_FOUND');
    return c;
  }

  /** New campaign grids, each given by default to the grid workers whose node is that grid. */
  private async addGrids(tx: Executor, scope: Scope, campaignId: string, grids: string[], now: number): Promise<void> {
    if (!grids.length) return;
    await campaignsRepository.insertGrids(tx, grids.map((g) => ({
      campaign_id: campaignId, grid_code: g, households_total: 0, visited: 0, nobody_home: 0, residents_screened: 0, abnormal_residents: 0, updated_at: now,
    })));
    const workers = await campaignsRepository.usersOn(tx, grids, ['grid_worker' satisfies Role]);
    await campaignsRepository.insertAssignments(tx, workers.filter((w) => roleCan(w.role as Role, 'screening.visit')).map((w) => ({
      campaign_id: campaignId, grid_code: w.node_code, user_id: w.id, assigned_by: scope.actor.userId, assigned_at: now,
    })));
  }
}

function checkCampaignFields(startsOn: string, endsOn: string, q: Questionnaire): void {
  const fields: FieldError[] = [];
  if (endsOn < startsOn) fields.push({ path: '/body/endsOn', code: 'before_start', message: '结束日期不能早于开始日期' });
  for (const e of questionnaireErrors(q)) fields.push({ ...e, path: `/body/questionnaire${e.path}` });
  if (fields.length) throw new AppError('GRIDLINE_VALIDATION', { fields });
}
