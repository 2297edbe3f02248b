import { recentTestVerdict, testRequiredAt, type TestResult } from '@gridline/shared';
import type { PassageCheck, PassageChecks } from '../checkpoints/passage-checks.js';
import { healthRepository } from './health.repository.js';

/**
 * 'no_recent_test': where the protocol in force has checkpoints of this place kind ask for a test
 * (`codeChecksAt` is 'all' or names the kind, and `checkpointTestHours` is set), the latest test the resident
 * reported within those hours must be negative.
 */
export const noRecentTestCheck: PassageCheck = {
  name: 'no_recent_test',
  async check(ctx) {
    const hours = testRequiredAt(ctx.protocol, ctx.place.kind);
    if (hours === null) return [];
    const rows = await healthRepository.testsBetween(ctx.db, ctx.residentId, ctx.at - hours * 3_600_000, ctx.at);
    const tests = rows.filter((r) => r.test_sampled_at !== null && r.test_result).map((r) => ({ sampledAt: Number(r.test_sampled_at), result: r.test_result as TestResult }));
    const verdict = recentTestVerdict(tests, ctx.at, hours);
    return verdict.ok ? [] : [{ effect: 'deny', code: 'no_recent_test', reason: verdict.reason ?? `无 ${hours} 小时内核酸阴性记录`, until: null }];
  },
};

export function registerHealthPassageChecks(checks: PassageChecks): void {
  checks.register(noRecentTestCheck);
}
