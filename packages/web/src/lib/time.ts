import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every time the console shows is Beijing time, whatever the device's zone (server times are epoch ms). */
export const TZ = 'Asia/Shanghai';

export function setDayjsLocale(lang: string): void {
  dayjs.locale(lang.startsWith('zh') ? 'zh-cn' : 'en');
}

export function inShanghai(ms: number): Dayjs {
  return dayjs(ms).tz(TZ);
}

export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return inShanghai(ms).format('YYYY-MM-DD HH:mm');
}

export function formatDateTimeSeconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return inShanghai(ms).format('YYYY-MM-DD HH:mm:ss');
}

/** Today's date in Beijing, YYYY-MM-DD (the register's rules compare birth dates against it). */
export function todayInShanghai(): string {
  return dayjs().tz(TZ).format('YYYY-MM-DD');
}

/** Whole years between an ISO birth date and today in Beijing. */
export function ageOf(birthDate: string, today: string = todayInShanghai()): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  if (by === undefined || bm === undefined || bd === undefined || ty === undefined || tm === undefined || td === undefined) return 0;
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age -= 1;
  return Math.max(0, age);
}

/** Start of a Beijing calendar day as epoch ms (for audit date filters picked on any device). */
export function shanghaiDayStart(d: Dayjs): number {
  return dayjs.tz(d.format('YYYY-MM-DD'), TZ).startOf('day').valueOf();
}

export function shanghaiDayEnd(d: Dayjs): number {
  return dayjs.tz(d.format('YYYY-MM-DD'), TZ).endOf('day').valueOf();
}
