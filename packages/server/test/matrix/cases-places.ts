import type { RouteCase } from './fixture.js';

/** Matrix rows for places, place codes and scans, personal codes and checkpoints, devices (issue #5): one per route, aimed at the caller's own jurisdiction and the other one. */
export const PLACES_CASES: RouteCase[] = [];
