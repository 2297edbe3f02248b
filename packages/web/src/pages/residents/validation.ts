import {
  normalizeResident, parseDocument, PHONE_MESSAGE, RESIDENT_ID_MESSAGES, type DocumentType, type FieldError, type NormalizedResident,
  type Relation, type ResidenceStatus, type ResidentIdProblem, type Sex, type VulnerabilityTag,
} from '@gridline/shared';
import type { TFunction } from 'i18next';
import { isZh } from '../../lib/labels';

export interface ResidentFormValues {
  householdId?: string | undefined;
  name?: string | undefined;
  docType: DocumentType;
  docNumber?: string | undefined;
  sex?: Sex | undefined;
  birthDate?: string | undefined;
  phone?: string | undefined;
  relationToHead?: Relation | undefined;
  residenceStatus?: ResidenceStatus | undefined;
  tags?: VulnerabilityTag[] | undefined;
  notes?: string | undefined;
}

export const FORM_FIELDS = ['name', 'docType', 'docNumber', 'sex', 'birthDate', 'phone', 'relationToHead', 'residenceStatus', 'tags', 'notes'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/**
 * The register's own rules (shared `normalizeResident`), run on what is typed so far.
 * When the document is not being changed (edit), a stand-in passport keeps the document rules quiet
 * and the record's sex and birth date are used; their errors are then ignored.
 */
export function runRules(
  v: ResidentFormValues,
  today: string,
  keepDocument?: { sex: Sex; birthDate: string } | undefined,
): { ok: true; value: NormalizedResident } | { ok: false; fields: Map<string, FieldError> } {
  const input = {
    name: v.name ?? '',
    docType: keepDocument ? ('passport' as const) : v.docType,
    docNumber: keepDocument ? 'KEEP00000' : (v.docNumber ?? ''),
    sex: keepDocument ? (v.sex ?? keepDocument.sex) : v.sex,
    birthDate: keepDocument ? (v.birthDate ?? keepDocument.birthDate) : v.birthDate,
    phone: v.phone ?? null,
    relationToHead: v.relationToHead ?? 'head',
    residenceStatus: v.residenceStatus ?? 'registered',
    tags: v.tags ?? [],
    notes: v.notes ?? '',
  };
  const r = normalizeResident(input, today);
  if (r.ok) return r;
  const map = new Map<string, FieldError>();
  for (const f of r.fields) {
    const field = f.path.replace(/^\/body\//, '');
    if (!map.has(field)) map.set(field, f);
  }
  return { ok: false, fields: map };
}

/** The rule's message in the UI language: Chinese straight from the shared rules, English from their tables or resources. */
export function messageOf(f: FieldError, field: string, v: ResidentFormValues, lang: string, t: TFunction, today: string): string {
  if (isZh(lang)) return f.message;
  if (field === 'docNumber') {
    if (f.code.startsWith('ID_')) {
      const problem = f.code.slice(3).toLowerCase().replace('checkdigit', 'checkDigit').replace('birthdate', 'birthDate') as ResidentIdProblem;
      return RESIDENT_ID_MESSAGES[problem]?.en ?? f.message;
    }
    const d = parseDocument(v.docType, v.docNumber ?? '', today);
    if (!d.ok) return d.en;
  }
  if (field === 'phone' && f.code === 'format') return PHONE_MESSAGE.en;
  if (f.code === 'mismatch') {
    const d = parseDocument(v.docType, v.docNumber ?? '', today);
    if (d.ok) return t(`residentForm.err.${field}.mismatch`, { sex: d.sex ? t(`sex.${d.sex}`) : '', date: d.birthDate ?? '' });
  }
  return t(`residentForm.err.${field}.${f.code}`, { defaultValue: f.message });
}
