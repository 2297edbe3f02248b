import type { FieldError } from '../errors.js';
import { MEASURE_LABELS, ORIGIN_RISK_LABELS, SYMPTOM_LABELS } from '../health/labels.js';
import { PLACE_KIND_LABELS } from '../places/place-rules.js';
import {
  CARE_SETTING_LABELS, CARE_SETTINGS, PLACE_KINDS, RISK_AREA_LEVEL_LABELS, RISK_AREA_LEVELS, RISK_AREA_UNIT_LABELS, RISK_AREA_UNITS, SYMPTOMS,
  type ContactMeasure, type ProtocolValues,
} from './values.js';

/**
 * A protocol version's values as labelled fields, the field-by-field diff of two versions, and the checks a new
 * version's values must pass. Pure: the server, the web app and tests share it.
 */

export const PROTOCOL_GROUPS = ['testing', 'arrivals', 'tracing', 'contacts', 'riskAreas'] as const;
export type ProtocolGroup = (typeof PROTOCOL_GROUPS)[number];
export const PROTOCOL_GROUP_LABELS: Record<ProtocolGroup, { zh: string; en: string }> = {
  testing: { zh: '检测与健康监测', en: 'Testing and health monitoring' },
  arrivals: { zh: '到达人员', en: 'Arrivals' },
  tracing: { zh: '流调', en: 'Tracing' },
  contacts: { zh: '密接管理', en: 'Contact management' },
  riskAreas: { zh: '风险区', en: 'Risk areas' },
};

/** One value of a version: where it lives (a JSON pointer into the values), its group, its Chinese label, how it reads. */
export interface ProtocolField {
  path: string;
  group: ProtocolGroup;
  label: string;
  /** The value itself (for comparing). */
  value: unknown;
  /** How it reads in Chinese: "7 天", "第1、2、3天", "是". */
  text: string;
  /** The `sources` key that covers it (the top-level value name). */
  sourceKey: string;
}

export interface ProtocolChange {
  path: string;
  group: ProtocolGroup;
  label: string;
  /** null = the field did not exist in the older version (e.g. a risk level added). */
  from: string | null;
  to: string | null;
}

const days = (n: number) => `${n} 天`;
const testDays = (ds: readonly number[]) => (ds.length ? `第${ds.join('、')}天` : '无');
const yesNo = (b: boolean) => (b ? '是' : '否');

function measureFields(out: ProtocolField[], base: string, group: ProtocolGroup, label: string, m: ContactMeasure | null, sourceKey: string): void {
  if (!m) {
    out.push({ path: base, group, label, value: null, text: '不判定', sourceKey });
    return;
  }
  out.push(
    { path: `${base}/centralizedDays`, group, label: `${label}·集中隔离天数`, value: m.centralizedDays, text: days(m.centralizedDays), sourceKey },
    { path: `${base}/homeIsolationDays`, group, label: `${label}·居家隔离天数`, value: m.homeIsolationDays, text: days(m.homeIsolationDays), sourceKey },
    { path: `${base}/homeMonitoringDays`, group, label: `${label}·居家健康监测天数`, value: m.homeMonitoringDays, text: days(m.homeMonitoringDays), sourceKey },
    { path: `${base}/testDays`, group, label: `${label}·核酸检测日`, value: m.testDays, text: testDays(m.testDays), sourceKey },
  );
}

