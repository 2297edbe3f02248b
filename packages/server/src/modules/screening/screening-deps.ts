import { coverageOf, type Campaign, type CampaignStatus, type Coverage, type GridCounts, type Questionnaire, type Role } from '@gridline/shared';
import { roleCan, ROLES } from '@gridline/shared';
import type { Db, ScreeningCampaignsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EventBus } from '../events/event-bus.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import { campaignsRepository } from './campaigns.repository.js';

export interface ScreeningDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  protocol: ProtocolProvider;
  bus?: EventBus;
}

/** Roles whose accounts may be given a grid: those that may record visits. */
export const VISITING_ROLES: readonly Role[] = ROLES.filter((r) => roleCan(r, 'screening.visit'));

export function questionnaireOf(c: ScreeningCampaignsTable): Questionnaire {
  return JSON.parse(c.questionnaire) as Questionnaire;
}

/**
 * A campaign the caller may see: its node lies in the caller's jurisdiction, or one of its grids does (a
 * street's campaign seen by the grid worker of one of its grids). Anything else reads as not found.
 */
export async function visibleCampaign(db: Db, scope: Scope, id: string): Promise<ScreeningCampaignsTable> {
  const c = await campaignsRepository.byId(db, id);
  if (!c) throw new AppError('GRIDLINE_NOT_FOUND');
  if (scope.covers(c.node_code) || (await campaignsRepository.hasGridInScope(db, scope, id))) return c;
  throw new AppError('GRIDLINE_NOT_FOUND');
}

/**
 * The part of a campaign a caller looks at: the campaign's node when it lies in the caller's jurisdiction,
 * else the caller's own node (which then lies inside the campaign's).
 */
export function viewNode(scope: Scope, c: ScreeningCampaignsTable): string {
  return scope.covers(c.node_code) ? c.node_code : scope.node;
}

export interface GridRowCounts {
  households_total: number;
  visited: number;
  nobody_home: number;
  residents_screened: number;
  abnormal_residents: number;
}

export function countsOf(r: GridRowCounts): GridCounts {
  return {
    householdsTotal: Number(r.households_total), visited: Number(r.visited), nobodyHome: Number(r.nobody_home),
    residentsScreened: Number(r.residents_screened), abnormalResidents: Number(r.abnormal_residents),
  };
}

export function toCampaign(c: ScreeningCampaignsTable, nodeName: string, gridCount: number, totals: Coverage, assignedToMe: boolean): Campaign {
  return {
    id: c.id, name: c.name, nodeCode: c.node_code, nodeName, startsOn: c.starts_on, endsOn: c.ends_on, status: c.status as CampaignStatus,
    questionnaire: questionnaireOf(c), version: c.version, gridCount, totals, assignedToMe,
    createdAt: c.created_at, updatedAt: c.updated_at, activatedAt: c.activated_at, closedAt: c.closed_at,
  };
}

export const emptyCoverage = (): Coverage => coverageOf({ householdsTotal: 0, visited: 0, nobodyHome: 0, residentsScreened: 0, abnormalResidents: 0 });
