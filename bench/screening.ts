/**
 * query-screening-coverage-district (issue #5): coverage per grid of a campaign over the whole district, as the
 * campaign page shows it (ProgressService.progress: the grids' counters, kept by every visit), against the
 * straightforward SQL a first version would run on every page view: every household of the district grouped by
 * grid, left-joined to the campaign's household states. Target: ≤ 100 ms at the district scale.
 *
 * Setup (inside the measured clone): the district command opens a campaign over the district; the households
 * whose id ends in a digit (about 62 %) get a state (one in eight "nobody home"), and the grid counters are
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
  const draft = await ctx.services.screening.campaigns.create(scope, { name: '压测 全区入户排查', nodeCode: DISTRICT, startsOn: today, endsOn: today });
  // Started, as a real campaign is before anyone visits: that counts each grid's households.
  const c = await ctx.services.screening.campaigns.activate(scope, draft.id, { version: draft.version });
  const now = ctx.clock.now();
  // Household states for about 62 % of the district's households, picked by the last characters of the id (random in a
  // UUIDv7; its first characters are the time), so spread over every grid; one in eight of them "nobody home".
  await sql`
    insert into screening_households (campaign_id, household_id, household_code, grid_code, state, version, last_visit_id, last_visited_at,
      last_visited_by, last_visited_by_name, revisit_on, residents_screened, abnormal_residents, updated_at)
    select ${c.id}, h.id, h.code, substr(h.code, 1, ${sql.lit(GRID)}), case when substr(h.id, 35, 1) in ('0', '1') then 'nobody_home' else 'visited' end, 1,
      h.id, ${now}, null, '压测', null, case when substr(h.id, 35, 1) in ('0', '1') then 0 else 2 end, case when substr(h.id, 34, 1) = '0' then 1 else 0 end, ${now}
    from households h
    where h.code >= ${DISTRICT} and h.code < ${`${DISTRICT}:`} and substr(h.id, 36, 1) in ('0','1','2','3','4','5','6','7','8','9')`.execute(ctx.db);
  // The grid counters from those states, one grouped pass (a correlated count per grid would re-read the campaign's
  // rows for each of the district's grids).
  await sql`
    update screening_grids set visited = s.visited, nobody_home = s.nobody_home, residents_screened = s.screened, abnormal_residents = s.abnormal
    from (
      select grid_code, sum(case when state = 'visited' then 1 else 0 end) as visited, sum(case when state = 'nobody_home' then 1 else 0 end) as nobody_home,
        sum(residents_screened) as screened, sum(abnormal_residents) as abnormal
      from screening_households where campaign_id = ${c.id} group by grid_code
    ) as s
    where screening_grids.campaign_id = ${c.id} and screening_grids.grid_code = s.grid_code`.execute(ctx.db);
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
