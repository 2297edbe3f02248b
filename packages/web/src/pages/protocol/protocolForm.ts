import type { ContactMeasure, ProtocolValues, ProtocolValuesInput } from '@gridline/shared';

/**
 * The new-version form's values: ProtocolValues as the inputs hold them. Test days are typed as "1,2,3,5,7";
 * "all checkpoints" is a switch beside the list of place kinds; optional blocks have an "applies" switch.
 */
export interface MeasureForm {
  centralizedDays: number;
  homeIsolationDays: number;
  homeMonitoringDays: number;
  testDays: string;
}
export interface ProtocolForm {
  feverThresholdC: number;
  abnormalSymptoms: ProtocolValues['abnormalSymptoms'];
  codeChecksAll: boolean;
  codeChecksAt: Exclude<ProtocolValues['codeChecksAt'], 'all'>;
  checkpointTestHours: number | null;
  arrivalRules: { origin: ProtocolValues['arrivalRules'][number]['origin']; measure: ProtocolValues['arrivalRules'][number]['measure']; days: number; testDays: string }[];
  tracing: ProtocolValues['tracing'];
  contactManagement: { close: MeasureForm; secondaryApplies: boolean; secondary: MeasureForm };
  riskAreas: { levels: ProtocolValues['riskAreas']['levels'] };
  isolation: {
    confirmedSetting: ProtocolValues['isolation']['confirmedSetting'];
    asymptomaticSetting: ProtocolValues['isolation']['asymptomaticSetting'];
    releaseTestDays: string;
    releaseCt: number | null;
    inbound: MeasureForm;
    highRiskApplies: boolean;
    highRiskWorkers: { homeMonitoringDays: number; testDays: string };
  };
}

const days = (ds: readonly number[]) => ds.join(',');
/** "1, 2，3 5" → [1, 2, 3, 5]; anything not a whole number is kept as NaN so the server names the field. */
export function parseDays(text: string | undefined): number[] {
  return (text ?? '')
    .split(/[\s,，、]+/)
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN));
}
const measureForm = (m: ContactMeasure): MeasureForm => ({ ...m, testDays: days(m.testDays) });
const measureOf = (m: MeasureForm): ContactMeasure => ({
  centralizedDays: m.centralizedDays ?? 0, homeIsolationDays: m.homeIsolationDays ?? 0, homeMonitoringDays: m.homeMonitoringDays ?? 0, testDays: parseDays(m.testDays),
});
const EMPTY_MEASURE: MeasureForm = { centralizedDays: 0, homeIsolationDays: 7, homeMonitoringDays: 0, testDays: '1,4,7' };

export function toForm(v: ProtocolValues): ProtocolForm {
  return {
    feverThresholdC: v.feverThresholdC,
    abnormalSymptoms: [...v.abnormalSymptoms],
    codeChecksAll: v.codeChecksAt === 'all',
    codeChecksAt: v.codeChecksAt === 'all' ? [] : [...v.codeChecksAt],
    checkpointTestHours: v.checkpointTestHours,
    arrivalRules: v.arrivalRules.map((r) => ({ ...r, testDays: days(r.testDays) })),
    tracing: { ...v.tracing },
    contactManagement: {
      close: measureForm(v.contactManagement.close),
      secondaryApplies: v.contactManagement.secondary !== null,
      secondary: v.contactManagement.secondary ? measureForm(v.contactManagement.secondary) : EMPTY_MEASURE,
    },
    riskAreas: { levels: v.riskAreas.levels.map((l) => ({ ...l })) },
    isolation: {
      confirmedSetting: v.isolation.confirmedSetting,
      asymptomaticSetting: v.isolation.asymptomaticSetting,
      releaseTestDays: days(v.isolation.releaseTestDays),
      releaseCt: v.isolation.releaseCt,
      inbound: measureForm(v.isolation.inbound),
      highRiskApplies: v.isolation.highRiskWorkers !== null,
      highRiskWorkers: v.isolation.highRiskWorkers ? { ...v.isolation.highRiskWorkers, testDays: days(v.isolation.highRiskWorkers.testDays) } : { homeMonitoringDays: 5, testDays: '1,3,5' },
    },
  };
}

export function fromForm(f: ProtocolForm): ProtocolValuesInput {
  return {
    feverThresholdC: f.feverThresholdC,
    abnormalSymptoms: f.abnormalSymptoms ?? [],
    codeChecksAt: f.codeChecksAll ? 'all' : (f.codeChecksAt ?? []),
    checkpointTestHours: f.checkpointTestHours ?? null,
    arrivalRules: (f.arrivalRules ?? []).map((r) => ({ origin: r.origin, measure: r.measure, days: r.days ?? 0, testDays: parseDays(r.testDays) })),
    tracing: { ...f.tracing },
    contactManagement: { close: measureOf(f.contactManagement.close), secondary: f.contactManagement.secondaryApplies ? measureOf(f.contactManagement.secondary) : null },
    riskAreas: { levels: (f.riskAreas?.levels ?? []).map((l) => ({ ...l, liftAfterDays: l.liftAfterDays ?? null, stepsDownTo: l.stepsDownTo ?? null })) },
    isolation: {
      confirmedSetting: f.isolation.confirmedSetting,
      asymptomaticSetting: f.isolation.asymptomaticSetting,
      releaseTestDays: parseDays(f.isolation.releaseTestDays),
      releaseCt: f.isolation.releaseCt ?? null,
      inbound: measureOf(f.isolation.inbound),
      highRiskWorkers: f.isolation.highRiskApplies ? { homeMonitoringDays: f.isolation.highRiskWorkers.homeMonitoringDays ?? 0, testDays: parseDays(f.isolation.highRiskWorkers.testDays) } : null,
    },
  };
}

/**
 * Where a server error about `/body/values/...` goes in the form: the same path, except the few values the form
 * holds differently (secondary contacts and high-risk workers under their switches, code checks under the list).
 */
export function formPathOf(serverPath: string): (string | number)[] | null {
  const m = /^\/body\/values\/(.+)$/.exec(serverPath);
  if (!m) return null;
  const parts: (string | number)[] = m[1]!.split('/').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  // An item of a test-day list (/testDays/2) is the list's input.
  const t = parts.indexOf('testDays');
  if (t >= 0) parts.length = t + 1;
  return parts;
}
