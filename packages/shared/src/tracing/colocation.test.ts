import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROTOCOLS, protocolInForce, type ProtocolValues, type TracingRules } from '../protocol/values.js';
import { shanghaiDay } from '../health/days.js';
import {
  caseStays, clockFigures, findColocations, householdContacts, lookbackWindow, MINUTE_MS, scanRanges, secondaryContacts, shareMetPerDay,
  type RulesAt, type TraceScan,
} from './colocation.js';

const HOUR = 60 * MINUTE_MS;
const ONSET = '2022-07-20';
/** 2022-07-20 00:00 in Asia/Shanghai, worked out by hand: 2022-07-19 16:00 UTC. */
const ONSET_START = Date.UTC(2022, 6, 19, 16, 0);

function fixedRules(t: Partial<TracingRules>, id = 'test'): RulesAt {
  const tracing: TracingRules = { lookbackDays: 4, assumedStayMinutes: 30, minOverlapMinutes: 10, householdAreClose: true, secondaryContacts: 'household', ...t };
  return () => ({ protocolId: id, tracing });
}
const byVersions = (versions: readonly ProtocolValues[]): RulesAt => (at) => {
  const p = protocolInForce(shanghaiDay(at), versions);
  return { protocolId: p.id, tracing: p.tracing };
};

/**
 * The oracle, written independently of the implementation: every time in these logs is a whole minute, so a stay
 * is a set of minutes; two people are co-located when the minutes both occupy at one place contain a run of at
 * least minOverlap consecutive minutes. The window is worked out from the calendar, not from lookbackWindow.
 */
function oracle(caseScans: TraceScan[], others: TraceScan[], stayMin: number, minOverlap: number, lookbackDays: number, windowEnd: number) {
  const from = ONSET_START - lookbackDays * 24 * HOUR;
  const minutes = (scans: TraceScan[]) => {
    const byPlace = new Map<string, Set<number>>();
    for (const s of scans) {
      const set = byPlace.get(s.placeId) ?? byPlace.set(s.placeId, new Set()).get(s.placeId)!;
      for (let m = 0; m < stayMin; m++) set.add(s.at / MINUTE_MS + m);
    }
    return byPlace;
  };
  const mine = minutes(caseScans.filter((s) => s.at >= from && s.at < windowEnd));
  const people = new Map<string, TraceScan[]>();
  for (const s of others) (people.get(s.personId) ?? people.set(s.personId, []).get(s.personId)!).push(s);
  const found = new Map<string, { longest: number; lastEnd: number }>();
  for (const [id, scans] of people) {
    let longest = 0;
    let lastEnd = 0;
    for (const [place, theirs] of minutes(scans)) {
      const ours = mine.get(place);
      if (!ours) continue;
      const shared = [...theirs].filter((m) => ours.has(m)).sort((a, b) => a - b);
      let runStart = 0;
      for (let i = 0; i < shared.length; i++) {
        if (i > 0 && shared[i] !== shared[i - 1]! + 1) runStart = i;
        const len = i - runStart + 1;
        const endsHere = i === shared.length - 1 || shared[i + 1] !== shared[i]! + 1;
        if (endsHere && len >= minOverlap) {
          longest = Math.max(longest, len);
          lastEnd = Math.max(lastEnd, (shared[i]! + 1) * MINUTE_MS);
        }
      }
    }
    if (longest > 0) found.set(id, { longest, lastEnd });
  }
  return found;
}

const PLACES = ['p1', 'p2', 'p3'];

