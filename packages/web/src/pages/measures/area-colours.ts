import type { RiskAreaLevel } from '@gridline/shared';

/** Colour of each area level on the map and in tags: high/lockdown red, medium/control orange, low/prevention blue. */
export const LEVEL_COLOURS: Record<RiskAreaLevel, string> = { high: '#cf1322', lockdown: '#cf1322', medium: '#fa8c16', control: '#fa8c16', low: '#1677ff', prevention: '#1677ff' };
