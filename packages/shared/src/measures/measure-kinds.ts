import type { RegionLevel } from '../region.js';

/**
 * Control measures (issue #7): on a person (isolation, health monitoring) or on an area. Each kind names the
 * articles it rests on and the level that approves it when it stays within the protocol; a measure beyond the
 * protocol needs the next level up with a written reason (see proportionality.ts).
 */
export const PERSON_MEASURES = ['centralized_isolation', 'home_isolation', 'home_health_monitoring'] as const;
export type PersonMeasure = (typeof PERSON_MEASURES)[number];
export const MEASURE_KINDS = [...PERSON_MEASURES, 'area_control'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const MEASURE_KIND_LABELS: Record<MeasureKind, { zh: string; en: string }> = {
  centralized_isolation: { zh: '集中隔离医学观察', en: 'Centralized isolation' },
  home_isolation: { zh: '居家隔离医学观察', en: 'Home isolation' },
  home_health_monitoring: { zh: '居家健康监测', en: 'Home health monitoring' },
  area_control: { zh: '区域管控', en: 'Area control' },
};

/** Who approves a measure: the command (or community head) at this level of the region tree. */
export type ApprovalLevel = Extract<RegionLevel, 'community' | 'street' | 'district'>;

export interface MeasureKindRule {
  kind: MeasureKind;
  legalBases: string[];
  /** Approval when the measure stays within the protocol. */
  approval: ApprovalLevel;
  /** How restrictive it is for a person (higher = harsher); area controls are compared by scope and level instead. */
  harshness: number;
}

/**
 * Approval levels are our model [D]: the community manages its residents' isolation at home, the street sends
 * people to centralized sites and draws area controls (Art.41's "county-level government" acts through the
 * district command, which is also the next level up for a street's over-protocol area control).
 */
export const MEASURE_KIND_RULES: Record<MeasureKind, MeasureKindRule> = {
  home_health_monitoring: { kind: 'home_health_monitoring', legalBases: ['cdl-2013-art39'], approval: 'community', harshness: 1 },
  home_isolation: { kind: 'home_isolation', legalBases: ['cdl-2013-art39'], approval: 'community', harshness: 2 },
  centralized_isolation: { kind: 'centralized_isolation', legalBases: ['cdl-2013-art39'], approval: 'street', harshness: 3 },
  area_control: { kind: 'area_control', legalBases: ['cdl-2013-art41', 'cdl-2013-art42', 'ephe-2011-art33'], approval: 'street', harshness: 4 },
};

const LADDER: ApprovalLevel[] = ['community', 'street', 'district'];

/** The level above `level` (the district stays the top: its own overrides are reported to the city outside the system). */
export function nextApproval(level: ApprovalLevel): ApprovalLevel {
  return LADDER[Math.min(LADDER.indexOf(level) + 1, LADDER.length - 1)]!;
}
