import { CODE_LENGTH, coverageOf, daysAfter, defaultQuestionnaire, type Questionnaire } from '@gridline/shared';
import type { AppContext } from '../context.js';
import type {
  HouseholdsTable, RegionNodesTable, ResidentsTable, ScreeningGridsTable, ScreeningHouseholdsTable, ScreeningResultsTable, ScreeningVisitsTable, UsersTable,
} from '../db/schema.js';
import { shanghaiDate } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { Scope } from '../security/scope.js';
import { DEMO_STREET } from './demo-street.js';

/**
 * A screening campaign already under way in the demo street, so the feature shows something on first start:
 * the street's first round, started two days ago, each grid given to its grid worker, households visited at a
 * different pace per grid (the map shows every colour; the demo grid worker's own grid is about a third done),
 * some with nobody home and a revisit due, a few residents with symptoms or needs. Deterministic from the rows
 * passed in; written with plain inserts in one transaction and one audit event, like the rest of the demo.
 */
export interface DemoRows {
  nodes: RegionNodesTable[];
  households: HouseholdsTable[];
  residents: ResidentsTable[];
  users: UsersTable[];
}

const DAY = 86_400_000;
const BATCH = 500;

/** A stable pseudo-random number in [0, 1) from two integers (no state, so the demo is the same every time). */
function unit(a: number, b: number): number {
  let h = (Math.imul(a + 1, 2654435761) ^ Math.imul(b + 7, 40503)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 3266489909) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

export function demoQuestionnaire(): Questionnaire {
  const q = defaultQuestionnaire();
  return { items: [...q.items, { id: 'c1', kind: 'yes_no', label: '是否需要代购生活物资', required: false, flagged: ['yes'] }] };
}

export async function seedScreeningDemo(ctx: AppContext, rows: DemoRows, now: number): Promise<{ campaignId: string; visits: number }> {
  const { db, services } = ctx;
  const today = shanghaiDate(now);
  const protocol = await ctx.protocol.inForce(now);
  const campaignId = newId();
  const activatedAt = now - 2 * DAY;
  const q = demoQuestionnaire();
  const grids = rows.nodes.filter((n) => n.level === 'grid').map((n) => n.code).sort();
  const gridName = new Map(rows.nodes.filter((n) => n.level === 'grid').map((n) => [n.code, n.name]));
  const members = new Map<string, ResidentsTable[]>();
  for (const r of rows.residents) members.set(r.household_id, [...(members.get(r.household_id) ?? []), r]);
  const byGrid = new Map<string, HouseholdsTable[]>();
  for (const h of rows.households) {
    const g = h.code.slice(0, CODE_LENGTH.grid);
    byGrid.set(g, [...(byGrid.get(g) ?? []), h]);
  }
  const gridWorker = rows.users.find((u) => u.role === 'grid_worker');

  const gridRows: ScreeningGridsTable[] = [];
  const visits: ScreeningVisitsTable[] = [];
  const results: ScreeningResultsTable[] = [];
  const states: ScreeningHouseholdsTable[] = [];
  grids.forEach((grid, gi) => {
    const households = byGrid.get(grid) ?? [];
    // Grids run from just started to nearly done; the demo grid worker's grid (the first) is about a third done.
    const pace = gi === 0 ? 0.35 : 0.1 + 0.88 * unit(gi, 1);
    const counts = { households_total: households.length, visited: 0, nobody_home: 0, residents_screened: 0, abnormal_residents: 0 };
    const worker = gi === 0 && gridWorker ? gridWorker : null;
    households.forEach((h, hi) => {
      const roll = unit(gi * 10_000 + hi, 2);
      const outcome = roll < pace ? 'visited' : roll < pace + 0.08 ? 'nobody_home' : null;
      if (!outcome) return;
      const id = newId();
      const visitedAt = activatedAt + Math.floor(unit(gi, hi) * (now - activatedAt - 3600_000));
      const people = outcome === 'visited' ? (members.get(h.id) ?? []) : [];
      if (outcome === 'visited' && !people.length) return;
      let abnormal = 0;
      for (const [pi, p] of people.entries()) {
        const tags = JSON.parse(p.tags) as string[];
        const r = unit(hi * 31 + pi, gi + 3);
        const answers: Record<string, unknown> = { presence: r < 0.06 ? 'away' : 'home', symptoms: r > 0.985 ? ['fever', 'cough'] : [], special_needs: tags.includes('dialysis') ? ['dialysis'] : tags.includes('bedridden') ? ['mobility'] : [] };
        if (answers.presence === 'away') answers.travel = ['合肥市区'];
        if (tags.includes('elderly_alone')) answers.c1 = r < 0.5;
        const reasons = [
          ...(answers.symptoms as string[]).filter((s) => protocol.abnormalSymptoms.includes(s as never)).map((s) => `symptoms:${s}`),
          ...(answers.special_needs as string[]).map((s) => `special_needs:${s}`),
          ...(answers.c1 === true ? ['c1:yes'] : []),
        ];
        if (reasons.length) abnormal++;
        results.push({ visit_id: id, resident_id: p.id, presence: String(answers.presence), answers: JSON.stringify(answers), abnormal: reasons.length ? 1 : 0, reasons: JSON.stringify(reasons) });
      }
      const revisitOn = outcome === 'nobody_home' ? daysAfter(shanghaiDate(visitedAt), 1) : null;
      const by = { visited_by: worker?.id ?? null, visited_by_name: worker?.display_name ?? `${gridName.get(grid) ?? ''} 网格员` };
      visits.push({
        id, client_key: newId(), campaign_id: campaignId, household_id: h.id, household_code: h.code, grid_code: grid, outcome, status: 'accepted', base_version: 0, applied_version: 1,
        conflict_visit_id: null, ...by, visited_at: visitedAt, received_at: visitedAt, revisit_on: revisitOn, note: '', protocol_id: protocol.id,
        residents: people.length, abnormal_residents: abnormal, resolved_by: null, resolved_at: null,
      });
      states.push({
        campaign_id: campaignId, household_id: h.id, household_code: h.code, grid_code: grid, state: outcome, version: 1, last_visit_id: id, last_visited_at: visitedAt,
        last_visited_by: by.visited_by, last_visited_by_name: by.visited_by_name, revisit_on: revisitOn, residents_screened: people.length, abnormal_residents: abnormal, updated_at: visitedAt,
      });
      if (outcome === 'visited') {
        counts.visited++;
        counts.residents_screened += people.length;
        counts.abnormal_residents += abnormal;
      } else counts.nobody_home++;
    });
    gridRows.push({ campaign_id: campaignId, grid_code: grid, ...counts, updated_at: now });
  });

  const totals = coverageOf({
    householdsTotal: gridRows.reduce((s, g) => s + g.households_total, 0), visited: gridRows.reduce((s, g) => s + g.visited, 0), nobodyHome: gridRows.reduce((s, g) => s + g.nobody_home, 0),
    residentsScreened: gridRows.reduce((s, g) => s + g.residents_screened, 0), abnormalResidents: gridRows.reduce((s, g) => s + g.abnormal_residents, 0),
  });
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('screening_campaigns').values({
      id: campaignId, name: `${DEMO_STREET.name}第一轮入户排查`, node_code: DEMO_STREET.code, starts_on: daysAfter(today, -2), ends_on: daysAfter(today, 4),
      questionnaire: JSON.stringify(q), status: 'active', version: 2, created_by: null, created_at: activatedAt, updated_at: activatedAt, activated_at: activatedAt, closed_at: null,
    }).execute();
    for (let i = 0; i < gridRows.length; i += BATCH) await tx.insertInto('screening_grids').values(gridRows.slice(i, i + BATCH)).execute();
    const assignments = rows.users.filter((u) => u.role === 'grid_worker' && grids.includes(u.node_code))
      .map((u) => ({ campaign_id: campaignId, grid_code: u.node_code, user_id: u.id, assigned_by: null, assigned_at: activatedAt }));
    if (assignments.length) await tx.insertInto('screening_assignments').values(assignments).execute();
    for (let i = 0; i < visits.length; i += BATCH) await tx.insertInto('screening_visits').values(visits.slice(i, i + BATCH)).execute();
    for (let i = 0; i < results.length; i += BATCH) await tx.insertInto('screening_results').values(results.slice(i, i + BATCH)).execute();
    for (let i = 0; i < states.length; i += BATCH) await tx.insertInto('screening_households').values(states.slice(i, i + BATCH)).execute();
    await services.audit.record(tx, Scope.system('demo'), {
      action: 'demo.screening', entityType: 'screening_campaign', entityId: campaignId, regionCode: DEMO_STREET.code,
      diff: { grids: gridRows.length, visits: visits.length, coverage: Math.round(totals.coverage * 1000) / 10 },
    });
  });
  return { campaignId, visits: visits.length };
}
