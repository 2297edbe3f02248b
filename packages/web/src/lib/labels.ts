import {
  DOCUMENT_TYPE_LABELS, LEVEL_LABELS, RELATION_LABELS, RESIDENCE_STATUS_LABELS, ROLE_LABELS, VULNERABILITY_TAG_LABELS,
  type DocumentType, type Relation, type RegionLevel, type ResidenceStatus, type Role, type VulnerabilityTag,
} from '@gridline/shared';
import { useTranslation } from 'react-i18next';

type Labels<K extends string> = Record<K, { zh: string; en: string }>;

export function isZh(lang: string): boolean {
  return lang.startsWith('zh');
}

export function pick(label: { zh: string; en: string } | undefined, lang: string, fallback = ''): string {
  if (!label) return fallback;
  return isZh(lang) ? label.zh : label.en;
}

function labelFn<K extends string>(table: Labels<K>, lang: string) {
  return (key: string | null | undefined): string => (key ? pick((table as Record<string, { zh: string; en: string }>)[key], lang, key) : '');
}

/** Labels of the shared closed vocabularies in the current language (never retyped here). */
export function useLabels() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return {
    lang,
    zh: isZh(lang),
    role: labelFn<Role>(ROLE_LABELS, lang),
    level: labelFn<RegionLevel>(LEVEL_LABELS, lang),
    tag: labelFn<VulnerabilityTag>(VULNERABILITY_TAG_LABELS, lang),
    residence: labelFn<ResidenceStatus>(RESIDENCE_STATUS_LABELS, lang),
    relation: labelFn<Relation>(RELATION_LABELS, lang),
    docType: labelFn<DocumentType>(DOCUMENT_TYPE_LABELS, lang),
    options<K extends string>(table: Labels<K>, keys: readonly K[]) {
      return keys.map((k) => ({ value: k, label: pick(table[k], lang, k) }));
    },
  };
}
