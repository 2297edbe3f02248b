import type { AppContext } from '../context.js';
import { Scope } from '../security/scope.js';
import { DEMO_STREET } from './demo-street.js';

/**
 * Two designated isolation sites of the demo street (issue #7): a quarantine hotel with 40 rooms and a designated
 * site with 120 beds, designated by the street command. Centralized isolations the other demos made before them
 * (by free-text place) are linked to the designated site, as many as it holds, so that its occupancy is true.
 */
export async function seedSitesDemo(ctx: AppContext): Promise<void> {
  const scope = Scope.system('街道指挥部');
  const { isolationSites } = ctx.services;
  await isolationSites.create(scope, {
    name: '清溪宾馆', address: '清溪路 88 号', kind: 'hotel', regionCode: DEMO_STREET.code, capacity: 40, contactPhone: '0551-65120088', note: '单人单间，含独立卫生间',
  });
  const site = await isolationSites.create(scope, {
    name: '清溪街道集中隔离点', address: '望江西路 18 号', kind: 'designated', regionCode: DEMO_STREET.code, capacity: 120, contactPhone: '0551-65120018', note: '',
  });
  const open = await ctx.db
    .selectFrom('measures')
    .select('id')
    .where('kind', '=', 'centralized_isolation')
    .where('site_id', 'is', null)
    .where('status', 'in', ['pending', 'active'])
    .where('region_code', '>=', DEMO_STREET.code)
    .where('region_code', '<', `${DEMO_STREET.code}:`)
    .limit(site.capacity)
    .execute();
  if (open.length) {
    await ctx.db.updateTable('measures').set({ site_id: site.id, place_kind: 'site', place_name: site.name }).where('id', 'in', open.map((m) => m.id)).execute();
  }
}
