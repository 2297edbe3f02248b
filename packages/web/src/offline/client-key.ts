/**
 * A visit's idempotency key, made on the phone: a random UUID (v4). `crypto.randomUUID` needs a secure context
 * (HTTPS or localhost); a deployment reached over plain HTTP on a LAN address still gets one from getRandomValues.
 */
export function newClientKey(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
