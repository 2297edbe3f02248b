import { describe, expect, it } from 'vitest';
import { arrivalRule, BUILT_IN_PROTOCOLS, isAbnormalReport, protocolInForce } from './values.js';

describe('protocol values', () => {
  it('picks the version in force on a date, switching on its effective date', () => {
    expect(protocolInForce('2022-07-01').id).toBe('ninth-2022-06');
    expect(protocolInForce('2022-11-10').id).toBe('ninth-2022-06');
    expect(protocolInForce('2022-11-11').id).toBe('twenty-2022-11');
    expect(protocolInForce('2022-12-07').id).toBe('new-ten-2022-12');
    expect(protocolInForce('2026-11-29').id).toBe('new-ten-2022-12');
    // Before the ninth edition: the eighth edition's rules (封控/管控/防范, a 2-day look-back).
    expect(protocolInForce('2022-06-27').id).toBe('eighth-2021-05');
    expect(protocolInForce('2022-06-27').riskAreas.levels.map((l) => l.level)).toEqual(['lockdown', 'control', 'prevention']);
  });

  it('follows each version’s arrival rules (medium risk abolished by the twenty measures)', () => {
    const ninth = protocolInForce('2022-07-01');
    expect(arrivalRule(ninth, 'high')).toMatchObject({ measure: 'centralized_isolation', days: 7, testDays: [1, 2, 3, 5, 7] });
    expect(arrivalRule(ninth, 'medium')).toMatchObject({ measure: 'home_isolation', days: 7 });
    const twenty = protocolInForce('2022-11-20');
    expect(arrivalRule(twenty, 'high')).toMatchObject({ measure: 'home_isolation', days: 7, testDays: [1, 3, 5, 7] });
    expect(arrivalRule(twenty, 'medium')).toMatchObject({ measure: 'none' });
  });

  it('calls a report abnormal at the fever threshold or with a listed symptom, and says why', () => {
    const p = protocolInForce('2022-07-01');
    expect(isAbnormalReport(p, 37.2, []).abnormal).toBe(false);
    expect(isAbnormalReport(p, 37.3, [])).toEqual({ abnormal: true, reasons: ['体温 37.3℃ ≥ 37.3℃'] });
    expect(isAbnormalReport(p, null, ['cough']).abnormal).toBe(true);
    expect(isAbnormalReport(protocolInForce('2022-12-10'), 36.5, ['cough']).abnormal).toBe(false);
  });

  it('sources every version’s values', () => {
    for (const v of BUILT_IN_PROTOCOLS) expect(Object.keys(v.sources)).toContain('feverThresholdC');
  });
});
