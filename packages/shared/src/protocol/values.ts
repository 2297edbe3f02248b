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
  /** Risk-area levels under this version and how each is lifted. */
  riskAreas: RiskAreaRules;
  /** Where infected people are isolated and for how long, and other groups' isolation or health monitoring. */
  isolation: IsolationRules;
  /**
   * Where each value comes from (REFERENCE.md §1–2, source keys Sn). A value that could not be checked against a
   * stored source says so with [U]; [D] marks a value derived here (a model choice, not a rule).
   */
  sources: Record<string, string>;
}

/** Risk-area levels: 封控/管控/防范 before the ninth edition, 高/中/低 in it, 高/低 from the twenty measures. */
export const RISK_AREA_LEVELS = ['lockdown', 'control', 'prevention', 'high', 'medium', 'low'] as const;
export type RiskAreaLevel = (typeof RISK_AREA_LEVELS)[number];
export const RISK_AREA_LEVEL_LABELS: Record<RiskAreaLevel, { zh: string; en: string }> = {
  lockdown: { zh: '封控区', en: 'Lockdown zone' },
  control: { zh: '管控区', en: 'Control zone' },
  prevention: { zh: '防范区', en: 'Prevention zone' },
  high: { zh: '高风险区', en: 'High-risk area' },
  medium: { zh: '中风险区', en: 'Medium-risk area' },
  low: { zh: '低风险区', en: 'Low-risk area' },
};
/** The unit a level is drawn by: a residential compound, a building or unit (or finer), the rest of the county. */
export const RISK_AREA_UNITS = ['compound', 'places', 'building_unit', 'building_unit_floor_household', 'county_rest'] as const;
export type RiskAreaUnit = (typeof RISK_AREA_UNITS)[number];
export const RISK_AREA_UNIT_LABELS: Record<RiskAreaUnit, { zh: string; en: string }> = {
  compound: { zh: '小区（村）', en: 'Residential compound' },
  places: { zh: '病例活动场所', en: 'Places cases stayed' },
  building_unit: { zh: '楼栋、单元', en: 'Building or unit' },
  building_unit_floor_household: { zh: '楼栋、单元、楼层、住户', en: 'Building, unit, floor or household' },
  county_rest: { zh: '所在县（市、区）其他区域', en: 'Rest of the county' },
};

export interface RiskAreaLevelRule {
  level: RiskAreaLevel;
  unit: RiskAreaUnit;
  /** The measure in the protocol's words, e.g. 足不出户、上门服务. */
  measure: string;
  /** Consecutive days without a new infection before the level steps down; null = lifted with the areas it surrounds. */
  liftAfterDays: number | null;
  /** Whether the last of those days needs a negative full PCR round. */
  liftNeedsNegativeRound: boolean;
  /** The level it steps down to; null = back to normal (常态化). */
  stepsDownTo: RiskAreaLevel | null;
}

export interface RiskAreaRules {
  levels: RiskAreaLevelRule[];
}

/** Where a person is isolated or monitored. */
export const CARE_SETTINGS = ['designated_hospital', 'centralized_isolation', 'home_isolation', 'home_monitoring', 'none'] as const;
export type CareSetting = (typeof CARE_SETTINGS)[number];
export const CARE_SETTING_LABELS: Record<CareSetting, { zh: string; en: string }> = {
  designated_hospital: { zh: '定点医院', en: 'Designated hospital' },
  centralized_isolation: { zh: '集中隔离', en: 'Centralized isolation' },
  home_isolation: { zh: '居家隔离', en: 'Home isolation' },
  home_monitoring: { zh: '居家健康监测', en: 'Home health monitoring' },
  none: { zh: '不隔离', en: 'None' },
};