/** Every value of a version, in display order, grouped (检测与健康监测、到达人员、流调、密接管理、风险区). */
export function protocolFields(v: ProtocolValues): ProtocolField[] {
  const out: ProtocolField[] = [];
  out.push(
    { path: '/feverThresholdC', group: 'testing', label: '发热判定体温', value: v.feverThresholdC, text: `${v.feverThresholdC} ℃`, sourceKey: 'feverThresholdC' },
    { path: '/abnormalSymptoms', group: 'testing', label: '异常症状', value: v.abnormalSymptoms, text: v.abnormalSymptoms.map((s) => SYMPTOM_LABELS[s].zh).join('、') || '无', sourceKey: 'abnormalSymptoms' },
    {
      path: '/codeChecksAt', group: 'testing', label: '查验健康码/核酸的场所', value: v.codeChecksAt,
      text: v.codeChecksAt === 'all' ? '所有卡口' : v.codeChecksAt.map((k) => PLACE_KIND_LABELS[k].zh).join('、') || '无', sourceKey: 'codeChecksAt',
    },
    {
      path: '/checkpointTestHours', group: 'testing', label: '卡口核酸阴性证明时限', value: v.checkpointTestHours,
      text: v.checkpointTestHours === null ? '不要求' : `${v.checkpointTestHours} 小时`, sourceKey: 'checkpointTestHours',
    },
    { path: '/isolation/confirmedSetting', group: 'testing', label: '确诊病例收治', value: v.isolation.confirmedSetting, text: CARE_SETTING_LABELS[v.isolation.confirmedSetting].zh, sourceKey: 'isolation' },
    { path: '/isolation/asymptomaticSetting', group: 'testing', label: '无症状感染者隔离', value: v.isolation.asymptomaticSetting, text: CARE_SETTING_LABELS[v.isolation.asymptomaticSetting].zh, sourceKey: 'isolation' },
    { path: '/isolation/releaseTestDays', group: 'testing', label: '解除隔离核酸检测日', value: v.isolation.releaseTestDays, text: v.isolation.releaseTestDays.length ? testDays(v.isolation.releaseTestDays) : '按出院标准', sourceKey: 'isolation' },
    { path: '/isolation/releaseCt', group: 'testing', label: '解除隔离 Ct 值', value: v.isolation.releaseCt, text: v.isolation.releaseCt === null ? '未规定' : `≥ ${v.isolation.releaseCt}`, sourceKey: 'isolation' },
  );
  measureFields(out, '/isolation/inbound', 'testing', '入境人员', v.isolation.inbound, 'isolation');
  const hw = v.isolation.highRiskWorkers;
  if (hw) {
    out.push(
      { path: '/isolation/highRiskWorkers/homeMonitoringDays', group: 'testing', label: '高风险岗位人员·居家健康监测天数', value: hw.homeMonitoringDays, text: days(hw.homeMonitoringDays), sourceKey: 'isolation' },
      { path: '/isolation/highRiskWorkers/testDays', group: 'testing', label: '高风险岗位人员·核酸检测日', value: hw.testDays, text: testDays(hw.testDays), sourceKey: 'isolation' },
    );
  } else {
    out.push({ path: '/isolation/highRiskWorkers', group: 'testing', label: '高风险岗位人员', value: null, text: '未规定', sourceKey: 'isolation' });
  }
  for (const r of v.arrivalRules) {
    const l = `来自${ORIGIN_RISK_LABELS[r.origin].zh}地区`;
    out.push(
      { path: `/arrivalRules/${r.origin}/measure`, group: 'arrivals', label: `${l}·措施`, value: r.measure, text: MEASURE_LABELS[r.measure].zh, sourceKey: 'arrivalRules' },
      { path: `/arrivalRules/${r.origin}/days`, group: 'arrivals', label: `${l}·天数`, value: r.days, text: days(r.days), sourceKey: 'arrivalRules' },
      { path: `/arrivalRules/${r.origin}/testDays`, group: 'arrivals', label: `${l}·核酸检测日`, value: r.testDays, text: testDays(r.testDays), sourceKey: 'arrivalRules' },
    );
  }
  const t = v.tracing;
  out.push(
    { path: '/tracing/lookbackDays', group: 'tracing', label: '追溯期（发病或采样前）', value: t.lookbackDays, text: days(t.lookbackDays), sourceKey: 'tracing' },
    { path: '/tracing/assumedStayMinutes', group: 'tracing', label: '扫码视为停留时长', value: t.assumedStayMinutes, text: `${t.assumedStayMinutes} 分钟`, sourceKey: 'tracing' },
    { path: '/tracing/minOverlapMinutes', group: 'tracing', label: '同场所最短重叠时长', value: t.minOverlapMinutes, text: `${t.minOverlapMinutes} 分钟`, sourceKey: 'tracing' },
    { path: '/tracing/householdAreClose', group: 'tracing', label: '同住人员判为密接', value: t.householdAreClose, text: yesNo(t.householdAreClose), sourceKey: 'tracing' },
    { path: '/tracing/secondaryContacts', group: 'tracing', label: '判定次密接', value: t.secondaryContacts, text: t.secondaryContacts === 'household' ? '是（密接的同住人员）' : '否', sourceKey: 'tracing' },
  );
  measureFields(out, '/contactManagement/close', 'contacts', '密接', v.contactManagement.close, 'contactManagement');
  measureFields(out, '/contactManagement/secondary', 'contacts', '次密接', v.contactManagement.secondary, 'contactManagement');
  for (const a of v.riskAreas.levels) {
    const l = RISK_AREA_LEVEL_LABELS[a.level].zh;
    out.push(
      { path: `/riskAreas/${a.level}/unit`, group: 'riskAreas', label: `${l}·划定单元`, value: a.unit, text: RISK_AREA_UNIT_LABELS[a.unit].zh, sourceKey: 'riskAreas' },
      { path: `/riskAreas/${a.level}/measure`, group: 'riskAreas', label: `${l}·管控措施`, value: a.measure, text: a.measure, sourceKey: 'riskAreas' },
      {
        path: `/riskAreas/${a.level}/liftAfterDays`, group: 'riskAreas', label: `${l}·连续无新增天数后解除`, value: a.liftAfterDays,
        text: a.liftAfterDays === null ? '随周边风险区解除' : days(a.liftAfterDays), sourceKey: 'riskAreas',
      },
      { path: `/riskAreas/${a.level}/liftNeedsNegativeRound`, group: 'riskAreas', label: `${l}·解除须全员核酸阴性`, value: a.liftNeedsNegativeRound, text: yesNo(a.liftNeedsNegativeRound), sourceKey: 'riskAreas' },
      {
        path: `/riskAreas/${a.level}/stepsDownTo`, group: 'riskAreas', label: `${l}·解除后降为`, value: a.stepsDownTo,
        text: a.stepsDownTo === null ? '常态化' : RISK_AREA_LEVEL_LABELS[a.stepsDownTo].zh, sourceKey: 'riskAreas',
      },
    );
  }
  return out;
}

