import { CASE_CLASSIFICATION_LABELS, CASE_OUTCOME_LABELS, type CaseClassification, type CaseOutcome } from '@gridline/shared';
import { useTranslation } from 'react-i18next';
import { pick } from '../../lib/labels';

export const CLASSIFICATION_COLORS: Record<CaseClassification, string> = { confirmed: 'red', suspected: 'orange', asymptomatic: 'purple' };

/** Case vocabulary in the current language (from the shared labels). */
export function useCaseLabels() {
  const { t, i18n } = useTranslation();
  return {
    classification: (c: CaseClassification | string) => pick(CASE_CLASSIFICATION_LABELS[c as CaseClassification], i18n.language, c),
    outcome: (o: CaseOutcome | string | null) => (o ? pick(CASE_OUTCOME_LABELS[o as CaseOutcome], i18n.language, o) : ''),
    status: (s: string) => t(`cases.status.${s}`),
    /** A timeline value: a classification, a status or an outcome. */
    value: (field: string, v: string | null) => {
      if (v === null) return '—';
      if (field === 'classification' || field === 'created') return pick(CASE_CLASSIFICATION_LABELS[v as CaseClassification], i18n.language, v);
      if (field === 'outcome') return pick(CASE_OUTCOME_LABELS[v as CaseOutcome], i18n.language, v);
      return t(`cases.status.${v}`);
    },
  };
}
