import type { RouteCase } from './fixture.js';

/** Matrix rows for screening campaigns and visits (issue #5): one per route, aimed at the caller's own jurisdiction and the other one. */
export const SCREENING_CASES: RouteCase[] = [];
