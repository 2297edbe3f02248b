import { addDays, shanghaiDayStart } from '../health/days.js';
import type { TracingRules } from '../protocol/values.js';

/**
 * Contact tracing, the pure part (no I/O): the look-back window, stays at places, co-location of stays, the
 * household and secondary rules and the 24-hour clock. The server fetches scans by the ranges `scanRanges` names
 * and calls these functions; the property test (colocation.test.ts) checks them against generated scan logs.
 *
 * Model (REFERENCE §1.1, protocol `tracing`): a scan records an arrival, so a scan at `at` is taken as a stay
 * [at, at + assumedStayMinutes) at the place; one person's stays at one place that overlap merge into one
 * (overlapping visits). Two people are co-located when a merged stay of each at the same place share one
 * continuous stretch of at least minOverlapMinutes. The case's stays count from its scans inside the look-back
 * window [from, to); the other person's scans may begin before `from` (a stay across the window's start counts
 * for the part inside). Each scan's stay and minimum overlap come from the version in force at the scan.
 */

export type PersonKind = 'resident' | 'visitor';

export interface TraceScan {
  personKind: PersonKind;
  personId: string;
  placeId: string;
  at: number;
}

/** The rules of the version in force at an instant, with its id. */
export interface RulesAt {
  (at: number): { protocolId: string; tracing: TracingRules };
}

export const MINUTE_MS = 60_000;

export interface CaseAnchor {
  classification: 'suspected' | 'confirmed' | 'asymptomatic';
  /** YYYY-MM-DD (Asia/Shanghai) or null. */
  onsetDate: string | null;
  samplingDate: string | null;
}

export interface TraceWindow {
  /** Inclusive: 00:00 Asia/Shanghai, lookbackDays before the anchor date. */
  from: number;
  /** Exclusive: isolation (or now). */
  to: number;
  anchor: 'onset' | 'sampling';
  anchorDate: string;
}

/**
 * The look-back window: from `lookbackDays` before symptom onset (suspected/confirmed) or sampling (asymptomatic)
 * — the other date when that one is missing — up to `end` (isolation, or now). Null when the case has neither date.
 */
export function lookbackWindow(c: CaseAnchor, lookbackDays: number, end: number): TraceWindow | null {
  const preferOnset = c.classification !== 'asymptomatic';
  const first = preferOnset ? c.onsetDate : c.samplingDate;
  const anchor: 'onset' | 'sampling' = first ? (preferOnset ? 'onset' : 'sampling') : preferOnset ? 'sampling' : 'onset';
  const anchorDate = first ?? (preferOnset ? c.samplingDate : c.onsetDate);
  if (!anchorDate) return null;
  const from = shanghaiDayStart(addDays(anchorDate, -lookbackDays));
  return { from, to: Math.max(from, end), anchor, anchorDate };
}

/** A person's merged stay at a place: [start, end), with the scans it is made of. */
export interface Stay {
  placeId: string;
  start: number;
  end: number;
  scans: number[];
}

/** Merges one person's scans into stays per place (scans whose stays overlap or touch become one stay). */
export function mergeStays(scans: readonly Pick<TraceScan, 'placeId' | 'at'>[], rulesAt: RulesAt): Stay[] {
  const sorted = [...scans].sort((a, b) => (a.placeId < b.placeId ? -1 : a.placeId > b.placeId ? 1 : a.at - b.at));
  const out: Stay[] = [];
  let cur: Stay | null = null;
  for (const s of sorted) {
    const end = s.at + rulesAt(s.at).tracing.assumedStayMinutes * MINUTE_MS;
    if (cur && cur.placeId === s.placeId && s.at <= cur.end) {
      cur.end = Math.max(cur.end, end);
      cur.scans.push(s.at);
    } else {
      cur = { placeId: s.placeId, start: s.at, end, scans: [s.at] };
      out.push(cur);
    }
  }
  return out;
}

/** The case's stays inside the window (from its scans with from ≤ at < to). */
export function caseStays(caseScans: readonly TraceScan[], window: Pick<TraceWindow, 'from' | 'to'>, rulesAt: RulesAt): Stay[] {
  return mergeStays(caseScans.filter((s) => s.at >= window.from && s.at < window.to), rulesAt);
}

/**
 * The scan ranges to fetch for the other people: every scan whose stay can touch a case stay, i.e. at the same
 * place with at in [stay.start - longest stay, stay.end). Adjacent ranges at a place are joined.
 */
