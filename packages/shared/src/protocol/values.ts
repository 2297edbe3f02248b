/**
 * The epidemiological parameters that screening, checkpoints and arrivals read. They are data, not code: each
 * set belongs to a protocol version in force from a date (REFERENCE.md §1–2). This module holds the built-in
 * versions; the tracing issue turns them into editable, versioned records behind the same provider.
 * `sources` says where each value comes from; values marked [U] could not be checked against a stored source.
 */
export const PLACE_KINDS = ['gate', 'shop', 'market', 'clinic', 'pharmacy', 'school', 'workplace', 'care_home', 'other'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

export const SYMPTOMS = ['fever', 'cough', 'sore_throat', 'fatigue', 'loss_of_smell', 'diarrhea', 'breathing_difficulty'] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export type OriginRisk = 'high' | 'medium' | 'low';

/** What follows an arrival from an area of a given risk level. */
export interface ArrivalRule {
  origin: OriginRisk;
  measure: 'centralized_isolation' | 'home_isolation' | 'home_health_monitoring' | 'tests_only' | 'none';
  days: number;
  /** Test days counted from arrival (day 1 = arrival day). */
  testDays: number[];
}

export interface ProtocolValues {
  id: string;
  name: string;
  document: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  effectiveFrom: string;
  /** Temperature (°C) at or above which a reading is abnormal. */
  feverThresholdC: number;
  /** Symptoms that make a health report abnormal. */
  abnormalSymptoms: Symptom[];
  /** Place kinds that may still check codes / test results at the door; 'all' = every checkpoint. */
  codeChecksAt: PlaceKind[] | 'all';
  /** A checkpoint that checks requires a negative test within this many hours; null = no test requirement. */
  checkpointTestHours: number | null;
  arrivalRules: ArrivalRule[];
  /** Contact tracing (issue #6). */
  tracing: TracingRules;
  /** How close and secondary contacts are managed; null = that category is not identified under this version. */
  contactManagement: { close: ContactMeasure; secondary: ContactMeasure | null };
  sources: Record<string, string>;
}

/** The parameters a trace uses; a contact keeps the version in force at its exposure date. */
export interface TracingRules {
  /** Look-back before symptom onset (symptomatic) or sampling (asymptomatic), in days. */
  lookbackDays: number;
  /** A scan is taken as a stay of this many minutes at the place (scans record arrival only). */
  assumedStayMinutes: number;
  /** Two stays at the same place overlapping at least this long make a co-location contact. */
  minOverlapMinutes: number;
  /** Household members of a case are close contacts. */
  householdAreClose: boolean;
  /** Whether secondary contacts (次密接) are identified, and from what: the close contact's household. */
  secondaryContacts: 'household' | 'none';
}

/** A contact category's measure: days in each setting and the test days (day 1 = day after last exposure). */
export interface ContactMeasure {
  centralizedDays: number;
  homeIsolationDays: number;
  homeMonitoringDays: number;
  testDays: number[];
}

const FEVER_SOURCE = '37.3 °C is the threshold used by community screening notices nationwide [U]: not in a stored source';

export const BUILT_IN_PROTOCOLS: readonly ProtocolValues[] = [
  {
    id: 'ninth-2022-06',
    name: '新型冠状病毒肺炎防控方案（第九版）',
    document: '联防联控机制综发〔2022〕71号',
    effectiveFrom: '2022-06-28',
    feverThresholdC: 37.3,
    abnormalSymptoms: ['fever', 'cough', 'sore_throat', 'fatigue', 'loss_of_smell', 'diarrhea', 'breathing_difficulty'],
    codeChecksAt: 'all',
    checkpointTestHours: 48,
    arrivalRules: [
      { origin: 'high', measure: 'centralized_isolation', days: 7, testDays: [1, 2, 3, 5, 7] },
      { origin: 'medium', measure: 'home_isolation', days: 7, testDays: [1, 4, 7] },
      { origin: 'low', measure: 'tests_only', days: 3, testDays: [1, 3] },
    ],
    tracing: { lookbackDays: 4, assumedStayMinutes: 30, minOverlapMinutes: 10, householdAreClose: true, secondaryContacts: 'household' },
    contactManagement: {
      close: { centralizedDays: 7, homeIsolationDays: 0, homeMonitoringDays: 3, testDays: [1, 2, 3, 5, 7, 10] },
      secondary: { centralizedDays: 0, homeIsolationDays: 7, homeMonitoringDays: 0, testDays: [1, 4, 7] },
    },
    sources: {
      tracing: 'REFERENCE §1.1: 密接 from 4 days before onset/sampling [V2 S3]; household members are 密接 [V2 S4]; 次密接 = 同住… with a 密接 [V2 S3,S5]; stay 30 min and overlap 10 min are our co-location model [D] (10 min after 时空伴随 [V S6])',
      contactManagement: 'REFERENCE §1.1: 密接 7 d centralized + 3 d home monitoring, PCR d1,2,3,5,7 + home d3 (= day 10) [V S2,S5]; 次密接 7 d home, PCR d1,4,7 [V S5]',
      feverThresholdC: FEVER_SOURCE,
      arrivalRules: 'REFERENCE §1.1 travellers from risk areas: high 7 d centralized, medium 7 d home, low 2 PCR in 3 days [V S2,S7]; medium test days 1,4,7 follow home medical observation [U]',
      checkpointTestHours: 'REFERENCE §1.2 low-risk area: leaving the city needs a 48 h negative PCR [V S7]',
    },
  },
  {
    id: 'twenty-2022-11',
    name: '关于进一步优化新冠肺炎疫情防控措施 科学精准做好防控工作的通知（二十条）',
    document: '联防联控机制综发〔2022〕101号 [U number]',
    effectiveFrom: '2022-11-11',
    feverThresholdC: 37.3,
    abnormalSymptoms: ['fever', 'cough', 'sore_throat', 'fatigue', 'loss_of_smell', 'diarrhea', 'breathing_difficulty'],
    codeChecksAt: 'all',
    checkpointTestHours: 48,
    arrivalRules: [
      { origin: 'high', measure: 'home_isolation', days: 7, testDays: [1, 3, 5, 7] },
      { origin: 'low', measure: 'none', days: 0, testDays: [] },
    ],
    tracing: { lookbackDays: 4, assumedStayMinutes: 30, minOverlapMinutes: 10, householdAreClose: true, secondaryContacts: 'none' },
    contactManagement: {
      close: { centralizedDays: 5, homeIsolationDays: 3, homeMonitoringDays: 0, testDays: [1, 2, 3, 5, 6, 8] },
      secondary: null,
    },
    sources: {
      tracing: 'REFERENCE §2 二十条: stop identifying 次密接 [V S13,S14]; look-back unchanged from the ninth edition [U]',
      contactManagement: 'REFERENCE §2 二十条: 密接 5 d centralized + 3 d home isolation, PCR centralized d1,2,3,5, home d1,3 (= days 6, 8) [V S13,S14]',
      feverThresholdC: FEVER_SOURCE,
      arrivalRules: 'REFERENCE §2: 高风险区外溢人员 7 d centralized → 7 d home (PCR d1,3,5,7); medium level abolished [V S13,S14]',
    },
  },
  {
    id: 'new-ten-2022-12',
    name: '关于进一步优化落实新冠肺炎疫情防控措施的通知（新十条）',
    document: '联防联控机制综发〔2022〕113号 [U number]',
    effectiveFrom: '2022-12-07',
    feverThresholdC: 37.3,
    abnormalSymptoms: ['fever', 'breathing_difficulty'],
    codeChecksAt: ['care_home', 'clinic', 'school'],
    checkpointTestHours: 48,
    arrivalRules: [{ origin: 'low', measure: 'none', days: 0, testDays: [] }],
    tracing: { lookbackDays: 4, assumedStayMinutes: 30, minOverlapMinutes: 10, householdAreClose: true, secondaryContacts: 'none' },
    contactManagement: {
      close: { centralizedDays: 0, homeIsolationDays: 5, homeMonitoringDays: 0, testDays: [5] },
      secondary: null,
    },
    sources: {
      tracing: 'REFERENCE §2 新十条: 密接 still identified, 次密接 not (since 二十条) [V S17,S18]; look-back unchanged [U]',
      contactManagement: 'REFERENCE §2 新十条: 密接 5 days home, release after day-5 negative [V S17,S18]',
      feverThresholdC: FEVER_SOURCE,
      codeChecksAt: 'REFERENCE §2 新十条: no PCR proof/health-code checks except 养老院、福利院、医疗机构、托幼机构、中小学 [V S17,S18]',
      arrivalRules: 'REFERENCE §2 新十条: no checks for inter-regional travel, no 落地检 [V S17,S18]',
    },
  },
];

/** The version in force on a date (YYYY-MM-DD): the latest whose effective date is on or before it. */
export function protocolInForce(date: string, versions: readonly ProtocolValues[] = BUILT_IN_PROTOCOLS): ProtocolValues {
  const sorted = [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  let found = sorted[0]!;
  for (const v of sorted) if (v.effectiveFrom <= date) found = v;
  return found;
}

/** What an arrival from `origin` requires under a version; no rule for that level means nothing follows. */
export function arrivalRule(p: ProtocolValues, origin: OriginRisk): ArrivalRule {
  return p.arrivalRules.find((r) => r.origin === origin) ?? { origin, measure: 'none', days: 0, testDays: [] };
}

/** Whether a health report is abnormal under a version: fever at or above the threshold, or a listed symptom. */
export function isAbnormalReport(p: ProtocolValues, temperatureC: number | null, symptoms: readonly Symptom[]): { abnormal: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (temperatureC !== null && temperatureC >= p.feverThresholdC) reasons.push(`体温 ${temperatureC.toFixed(1)}℃ ≥ ${p.feverThresholdC}℃`);
  for (const s of symptoms) if (p.abnormalSymptoms.includes(s)) reasons.push(s);
  return { abnormal: reasons.length > 0, reasons };
}