/** A scan log with planted neighbours: for each case scan, people at offsets around it, plus others elsewhere. */
const scanLog = fc
  .record({
    stay: fc.integer({ min: 5, max: 60 }),
    minFrac: fc.double({ min: 0.05, max: 1, noNaN: true }),
    lookbackDays: fc.integer({ min: 1, max: 6 }),
    endDays: fc.integer({ min: 0, max: 3 }),
    // Case scans in minutes relative to the window's start: some well inside, some at the edges and around midnights.
    caseTimes: fc.array(
      fc.tuple(
        fc.constantFrom(...PLACES),
        fc.oneof(
          fc.integer({ min: -3 * 24 * 60, max: 12 * 24 * 60 }),
          fc.constantFrom(0, -1, 1, -30, 29),
          fc.integer({ min: -2, max: 10 }).chain((d) => fc.integer({ min: -45, max: 45 }).map((m) => d * 24 * 60 + m)),
        ),
      ),
      { minLength: 1, maxLength: 8 },
    ),
    // Repeat visits: a second scan at the same place a few minutes after one of the case's scans.
    repeats: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 70 })), { maxLength: 3 }),
    neighbours: fc.array(fc.tuple(fc.nat(), fc.integer({ min: -80, max: 80 }), fc.boolean()), { minLength: 1, maxLength: 30 }),
    noise: fc.array(fc.tuple(fc.constantFrom(...PLACES, 'p9'), fc.integer({ min: -4 * 24 * 60, max: 12 * 24 * 60 })), { maxLength: 20 }),
  })
  .map((g) => {
    const lookbackFrom = ONSET_START - g.lookbackDays * 24 * HOUR;
    const at = (min: number) => lookbackFrom + min * MINUTE_MS;
    const caseScans: TraceScan[] = g.caseTimes.map(([placeId, m]) => ({ personKind: 'resident', personId: 'case', placeId, at: at(m) }));
    for (const [i, d] of g.repeats) {
      const base = caseScans[i % caseScans.length]!;
      caseScans.push({ ...base, at: base.at + d * MINUTE_MS });
    }
    const others: TraceScan[] = [];
    g.neighbours.forEach(([i, d, twice], n) => {
      const base = caseScans[i % caseScans.length]!;
      others.push({ personKind: n % 3 ? 'resident' : 'visitor', personId: `n${n}`, placeId: base.placeId, at: base.at + d * MINUTE_MS });
      // Some neighbours also come back (their own overlapping visits).
      if (twice) others.push({ personKind: n % 3 ? 'resident' : 'visitor', personId: `n${n}`, placeId: base.placeId, at: base.at + (d + 17) * MINUTE_MS });
    });
    g.noise.forEach(([placeId, m], n) => others.push({ personKind: 'resident', personId: `x${n}`, placeId, at: at(m) }));
    const minOverlap = Math.max(1, Math.round(g.stay * g.minFrac));
    const windowEnd = ONSET_START + g.endDays * 24 * HOUR;
    return { ...g, caseScans, others, minOverlap, windowEnd };
  });

describe('look-back window', () => {
  it('starts at 00:00 Asia/Shanghai, lookbackDays before onset (symptomatic) or sampling (asymptomatic)', () => {
    const w = lookbackWindow({ classification: 'confirmed', onsetDate: ONSET, samplingDate: '2022-07-22' }, 4, ONSET_START + 3 * 24 * HOUR);
    expect(w).toEqual({ from: Date.UTC(2022, 6, 15, 16, 0), to: ONSET_START + 3 * 24 * HOUR, anchor: 'onset', anchorDate: ONSET });
    const a = lookbackWindow({ classification: 'asymptomatic', onsetDate: null, samplingDate: '2022-07-22' }, 4, ONSET_START + 3 * 24 * HOUR);
    expect(a?.from).toBe(Date.UTC(2022, 6, 17, 16, 0));
    expect(a?.anchor).toBe('sampling');
    // A confirmed case without an onset date falls back to sampling; neither date: no window.
    expect(lookbackWindow({ classification: 'confirmed', onsetDate: null, samplingDate: '2022-07-22' }, 2, 0)?.from).toBe(Date.UTC(2022, 6, 19, 16, 0));
    expect(lookbackWindow({ classification: 'suspected', onsetDate: null, samplingDate: null }, 4, 0)).toBeNull();
  });
});

