import {
  MEASURE_LABELS, ORIGIN_RISK_LABELS, SYMPTOM_LABELS, SYMPTOMS, TASK_STATUS_LABELS, TASK_TYPE_LABELS, TEST_RESULT_LABELS, TRANSPORT_LABELS, type ArrivalPlanT,
  type Symptom,
} from '@gridline/shared';
import { useTranslation } from 'react-i18next';
import { isZh, pick } from '../../lib/labels';

type Table = Record<string, { zh: string; en: string }>;

/** Labels of the health, arrival and task vocabularies (from @gridline/shared) in the current language. */
export function useHealthLabels() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const of = (table: Table) => (key: string | null | undefined) => (key ? pick(table[key], lang, key) : '');
  const symptom = of(SYMPTOM_LABELS);
  return {
    zh: isZh(lang),
    symptom,
    risk: of(ORIGIN_RISK_LABELS),
    measure: of(MEASURE_LABELS),
    transport: of(TRANSPORT_LABELS),
    testResult: of(TEST_RESULT_LABELS),
    taskStatus: of(TASK_STATUS_LABELS),
    taskType: of(TASK_TYPE_LABELS),
    /** Abnormal reasons as stored: the temperature sentence as is, symptom codes by name. */
    reasons: (list: readonly string[]) => list.map((r) => ((SYMPTOMS as readonly string[]).includes(r) ? symptom(r as Symptom) : r)).join(t('common.clauseSep')),
    /** "依据《…》：居家隔离 7 天，第1、3天核酸": the server's sentence in Chinese, the same facts in English. */
    plan: (plan: ArrivalPlanT) => {
      if (isZh(lang)) return plan.summary;
      const parts: string[] = [];
      if (plan.rule.measure === 'none') parts.push(t('arrivals.plan.nothing'));
      else if (plan.rule.measure !== 'tests_only') parts.push(t('arrivals.plan.measureDays', { measure: pick(MEASURE_LABELS[plan.rule.measure], lang), count: plan.rule.days }));
      if (plan.tests.length) parts.push(t('arrivals.plan.tests', { days: plan.tests.map((x) => x.day).join(', ') }));
      return t('arrivals.plan.basis', { name: plan.protocolName, parts: parts.join('; ') });
    },
  };
}
