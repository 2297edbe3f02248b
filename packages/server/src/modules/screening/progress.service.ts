import { coverageBand, coverageOf, sumCounts, type Campaign, type CampaignMap, type CampaignProgress, type GridProgress } from '@gridline/shared';
import type { ScreeningCampaignsTable } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { campaignsRepository } from './campaigns.repository.js';
import { countsOf, toCampaign, visibleCampaign, viewNode, type ScreeningDeps } from './screening-deps.js';

/**
 * Coverage per grid and overall, for the caller's part of a campaign. Every figure comes from the grids'
 * counters (one primary-key range scan), never from counting households or visits.
 */
export class ProgressService {
  constructor(private readonly deps: ScreeningDeps) {}

  async summary(scope: Scope, c: ScreeningCampaignsTable): Promise<Campaign> {
    const { db } = this.deps;
    const [node, grids, mine] = await Promise.all([
      regionsRepository.byCode(db, c.node_code),
      campaignsRepository.gridsUnder(db, c.id, viewNode(scope, c)),
      scope.actor.userId ? campaignsRepository.isAssigned(db, c.id, scope.actor.userId) : Promise.resolve(false),
    ]);
    return toCampaign(c, node?.name ?? c.node_code, grids.length, coverageOf(sumCounts(grids.map(countsOf))), mine);
  }

  async progress(scope: Scope, id: string): Promise<CampaignProgress> {
    scope.require('screening.read');
    const { db, clock } = this.deps;
    const c = await visibleCampaign(db, scope, id);
    const node = viewNode(scope, c);
    const [grids, assigned] = await Promise.all([campaignsRepository.gridsUnder(db, id, node), campaignsRepository.assignments(db, id, node)]);
    const workers = new Map<string, GridProgress['workers']>();
    for (const a of assigned) workers.set(a.grid_code, [...(workers.get(a.grid_code) ?? []), { id: a.id, displayName: a.display_name, username: a.username }]);
    const counts = grids.map(countsOf);
    return {
      campaignId: id,
      totals: coverageOf(sumCounts(counts)),
      grids: grids.map((g, i) => ({
        gridCode: g.grid_code, gridName: g.grid_name ?? g.grid_code, communityName: g.community_name ?? '', workers: workers.get(g.grid_code) ?? [], ...coverageOf(counts[i]!),
      })),
      at: clock.now(),
    };
  }

  /** The grids as GeoJSON coloured by coverage band; grids without a boundary are only in the table. */
  async map(scope: Scope, id: string): Promise<CampaignMap> {
    scope.require('screening.read');
    const { db } = this.deps;
    const c = await visibleCampaign(db, scope, id);
    const grids = await campaignsRepository.gridsUnder(db, id, viewNode(scope, c));
    const features: CampaignMap['features'] = [];
    for (const g of grids) {
      if (!g.geometry) continue;
      const cov = coverageOf(countsOf(g));
      features.push({
        type: 'Feature',
        geometry: JSON.parse(g.geometry) as CampaignMap['features'][number]['geometry'],
        properties: { code: g.grid_code, name: g.grid_name ?? g.grid_code, band: coverageBand(cov.coverage), ...cov },
      });
    }
    return { type: 'FeatureCollection', features };
  }
}