/** Exactly the fields whose values differ between two versions (fields only one side has included), in display order. */
export function diffProtocols(older: ProtocolValues, newer: ProtocolValues): ProtocolChange[] {
  const a = new Map(protocolFields(older).map((f) => [f.path, f]));
  const b = protocolFields(newer);
  const out: ProtocolChange[] = [];
  const seen = new Set<string>();
  for (const f of b) {
    seen.add(f.path);
    const old = a.get(f.path);
    if (old && JSON.stringify(old.value) === JSON.stringify(f.value)) continue;
    out.push({ path: f.path, group: f.group, label: f.label, from: old ? old.text : null, to: f.text });
  }
  for (const f of a.values()) if (!seen.has(f.path)) out.push({ path: f.path, group: f.group, label: f.label, from: f.text, to: null });
  const order = (g: ProtocolGroup) => PROTOCOL_GROUPS.indexOf(g);
  return out.map((c, i) => ({ c, i })).sort((x, y) => order(x.c.group) - order(y.c.group) || x.i - y.i).map((x) => x.c);
}

// ---------------------------------------------------------------------------------------------------------------
// Checks for a new version's values. Paths are JSON pointers under the request body's `values`.

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
const MAX_DAYS = 60;

function checkDays(errs: FieldError[], path: string, n: number, label: string, max = MAX_DAYS): void {
  if (!isInt(n) || n < 0 || n > max) errs.push({ path, code: 'range', message: `${label}须为 0–${max} 的整数` });
}