export function scanRanges(stays: readonly Stay[], maxStayMinutes: number): { placeId: string; from: number; to: number }[] {
  const ranges = stays.map((s) => ({ placeId: s.placeId, from: s.start - maxStayMinutes * MINUTE_MS, to: s.end }));
  ranges.sort((a, b) => (a.placeId < b.placeId ? -1 : a.placeId > b.placeId ? 1 : a.from - b.from));
  const out: typeof ranges = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && last.placeId === r.placeId && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** One co-location: which place, the case's and the contact's scans whose stays make the shared stretch [from, to). */
export interface ColocationEvidence {
  placeId: string;
  caseScans: number[];
  contactScans: number[];
  from: number;
  to: number;
  overlapMinutes: number;
}

export interface ColocationContact {
  personKind: PersonKind;
  personId: string;
  /** End of the last shared stretch: the last exposure. */
  exposureAt: number;
  evidence: ColocationEvidence[];
}

const personKey = (kind: string, id: string) => `${kind}:${id}`;

/**
 * Co-location contacts: every other person with a merged stay sharing ≥ minOverlapMinutes (continuous) with one
 * of the case's stays at the same place. `otherScans` may hold more than needed (anything the ranges fetched);
 * the case's own scans and the excluded people are ignored. Sorted by last exposure, latest first.
 */
export function findColocations(input: {
  stays: readonly Stay[];
  otherScans: readonly TraceScan[];
  rulesAt: RulesAt;
  exclude?: ReadonlySet<string>;
}): ColocationContact[] {
  const { stays, rulesAt } = input;
  const byPlace = new Map<string, Stay[]>();
  for (const s of stays) (byPlace.get(s.placeId) ?? byPlace.set(s.placeId, []).get(s.placeId)!).push(s);
  // Group the others' scans per person and place.
  const groups = new Map<string, { kind: PersonKind; id: string; scans: TraceScan[] }>();
  for (const s of input.otherScans) {
    if (!byPlace.has(s.placeId)) continue;
    const key = personKey(s.personKind, s.personId);
    if (input.exclude?.has(key)) continue;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind: s.personKind, id: s.personId, scans: [] }));
    g.scans.push(s);
  }
  const out: ColocationContact[] = [];
  for (const g of groups.values()) {
    const evidence: ColocationEvidence[] = [];
    for (const theirs of mergeStays(g.scans, rulesAt)) {
      for (const mine of byPlace.get(theirs.placeId) ?? []) {
        const from = Math.max(mine.start, theirs.start);
        const to = Math.min(mine.end, theirs.end);
        const min = rulesAt(mine.start).tracing.minOverlapMinutes * MINUTE_MS;
        if (to - from >= min) {
          // The scans whose own stay touches the shared stretch (a merged stay may chain on far beyond it).
          const within = (ats: number[]) => ats.filter((at) => at < to && at + rulesAt(at).tracing.assumedStayMinutes * MINUTE_MS > from);
          evidence.push({ placeId: mine.placeId, caseScans: within(mine.scans), contactScans: within(theirs.scans), from, to, overlapMinutes: Math.floor((to - from) / MINUTE_MS) });
        }
      }
    }
    if (evidence.length) {
      evidence.sort((a, b) => a.from - b.from);
      out.push({ personKind: g.kind, personId: g.id, exposureAt: Math.max(...evidence.map((e) => e.to)), evidence });
    }
  }
  return out.sort((a, b) => b.exposureAt - a.exposureAt || (a.personId < b.personId ? -1 : 1));
}

/** A resident and their household (for the household and secondary rules). */
export interface HouseholdMember {
  residentId: string;
  householdId: string;
}

/** Household members of the case are close contacts when the version in force at `at` says so. */
export function householdContacts(caseResidentId: string | null, members: readonly HouseholdMember[], rulesAt: RulesAt, at: number): string[] {
  if (!caseResidentId || !rulesAt(at).tracing.householdAreClose) return [];
  const household = members.find((m) => m.residentId === caseResidentId)?.householdId;
  if (!household) return [];
  return members.filter((m) => m.householdId === household && m.residentId !== caseResidentId).map((m) => m.residentId).sort();
}

export interface SecondaryCandidate {
  residentId: string;
  /** The close contact they live with. */
  viaResidentId: string;
  exposureAt: number;
}

