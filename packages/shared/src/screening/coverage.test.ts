import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  daysAfter, applyDelta, coverageBand, coverageOf, nextTally, sumCounts, tallyDelta, ZERO_COUNTS, type GridCounts, type HouseholdTally, type VisitOutcome,
} from './coverage.js';

const visitArb = fc.record({
  household: fc.integer({ min: 0, max: 9 }),
  outcome: fc.constantFrom<VisitOutcome>('visited', 'nobody_home'),
  residents: fc.integer({ min: 1, max: 6 }),
  abnormal: fc.integer({ min: 0, max: 6 }),
});

describe('grid counters', () => {
  it('folding each transition’s delta gives the counts of the households’ final states', () => {
    fc.assert(
      fc.property(fc.array(visitArb, { maxLength: 60 }), (visits) => {
        const tallies = new Map<number, HouseholdTally>();
        let counts: GridCounts = { ...ZERO_COUNTS, householdsTotal: 10 };
        for (const v of visits) {
          const prev = tallies.get(v.household) ?? null;
          const next = nextTally(prev, { outcome: v.outcome, residents: v.outcome === 'visited' ? v.residents : 0, abnormal: v.outcome === 'visited' ? Math.min(v.abnormal, v.residents) : 0 });
          counts = applyDelta(counts, tallyDelta(prev, next));
          tallies.set(v.household, next);
        }
        const finals = [...tallies.values()];
        expect(counts).toEqual({
          householdsTotal: 10,
          visited: finals.filter((t) => t.state === 'visited').length,
          nobodyHome: finals.filter((t) => t.state === 'nobody_home').length,
          residentsScreened: finals.reduce((s, t) => s + t.residents, 0),
          abnormalResidents: finals.reduce((s, t) => s + t.abnormal, 0),
        });
        const c = coverageOf(counts);
        expect(c.visited + c.nobodyHome + c.notReached).toBe(c.householdsTotal);
        expect(c.notReached).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('keeps a completed visit when a later knock finds nobody home', () => {
    const visited = nextTally(null, { outcome: 'visited', residents: 3, abnormal: 1 });
    expect(nextTally(visited, { outcome: 'nobody_home', residents: 0, abnormal: 0 })).toEqual(visited);
    expect(nextTally(nextTally(null, { outcome: 'nobody_home', residents: 0, abnormal: 0 }), { outcome: 'visited', residents: 2, abnormal: 0 })).toEqual({ state: 'visited', residents: 2, abnormal: 0 });
  });

  it('coverage is a rate in [0, 1] and households registered after the count still count', () => {
    const countsArb = fc.record({ householdsTotal: fc.nat(500), visited: fc.nat(500), nobodyHome: fc.nat(500), residentsScreened: fc.nat(2000), abnormalResidents: fc.nat(50) });
    fc.assert(
      fc.property(countsArb, (c) => {
        const cov = coverageOf(c);
        expect(cov.coverage).toBeGreaterThanOrEqual(0);
        expect(cov.coverage).toBeLessThanOrEqual(1);
        expect(cov.householdsTotal).toBe(Math.max(c.householdsTotal, c.visited + c.nobodyHome));
        expect(cov.notReached).toBe(cov.householdsTotal - c.visited - c.nobodyHome);
      }),
    );
    expect(coverageOf(ZERO_COUNTS)).toMatchObject({ coverage: 0, notReached: 0 });
  });

  it('sums grids into a total', () => {
    const a: GridCounts = { householdsTotal: 10, visited: 4, nobodyHome: 1, residentsScreened: 9, abnormalResidents: 1 };
    const b: GridCounts = { householdsTotal: 5, visited: 5, nobodyHome: 0, residentsScreened: 12, abnormalResidents: 0 };
    expect(sumCounts([a, b])).toEqual({ householdsTotal: 15, visited: 9, nobodyHome: 1, residentsScreened: 21, abnormalResidents: 1 });
    expect(sumCounts([])).toEqual(ZERO_COUNTS);
  });

  it('bands are monotone in the rate', () => {
    expect([0, 0.1, 0.25, 0.6, 0.8, 0.95, 1].map(coverageBand)).toEqual([0, 0, 1, 2, 3, 4, 4]);
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, y) => {
      if (x <= y) expect(coverageBand(x)).toBeLessThanOrEqual(coverageBand(y));
    }));
  });

  it('adds days across months and years', () => {
    expect(daysAfter('2026-11-30', 1)).toBe('2026-12-01');
    expect(daysAfter('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysAfter('2028-02-28', 1)).toBe('2028-02-29');
  });
});