function checkTestDays(errs: FieldError[], path: string, ds: readonly number[], label: string, total: number): void {
  if (ds.some((d) => !isInt(d) || d < 1)) {
    errs.push({ path, code: 'range', message: `${label}须为从 1 起的整数` });
    return;
  }
  if (ds.some((d, i) => i > 0 && d <= ds[i - 1]!)) {
    errs.push({ path, code: 'order', message: `${label}须从小到大排列，且不重复` });
    return;
  }
  const last = ds[ds.length - 1];
  if (last !== undefined && last > total) errs.push({ path, code: 'within', message: `${label}须在 ${total} 天之内（第${last}天超出）` });
}

function checkMeasure(errs: FieldError[], base: string, m: ContactMeasure, label: string): void {
  checkDays(errs, `${base}/centralizedDays`, m.centralizedDays, `${label}集中隔离天数`);
  checkDays(errs, `${base}/homeIsolationDays`, m.homeIsolationDays, `${label}居家隔离天数`);
  checkDays(errs, `${base}/homeMonitoringDays`, m.homeMonitoringDays, `${label}居家健康监测天数`);
  const total = m.centralizedDays + m.homeIsolationDays + m.homeMonitoringDays;
  checkTestDays(errs, `${base}/testDays`, m.testDays, `${label}核酸检测日`, total);
}

/**
 * Whether a version's values are usable: thresholds in range, days whole and ≥ 0, test days within the duration
 * they belong to, levels and origins each named once, references to levels that exist. Each problem names its field.
 */
