import { RESIDENCE_STATUSES, VULNERABILITY_TAGS, type ResidenceStatus, type VulnerabilityTag } from '@gridline/shared';
import type { ResidentFilters, ResidentListQuery } from '../../api/endpoints';

/** Age bands a grid worker asks for (Asia/Shanghai today, inclusive). */
export const AGE_BANDS = [
  { key: '0-6', min: 0, max: 6 },
  { key: '7-17', min: 7, max: 17 },
  { key: '18-59', min: 18, max: 59 },
  { key: '60-79', min: 60, max: 79 },
  { key: '80+', min: 80, max: undefined },
] as const;
export type AgeBandKey = (typeof AGE_BANDS)[number]['key'];

export const SORTS = ['name', 'birthDate', 'updatedAt', 'regionCode'] as const;
export type SortKey = (typeof SORTS)[number];

export interface ListState {
  node?: string | undefined;
  q?: string | undefined;
  tags: VulnerabilityTag[];
  age?: AgeBandKey | undefined;
  status?: ResidenceStatus | undefined;
  sort?: SortKey | undefined;
  order?: 'asc' | 'desc' | undefined;
  page: number;
  pageSize: number;
}

const isTag = (s: string): s is VulnerabilityTag => (VULNERABILITY_TAGS as readonly string[]).includes(s);
const isStatus = (s: string): s is ResidenceStatus => (RESIDENCE_STATUSES as readonly string[]).includes(s);

/** The list's state lives in the URL: a reload, a shared link or the back button lands on the same list. */
export function readListState(sp: URLSearchParams): ListState {
  const age = sp.get('age');
  const status = sp.get('status') ?? '';
  const sort = sp.get('sort') ?? '';
  const order = sp.get('order');
  const node = sp.get('node') ?? '';
  return {
    node: /^\d{6,24}$/.test(node) ? node : undefined,
    q: sp.get('q') || undefined,
    tags: sp.getAll('tags').filter(isTag),
    age: AGE_BANDS.find((b) => b.key === age)?.key,
    status: isStatus(status) ? status : undefined,
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as SortKey) : undefined,
    order: order === 'asc' || order === 'desc' ? order : undefined,
    page: Math.max(1, Number(sp.get('page')) || 1),
    pageSize: [10, 20, 50, 100].includes(Number(sp.get('pageSize'))) ? Number(sp.get('pageSize')) : 20,
  };
}

export function writeListState(sp: URLSearchParams, s: ListState): URLSearchParams {
  const next = new URLSearchParams(sp);
  for (const k of ['node', 'q', 'tags', 'age', 'status', 'sort', 'order', 'page', 'pageSize']) next.delete(k);
  if (s.node) next.set('node', s.node);
  if (s.q) next.set('q', s.q);
  for (const tag of s.tags) next.append('tags', tag);
  if (s.age) next.set('age', s.age);
  if (s.status) next.set('status', s.status);
  if (s.sort) next.set('sort', s.sort);
  if (s.order) next.set('order', s.order);
  if (s.page > 1) next.set('page', String(s.page));
  if (s.pageSize !== 20) next.set('pageSize', String(s.pageSize));
  return next;
}

export function toFilters(s: ListState): ResidentFilters {
  const band = AGE_BANDS.find((b) => b.key === s.age);
  const f: ResidentFilters = {};
  if (s.node) f.node = s.node;
  if (s.q) f.q = s.q;
  if (s.tags.length) f.tags = s.tags;
  if (s.status) f.residenceStatus = s.status;
  if (band) {
    f.ageMin = band.min;
    if (band.max !== undefined) f.ageMax = band.max;
  }
  if (s.sort) f.sort = s.sort;
  if (s.order) f.order = s.order;
  return f;
}

export function toQuery(s: ListState): ResidentListQuery {
  return { ...toFilters(s), page: s.page, pageSize: s.pageSize };
}

export function hasFilters(s: ListState): boolean {
  return !!(s.node || s.q || s.tags.length || s.age || s.status);
}
