import { INBOX_CHANNEL_LABELS, INBOX_STATUS_LABELS, WHISTLE_CATEGORIES, WHISTLE_CATEGORY_LABELS, WHISTLE_URGENCIES, WHISTLE_URGENCY_LABELS } from '@gridline/shared';
import { useLabels, pick } from '../../lib/labels';

export const STATUS_COLORS: Record<string, string> = { new: 'blue', routed: 'green', duplicate: 'default', dismissed: 'default' };
export const URGENCY_COLORS: Record<string, string> = { daily: 'default', tough: 'orange', emergency: 'red' };

/** Inbox vocabularies (channels, statuses, whistle categories and urgencies) in the current language. */
export function useInboxLabels() {
  const { lang, options } = useLabels();
  const of = (table: Record<string, { zh: string; en: string }>) => (k: string | null | undefined) => (k ? pick(table[k], lang, k) : '');
  return {
    channel: of(INBOX_CHANNEL_LABELS),
    status: of(INBOX_STATUS_LABELS),
    category: of(WHISTLE_CATEGORY_LABELS),
    urgency: of(WHISTLE_URGENCY_LABELS),
    categoryOptions: options(WHISTLE_CATEGORY_LABELS, WHISTLE_CATEGORIES),
    urgencyOptions: options(WHISTLE_URGENCY_LABELS, WHISTLE_URGENCIES),
  };
}
