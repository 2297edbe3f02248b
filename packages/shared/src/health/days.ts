/**
 * Calendar days in Asia/Shanghai (UTC+8 all year: no daylight saving since 1991), as YYYY-MM-DD strings.
 * Health reports are one per resident per Shanghai day, and protocol days ("第3天") count from a local date.
 */
export const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The Shanghai calendar date of an instant. */
export function shanghaiDay(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Shanghai calendar date begins (00:00 +08:00). */
export function shanghaiDayStart(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) - SHANGHAI_OFFSET_MS;
}

/** `date` moved by `n` calendar days (n may be negative). */
export function addDays(date: string, n: number): string {
  return shanghaiDay(shanghaiDayStart(date) + n * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((shanghaiDayStart(to) - shanghaiDayStart(from)) / DAY_MS);
}

/** Whether a string is a real calendar date in YYYY-MM-DD form (2026-02-30 is not). */
export function isCalendarDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && shanghaiDay(shanghaiDayStart(s)) === s;
}

/**
 * "Until" as Chinese notices write it: an end at midnight is the previous day's 24时 ("至12月3日24时"),
 * which reads as "through 3 December"; any other end is given to the minute.
 */
export function untilZh(ms: number): string {
  const local = new Date(ms + SHANGHAI_OFFSET_MS);
  const hh = local.getUTCHours();
  const mm = local.getUTCMinutes();
  if (hh === 0 && mm === 0) {
    const prev = new Date(ms + SHANGHAI_OFFSET_MS - DAY_MS);
    return `${prev.getUTCMonth() + 1}月${prev.getUTCDate()}日24时`;
  }
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}
