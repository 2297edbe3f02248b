import type { RouteCase } from './fixture.js';

/** Matrix rows for health reports, follow-up tasks and arrivals (issue #5): one per route, aimed at the caller's own jurisdiction and the other one. */
export const HEALTH_CASES: RouteCase[] = [];
