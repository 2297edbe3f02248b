import type { ArrivalRule, OriginRisk, Symptom } from '../protocol/values.js';

/** Labels of the health, arrival and task vocabularies (UI and the Chinese texts the server writes). */
type Label = { zh: string; en: string };

export const SYMPTOM_LABELS: Record<Symptom, Label> = {
  fever: { zh: '发热', en: 'Fever' },
  cough: { zh: '咳嗽', en: 'Cough' },
  sore_throat: { zh: '咽痛', en: 'Sore throat' },
  fatigue: { zh: '乏力', en: 'Fatigue' },
  loss_of_smell: { zh: '嗅(味)觉减退', en: 'Loss of smell or taste' },
  diarrhea: { zh: '腹泻', en: 'Diarrhoea' },
  breathing_difficulty: { zh: '呼吸困难', en: 'Breathing difficulty' },
};

export const ORIGIN_RISK_LABELS: Record<OriginRisk, Label> = {
  high: { zh: '高风险', en: 'High risk' },
  medium: { zh: '中风险', en: 'Medium risk' },
  low: { zh: '低风险', en: 'Low risk' },
};

export type ArrivalMeasure = ArrivalRule['measure'];
export const ARRIVAL_MEASURES = ['centralized_isolation', 'home_isolation', 'home_health_monitoring', 'tests_only', 'none'] as const satisfies readonly ArrivalMeasure[];

export const MEASURE_LABELS: Record<ArrivalMeasure, Label> = {
  centralized_isolation: { zh: '集中隔离', en: 'Centralized isolation' },
  home_isolation: { zh: '居家隔离', en: 'Home isolation' },
  home_health_monitoring: { zh: '居家健康监测', en: 'Home health monitoring' },
  tests_only: { zh: '核酸检测', en: 'Tests only' },
  none: { zh: '无需隔离或健康监测', en: 'Nothing required' },
};

export const TRANSPORTS = ['train', 'flight', 'car', 'bus', 'other'] as const;
export type Transport = (typeof TRANSPORTS)[number];
export const TRANSPORT_LABELS: Record<Transport, Label> = {
  train: { zh: '火车/高铁', en: 'Train' },
  flight: { zh: '飞机', en: 'Flight' },
  car: { zh: '自驾', en: 'Car' },
  bus: { zh: '长途汽车', en: 'Coach' },
  other: { zh: '其他', en: 'Other' },
};

export const TEST_RESULTS = ['negative', 'positive'] as const;
export type TestResult = (typeof TEST_RESULTS)[number];
export const TEST_RESULT_LABELS: Record<TestResult, Label> = {
  negative: { zh: '阴性', en: 'Negative' },
  positive: { zh: '阳性', en: 'Positive' },
};
