import { normalizeToken } from '../text.js';

/**
 * Mainland mobile numbers: 11 digits, leading 1, second digit 3–9; an optional +86/86 prefix is
 * dropped. Operator segments drift, so no operator table (REFERENCE.md §7).
 */
export function parseMobilePhone(input: string): { ok: true; value: string } | { ok: false } {
  let value = normalizeToken(input).replace(/-/g, '');
  if (value.startsWith('+86')) value = value.slice(3);
  else if (value.length === 13 && value.startsWith('86')) value = value.slice(2);
  return /^1[3-9]\d{9}$/.test(value) ? { ok: true, value } : { ok: false };
}

export const PHONE_MESSAGE = { zh: '手机号应为 11 位数字，以 1 开头，第二位为 3–9', en: 'A mobile number has 11 digits, starting 13–19' };
