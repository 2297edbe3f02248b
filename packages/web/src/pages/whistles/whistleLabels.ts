import {
  DEPARTMENT_KIND_LABELS, WHISTLE_CATEGORIES, WHISTLE_CATEGORY_LABELS, WHISTLE_LEVEL_LABELS, WHISTLE_RATING_LABELS, WHISTLE_STATUS_LABELS, WHISTLE_URGENCIES, WHISTLE_URGENCY_LABELS,
} from '@gridline/shared';
import { useTranslation } from 'react-i18next';
import { pick } from '../../lib/labels';

export const URGENCY_COLORS: Record<string, string> = { emergency: 'red', tough: 'orange', daily: 'blue' };
export const STATUS_COLORS: Record<string, string> = { pending_ack: 'gold', acknowledged: 'processing', resolved: 'cyan', closed: 'default' };

/** The shared whistle vocabularies in the current language (never retyped here). */
export function useWhistleLabels() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const of = (table: Record<string, { zh: string; en: string }>) => (k: string | null | undefined) => (k ? pick(table[k], lang, k) : '');
  return {
    category: of(WHISTLE_CATEGORY_LABELS),
    urgency: of(WHISTLE_URGENCY_LABELS),
    status: of(WHISTLE_STATUS_LABELS),
    level: of(WHISTLE_LEVEL_LABELS),
    rating: of(WHISTLE_RATING_LABELS),
    kind: of(DEPARTMENT_KIND_LABELS),
    categoryOptions: WHISTLE_CATEGORIES.map((c) => ({ value: c, label: pick(WHISTLE_CATEGORY_LABELS[c], lang, c) })),
    urgencyOptions: [...WHISTLE_URGENCIES].reverse().map((u) => ({ value: u, label: pick(WHISTLE_URGENCY_LABELS[u], lang, u) })),
  };
}
