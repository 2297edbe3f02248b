import { addDays } from '../health/days.js';
import { levelOfCode, REGION_LEVELS, type RegionLevel } from '../region.js';
import { RISK_AREA_LEVEL_LABELS, RISK_AREA_UNIT_LABELS, type OriginRisk, type ProtocolValues, type RiskAreaLevel, type RiskAreaUnit } from '../protocol/values.js';
import { MEASURE_KIND_LABELS, MEASURE_KIND_RULES, nextApproval, type ApprovalLevel, type PersonMeasure } from './measure-kinds.js';

/**
 * The proportionality guard (issue #7), pure: what the protocol in force prescribes for a person or an area, and
 * whether a proposed measure stays within it. A measure longer, harsher or wider than the protocol justifies is
 * not refused — it waits for the next level up and a written reason; what no approval can make lawful (sealing
 * emergency exits, a level the version does not have) is refused outright.
 */

/** Who a person measure is for. */
export type MeasureSubject =
  | { kind: 'close_contact' }
  | { kind: 'secondary_contact' }
  | { kind: 'case'; classification: 'confirmed' | 'asymptomatic' }
  | { kind: 'arrival'; origin: OriginRisk }
  | { kind: 'inbound' };

export const SUBJECT_LABELS: Record<MeasureSubject['kind'], string> = {
  close_contact: '密切接触者',
  secondary_contact: '密接的密接',
  case: '感染者',
  arrival: '来返人员',
  inbound: '入境人员',
};

/** One stage of what the protocol prescribes: a setting for a number of days (null = until the release rule holds). */
export interface Stage {
  measure: PersonMeasure;
  days: number | null;
}

const SETTING_MEASURE: Record<string, PersonMeasure | null> = {
  centralized_isolation: 'centralized_isolation', home_isolation: 'home_isolation', home_monitoring: 'home_health_monitoring',
  home_health_monitoring: 'home_health_monitoring', designated_hospital: null, none: null, tests_only: null,
};

function stagesOf(m: { centralizedDays: number; homeIsolationDays: number; homeMonitoringDays: number }): Stage[] {
  const out: Stage[] = [];
  if (m.centralizedDays > 0) out.push({ measure: 'centralized_isolation', days: m.centralizedDays });
  if (m.homeIsolationDays > 0) out.push({ measure: 'home_isolation', days: m.homeIsolationDays });
  if (m.homeMonitoringDays > 0) out.push({ measure: 'home_health_monitoring', days: m.homeMonitoringDays });
  return out;
}

/** The stages a version prescribes for a subject, in order; empty = no isolation or monitoring is prescribed. */
export function prescribedStages(p: ProtocolValues, s: MeasureSubject): Stage[] {
  switch (s.kind) {
    case 'close_contact':
      return stagesOf(p.contactManagement.close);
    case 'secondary_contact':
      return p.contactManagement.secondary ? stagesOf(p.contactManagement.secondary) : [];
    case 'inbound':
      return stagesOf(p.isolation.inbound);
    case 'arrival': {
      const rule = p.arrivalRules.find((r) => r.origin === s.origin);
      const measure = rule ? SETTING_MEASURE[rule.measure] : null;
      return rule && measure && rule.days > 0 ? [{ measure, days: rule.days }] : [];
    }
    case 'case': {
      // A hospital admission is not a community measure; isolation of an infected person ends by its release rule.
      const measure = SETTING_MEASURE[s.classification === 'confirmed' ? p.isolation.confirmedSetting : p.isolation.asymptomaticSetting];
      return measure ? [{ measure, days: null }] : [];
    }
  }
}

/** Days a measure of this kind may last for the subject: every prescribed stage at least as harsh may be served in it. */
export function allowedDays(stages: Stage[], measure: PersonMeasure): number | null {
  const harsh = MEASURE_KIND_RULES[measure].harshness;
  const qualifying = stages.filter((st) => MEASURE_KIND_RULES[st.measure].harshness >= harsh);
  if (qualifying.some((st) => st.days === null)) return null;
  return qualifying.reduce((n, st) => n + (st.days ?? 0), 0);
}

export type FindingCode = 'not_prescribed' | 'harsher' | 'longer' | 'wider' | 'no_case' | 'level_unknown' | 'seals_exits';

export interface Finding {
  code: FindingCode;
  message: string;
}

export interface Assessment {
  /** Within the protocol: takes effect with the kind's usual approval. */
  proportionate: boolean;
  /** Beyond the protocol: each excess, for the approver and the auditor. */
  excesses: Finding[];
  /** What no approval makes lawful. */
  refusals: Finding[];
  /** Who must approve; with excesses, the next level up, with a written reason. */
  approval: ApprovalLevel;
  reasonRequired: boolean;
  /** What the protocol prescribes, in words, quoting the version. */
  prescribed: string;
}

function describeStages(p: ProtocolValues, stages: Stage[]): string {
  if (!stages.length) return `《${p.name}》不要求隔离或健康监测`;
  return `《${p.name}》规定：${stages.map((st) => `${MEASURE_KIND_LABELS[st.measure].zh}${st.days === null ? '（至符合解除条件）' : ` ${st.days} 天`}`).join(' + ')}`;
}

function result(base: ApprovalLevel, prescribed: string, excesses: Finding[], refusals: Finding[] = []): Assessment {
  return {
    proportionate: !excesses.length && !refusals.length, excesses, refusals, prescribed,
    approval: excesses.length ? nextApproval(base) : base, reasonRequired: excesses.length > 0,
  };
}

