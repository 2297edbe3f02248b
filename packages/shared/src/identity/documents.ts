import { normalizeToken } from '../text.js';
import { parseResidentId, RESIDENT_ID_MESSAGES } from './resident-id.js';

export const DOCUMENT_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_TYPE_LABELS: Record<DocumentType, { zh: string; en: string }> = {
  resident_id: { zh: '居民身份证', en: 'Resident ID card' },
  passport: { zh: '护照', en: 'Passport' },
  hk_macao_permit: { zh: '港澳居民来往内地通行证', en: 'HK/Macao home-return permit' },
  taiwan_permit: { zh: '台湾居民来往大陆通行证', en: 'Taiwan compatriot permit' },
  foreign_permanent_id: { zh: '外国人永久居留身份证', en: 'Foreign permanent residence ID' },
};

const PATTERNS: Record<Exclude<DocumentType, 'resident_id'>, { re: RegExp; zh: string; en: string }> = {
  passport: { re: /^[A-Z0-9]{5,17}$/, zh: '护照号码应为 5–17 位字母或数字', en: 'A passport number has 5–17 letters or digits' },
  hk_macao_permit: { re: /^[HM]\d{8}(\d{2})?$/, zh: '港澳通行证号码应为 H 或 M 开头加 8 或 10 位数字', en: 'H or M followed by 8 or 10 digits' },
  taiwan_permit: { re: /^\d{8}(\d{2})?$/, zh: '台胞证号码应为 8 或 10 位数字', en: '8 or 10 digits' },
  foreign_permanent_id: { re: /^[A-Z0-9]{15}$|^9\d{17}$/, zh: '外国人永久居留身份证号码应为 15 位或 18 位', en: '15 or 18 characters' },
};

export type DocumentResult =
  | { ok: true; value: string; birthDate?: string; sex?: 'male' | 'female' }
  | { ok: false; code: string; zh: string; en: string };

/** Validates and normalizes any accepted document; resident IDs also yield sex and birth date. */
export function parseDocument(type: DocumentType, input: string, today?: string): DocumentResult {
  if (type === 'resident_id') {
    const r = parseResidentId(input, today);
    if (r.ok) return r;
    return { ok: false, code: `ID_${r.problem.toUpperCase()}`, ...RESIDENT_ID_MESSAGES[r.problem] };
  }
  const value = normalizeToken(input).toUpperCase();
  const p = PATTERNS[type];
  return p.re.test(value) ? { ok: true, value } : { ok: false, code: 'DOC_FORMAT', zh: p.zh, en: p.en };
}
