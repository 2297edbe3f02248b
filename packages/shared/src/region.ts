/**
 * Region codes are paths: each level extends its parent's code by a fixed number of digits,
 * so "everything under a node" is a prefix (one index range scan on both databases).
 *   district 6 (GB/T 2260) → street 9 → community 12 (statistical division code)
 *   → grid 15 → building 18 → unit 20 → household 24 (floor+room 4 digits)
 */
export const REGION_LEVELS = ['district', 'street', 'community', 'grid', 'building', 'unit', 'household'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
/** Levels stored as region nodes; households live in their own table but share the code space. */
export type NodeLevel = Exclude<RegionLevel, 'household'>;

export const CODE_LENGTH: Record<RegionLevel, number> = {
  district: 6,
  street: 9,
  community: 12,
  grid: 15,
  building: 18,
  unit: 20,
  household: 24,
};

export const LEVEL_LABELS: Record<RegionLevel, { zh: string; en: string }> = {
  district: { zh: '区县', en: 'District' },
  street: { zh: '街道/乡镇', en: 'Street' },
  community: { zh: '社区/村', en: 'Community' },
  grid: { zh: '网格', en: 'Grid' },
  building: { zh: '楼栋', en: 'Building' },
  unit: { zh: '单元', en: 'Unit' },
  household: { zh: '户', en: 'Household' },
};

export function levelOfCode(code: string): RegionLevel | undefined {
  if (!/^\d+$/.test(code)) return undefined;
  return REGION_LEVELS.find((l) => CODE_LENGTH[l] === code.length);
}

export function childLevel(level: RegionLevel): RegionLevel | undefined {
  return REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1];
}

export function parentCodeOf(code: string): string | undefined {
  const level = levelOfCode(code);
  if (!level || level === 'district') return undefined;
  const parent = REGION_LEVELS[REGION_LEVELS.indexOf(level) - 1];
  return parent ? code.slice(0, CODE_LENGTH[parent]) : undefined;
}

/** True when `code` is `node` itself or lies below it. */
export function isUnder(code: string, node: string): boolean {
  return code.startsWith(node);
}

/** Codes of `code` and all its ancestors, root first (for breadcrumbs). */
export function ancestorCodes(code: string): string[] {
  return REGION_LEVELS.map((l) => CODE_LENGTH[l])
    .filter((len) => len <= code.length)
    .map((len) => code.slice(0, len));
}
