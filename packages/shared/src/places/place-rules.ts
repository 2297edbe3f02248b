import type { PlaceKind } from '../protocol/values.js';

/**
 * Rules about places, scans and checkpoints that need no I/O: the place code's form, the poster URL, masking a
 * person's name, exemption categories, labels. Temperatures follow health/rules.ts (one range for every reading).
 */

/** A place code is 16 base64url characters of randomness (96 bits): unguessable, unlike the place's id. */
export const PLACE_CODE_PATTERN = '^[A-Za-z0-9_-]{16}$';
const PLACE_CODE_RE = new RegExp(PLACE_CODE_PATTERN);

export function isPlaceCode(text: string): boolean {
  return PLACE_CODE_RE.test(text);
}

/** What a place's QR encodes: the public scan page of the deployment. */
export function placeUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/p/${code}`;
}

/** `张*`, `欧阳**`: the first character kept, the rest starred (what checkpoint staff and scan lists show). */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars.length === 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/** How a scan came in. */
export const SCAN_SOURCES = ['self', 'visitor', 'checkpoint', 'device'] as const;
export type ScanSource = (typeof SCAN_SOURCES)[number];
export const SCAN_SOURCE_LABELS: Record<ScanSource, { zh: string; en: string }> = {
  self: { zh: '居民扫码', en: 'Resident scan' },
  visitor: { zh: '访客登记', en: 'Visitor sign-in' },
  checkpoint: { zh: '卡口核验', en: 'Checkpoint check' },
  device: { zh: '设备上报', en: 'Device' },
};

export const PLACE_KIND_LABELS: Record<PlaceKind, { zh: string; en: string }> = {
  gate: { zh: '小区/单位出入口', en: 'Gate' },
  shop: { zh: '商铺', en: 'Shop' },
  market: { zh: '农贸市场/超市', en: 'Market' },
  clinic: { zh: '医疗机构', en: 'Clinic' },
  pharmacy: { zh: '药店', en: 'Pharmacy' },
  school: { zh: '学校/托幼机构', en: 'School' },
  workplace: { zh: '办公场所', en: 'Workplace' },
  care_home: { zh: '养老/福利机构', en: 'Care home' },
  other: { zh: '其他', en: 'Other' },
};

/** Why a resident may pass a checkpoint that would otherwise stop them (granted by a place.write user). */
export const EXEMPTION_CATEGORIES = ['medical_staff_on_duty', 'emergency_medical', 'supply_worker', 'other', 'dialysis', 'childbirth', 'chemotherapy', 'essential_worker'] as const;
export type ExemptionCategory = (typeof EXEMPTION_CATEGORIES)[number];
export const EXEMPTION_CATEGORY_LABELS: Record<ExemptionCategory, { zh: string; en: string }> = {
  medical_staff_on_duty: { zh: '医护人员在岗', en: 'Medical staff on duty' },
  emergency_medical: { zh: '紧急就医', en: 'Emergency medical care' },
  supply_worker: { zh: '保供人员', en: 'Supply worker' },
  other: { zh: '其他', en: 'Other' },
  dialysis: { zh: '血液透析', en: 'Dialysis' },
  childbirth: { zh: '孕产/分娩', en: 'Pregnancy and childbirth' },
  chemotherapy: { zh: '放化疗', en: 'Chemo- or radiotherapy' },
  essential_worker: { zh: '保供/必要岗位人员', en: 'Essential worker' },
};
/** An exemption is a time-limited decision like every measure; renewing one is a new, audited decision. */
export const EXEMPTION_MAX_DAYS = 30;

/**
 * Per category: whether it is an urgent medical need, and the longest single grant. Medical needs take the quick
 * path — the community worker grants them at once with a note (e.g. "每周一三五 8:00 市一院透析") — and they are the
 * only exemptions that let a person out of their own isolation (to treatment and back): the paper's lesson is that
 * treatment must never wait on paperwork, while an isolated contact may not go to work on a job exemption.
 * Days: dialysis (2–3 sessions a week) and chemo-/radiotherapy (a cycle is 21–28 days) run for the whole measure,
 * so a month; late pregnancy has weekly checks and the birth itself, so a month; an emergency visit is one trip,
 * so a day; job exemptions follow a month's duty roster; an unnamed reason ("other") is looked at again weekly.
 */
export const EXEMPTION_CATEGORY_RULES: Record<ExemptionCategory, { medical: boolean; maxDays: number }> = {
  emergency_medical: { medical: true, maxDays: 1 },
  dialysis: { medical: true, maxDays: 30 },
  childbirth: { medical: true, maxDays: 30 },
  chemotherapy: { medical: true, maxDays: 30 },
  medical_staff_on_duty: { medical: false, maxDays: 30 },
  supply_worker: { medical: false, maxDays: 30 },
  essential_worker: { medical: false, maxDays: 30 },
  other: { medical: false, maxDays: 7 },
};
/** The urgent medical needs (quick path; they override a person's own isolation at a checkpoint). */
export const MEDICAL_EXEMPTION_CATEGORIES: readonly ExemptionCategory[] = EXEMPTION_CATEGORIES.filter((c) => EXEMPTION_CATEGORY_RULES[c].medical);

/** What a checkpoint applies on top of the modules' passage checks (set per place). */
export interface PassageRules {
  /** A temperature must be recorded with every decision. */
  requireTemperature: boolean;
  /** A reading at or above the protocol's fever threshold denies passage (an exemption does not override a fever). */
  feverDenies: boolean;
  /** Only residents registered under the place's region node pass (a compound gate); exemptions override. */
  residentsOnly: boolean;
}

export const DEFAULT_PASSAGE_RULES: PassageRules = { requireTemperature: true, feverDenies: true, residentsOnly: false };

export const CHECKPOINT_RESULTS = ['pass', 'deny', 'refused'] as const;
export type CheckpointResult = (typeof CHECKPOINT_RESULTS)[number];
