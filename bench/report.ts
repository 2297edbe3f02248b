/** Results → the Markdown table in bench/README.md (between the results markers). */
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR } from './env.js';
import type { Summary } from './stats.js';
import { runVerdict, verdict } from './targets.js';

export interface ScenarioResult {
  name: string;
  kind: 'http' | 'query' | 'write';
  what: string;
  /** Every scenario names its baseline. */
  baselineName: string;
  subject: Summary;
  baseline: Summary;
  errors?: { subjectNon2xx: number; baselineNon2xx: number };
  rssMb: number;
  notes: string;
}

interface ResultFile {
  scale: string;
  dialect: string;
  residents: number;
  streets?: number;
  seed: number;
  filter: string | null;
  at: string;
  machine: { cpus: number; cpuModel: string; node: string };
  wallSeconds: { prepare: number; total: number };
  scenarios: ScenarioResult[];
}

const START = '<!-- results:start -->';
const END = '<!-- results:end -->';
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');

/** Subject p50 ÷ baseline p50 (how many times slower) and subject ÷ baseline throughput. */
export function ratios(s: ScenarioResult): { latency: number; throughput: number } {
  return { latency: s.subject.p50 / s.baseline.p50, throughput: s.subject.perSecond / s.baseline.perSecond };
}

export function table(f: ResultFile): string {
  const lines = [
    `### ${f.scale} (${f.residents.toLocaleString('en')} residents, ${f.streets ?? 1} street${(f.streets ?? 1) > 1 ? 's' : ''}) on ${f.dialect}`,
    '',
    `${f.at.slice(0, 16).replace('T', ' ')} UTC · ${f.machine.cpus} × ${f.machine.cpuModel} · Node ${f.machine.node} · seed ${f.seed} · wall ${f.wallSeconds.total} s (of which data ${f.wallSeconds.prepare} s)${f.filter ? ` · last run refreshed only scenarios matching "${f.filter}"` : ''}`,
    '',
    '| scenario | baseline | subject p50 / p95 / p99 ms | baseline p50 / p95 / p99 ms | p50 ratio (×slower) | throughput ratio | subject ops/s | peak RSS MB | note |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of f.scenarios) {
    const r = ratios(s);
    lines.push(
      `| ${s.name} | ${s.baselineName} | ${fmt(s.subject.p50)} / ${fmt(s.subject.p95)} / ${fmt(s.subject.p99)} | ${fmt(s.baseline.p50)} / ${fmt(s.baseline.p95)} / ${fmt(s.baseline.p99)} | ${fmt(r.latency, 1)} | ${fmt(r.throughput, 3)} | ${fmt(s.subject.perSecond, 0)} | ${s.rssMb} | ${verdict(s, f.scale, f.dialect)} |`,
    );
  }
  const run = runVerdict(f.scenarios, f.scale);
  if (run) lines.push('', run);
  return lines.join('\n');
}

export function writeReadme(): void {
  const dir = path.join(BENCH_DIR, 'results');
  // Smallest scale first, then by dialect.
  const rank = (f: string) => ['community', 'street', 'district'].indexOf(f.split('-')[0]!);
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)) : [];
  const body = files.map((f) => table(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ResultFile)).join('\n\n');
  const readme = path.join(BENCH_DIR, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const block = `${START}\n${body || '_No results yet._'}\n${END}`;
  const next = text.includes(START) ? text.replace(new RegExp(`${START}[\\s\\S]*${END}`), block) : `${text.trimEnd()}\n\n## Results\n\n${block}\n`;
  fs.writeFileSync(readme, next);
}