describe('co-location on generated scan logs (property)', () => {
  it('finds exactly the people the minute-by-minute oracle finds, with the longest shared stretch and last exposure', () => {
    fc.assert(
      fc.property(scanLog, (g) => {
        const rules = fixedRules({ assumedStayMinutes: g.stay, minOverlapMinutes: g.minOverlap, lookbackDays: g.lookbackDays });
        const window = lookbackWindow({ classification: 'confirmed', onsetDate: ONSET, samplingDate: null }, g.lookbackDays, g.windowEnd)!;
        const stays = caseStays(g.caseScans, window, rules);
        const found = findColocations({ stays, otherScans: g.others, rulesAt: rules });
        const truth = oracle(g.caseScans, g.others, g.stay, g.minOverlap, g.lookbackDays, g.windowEnd);
        expect(found.map((c) => c.personId).sort()).toEqual([...truth.keys()].sort());
        for (const c of found) {
          const t = truth.get(c.personId)!;
          expect(Math.max(...c.evidence.map((e) => e.overlapMinutes))).toBe(t.longest);
          expect(c.exposureAt).toBe(t.lastEnd);
          for (const e of c.evidence) {
            expect(e.overlapMinutes).toBeGreaterThanOrEqual(g.minOverlap);
            expect(e.caseScans.every((at) => at >= window.from && at < window.to)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('needs only the scans inside the ranges scanRanges names (what the server fetches)', () => {
    fc.assert(
      fc.property(scanLog, (g) => {
        const rules = fixedRules({ assumedStayMinutes: g.stay, minOverlapMinutes: g.minOverlap, lookbackDays: g.lookbackDays });
        const window = lookbackWindow({ classification: 'confirmed', onsetDate: ONSET, samplingDate: null }, g.lookbackDays, g.windowEnd)!;
        const stays = caseStays(g.caseScans, window, rules);
        const ranges = scanRanges(stays, g.stay);
        const fetched = g.others.filter((s) => ranges.some((r) => r.placeId === s.placeId && s.at >= r.from && s.at < r.to));
        const all = findColocations({ stays, otherScans: g.others, rulesAt: rules });
        const some = findColocations({ stays, otherScans: fetched, rulesAt: rules });
        expect(some).toEqual(all);
      }),
      { numRuns: 300 },
    );
  });

  it('never finds a contact through a case scan outside the window, and always through one at its exact start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 29 }), (lookbackDays, before) => {
        const rules = fixedRules({ lookbackDays });
        const window = lookbackWindow({ classification: 'confirmed', onsetDate: ONSET, samplingDate: null }, lookbackDays, ONSET_START + 24 * HOUR)!;
        // The case at the market exactly at the window's start and one minute before it, at different places.
        const caseScans: TraceScan[] = [
          { personKind: 'resident', personId: 'case', placeId: 'edge', at: window.from },
          { personKind: 'resident', personId: 'case', placeId: 'before', at: window.from - MINUTE_MS },
          { personKind: 'resident', personId: 'case', placeId: 'end', at: window.to },
        ];
        const others: TraceScan[] = [
          // Arrived `before` minutes before the case, across midnight in Shanghai: still ≥ 10 min shared inside the window.
          { personKind: 'resident', personId: 'at-edge', placeId: 'edge', at: window.from - before * MINUTE_MS },
          { personKind: 'resident', personId: 'before-edge', placeId: 'before', at: window.from - MINUTE_MS },
          { personKind: 'resident', personId: 'after-end', placeId: 'end', at: window.to },
        ];
        const found = findColocations({ stays: caseStays(caseScans, window, rules), otherScans: others, rulesAt: rules }).map((c) => c.personId);
        expect(found).toEqual(before <= 20 ? ['at-edge'] : []);
      }),
    );
  });
});

describe('co-location, worked examples', () => {
  const rules = fixedRules({});
  const window = { from: ONSET_START - 4 * 24 * HOUR, to: ONSET_START + 24 * HOUR };
  const s = (personId: string, placeId: string, iso: string): TraceScan => ({ personKind: personId.startsWith('v') ? 'visitor' : 'resident', personId, placeId, at: Date.parse(iso) });

  it('joins overlapping visits at the same place into one stay, and counts a stretch across midnight in Shanghai', () => {
    const caseScans = [s('case', 'market', '2022-07-18T23:50:00+08:00'), s('case', 'market', '2022-07-19T00:10:00+08:00')];
    // The case stays 23:50–00:40 (two visits joined); a visitor 00:25–00:55 shares 15 min after midnight.
    const found = findColocations({ stays: caseStays(caseScans, window, rules), otherScans: [s('v1', 'market', '2022-07-19T00:25:00+08:00'), s('r2', 'market', '2022-07-19T00:31:00+08:00')], rulesAt: rules });
    expect(found).toEqual([
      {
        personKind: 'visitor', personId: 'v1', exposureAt: Date.parse('2022-07-19T00:40:00+08:00'),
        evidence: [{ placeId: 'market', caseScans: [caseScans[1]!.at], contactScans: [Date.parse('2022-07-19T00:25:00+08:00')], from: Date.parse('2022-07-19T00:25:00+08:00'), to: Date.parse('2022-07-19T00:40:00+08:00'), overlapMinutes: 15 }],
      },
    ]);
  });

  it('changes with the version in force: the twenty measures stop secondary contacts, a 2-day look-back drops days 3–4', () => {
    const members = [
      { residentId: 'case', householdId: 'h0' }, { residentId: 'wife', householdId: 'h0' },
      { residentId: 'c1', householdId: 'h1' }, { residentId: 'c1-son', householdId: 'h1' },
      { residentId: 'c2', householdId: 'h2' }, { residentId: 'c2-mother', householdId: 'h2' },
    ];
    const ninth = byVersions(BUILT_IN_PROTOCOLS);
    const jul = Date.parse('2022-07-20T12:00:00+08:00');
    const nov = Date.parse('2022-11-15T12:00:00+08:00');
    expect(householdContacts('case', members, ninth, jul)).toEqual(['wife']);
    // c1 was exposed under the ninth edition (次密接 identified), c2 under the twenty measures (not identified).
    expect(secondaryContacts({ close: [{ residentId: 'c1', exposureAt: jul }, { residentId: 'c2', exposureAt: nov }], members, caseResidentId: 'case', rulesAt: ninth }))
      .toEqual([{ residentId: 'c1-son', viaResidentId: 'c1', exposureAt: jul }]);
    // An eighth-edition style version with a 2-day look-back: the case's visit on day −3 no longer counts.
    const eighth: ProtocolValues = { ...BUILT_IN_PROTOCOLS[0]!, id: 'eighth', effectiveFrom: '2021-05-11', tracing: { ...BUILT_IN_PROTOCOLS[0]!.tracing, lookbackDays: 2 } };
    const caseScans = [s('case', 'shop', '2022-07-17T10:00:00+08:00'), s('case', 'gym', '2022-07-19T10:00:00+08:00')];
    const others = [s('r1', 'shop', '2022-07-17T10:05:00+08:00'), s('r2', 'gym', '2022-07-19T10:05:00+08:00')];
    const run = (versions: ProtocolValues[]) => {
      const rulesAt = byVersions(versions);
      const w = lookbackWindow({ classification: 'confirmed', onsetDate: ONSET, samplingDate: null }, rulesAt(ONSET_START).tracing.lookbackDays, ONSET_START + 24 * HOUR)!;
      return findColocations({ stays: caseStays(caseScans, w, rulesAt), otherScans: others, rulesAt }).map((c) => c.personId).sort();
    };
    expect(run([...BUILT_IN_PROTOCOLS])).toEqual(['r1', 'r2']);
    expect(run([eighth])).toEqual(['r2']);
  });

  it('leaves the household out when the version says household members are not close contacts', () => {
    expect(householdContacts('case', [{ residentId: 'case', householdId: 'h' }, { residentId: 'x', householdId: 'h' }], fixedRules({ householdAreClose: false }), 0)).toEqual([]);
  });
});

describe('the 24-hour clock', () => {
  const T = Date.parse('2026-11-28T08:00:00+08:00');
  it('measures identified (first confirmed contact) and notified (all confirmed contacts notified)', () => {
    const contacts = [
      { status: 'confirmed' as const, decidedAt: T + 3 * HOUR, notifiedAt: T + 10 * HOUR },
      { status: 'confirmed' as const, decidedAt: T + 5 * HOUR, notifiedAt: T + 20 * HOUR },
      { status: 'rejected' as const, decidedAt: T + 1 * HOUR, notifiedAt: null },
    ];
    expect(clockFigures(T, contacts, T + 30 * HOUR)).toEqual({ confirmedAt: T, identifiedAt: T + 3 * HOUR, notifiedAt: T + 20 * HOUR, elapsedMs: 20 * HOUR, done: true, met: true, atRisk: false });
    const open = [{ ...contacts[0]! }, { ...contacts[1]!, notifiedAt: null }];
    expect(clockFigures(T, open, T + 17 * HOUR)).toMatchObject({ done: false, met: null, atRisk: false, notifiedAt: null, elapsedMs: 17 * HOUR });
    expect(clockFigures(T, open, T + 18 * HOUR)).toMatchObject({ met: null, atRisk: true });
    expect(clockFigures(T, open, T + 25 * HOUR)).toMatchObject({ met: false, atRisk: true });
    expect(clockFigures(T, [{ ...contacts[0]!, notifiedAt: T + 25 * HOUR }], T + 26 * HOUR)).toMatchObject({ done: true, met: false });
    expect(clockFigures(T, [], T + 19 * HOUR)).toMatchObject({ identifiedAt: null, done: false, atRisk: true });
    const day = (ms: number) => shanghaiDay(ms);
    expect(shareMetPerDay([clockFigures(T, contacts, T + 30 * HOUR), clockFigures(T + HOUR, open, T + 26 * HOUR), clockFigures(T + 20 * HOUR, open, T + 26 * HOUR)], day)).toEqual([
      { day: '2026-11-28', cases: 2, met: 1, missed: 1, running: 0 },
      { day: '2026-11-29', cases: 1, met: 0, missed: 0, running: 1 },
    ]);
  });
});
