import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../health/days.js';
import { BUILT_IN_PROTOCOLS, type ProtocolValues } from '../protocol/values.js';
import { evaluateLifting, type NegativeRound } from './lifting.js';

const version = (id: string): ProtocolValues => BUILT_IN_PROTOCOLS.find((p) => p.id === id)!;
const NINTH = version('ninth-2022-06');
const NEW_TEN = version('new-ten-2022-12');
const EIGHTH = version('eighth-2021-05');
const allTested: NegativeRound = { inResidence: 12, untested: 0, positives: 0, lastSampledDay: null };

describe('lifting rule of an area control', () => {
  it('new ten measures: 5 days without an infection lift a high-risk area, met from 00:00 of the 5th day', () => {
    // Infection found on 12-01: days 12-02 … 12-06 are the five; met on 12-06.
    const base = { level: 'high' as const, firstDay: '2022-12-01', lastInfectionDay: '2022-12-01', round: { ...allTested, untested: 12 } };
    const before = evaluateLifting(NEW_TEN, { ...base, today: '2022-12-05' });
    expect(before).toMatchObject({ status: 'not_met', metOn: null, missing: ['还需连续 1 天无新增'], action: 'lift', stepsDownTo: null, cleanFrom: '2022-12-02', cleanDays: 4, daysNeeded: 5 });
    // No negative round in this version: untested residents do not hold it back.
    const on = evaluateLifting(NEW_TEN, { ...base, today: '2022-12-06' });
    expect(on).toMatchObject({ status: 'met', metOn: '2022-12-06', missing: [], action: 'lift', cleanDays: 5 });
    expect(on.rule).toBe(`《${NEW_TEN.name}》：连续 5 天无新增感染者，解除`);
  });

  it('ninth edition: high steps down to medium after 7 days and a negative round; names the untested and the positives', () => {
    const base = { level: 'high' as const, firstDay: '2022-07-01', lastInfectionDay: '2022-06-30', today: '2022-07-07' };
    const missingRound = evaluateLifting(NINTH, { ...base, round: { inResidence: 30, untested: 3, positives: 0, lastSampledDay: '2022-07-07' } });
    expect(missingRound).toMatchObject({ status: 'not_met', missing: ['尚缺全员核酸阴性：3 人未检测'], action: 'step_down', stepsDownTo: 'medium', cleanFrom: '2022-07-01' });
    const positive = evaluateLifting(NINTH, { ...base, round: { inResidence: 30, untested: 0, positives: 1, lastSampledDay: '2022-07-07' } });
    expect(positive.missing).toEqual(['有 1 人核酸阳性，须核实后重新计算']);
    // The round finished on day 6, the days on day 7: met on day 7; a round finishing later moves the day it was met.
    expect(evaluateLifting(NINTH, { ...base, round: { ...allTested, lastSampledDay: '2022-07-06' } })).toMatchObject({ status: 'met', metOn: '2022-07-07', cleanDays: 7 });
    expect(evaluateLifting(NINTH, { ...base, today: '2022-07-09', round: { ...allTested, lastSampledDay: '2022-07-08' } })).toMatchObject({ status: 'met', metOn: '2022-07-08' });
    const early = evaluateLifting(NINTH, { ...base, today: '2022-07-05', round: { ...allTested, untested: 2 } });
    expect(early.missing).toEqual(['还需连续 2 天无新增', '尚缺全员核酸阴性：2 人未检测']);
    expect(early.rule).toContain('连续 7 天无新增感染者且全员核酸阴性，降为中风险区');
  });

  it('an infection found after the start restarts the count; the low level has no rule of its own', () => {
    const r = evaluateLifting(NINTH, { level: 'medium', firstDay: '2022-07-01', lastInfectionDay: '2022-07-04', today: '2022-07-06', round: allTested });
    expect(r).toMatchObject({ cleanFrom: '2022-07-05', cleanDays: 2, missing: ['还需连续 5 天无新增'], stepsDownTo: 'low' });
    expect(evaluateLifting(NINTH, { level: 'low', firstDay: '2022-07-01', lastInfectionDay: null, today: '2022-08-01', round: allTested })).toMatchObject({ status: 'no_rule', action: null });
    // Eighth edition terms: 封控区 lifted (not stepped down) after 14 days.
    expect(evaluateLifting(EIGHTH, { level: 'lockdown', firstDay: '2021-08-01', lastInfectionDay: null, today: '2021-08-15', round: allTested })).toMatchObject({ status: 'met', metOn: '2021-08-14', action: 'lift' });
    expect(evaluateLifting(NEW_TEN, { level: 'medium', firstDay: '2022-12-10', lastInfectionDay: null, today: '2022-12-20', round: allTested }).status).toBe('no_rule');
  });

  it('property: met exactly from the Nth infection-free day on (and when the round holds where asked)', () => {
    const day = fc.integer({ min: 0, max: 60 }).map((n) => addDays('2022-07-01', n));
    fc.assert(
      fc.property(day, fc.option(day, { nil: null }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom('high', 'medium'), (first, infection, later, untested, level) => {
        const today = addDays(first, later);
        const r = evaluateLifting(NINTH, { level, firstDay: first, lastInfectionDay: infection, today, round: { inResidence: 5, untested, positives: 0, lastSampledDay: null } });
        const cleanFrom = infection !== null && addDays(infection, 1) > first ? addDays(infection, 1) : first;
        expect(r.cleanFrom).toBe(cleanFrom);
        const daysOk = daysBetween(cleanFrom, today) >= 6;
        expect(r.status === 'met').toBe(daysOk && untested === 0);
        if (r.status === 'met') expect(r.metOn).toBe(addDays(cleanFrom, 6));
        else expect(r.missing.length).toBeGreaterThan(0);
        if (!daysOk) expect(r.missing[0]).toBe(`还需连续 ${daysBetween(today, addDays(cleanFrom, 6))} 天无新增`);
      }),
    );
  });
});