/** Whether a person measure of `measure` for `days` days (null = until release) stays within the version for the subject. */
export function assessPersonMeasure(p: ProtocolValues, subject: MeasureSubject, measure: PersonMeasure, days: number | null): Assessment {
  const stages = prescribedStages(p, subject);
  const prescribed = describeStages(p, stages);
  const base = MEASURE_KIND_RULES[measure].approval;
  const label = MEASURE_KIND_LABELS[measure].zh;
  if (!stages.length) return result(base, prescribed, [{ code: 'not_prescribed', message: `${prescribed}（${SUBJECT_LABELS[subject.kind]}）` }]);
  const allowed = allowedDays(stages, measure);
  if (allowed === 0) return result(base, prescribed, [{ code: 'harsher', message: `${prescribed}；${label}比规定更严` }]);
  if (allowed !== null && (days === null || days > allowed)) {
    return result(base, prescribed, [{ code: 'longer', message: `${prescribed}；${label}${days === null ? '未定结束日期' : ` ${days} 天`}，超过可用的 ${allowed} 天` }]);
  }
  return result(base, prescribed, []);
}

/** The measures the system proposes for a subject, stage after stage from `firstDay` (day 1), with their end days. */
export function proposeMeasures(p: ProtocolValues, subject: MeasureSubject, firstDay: string): { measure: PersonMeasure; startDay: string; endDay: string | null }[] {
  const out: { measure: PersonMeasure; startDay: string; endDay: string | null }[] = [];
  let day = firstDay;
  for (const st of prescribedStages(p, subject)) {
    if (st.days === null) {
      out.push({ measure: st.measure, startDay: day, endDay: null });
      break;
    }
    out.push({ measure: st.measure, startDay: day, endDay: addDays(day, st.days - 1) });
    day = addDays(day, st.days);
  }
  return out;
}

/** The broadest region level an area of this unit may cover (our tree has no 小区 level: a compound is drawn as its community [D]). */
const UNIT_MAX_LEVEL: Record<RiskAreaUnit, RegionLevel> = {
  building_unit_floor_household: 'building', building_unit: 'building', places: 'building', compound: 'community', county_rest: 'district',
};
/** Units drawn around residences: a scope without a case in it is not justified. */
const RESIDENCE_UNITS: readonly RiskAreaUnit[] = ['building_unit_floor_household', 'building_unit', 'compound'];

const LEVEL_LABELS: Record<RegionLevel, string> = { district: '区县', street: '街道', community: '社区', grid: '网格', building: '楼栋', unit: '单元', household: '户' };

export interface AreaProposal {
  level: RiskAreaLevel;
  /** The region node the control covers. */
  scopeCode: string;
  /** Planned days before the lifting rule is checked (null = not stated: the version's lifting rule applies). */
  plannedDays: number | null;
  /** Infections living in the scope. */
  casesInScope: number;
  /** Exits, unit doors or compound gates recorded as sealed (never allowed). */
  sealsExits: boolean;
}

export function assessAreaControl(p: ProtocolValues, a: AreaProposal): Assessment {
  const base = MEASURE_KIND_RULES.area_control.approval;
  const rule = p.riskAreas.levels.find((l) => l.level === a.level);
  const refusals: Finding[] = [];
  if (a.sealsExits) refusals.push({ code: 'seals_exits', message: '不得封堵消防通道、单元门、小区门（任何审批都不能批准）' });
  if (!rule) {
    refusals.push({ code: 'level_unknown', message: `《${p.name}》没有“${RISK_AREA_LEVEL_LABELS[a.level].zh}”这一等级，可选：${p.riskAreas.levels.map((l) => RISK_AREA_LEVEL_LABELS[l.level].zh).join('、')}` });
    return result(base, `《${p.name}》`, [], refusals);
  }
  const prescribed = `《${p.name}》：${RISK_AREA_LEVEL_LABELS[rule.level].zh}按${RISK_AREA_UNIT_LABELS[rule.unit].zh}划定，${rule.measure}${rule.liftAfterDays === null ? '' : `；连续 ${rule.liftAfterDays} 天无新增感染者${rule.liftNeedsNegativeRound ? '且末日全员核酸阴性' : ''}即解除或降级`}`;
  const excesses: Finding[] = [];
  const scopeLevel = levelOfCode(a.scopeCode);
  const maxLevel = UNIT_MAX_LEVEL[rule.unit];
  if (!scopeLevel || REGION_LEVELS.indexOf(scopeLevel) < REGION_LEVELS.indexOf(maxLevel)) {
    excesses.push({ code: 'wider', message: `${prescribed}；所选范围为整个${scopeLevel ? LEVEL_LABELS[scopeLevel] : '区域'}，超过${LEVEL_LABELS[maxLevel]}` });
  }
  if (RESIDENCE_UNITS.includes(rule.unit) && rule.liftAfterDays !== null && a.casesInScope === 0) {
    excesses.push({ code: 'no_case', message: `${prescribed}；所选范围内没有感染者居住` });
  }
  if (rule.liftAfterDays !== null && a.plannedDays !== null && a.plannedDays > rule.liftAfterDays) {
    excesses.push({ code: 'longer', message: `${prescribed}；计划 ${a.plannedDays} 天，超过 ${rule.liftAfterDays} 天` });
  }
  return result(base, prescribed, excesses, refusals);
}