/**
 * Secondary contacts (次密接): the household members of each close contact, under the version in force at that
 * contact's exposure (none where the version stopped identifying them), leaving out the case and anyone already
 * a close contact. A person reached through several close contacts keeps the latest exposure.
 */
export function secondaryContacts(input: {
  close: readonly { residentId: string; exposureAt: number }[];
  members: readonly HouseholdMember[];
  caseResidentId: string | null;
  rulesAt: RulesAt;
}): SecondaryCandidate[] {
  const closeIds = new Set(input.close.map((c) => c.residentId));
  const householdOf = new Map(input.members.map((m) => [m.residentId, m.householdId]));
  const byHousehold = new Map<string, string[]>();
  for (const m of input.members) (byHousehold.get(m.householdId) ?? byHousehold.set(m.householdId, []).get(m.householdId)!).push(m.residentId);
  const out = new Map<string, SecondaryCandidate>();
  for (const c of input.close) {
    if (input.rulesAt(c.exposureAt).tracing.secondaryContacts !== 'household') continue;
    const household = householdOf.get(c.residentId);
    if (!household) continue;
    for (const r of byHousehold.get(household) ?? []) {
      if (r === c.residentId || r === input.caseResidentId || closeIds.has(r)) continue;
      const prev = out.get(r);
      if (!prev || prev.exposureAt < c.exposureAt) out.set(r, { residentId: r, viaResidentId: c.residentId, exposureAt: c.exposureAt });
    }
  }
  return [...out.values()].sort((a, b) => (a.residentId < b.residentId ? -1 : 1));
}

// ---- The 24-hour clock ----

export const CLOCK_TARGET_MS = 24 * 3_600_000;
export const CLOCK_AT_RISK_MS = 18 * 3_600_000;

export interface ClockContact {
  status: 'proposed' | 'confirmed' | 'rejected';
  decidedAt: number | null;
  notifiedAt: number | null;
}

export interface ClockFigures {
  confirmedAt: number;
  /** First contact confirmed (identified). */
  identifiedAt: number | null;
  /** Every confirmed contact notified: the last notification. */
  notifiedAt: number | null;
  /** Elapsed since confirmation until notified, or until now while not done. */
  elapsedMs: number;
  done: boolean;
  /** Within 24 h: true/false once decided (done, or 24 h passed), null while still running. */
  met: boolean | null;
  /** Not done and 18 h or more have passed (including those already past 24 h). */
  atRisk: boolean;
}

/**
 * Time from confirmation to contacts identified (the first confirmed contact) and to contacts notified (every
 * confirmed contact notified). A case with no confirmed contact is not done.
 */
export function clockFigures(confirmedAt: number, contacts: readonly ClockContact[], now: number): ClockFigures {
  const confirmed = contacts.filter((c) => c.status === 'confirmed');
  const decided = confirmed.map((c) => c.decidedAt).filter((t): t is number => t !== null);
  const identifiedAt = decided.length ? Math.min(...decided) : null;
  const allNotified = confirmed.length > 0 && confirmed.every((c) => c.notifiedAt !== null);
  const notifiedAt = allNotified ? Math.max(...confirmed.map((c) => c.notifiedAt!)) : null;
  const done = notifiedAt !== null;
  const elapsedMs = Math.max(0, (done ? notifiedAt : now) - confirmedAt);
  const met = done ? elapsedMs <= CLOCK_TARGET_MS : now - confirmedAt > CLOCK_TARGET_MS ? false : null;
  return { confirmedAt, identifiedAt, notifiedAt, elapsedMs, done, met, atRisk: !done && now - confirmedAt >= CLOCK_AT_RISK_MS };
}

/** Share of cases that met 24 h, per Shanghai day of confirmation (cases still running are left out of the share). */
export function shareMetPerDay(figures: readonly ClockFigures[], dayOf: (ms: number) => string): { day: string; cases: number; met: number; missed: number; running: number }[] {
  const days = new Map<string, { day: string; cases: number; met: number; missed: number; running: number }>();
  for (const f of figures) {
    const day = dayOf(f.confirmedAt);
    let d = days.get(day);
    if (!d) days.set(day, (d = { day, cases: 0, met: 0, missed: 0, running: 0 }));
    d.cases++;
    if (f.met === true) d.met++;
    else if (f.met === false) d.missed++;
    else d.running++;
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

