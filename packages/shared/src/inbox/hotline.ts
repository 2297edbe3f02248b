import { parseMobilePhone } from '../identity/phone.js';
import { toHalfWidth } from '../text.js';
import { WHISTLE_URGENCIES, type WhistleUrgency } from '../whistles/categories.js';

/** A 12345 hotline ticket (工单) as the inbox takes it, from a CSV/XLSX row or the push API. */
export interface HotlineTicket {
  ticketNo: string;
  /** Epoch ms the hotline received it. */
  receivedAt: number;
  requester: string | null;
  phone: string | null;
  address: string | null;
  content: string;
  /** The hotline's own type (咨询/求助/投诉/举报/建议 …), kept as given. */
  type: string | null;
  /** Epoch ms by which the hotline expects an answer. */
  deadlineAt: number | null;
  urgency: WhistleUrgency;
}

export type HotlineField = keyof HotlineTicket;

/** Column headers accepted for each field (Chinese first, as hotline systems export them). */
export const HOTLINE_HEADERS: Record<Exclude<HotlineField, 'urgency'> | 'urgency', string[]> = {
  ticketNo: ['工单编号', '工单号', '编号', 'ticketNo', 'ticket_no'],
  receivedAt: ['受理时间', '来电时间', '登记时间', '时间', 'time', 'receivedAt'],
  requester: ['诉求人', '来电人', '姓名', 'requester', 'name'],
  phone: ['联系电话', '来电号码', '电话', 'phone'],
  address: ['地址', '问题地址', '事发地址', 'address'],
  content: ['诉求内容', '内容', '问题描述', 'content'],
  type: ['诉求类型', '类型', '工单类型', 'type'],
  deadlineAt: ['办理时限', '截止时间', '办结时限', 'deadline', 'deadlineAt'],
  urgency: ['紧急程度', 'urgency'],
};

export const HOTLINE_FIELD_LABELS: Record<HotlineField, string> = {
  ticketNo: '工单编号', receivedAt: '受理时间', requester: '诉求人', phone: '联系电话', address: '地址', content: '诉求内容', type: '诉求类型', deadlineAt: '办理时限', urgency: '紧急程度',
};

export interface RowError {
  /** 1-based row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  field: HotlineField | null;
  message: string;
}

/** Maps a header row to field → column index; unknown columns are ignored, a missing required column is an error. */
export function mapHotlineHeaders(headers: string[]): { columns: Partial<Record<HotlineField, number>>; missing: HotlineField[] } {
  const columns: Partial<Record<HotlineField, number>> = {};
  const norm = headers.map((h) => toHalfWidth(String(h ?? '')).replace(/\s+/g, '').replace(/^\uFEFF/, ''));
  for (const [field, names] of Object.entries(HOTLINE_HEADERS) as [HotlineField, string[]][]) {
    const i = norm.findIndex((h) => names.some((n) => n.toLowerCase() === h.toLowerCase()));
    if (i >= 0) columns[field] = i;
  }
  const missing = (['ticketNo', 'receivedAt', 'content'] as HotlineField[]).filter((f) => columns[f] === undefined);
  return { columns, missing };
}

/**
 * A local date-time in Asia/Shanghai: `2026-11-29 09:30`, `2026/11/29 9:30:15`, `2026-11-29T09:30`,
 * `2026年11月29日 09:30`, or epoch ms. Returns epoch ms or null.
 */
export function parseShanghaiDateTime(input: unknown): number | null {
  if (typeof input === 'number' && Number.isFinite(input) && input > 1e11) return input;
  if (input instanceof Date) return Number.isNaN(input.getTime()) ? null : input.getTime();
  if (typeof input !== 'string') return null;
  const s = toHalfWidth(input).trim();
  const m = /^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return null;
  const t = Date.UTC(y, mo - 1, d, h - 8, mi, se);
  // Reject dates that roll over (2026-02-30).
  const back = new Date(t + 8 * 3600_000);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null;
  return t;
}

const URGENCY_WORDS: Record<string, WhistleUrgency> = { 一般: 'daily', 普通: 'daily', 日常: 'daily', 紧急: 'tough', 较急: 'tough', 加急: 'tough', 特急: 'emergency', 应急: 'emergency', 非常紧急: 'emergency' };

/** A landline or mobile number: digits with an optional area code and dash, 7 to 20 characters. */
function parsePhone(v: string): string | null {
  const mobile = parseMobilePhone(v);
  if (mobile.ok) return mobile.value;
  const s = toHalfWidth(v).replace(/[\s()（）]/g, '');
  return /^\+?\d[\d-]{6,19}$/.test(s) ? s : null;
}

/**
 * Validates one ticket (a row's cells by field, or a pushed object). Every problem is reported with its field
 * and a Chinese message; a row with none becomes a ticket.
 */
export function validateHotlineTicket(cells: Partial<Record<HotlineField, unknown>>, row: number): { ok: true; ticket: HotlineTicket } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const text = (f: HotlineField): string => {
    const v = cells[f];
    return v === undefined || v === null ? '' : toHalfWidth(String(v instanceof Date ? v.toISOString() : v)).trim();
  };
  const err = (field: HotlineField, message: string) => errors.push({ row, field, message: `第 ${row} 行「${HOTLINE_FIELD_LABELS[field]}」${message}` });

