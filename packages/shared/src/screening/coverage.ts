/**
 * Coverage arithmetic of a screening campaign. The server keeps one row of counters per grid, changed by the
 * delta of each household's transition (so coverage for a district reads a few hundred rows instead of
 * counting every household); the same functions fold those counters into totals and map colours.
 */
export const VISIT_OUTCOMES = ['visited', 'nobody_home'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];
/** A household's state in a campaign: not reached yet, visited, or nobody home at the last attempt. */
export const HOUSEHOLD_STATES = ['pending', 'visited', 'nobody_home'] as const;
export type HouseholdState = (typeof HOUSEHOLD_STATES)[number];

/** What one household contributes to its grid's counters. */
export interface HouseholdTally {
  state: Exclude<HouseholdState, 'pending'>;
  /** Residents with a recorded result (0 when nobody was home). */
  residents: number;
  /** Residents with at least one abnormal answer. */
  abnormal: number;
}

export interface GridCounts {
  householdsTotal: number;
  visited: number;
  nobodyHome: number;
  residentsScreened: number;
  abnormalResidents: number;
}

export type CountsDelta = Omit<GridCounts, 'householdsTotal'>;

export interface Coverage extends GridCounts {
  /** Households with no attempt yet. */
  notReached: number;
  /** Visited ÷ total (0 when the grid has no households). */
  coverage: number;
}

export const ZERO_COUNTS: GridCounts = { householdsTotal: 0, visited: 0, nobodyHome: 0, residentsScreened: 0, abnormalResidents: 0 };

/**
 * The household's tally after an accepted visit. "Nobody home" after a completed visit keeps the visit's
 * results: a later unanswered knock does not undo what was already screened.
 */
export function nextTally(prev: HouseholdTally | null, visit: { outcome: VisitOutcome; residents: number; abnormal: number }): HouseholdTally {
  if (visit.outcome === 'visited') return { state: 'visited', residents: visit.residents, abnormal: visit.abnormal };
  if (prev?.state === 'visited') return prev;
  return { state: 'nobody_home', residents: 0, abnormal: 0 };
}

const contribution = (t: HouseholdTally | null): CountsDelta => ({
  visited: t?.state === 'visited' ? 1 : 0,
  nobodyHome: t?.state === 'nobody_home' ? 1 : 0,
  residentsScreened: t?.residents ?? 0,
  abnormalResidents: t?.abnormal ?? 0,
});

/** How a grid's counters change when one household goes from `prev` to `next`. */
export function tallyDelta(prev: HouseholdTally | null, next: HouseholdTally): CountsDelta {
  const a = contribution(prev);
  const b = contribution(next);
  return {
    visited: b.visited - a.visited,
    nobodyHome: b.nobodyHome - a.nobodyHome,
    residentsScreened: b.residentsScreened - a.residentsScreened,
    abnormalResidents: b.abnormalResidents - a.abnormalResidents,
  };
}

export function isZeroDelta(d: CountsDelta): boolean {
  return d.visited === 0 && d.nobodyHome === 0 && d.residentsScreened === 0 && d.abnormalResidents === 0;
}

export function applyDelta(c: GridCounts, d: CountsDelta): GridCounts {
  return {
    householdsTotal: c.householdsTotal,
    visited: c.visited + d.visited,
    nobodyHome: c.nobodyHome + d.nobodyHome,
    residentsScreened: c.residentsScreened + d.residentsScreened,
    abnormalResidents: c.abnormalResidents + d.abnormalResidents,
  };
}

/** Not reached and the coverage rate; a total below the reached households (registered later) counts them in. */
export function coverageOf(c: GridCounts): Coverage {
  const total = Math.max(c.householdsTotal, c.visited + c.nobodyHome);
  return { ...c, householdsTotal: total, notReached: total - c.visited - c.nobodyHome, coverage: total === 0 ? 0 : c.visited / total };
}

export function sumCounts(list: readonly GridCounts[]): GridCounts {
  return list.reduce<GridCounts>(
    (s, c) => ({
      householdsTotal: s.householdsTotal + c.householdsTotal,
      visited: s.visited + c.visited,
      nobodyHome: s.nobodyHome + c.nobodyHome,
      residentsScreened: s.residentsScreened + c.residentsScreened,
      abnormalResidents: s.abnormalResidents + c.abnormalResidents,
    }),
    ZERO_COUNTS,
  );
}

/** Lower bounds of the map's colour bands: under 25 %, 25–50 %, 50–75 %, 75–95 %, 95 % and above. */
export const COVERAGE_BANDS = [0, 0.25, 0.5, 0.75, 0.95] as const;

/** The band (0–4) a coverage rate falls in. */
export function coverageBand(rate: number): number {
  let band = 0;
  COVERAGE_BANDS.forEach((lo, i) => {
    if (rate >= lo) band = i;
  });
  return band;
}

/** The Beijing date `days` after a YYYY-MM-DD date (the default revisit is the next day). */
export function daysAfter(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
