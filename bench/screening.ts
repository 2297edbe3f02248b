/**
 * query-screening-coverage-district (issue #5): coverage per grid of a campaign over the whole district, as the
 * campaign page shows it (ProgressService.progress: the grids' counters, kept by every visit), against the
 * straightforward SQL a first version would run on every page view: every household of the district grouped by
 * grid, left-joined to the campaign's household states. Target: ≤ 100 ms at the district scale.
 *
 * Setup (inside the measured clone): the district command opens a campaign over the district; the households
 * whose id starts with a digit (about 62 %) get a state (one in eight "nobody home"), and the grid counters are
 * set from those states, as visits would have left them — the two sides must then agree grid by grid, which the
 * scenario checks before timing.
 */
import { CODE_LENGTH } from '@gridline/shared';
import { sql } from 'kysely';
import type { AppContext } from '../packages/server/src/context.js';
import { shanghaiDate } from '../packages/server/src/lib/clock.js';
import { DISTRICT } from './env.js';
import { timingFor, userScope, type InprocRun } from './inproc-kit.js';
import { DISTRICT_USER } from './seed-scale.js';
import { compare } from './stats.js';

const GRID = CODE_LENGTH.grid;

async function openCampaign(ctx: AppContext): Promise<string> {
  const scope = await userScope(ctx, DISTRICT_USER);
  const today = shanghaiDate(ctx.clock.now());
  const c = await ctx.services.screening.campaigns.create(scope, { name: '压测 全区入户排查', nodeCode: DISTRICT, startsOn: today, endsOn: today });
  const now = ctx.clock.now();
  // Household states for about 62 % of the district's households (by a hash of the id, so spread over every grid).
  await sql`
    insert into screening_households (campaign_id, household_id, household_code, grid_code, state, version, last_visit_id, last_visited_at,
      last_visited_by, last_visited_by_name, revisit_on, residents_screened, abnormal_residents, updated_at)
    select ${c.id}, h.id, h.code, substr(h.code, 1, ${sql.lit(GRID)}), case when substr(h.id, 2, 1) in ('0', '1') then 'nobody_home' else 'visited' end, 1,
      h.id, ${now}, null, '压测', null, case when substr(h.id, 2, 1) in ('0', '1') then 0 else 2 end, case when substr(h.id, 3, 1) = '0' then 1 else 0 end, ${now}
    from households h
    where h.code >= ${DISTRICT} and h.code < ${`${DISTRICT}:`} and substr(h.id, 1, 1) in ('0','1','2','3','4','5','6','7','8','9')`.execute(ctx.db);
  await sql`
    update screening_grids set
      visited = (select count(*) from screening_households s where s.campaign_id = screening_grids.campaign_id and s.grid_code = screening_grids.grid_code and s.state = 'visited'),
      nobody_home = (select count(*) from screening_households s where s.campaign_id = screening_grids.campaign_id and s.grid_code = screening_grids.grid_code and s.state = 'nobody_home'),
      residents_screened = (select coalesce(sum(residents_screened), 0) from screening_households s where s.campaign_id = screening_grids.campaign_id and s.grid_code = screening_grids.grid_code),
      abnormal_residents = (select coalesce(sum(abnormal_residents), 0) from screening_households s where s.campaign_id = screening_grids.campaign_id and s.grid_code = screening_grids.grid_code)
    where campaign_id = ${c.id}`.execute(ctx.db);
  return c.id;
}

export const screeningCoverage: InprocRun = async (ctx) => {
  const id = await openCampaign(ctx);
  const scope = await userScope(ctx, DISTRICT_USER);
  const subject = () => ctx.services.screening.progress.progress(scope, id);
  const naive = async () =>
    (
      await sql<{ grid: string; total: number; visited: number; nobody: number }>`
        select substr(h.code, 1, ${sql.lit(GRID)}) as grid, count(*) as total,
          sum(case when s.state = 'visited' then 1 else 0 end) as visited, sum(case when s.state = 'nobody_home' then 1 else 0 end) as nobody
        from households h left join screening_households s on s.household_id = h.id and s.campaign_id = ${id}
        where h.code like ${`${DISTRICT}%`}
        group by substr(h.code, 1, ${sql.lit(GRID)})`.execute(ctx.db)
    ).rows;
  const t0 = performance.now();
  const check = await subject();
  const callMs = performance.now() - t0;
  const byGrid = new Map((await naive()).map((r) => [r.grid, r]));
  for (const g of check.grids) {
    const n = byGrid.get(g.gridCode);
    if (Number(n?.total ?? 0) !== g.householdsTotal || Number(n?.visited ?? 0) !== g.visited || Number(n?.nobody ?? 0) !== g.nobodyHome) {
      throw new Error(`screening coverage: grid ${g.gridCode} service ${g.householdsTotal}/${g.visited}/${g.nobodyHome} vs naive ${JSON.stringify(n)}`);
    }
  }
  const r = await compare(subject, naive, timingFor(Math.max(callMs, 20)));
  return {
    ...r,
    notes: `${check.grids.length} grids, ${check.totals.householdsTotal.toLocaleString('en')} households, coverage ${(check.totals.coverage * 100).toFixed(1)} %; per-grid figures verified equal to the naive SQL`,
  };
};
