/**
 * Chat-robot webhook payloads the inbox accepts, each item of a batch on its own. Documented shapes:
 * - `plain` (ours): { id?, text, name?, phone?, address?, category?, at? }
 * - `wecom` (企业微信-style): { msgtype: "text", text: { content }, msgid?, from?: { name?, userid?, mobile? }, create_time? }
 * - `dingtalk` (钉钉 outgoing robot): { msgtype: "text", text: { content }, msgId, senderNick?, senderStaffId?, createAt? }
 * - `feishu` (飞书 event v2): { schema: "2.0", header: { event_id, event_type: "im.message.receive_v1", create_time },
 *   event: { sender: { sender_id: { open_id } }, message: { message_id, message_type: "text", content: "{\"text\":\"…\"}" } } }
 * Anything else is refused with a reason; non-text messages are refused with the type named.
 */
export const ROBOT_SHAPES = ['plain', 'wecom', 'dingtalk', 'feishu'] as const;
export type RobotShape = (typeof ROBOT_SHAPES)[number];

export interface RobotMessage {
  shape: RobotShape;
  externalId: string | null;
  text: string;
  name: string | null;
  phone: string | null;
  address: string | null;
  category: string | null;
  /** Epoch ms when the platform received it, if it said. */
  at: number | null;
}

export type RobotParse = { ok: true; message: RobotMessage } | { ok: false; reason: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);

/** Seconds or milliseconds since the epoch (platforms differ), or an ISO string. */
function time(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isFinite(n) && n > 0) return n < 1e12 ? n * 1000 : n;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

function textOnly(msgtype: unknown): string | null {
  return msgtype === 'text' ? null : `仅支持文本消息，收到的消息类型为「${String(msgtype)}」`;
}

function content(text: string | null): RobotParse | null {
  if (!text) return { ok: false, reason: '消息内容为空' };
  if (text.length > 4000) return { ok: false, reason: '消息内容超过 4000 字' };
  return null;
}

export function parseRobotMessage(item: unknown): RobotParse {
  if (!isObj(item)) return { ok: false, reason: '每条消息须为 JSON 对象' };
  // 飞书 event v2
  if (item.schema === '2.0' && isObj(item.header) && isObj(item.event)) {
    const header = item.header;
    const message = isObj(item.event.message) ? item.event.message : null;
    if (header.event_type !== 'im.message.receive_v1' || !message) return { ok: false, reason: `不支持的飞书事件类型「${String(header.event_type)}」` };
    const bad = textOnly(message.message_type);
    if (bad) return { ok: false, reason: bad };
    let text: string | null = null;
    try {
      const c: unknown = typeof message.content === 'string' ? JSON.parse(message.content) : message.content;
      text = isObj(c) ? str(c.text) : null;
    } catch {
      return { ok: false, reason: '飞书消息的 content 不是有效的 JSON' };
    }
    const problem = content(text);
    if (problem) return problem;
    const sender = isObj(item.event.sender) && isObj(item.event.sender.sender_id) ? str(item.event.sender.sender_id.open_id) : null;
    return { ok: true, message: { shape: 'feishu', externalId: str(message.message_id) ?? str(header.event_id), text: text!, name: sender, phone: null, address: null, category: null, at: time(header.create_time) } };
  }
  if ('msgtype' in item) {
    const bad = textOnly(item.msgtype);
    if (bad) return { ok: false, reason: bad };
    const text = isObj(item.text) ? str(item.text.content) : null;
    const problem = content(text);
    if (problem) return problem;
    // 钉钉: msgId / senderNick at the top level.
    if ('msgId' in item || 'senderNick' in item || 'senderStaffId' in item) {
      return { ok: true, message: { shape: 'dingtalk', externalId: str(item.msgId), text: text!, name: str(item.senderNick), phone: null, address: null, category: null, at: time(item.createAt) } };
    }
    const from = isObj(item.from) ? item.from : {};
    return { ok: true, message: { shape: 'wecom', externalId: str(item.msgid), text: text!, name: str(from.name) ?? str(from.userid), phone: str(from.mobile), address: null, category: null, at: time(item.create_time) } };
  }
  if ('text' in item) {
    const text = str(item.text);
    const problem = content(text);
    if (problem) return problem;
    return {
      ok: true,
      message: { shape: 'plain', externalId: str(item.id), text: text!, name: str(item.name), phone: str(item.phone), address: str(item.address), category: str(item.category), at: time(item.at) },
    };
  }
  const keys = Object.keys(item).slice(0, 5).join(', ');
  return { ok: false, reason: `无法识别的消息格式（字段：${keys || '无'}）；支持企业微信、钉钉、飞书文本消息和 { text } 格式` };
}