export interface IsolationRules {
  /** Confirmed (mild) cases: where they are treated or isolated. */
  confirmedSetting: CareSetting;
  /** Asymptomatic infections. */
  asymptomaticSetting: CareSetting;
  /** Release of an isolated infected person: the test days (of isolation) that must both be at or above the Ct value; empty = by the hospital's discharge criteria. */
  releaseTestDays: number[];
  releaseCt: number | null;
  /** Inbound travellers from abroad: days in each setting and test days (same shape as a contact's measure). */
  inbound: ContactMeasure;
  /** Staff in high-risk jobs after leaving a closed loop: home health-monitoring days and test days; null = no such rule. */
  highRiskWorkers: { homeMonitoringDays: number; testDays: number[] } | null;
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
    riskAreas: {
      levels: [
        { level: 'high', unit: 'compound', measure: '封控：足不出户、上门服务', liftAfterDays: 7, liftNeedsNegativeRound: true, stepsDownTo: 'medium' },
        { level: 'medium', unit: 'places', measure: '管控：人不出区、错峰取物', liftAfterDays: 7, liftNeedsNegativeRound: true, stepsDownTo: 'low' },
        { level: 'low', unit: 'county_rest', measure: '个人防护、避免聚集；离开所在城市须持48小时核酸阴性证明', liftAfterDays: null, liftNeedsNegativeRound: false, stepsDownTo: null },
      ],
    },
    isolation: {
      confirmedSetting: 'designated_hospital',
      asymptomaticSetting: 'centralized_isolation',
      releaseTestDays: [],
      releaseCt: null,
      inbound: { centralizedDays: 7, homeIsolationDays: 0, homeMonitoringDays: 3, testDays: [1, 2, 3, 5, 7, 10] },
      highRiskWorkers: null,
    },
    sources: {
      riskAreas: 'REFERENCE §1.2: 高风险区 by 小区/村, 封控; 7 consecutive days without a new infection and a negative day-7 round → 中风险, 3 more days → 低风险 [V S7,S2]; 中风险区 管控, 7 days + negative round → 低 [V S7]; 低风险区 rest of the county, 48 h PCR to leave the city [V S7]. The high area’s second step (3 days at medium) is kept as the medium level’s own rule [D]',
      isolation: 'REFERENCE §1.1: 入境人员 7+3 with the 密接 test days [V S2]; confirmed cases to designated hospitals and asymptomatic infections to centralized isolation [U]: not in a stored source; no high-risk-worker monitoring rule recorded [U]',
      tracing: 'REFERENCE §1.1: 密接 from 4 days before onset/sampling [V2 S3]; household members are 密接 [V2 S4]; 次密接 = 同住… with a 密接 [V2 S3,S5]; stay 30 min and overlap 10 min are our co-location model [D] (10 min after 时空伴随 [V S6])',
      contactManagement: 'REFERENCE §1.1: 密接 7 d centralized + 3 d home monitoring, PCR d1,2,3,5,7 + home d3 (= day 10) [V S2,S5]; 次密接 7 d home, PCR d1,4,7 [V S5]',
      feverThresholdC: FEVER_SOURCE,
      arrivalRules: 'REFERENCE §1.1 travellers from risk areas: high 7 d centralized, medium 7 d home, low 2 PCR in 3 days [V S2,S7]; medium test days 1,4,7 follow home medical observation [U]',
      checkpointTestHours: 'REFERENCE §1.2 low-risk area: leaving the city needs a 48 h negative PCR [V S7]',
      abnormalSymptoms: 'The usual screening list (发热、干咳、乏力、咽痛、嗅(味)觉减退、腹泻…) [U]: not in a stored source',
      codeChecksAt: 'Every checkpoint checked codes until the new ten measures limited it to listed places (REFERENCE §2) [D]',
    },
  },
  {
    id: 'twenty-2022-11',
    name: '关于进一步优化新冠肺炎疫情防控措施 科学精准做好防控工作的通知（二十条）',
    document: '联防联控机制综发〔2022〕101号',
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
    riskAreas: {
      levels: [
        { level: 'high', unit: 'building_unit', measure: '封控：足不出户、上门服务', liftAfterDays: 5, liftNeedsNegativeRound: false, stepsDownTo: 'low' },
        { level: 'low', unit: 'county_rest', measure: '个人防护、避免聚集', liftAfterDays: null, liftNeedsNegativeRound: false, stepsDownTo: null },
      ],
    },
    isolation: {
      confirmedSetting: 'designated_hospital',
      asymptomaticSetting: 'centralized_isolation',
      releaseTestDays: [],
      releaseCt: 35,
      inbound: { centralizedDays: 5, homeIsolationDays: 3, homeMonitoringDays: 0, testDays: [1, 2, 3, 5, 6, 8] },
      highRiskWorkers: { homeMonitoringDays: 5, testDays: [1, 3, 5] },
    },
    sources: {
      document: 'the document number is as commonly cited [U]: not in a stored source',
      riskAreas: 'REFERENCE §2 二十条: 高/中/低 → 高/低; 高风险区 by unit/building, lifted after 5 days without new infection [V S13,S14]; whether a negative round is still required [U]; the measure text follows the ninth edition [U]',
      isolation: 'REFERENCE §2 二十条: inbound 7+3 → 5+3, positive = Ct<35 [V S13,S14] (inbound test days taken from the 密接 schedule [U]); closed-loop high-risk workers 5 d home monitoring, PCR d1,3,5 [V S13,S14]; settings of infected people unchanged from the ninth edition [U]',
      tracing: 'REFERENCE §2 二十条: stop identifying 次密接 [V S13,S14]; look-back unchanged from the ninth edition [U]',
      contactManagement: 'REFERENCE §2 二十条: 密接 5 d centralized + 3 d home isolation, PCR centralized d1,2,3,5, home d1,3 (= days 6, 8) [V S13,S14]',
      feverThresholdC: FEVER_SOURCE,
      arrivalRules: 'REFERENCE §2: 高风险区外溢人员 7 d centralized → 7 d home (PCR d1,3,5,7); medium level abolished [V S13,S14]',
      abnormalSymptoms: 'Unchanged from the ninth edition [U]',
      codeChecksAt: 'Unchanged until the new ten measures (REFERENCE §2) [D]',
      checkpointTestHours: 'Unchanged from the ninth edition [U]',
    },
  },
  {
    id: 'new-ten-2022-12',
    name: '关于进一步优化落实新冠肺炎疫情防控措施的通知（新十条）',
    document: '联防联控机制综发〔2022〕113号',
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
    riskAreas: {
      levels: [
        { level: 'high', unit: 'building_unit_floor_household', measure: '不得临时封控；不得封堵消防通道、单元门、小区门', liftAfterDays: 5, liftNeedsNegativeRound: false, stepsDownTo: null },
      ],
    },
    isolation: {
      confirmedSetting: 'home_isolation',
      asymptomaticSetting: 'home_isolation',
      releaseTestDays: [6, 7],
      releaseCt: 35,
      inbound: { centralizedDays: 5, homeIsolationDays: 3, homeMonitoringDays: 0, testDays: [1, 2, 3, 5, 6, 8] },
      highRiskWorkers: { homeMonitoringDays: 5, testDays: [1, 3, 5] },
    },
    sources: {
      document: 'the document number is as commonly cited [U]: not in a stored source',
      riskAreas: 'REFERENCE §2 新十条: high-risk areas by building/unit/floor/household, no temporary lockdowns, unlocked after 5 days without new cases, no blocking of fire exits or doors [V S17,S18]; no medium/low levels named [U]',
      isolation: 'REFERENCE §2 新十条: mild and asymptomatic at home, released after two consecutive Ct≥35 on days 6 and 7 [V S17,S18]; inbound and high-risk-worker rules carried over from the twenty measures [U]',
      tracing: 'REFERENCE §2 新十条: 密接 still identified, 次密接 not (since 二十条) [V S17,S18]; look-back unchanged [U]',
      contactManagement: 'REFERENCE §2 新十条: 密接 5 days home, release after day-5 negative [V S17,S18]',
      feverThresholdC: FEVER_SOURCE,
      codeChecksAt: 'REFERENCE §2 新十条: no PCR proof/health-code checks except 养老院、福利院、医疗机构、托幼机构、中小学 [V S17,S18]',
      arrivalRules: 'REFERENCE §2 新十条: no checks for inter-regional travel, no 落地检 [V S17,S18]',
      abnormalSymptoms: 'Only fever and breathing difficulty raise a follow-up once mild cases stay home [U]: a model choice, not in a stored source',
      checkpointTestHours: 'The places that still check (养老院、医疗机构、学校…) ask for a 48 h result [U]: not in a stored source',
    },
  },
  // Historical: the rules the ninth edition replaced (for cases and contacts whose dates fall before 2022-06-28).
  {
    id: 'eighth-2021-05',
    name: '新型冠状病毒肺炎防控方案（第八版）',
    document: '联防联控机制综发〔2021〕51号',
    effectiveFrom: '2021-05-11',
    feverThresholdC: 37.3,
    abnormalSymptoms: ['fever', 'cough', 'sore_throat', 'fatigue', 'loss_of_smell', 'diarrhea', 'breathing_difficulty'],
    codeChecksAt: 'all',
    checkpointTestHours: 48,
    arrivalRules: [
      { origin: 'high', measure: 'centralized_isolation', days: 14, testDays: [1, 4, 7, 14] },
      { origin: 'medium', measure: 'home_isolation', days: 14, testDays: [1, 7, 14] },
      { origin: 'low', measure: 'tests_only', days: 3, testDays: [1, 3] },
    ],
    tracing: { lookbackDays: 2, assumedStayMinutes: 30, minOverlapMinutes: 10, householdAreClose: true, secondaryContacts: 'household' },
    contactManagement: {
      close: { centralizedDays: 14, homeIsolationDays: 0, homeMonitoringDays: 7, testDays: [1, 4, 7, 14, 21] },
      secondary: { centralizedDays: 7, homeIsolationDays: 0, homeMonitoringDays: 0, testDays: [1, 7] },
    },
    riskAreas: {
      levels: [
        { level: 'lockdown', unit: 'compound', measure: '区域封闭、足不出户、服务上门', liftAfterDays: 14, liftNeedsNegativeRound: true, stepsDownTo: null },
        { level: 'control', unit: 'places', measure: '人不出区、严禁聚集', liftAfterDays: 14, liftNeedsNegativeRound: true, stepsDownTo: null },
        { level: 'prevention', unit: 'county_rest', measure: '强化社会面管控，严格限制人员聚集', liftAfterDays: null, liftNeedsNegativeRound: false, stepsDownTo: null },
      ],
    },
    isolation: {
      confirmedSetting: 'designated_hospital',
      asymptomaticSetting: 'centralized_isolation',
      releaseTestDays: [],
      releaseCt: null,
      inbound: { centralizedDays: 14, homeIsolationDays: 0, homeMonitoringDays: 7, testDays: [1, 4, 7, 14, 21] },
      highRiskWorkers: null,
    },
    sources: {
      document: 'the document number is as commonly cited [U]: not in a stored source',
      effectiveFrom: 'Issue date 2021-05-11 and document number [U]: not in a stored source',
      tracing: 'REFERENCE §1.1: the eighth edition’s look-back was 2 days [V2 S4]; 次密接 from the household as in the ninth edition [U]',
      contactManagement: 'REFERENCE §2: the ninth edition changed 14+7 → 7+3 and 次密接 7 d centralized → 7 d home [V S2]; test days [U]',
      riskAreas: 'REFERENCE §1.2 pre-9th terminology: 封控区/管控区/防范区, measures as listed; lifted together after 14 days without a new case, the last 密接 past 14 days and negative, a negative full round ≤2 days before [V2 S9]',
      isolation: 'Inbound 14+7 like 密接 [U]; settings of infected people [U]',
      feverThresholdC: FEVER_SOURCE,
      arrivalRules: 'Travellers from risk areas under the eighth edition: 14 days [U]: not in a stored source; shown for completeness only',
      checkpointTestHours: '48 h as in the ninth edition [U]',
      abnormalSymptoms: 'As in the ninth edition [U]',
      codeChecksAt: 'Every checkpoint [U]',
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
