/**
 * The issue's performance targets, checked against each result (the table's note column). Latency and RSS
 * targets apply at district scale only; at smaller scales the same numbers are shown without a verdict.
 */
import type { ScenarioResult } from './report.js';

interface Check {
  label: string;
  applies(s: ScenarioResult, scale: string, dialect: string): boolean;
  value(s: ScenarioResult): number;
  /** The value must stay at or below (max) / at or above (min) the limit. */
  bound: 'max' | 'min';
  limit: number;
}

const atDistrict = (scale: string) => scale === 'district';
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');

const CHECKS: Check[] = [
  {
    label: '≥ 0.30 of raw', bound: 'min', limit: 0.3,
    applies: (s) => s.name === 'write-audited-update',
    value: (s) => s.subject.perSecond / s.baseline.perSecond,
  },
  {
    label: '≥ 0.50 of raw', bound: 'min', limit: 0.5,
    applies: (s) => s.name === 'write-scan-batch-ingest',
    value: (s) => s.subject.perSecond / s.baseline.perSecond,
  },
  {
    label: 'p95 ≤ 30 ms', bound: 'max', limit: 30,
    applies: (s, scale) => atDistrict(scale) && /^(http-(list|search)|query-(list|filter|search))/.test(s.name),
    value: (s) => s.subject.p95,
  },
  {
    label: 'p95 ≤ 100 ms', bound: 'max', limit: 100,
    applies: (s, scale) => atDistrict(scale) && s.name === 'query-screening-coverage-district',
    value: (s) => s.subject.p95,
  },
  {
    label: '≥ 0.40 of bare', bound: 'min', limit: 0.4,
    applies: (s) => s.name === 'http-scan-single',
    value: (s) => s.subject.perSecond / s.baseline.perSecond,
  },
  {
    label: 'p95 ≤ 100 ms', bound: 'max', limit: 100,
    applies: (s, scale, dialect) => atDistrict(scale) && dialect === 'sqlite' && s.name === 'query-trace-two-hop',
    value: (s) => s.subject.p95,
  },
  {
    label: 'p95 ≤ 200 ms', bound: 'max', limit: 200,
    applies: (s, scale, dialect) => atDistrict(scale) && dialect === 'postgres' && s.name === 'query-trace-two-hop',
    value: (s) => s.subject.p95,
  },
  {
    // p50 against p50: how many times faster than the self-join the trace is.
    label: '≥ 20× faster than the self-join', bound: 'min', limit: 20,
    applies: (s, scale) => atDistrict(scale) && s.name === 'query-trace-two-hop',
    value: (s) => s.baseline.p50 / s.subject.p50,
  },
  {
    label: 'p95 ≤ 50 ms', bound: 'max', limit: 50,
    applies: (s, scale) => atDistrict(scale) && s.name.startsWith('query-dashboard-'),
    value: (s) => s.subject.p95,
  },
];

/** Server RSS target: the app server's peak over the HTTP scenarios (the in-process RSS is a harness process). */
export const RSS_LIMIT_MB = 512;

/**
 * Why a target is missed, from the EXPLAIN snapshots (bench/explain/) and the numbers; shown with a miss only.
 * Kept next to the checks so the table never reports a miss without its reason.
 */
const QUEUE = '10 concurrent requests queue on 2 cores shared with the load generator';
const WHY: Record<string, string> = {
  'http-list-filtered': `${QUEUE}; each count joins the community's tagged residents (~5–10 ms in PostgreSQL)`,
  'http-list-street': `${QUEUE}; each total counts the street's ~25k index entries (~3 ms)`,
  'http-search-name-street': `${QUEUE}; each total scans the street's ~25k index entries (~2–5 ms)`,
  'http-list-filtered-street': 'the exact total joins ~25k street residents with their tags (~15–35 ms alone), then queues',
  'http-list-district': 'every page counts all ~1M index entries for its exact total (80–140 ms, parallel); see below',
  'query-list-district': 'every page counts all ~1M index entries for its exact total (80–140 ms, parallel); see below',
  'http-list-filtered-district': 'exact filtered total: the district range holds every row, so a seq scan + hash join with 80k tags (~200–370 ms); see below',
  'query-filter-district': 'exact filtered total: the district range holds every row, so a seq scan + hash join with 80k tags (~200–370 ms); see below',
  'http-search-name-district': `the count is a ~30k-entry range on residents_name_prefix_idx (~6 ms); ${QUEUE}`,
  'query-trace-two-hop': 'the self-join reads the same index ranges (the case\'s stays at their places, then households) and a trace finds ~2,300–3,700 close and ~4,000–5,800 secondary contacts; the service\'s per-contact work is what remains; see below',
  'query-dashboard-district-counts': 'groups all ~1M residents by street (index-only scan + hash aggregate, ~250 ms); see below',
};

export function verdict(s: ScenarioResult, scale: string, dialect: string): string {
  const parts: string[] = [];
  for (const c of CHECKS) {
    if (!c.applies(s, scale, dialect)) continue;
    const v = c.value(s);
    const ok = c.bound === 'max' ? v <= c.limit : v >= c.limit;
    parts.push(ok ? `meets ${c.label} (${fmt(v)})` : `**misses** ${c.label} (${fmt(v)})${WHY[s.name] ? `: ${WHY[s.name]}` : ''}`);
  }
  // The absolute target (≥ 50,000 scans/s) is the issue's for SQLite; the table shows it for either database.
  if (s.name.startsWith('write-scan-batch-ingest')) parts.push(`${fmt(s.subject.perSecond, 0)} scans/s (target on SQLite ≥ 50,000) vs raw ${fmt(s.baseline.perSecond, 0)} scans/s`);
  if (s.name === 'write-import-50k') parts.push(`no target; ${fmt(s.subject.perSecond, 0)} rows/s vs raw ${fmt(s.baseline.perSecond, 0)} rows/s`);
  if (s.errors?.subjectNon2xx) parts.push(`**${s.errors.subjectNon2xx} non-2xx/errors**`);
  return parts.join('; ');
}

/** One line under a results table for the targets that concern the whole run (server RSS). */
export function runVerdict(scenarios: ScenarioResult[], scale: string): string {
  const http = scenarios.filter((s) => s.kind === 'http');
  if (!atDistrict(scale) || !http.length) return '';
  const rss = Math.max(...http.map((s) => s.rssMb));
  const ok = rss <= RSS_LIMIT_MB;
  return `Server RSS target ≤ ${RSS_LIMIT_MB} MB at district scale: ${ok ? 'meets' : '**misses**'} (peak ${rss} MB over the HTTP scenarios${WHY.rss && !ok ? `: ${WHY.rss}` : ''}).`;
}