export function protocolValueErrors(v: ProtocolValues, prefix = '/body/values'): FieldError[] {
  const errs: FieldError[] = [];
  const p = (s: string) => `${prefix}${s}`;
  if (typeof v.feverThresholdC !== 'number' || v.feverThresholdC < 37 || v.feverThresholdC > 38.5 || Math.round(v.feverThresholdC * 10) !== v.feverThresholdC * 10) {
    errs.push({ path: p('/feverThresholdC'), code: 'range', message: '发热判定体温须在 37.0–38.5 ℃ 之间，精确到 0.1 ℃' });
  }
  if (new Set(v.abnormalSymptoms).size !== v.abnormalSymptoms.length || v.abnormalSymptoms.some((s) => !SYMPTOMS.includes(s))) {
    errs.push({ path: p('/abnormalSymptoms'), code: 'invalid', message: '异常症状须从列表中选择，且不重复' });
  }
  if (v.codeChecksAt !== 'all' && (new Set(v.codeChecksAt).size !== v.codeChecksAt.length || v.codeChecksAt.some((k) => !PLACE_KINDS.includes(k)))) {
    errs.push({ path: p('/codeChecksAt'), code: 'invalid', message: '查验场所须从列表中选择，且不重复' });
  }
  if (v.checkpointTestHours !== null && (!isInt(v.checkpointTestHours) || v.checkpointTestHours < 1 || v.checkpointTestHours > 168)) {
    errs.push({ path: p('/checkpointTestHours'), code: 'range', message: '核酸阴性证明时限须为 1–168 小时' });
  }
  const origins = new Set<string>();
  v.arrivalRules.forEach((r, i) => {
    const base = p(`/arrivalRules/${i}`);
    if (origins.has(r.origin)) errs.push({ path: `${base}/origin`, code: 'duplicate', message: `${ORIGIN_RISK_LABELS[r.origin].zh}的到达规则重复` });
    origins.add(r.origin);
    checkDays(errs, `${base}/days`, r.days, '到达管理天数');
    if (r.measure === 'none' && (r.days !== 0 || r.testDays.length)) errs.push({ path: `${base}/days`, code: 'none', message: '“无”措施的天数须为 0 且无检测日' });
    else if (r.measure !== 'none' && r.days < 1) errs.push({ path: `${base}/days`, code: 'range', message: '有管理措施时天数至少为 1' });
    checkTestDays(errs, `${base}/testDays`, r.testDays, '核酸检测日', r.days);
  });
  const t = v.tracing;
  if (!isInt(t.lookbackDays) || t.lookbackDays < 1 || t.lookbackDays > 14) errs.push({ path: p('/tracing/lookbackDays'), code: 'range', message: '追溯期须为 1–14 天（扫码记录至少保留 14 天）' });
  if (!isInt(t.assumedStayMinutes) || t.assumedStayMinutes < 1 || t.assumedStayMinutes > 480) errs.push({ path: p('/tracing/assumedStayMinutes'), code: 'range', message: '视为停留时长须为 1–480 分钟' });
  if (!isInt(t.minOverlapMinutes) || t.minOverlapMinutes < 1 || t.minOverlapMinutes > t.assumedStayMinutes) {
    errs.push({ path: p('/tracing/minOverlapMinutes'), code: 'range', message: '最短重叠时长须为 1 分钟至视为停留时长之间' });
  }
  if (t.secondaryContacts !== 'household' && t.secondaryContacts !== 'none') errs.push({ path: p('/tracing/secondaryContacts'), code: 'invalid', message: '次密接判定方式无效' });
  checkMeasure(errs, p('/contactManagement/close'), v.contactManagement.close, '密接');
  if (v.contactManagement.secondary) checkMeasure(errs, p('/contactManagement/secondary'), v.contactManagement.secondary, '次密接');
  if (t.secondaryContacts !== 'none' && !v.contactManagement.secondary) {
    errs.push({ path: p('/contactManagement/secondary'), code: 'required', message: '判定次密接时须规定次密接的管理措施' });
  }
  const iso = v.isolation;
  if (!CARE_SETTINGS.includes(iso.confirmedSetting)) errs.push({ path: p('/isolation/confirmedSetting'), code: 'invalid', message: '确诊病例收治方式无效' });
  if (!CARE_SETTINGS.includes(iso.asymptomaticSetting)) errs.push({ path: p('/isolation/asymptomaticSetting'), code: 'invalid', message: '无症状感染者隔离方式无效' });
  checkTestDays(errs, p('/isolation/releaseTestDays'), iso.releaseTestDays, '解除隔离核酸检测日', 30);
  if (iso.releaseCt !== null && (typeof iso.releaseCt !== 'number' || iso.releaseCt < 20 || iso.releaseCt > 45)) errs.push({ path: p('/isolation/releaseCt'), code: 'range', message: 'Ct 值须在 20–45 之间' });
  checkMeasure(errs, p('/isolation/inbound'), iso.inbound, '入境人员');
  if (iso.highRiskWorkers) {
    checkDays(errs, p('/isolation/highRiskWorkers/homeMonitoringDays'), iso.highRiskWorkers.homeMonitoringDays, '高风险岗位人员居家健康监测天数');
    checkTestDays(errs, p('/isolation/highRiskWorkers/testDays'), iso.highRiskWorkers.testDays, '高风险岗位人员核酸检测日', iso.highRiskWorkers.homeMonitoringDays);
  }
  const levels = new Set<string>();
  v.riskAreas.levels.forEach((a, i) => {
    const base = p(`/riskAreas/levels/${i}`);
    if (!RISK_AREA_LEVELS.includes(a.level)) errs.push({ path: `${base}/level`, code: 'invalid', message: '风险区等级无效' });
    else if (levels.has(a.level)) errs.push({ path: `${base}/level`, code: 'duplicate', message: `${RISK_AREA_LEVEL_LABELS[a.level].zh}重复` });
    levels.add(a.level);
    if (!RISK_AREA_UNITS.includes(a.unit)) errs.push({ path: `${base}/unit`, code: 'invalid', message: '划定单元无效' });
    if (!a.measure.trim()) errs.push({ path: `${base}/measure`, code: 'required', message: '请填写管控措施' });
    if (a.liftAfterDays !== null) checkDays(errs, `${base}/liftAfterDays`, a.liftAfterDays, '解除所需天数');
  });
  v.riskAreas.levels.forEach((a, i) => {
    if (a.stepsDownTo !== null && (a.stepsDownTo === a.level || !levels.has(a.stepsDownTo))) {
      errs.push({ path: p(`/riskAreas/levels/${i}/stepsDownTo`), code: 'invalid', message: '解除后降为的等级须是本版本的另一个等级' });
    }
  });
  return errs;
}