  const ticketNo = text('ticketNo');
  if (!ticketNo) err('ticketNo', '不能为空');
  else if (ticketNo.length > 64 || !/^[\w-]+$/.test(ticketNo)) err('ticketNo', `格式不正确：${ticketNo.slice(0, 20)}`);

  const receivedRaw = cells.receivedAt;
  const receivedAt = receivedRaw instanceof Date || typeof receivedRaw === 'number' ? parseShanghaiDateTime(receivedRaw) : parseShanghaiDateTime(text('receivedAt'));
  if (!text('receivedAt')) err('receivedAt', '不能为空');
  else if (receivedAt === null) err('receivedAt', `无法识别的时间：${text('receivedAt').slice(0, 20)}（应为 2026-11-29 09:30）`);

  const content = text('content');
  if (!content) err('content', '不能为空');
  else if (content.length > 4000) err('content', '超过 4000 字');

  const phoneRaw = text('phone');
  const phone = phoneRaw ? parsePhone(phoneRaw) : null;
  if (phoneRaw && !phone) err('phone', `号码不正确：${phoneRaw.slice(0, 20)}`);

  const deadlineRaw = cells.deadlineAt;
  let deadlineAt: number | null = null;
  if (text('deadlineAt')) {
    deadlineAt = deadlineRaw instanceof Date || typeof deadlineRaw === 'number' ? parseShanghaiDateTime(deadlineRaw) : parseShanghaiDateTime(text('deadlineAt'));
    if (deadlineAt === null) err('deadlineAt', `无法识别的时间：${text('deadlineAt').slice(0, 20)}`);
    else if (receivedAt !== null && deadlineAt <= receivedAt) err('deadlineAt', '须晚于受理时间');
  }

  const urgencyRaw = text('urgency');
  let urgency: WhistleUrgency = 'daily';
  if (urgencyRaw) {
    const u = URGENCY_WORDS[urgencyRaw] ?? ((WHISTLE_URGENCIES as readonly string[]).includes(urgencyRaw) ? (urgencyRaw as WhistleUrgency) : null);
    if (!u) err('urgency', `无法识别：${urgencyRaw.slice(0, 10)}（一般/紧急/特急）`);
    else urgency = u;
  }
  const requester = text('requester');
  if (requester.length > 50) err('requester', '超过 50 字');
  const address = text('address');
  if (address.length > 200) err('address', '超过 200 字');

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    ticket: { ticketNo, receivedAt: receivedAt!, requester: requester || null, phone, address: address || null, content, type: text('type') || null, deadlineAt, urgency },
  };
}
