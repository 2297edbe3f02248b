/** Latency samples (milliseconds) → the summary every scenario reports. */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** Operations (or requests) per second over the measured time. */
  perSecond: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[], elapsedMs: number): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const mean = samples.reduce((s, x) => s + x, 0) / (samples.length || 1);
  return {
    n: samples.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(mean),
    perSecond: round((samples.length / elapsedMs) * 1000),
  };
}

/**
 * Times two async operations against each other in alternating rounds (so drift on a shared machine hits
 * both alike): warm-up, then `rounds` × (subject for sliceMs, baseline for sliceMs), one call at a time.
 */
export async function compare(
  subject: (i: number) => Promise<unknown>,
  baseline: (i: number) => Promise<unknown>,
  opts: { rounds: number; sliceMs: number; warmup: number; maxPerSlice?: number },
): Promise<{ subject: Summary; baseline: Summary }> {
  for (let i = 0; i < opts.warmup; i++) {
    await subject(i);
    await baseline(i);
  }
  const s: number[] = [];
  const b: number[] = [];
  let sElapsed = 0;
  let bElapsed = 0;
  let k = opts.warmup;
  const slice = async (fn: (i: number) => Promise<unknown>, into: number[]): Promise<number> => {
    const start = performance.now();
    let count = 0;
    while (performance.now() - start < opts.sliceMs && count < (opts.maxPerSlice ?? Infinity)) {
      const t0 = performance.now();
      await fn(k++);
      into.push(performance.now() - t0);
      count++;
    }
    return performance.now() - start;
  };
  for (let r = 0; r < opts.rounds; r++) {
    sElapsed += await slice(subject, s);
    bElapsed += await slice(baseline, b);
  }
  return { subject: summarize(s, sElapsed), baseline: summarize(b, bElapsed) };
}

export function maxRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}
