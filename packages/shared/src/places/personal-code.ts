/**
 * The resident's personal code (个人通行码): a short-lived, signed token shown as a QR in the portal and scanned at
 * checkpoints. Pure layout and checks only; the MAC is injected, because signing needs the server's key and must
 * stay on the server (the web app never imports a key, only renders the text it was given).
 *
 * Text form: `GL1.` + base64url of 45 bytes = 60 characters, no padding:
 *   [0]      version (1)
 *   [1..16]  resident id (UUID, 16 bytes)
 *   [17..20] issued at, whole seconds since the epoch (uint32, big-endian)
 *   [21..28] nonce (8 random bytes): with the checkpoint, what makes a code usable once
 *   [29..44] MAC: first 16 bytes of HMAC-SHA256(key, "GL1" ‖ bytes 0..28)
 */
export const PERSONAL_CODE_PREFIX = 'GL1.';
/** How long a code is accepted after it was issued. */
export const PERSONAL_CODE_TTL_MS = 60_000;
/** Clock difference tolerated between the issuing server and the verifying one (several instances). */
export const PERSONAL_CODE_SKEW_MS = 5_000;
/** What the MAC covers is prefixed with this, so a MAC made for another purpose never verifies here. */
export const PERSONAL_CODE_MAC_CONTEXT = 'GL1';

const VERSION = 1;
const BODY_BYTES = 29;
const MAC_BYTES = 16;
const TOTAL_BYTES = BODY_BYTES + MAC_BYTES;

export type Mac = (data: Uint8Array) => Uint8Array;

export interface PersonalCodeFields {
  residentId: string;
  /** Epoch ms; stored to the second. */
  issuedAt: number;
  /** 8 random bytes. */
  nonce: Uint8Array;
}

export type PersonalCodeRefusal = 'malformed' | 'forged' | 'expired' | 'not_yet_valid';

export type PersonalCodeCheck =
  | { ok: true; residentId: string; issuedAt: number; expiresAt: number; nonce: string }
  | { ok: false; reason: PersonalCodeRefusal };

/** What checkpoint staff read for each refusal (replays are refused by the checkpoint's nonce store). */
export const PERSONAL_CODE_REFUSALS: Record<PersonalCodeRefusal | 'replayed' | 'unknown_resident', string> = {
  malformed: '无法识别的通行码（格式不正确），请对方刷新通行码后重新出示',
  forged: '通行码校验失败：签名不符，可能是伪造或被篡改的通行码',
  expired: '通行码已过期（有效期 60 秒），请对方刷新后重新出示',
  not_yet_valid: '通行码签发时间晚于当前时间，请核对手机与服务器时间',
  replayed: '该通行码已在本卡口使用过，不能重复使用，请对方刷新后重新出示',
  unknown_resident: '通行码对应的居民不在登记册中',
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** base64url without padding (no Buffer: this module also runs in the browser). */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += B64[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** Inverse of toBase64Url; null for any character or length base64url cannot hold. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    const chunk = text.slice(i, i + 4);
    for (let k = 0; k < 4; k++) {
      const v = k < chunk.length ? B64_INDEX.get(chunk[k]!) : 0;
      if (v === undefined) return null;
      n = (n << 6) | v;
    }
    const bytes = chunk.length - 1;
    for (let k = 0; k < bytes; k++) out[o++] = (n >> (16 - 8 * k)) & 255;
  }
  return out;
}

export function uuidToBytes(id: string): Uint8Array | null {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) return null;
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function bytesToUuid(bytes: Uint8Array): string {
  const h = bytesToHex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function macInput(body: Uint8Array): Uint8Array {
  const ctx = new TextEncoder().encode(PERSONAL_CODE_MAC_CONTEXT);
  const data = new Uint8Array(ctx.length + body.length);
  data.set(ctx, 0);
  data.set(body, ctx.length);
  return data;
}

/** Equal in time independent of where the first difference is. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function encodePersonalCode(fields: PersonalCodeFields, mac: Mac): string {
  const id = uuidToBytes(fields.residentId);
  if (!id) throw new Error('residentId is not a UUID');
  if (fields.nonce.length !== 8) throw new Error('nonce must be 8 bytes');
  const body = new Uint8Array(BODY_BYTES);
  body[0] = VERSION;
  body.set(id, 1);
  const seconds = Math.floor(fields.issuedAt / 1000);
  body[17] = (seconds >>> 24) & 255;
  body[18] = (seconds >>> 16) & 255;
  body[19] = (seconds >>> 8) & 255;
  body[20] = seconds & 255;
  body.set(fields.nonce, 21);
  const out = new Uint8Array(TOTAL_BYTES);
  out.set(body, 0);
  out.set(mac(macInput(body)).subarray(0, MAC_BYTES), BODY_BYTES);
  return PERSONAL_CODE_PREFIX + toBase64Url(out);
}

/** When a code issued at `issuedAt` (ms) stops being accepted: its issuing second plus the lifetime. */
export function personalCodeExpiry(issuedAt: number): number {
  return Math.floor(issuedAt / 1000) * 1000 + PERSONAL_CODE_TTL_MS;
}

/**
 * Checks a scanned text at moment `at`: layout, then signature (any changed byte fails it), then lifetime.
 * Surrounding whitespace is ignored (manual entry, scanners that add a newline). Replays are the caller's
 * to refuse: it stores `nonce` per checkpoint until `expiresAt`.
 */
export function verifyPersonalCode(input: string, at: number, mac: Mac): PersonalCodeCheck {
  const text = input.trim();
  if (!text.startsWith(PERSONAL_CODE_PREFIX)) return { ok: false, reason: 'malformed' };
  const bytes = fromBase64Url(text.slice(PERSONAL_CODE_PREFIX.length));
  if (!bytes || bytes.length !== TOTAL_BYTES || bytes[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const body = bytes.subarray(0, BODY_BYTES);
  if (!sameBytes(mac(macInput(body)).subarray(0, MAC_BYTES), bytes.subarray(BODY_BYTES))) return { ok: false, reason: 'forged' };
  const seconds = ((body[17]! << 24) >>> 0) + (body[18]! << 16) + (body[19]! << 8) + body[20]!;
  const issuedAt = seconds * 1000;
  if (issuedAt > at + PERSONAL_CODE_SKEW_MS) return { ok: false, reason: 'not_yet_valid' };
  const expiresAt = issuedAt + PERSONAL_CODE_TTL_MS;
  if (at >= expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, residentId: bytesToUuid(body.subarray(1, 17)), issuedAt, expiresAt, nonce: bytesToHex(body.subarray(21, 29)) };
}
