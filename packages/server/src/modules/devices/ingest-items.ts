import { INGEST_KINDS, roundTemperature, temperatureProblem } from '@gridline/shared';

/** An item that passed the shape checks. */
export interface IngestCandidate {
  index: number;
  key: string;
  kind: (typeof INGEST_KINDS)[number];
  code: string | null;
  residentId: string | null;
  at: number;
  temperature: number | null;
}

/** How far a device's clock may run ahead of the server's, and how old a backlog it may still send. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
export const BACKLOG_MS = 7 * 86_400_000;

const FIELDS = new Set(['key', 'kind', 'code', 'residentId', 'at', 'temperature']);
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_ALL = /[\u0000-\u001f\u007f]/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Checked = { ok: true; item: IngestCandidate } | { ok: false; key: string | null; reason: string };

const refuse = (key: string | null, reason: string): Checked => ({ ok: false, key, reason });

/**
 * Checks one item as a device sent it; the Chinese reason is what the device's operator reads back. Items are
 * checked one by one (not by the batch schema) so that one bad item never costs the good ones beside it. Runs for
 * every item of every batch: no closure or array is made for a good item.
 */
export function checkItem(raw: unknown, index: number, now: number): Checked {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse(null, '条目不是 JSON 对象');
  const o = raw as Record<string, unknown>;
  // A key with control characters is refused (and not echoed): PostgreSQL text cannot hold U+0000 at all.
  const key = typeof o.key === 'string' && o.key.length >= 1 && o.key.length <= 128 && !CONTROL.test(o.key) ? o.key : null;
  if (key === null) {
    return refuse(null, typeof o.key === 'string' && CONTROL.test(o.key) ? '幂等键 key 不能含控制字符' : '缺少幂等键 key（1–128 个字符的文本）');
  }
  for (const k in o) {
    if (FIELDS.has(k) || !Object.hasOwn(o, k)) continue;
    const extra = Object.keys(o).filter((f) => !FIELDS.has(f));
    const names = extra.slice(0, 5).map((f) => f.replace(CONTROL_ALL, '?').slice(0, 40));
    return refuse(key, `含有不允许的字段：${names.join('、')}${extra.length > 5 ? ` 等 ${extra.length} 个` : ''}`);
  }
  if (!INGEST_KINDS.includes(o.kind as never)) return refuse(key, '类型 kind 应为 scan（扫码）或 temperature（测温）');
  const kind = o.kind as IngestCandidate['kind'];
  const hasCode = o.code !== undefined && o.code !== null;
  const hasResident = o.residentId !== undefined && o.residentId !== null;
  if (!hasCode && !hasResident) return refuse(key, '缺少人员：须提供通行码 code 或居民编号 residentId');
  if (hasCode && hasResident) return refuse(key, '通行码 code 与居民编号 residentId 只能提供其一');
  if (hasCode && (typeof o.code !== 'string' || o.code.length < 1 || o.code.length > 200)) return refuse(key, '通行码 code 应为 1–200 个字符的文本');
  if (hasResident && (typeof o.residentId !== 'string' || !UUID.test(o.residentId))) return refuse(key, '居民编号 residentId 格式不正确');
  if (typeof o.at !== 'number' || !Number.isInteger(o.at) || o.at < 0) return refuse(key, '时间 at 应为毫秒时间戳（整数）');
  if (o.at > now + FUTURE_TOLERANCE_MS) return refuse(key, '时间 at 晚于服务器时间 5 分钟以上，请校准设备时钟');
  if (o.at < now - BACKLOG_MS) return refuse(key, '时间 at 早于 7 天前，超出补传期限');
  let temperature: number | null = null;
  if (o.temperature !== undefined && o.temperature !== null) {
    if (typeof o.temperature !== 'number') return refuse(key, '体温 temperature 应为数字（℃）');
    const problem = temperatureProblem(o.temperature);
    if (problem) return refuse(key, problem);
    temperature = roundTemperature(o.temperature);
  } else if (kind === 'temperature') {
    return refuse(key, '测温条目缺少体温 temperature');
  }
  return {
    ok: true,
    item: { index, key, kind, code: hasCode ? (o.code as string) : null, residentId: hasResident ? (o.residentId as string).toLowerCase() : null, at: o.at, temperature },
  };
}
