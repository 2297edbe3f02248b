import { CONTACT_CATEGORY_LABELS, CONTACT_SOURCE_LABELS, type ContactCategory, type ContactSource } from '@gridline/shared';
import { useTranslation } from 'react-i18next';
import { pick } from '../../lib/labels';

export const CATEGORY_COLORS: Record<ContactCategory, string> = { close: 'red', secondary: 'orange', general: 'blue' };
export const STATUS_COLORS: Record<string, string> = { proposed: 'gold', confirmed: 'green', rejected: 'default' };

/** Labels of contact categories and sources in the current language. */
export function useTracingLabels() {
  const { i18n } = useTranslation();
  return {
    category: (c: ContactCategory) => pick(CONTACT_CATEGORY_LABELS[c], i18n.language, c),
    source: (s: ContactSource) => pick(CONTACT_SOURCE_LABELS[s], i18n.language, s),
  };
}

export const hours = (ms: number) => Math.floor(ms / 360_000) / 10;
