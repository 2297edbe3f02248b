import { normalizeToken } from '../text.js';

/**
 * Resident identity number (GB 11643-1999): 6-digit address code, 8-digit birth date,
 * 3-digit sequence (odd = male, even = female) and an ISO 7064 MOD 11-2 check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Province-level prefixes of GB/T 2260 (incl. 71 Taiwan, 81 Hong Kong, 82 Macao, 83 Taiwan residence permits). */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45',
  '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

export type ResidentIdProblem = 'format' | 'legacy15' | 'region' | 'birthDate' | 'checkDigit';

export const RESIDENT_ID_MESSAGES: Record<ResidentIdProblem, { zh: string; en: string }> = {
  format: { zh: '身份证号应为 18 位：前 17 位为数字，最后一位为数字或 X', en: 'A resident ID has 18 characters: 17 digits and a digit or X' },
  legacy15: {
    zh: '不支持 15 位旧身份证号，请填写 18 位身份证号（第二代身份证）',
    en: '15-digit legacy IDs are not accepted; enter the 18-digit ID',
  },
  region: { zh: '身份证号前两位不是有效的省级行政区划代码', en: 'The first two digits are not a valid province code' },
  birthDate: { zh: '身份证号中的出生日期不存在或晚于今天', en: 'The birth date inside the ID does not exist or is in the future' },
  checkDigit: { zh: '身份证号校验位不正确，请核对号码', en: 'The check digit is wrong; check the number' },
};

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '?';
}

export type ResidentIdResult =
  | { ok: true; value: string; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; problem: ResidentIdProblem };

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Validates and normalizes (full-width digits, spaces, lowercase x → X). `today` is YYYY-MM-DD. */
export function parseResidentId(input: string, today: string = new Date().toISOString().slice(0, 10)): ResidentIdResult {
  const value = normalizeToken(input).toUpperCase();
  if (/^\d{15}$/.test(value)) return { ok: false, problem: 'legacy15' };
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, problem: 'format' };
  if (!PROVINCES.has(value.slice(0, 2))) return { ok: false, problem: 'region' };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (y < 1880 || !isRealDate(y, m, d) || birthDate > today) return { ok: false, problem: 'birthDate' };
  if (residentIdCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, problem: 'checkDigit' };
  const sequence = Number(value.slice(14, 17));
  return { ok: true, value, birthDate, sex: sequence % 2 === 1 ? 'male' : 'female' };
}

/** Builds a valid ID from its parts (demo data, tests). `sequence` 0–999; parity decides sex. */
export function buildResidentId(addressCode: string, birthDate: string, sequence: number): string {
  const first17 = `${addressCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}
