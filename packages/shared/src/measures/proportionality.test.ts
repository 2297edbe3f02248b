import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROTOCOLS, type ProtocolValues } from '../protocol/values.js';
import { LEGAL_BASES, legalBasis } from './legal-basis.js';
import { MEASURE_KIND_RULES, PERSON_MEASURES } from './measure-kinds.js';
import { allowedDays, assessAreaControl, assessPersonMeasure, prescribedStages, proposeMeasures, type MeasureSubject } from './proportionality.js';

const version = (id: string): ProtocolValues => BUILT_IN_PROTOCOLS.find((p) => p.id === id)!;
const NINTH = version('ninth-2022-06');
const TWENTY = version('twenty-2022-11');
const NEW_TEN = version('new-ten-2022-12');
const close: MeasureSubject = { kind: 'close_contact' };
// Region codes of one street: community 001, its grid 001, building 001 (lengths 12 / 15 / 18).
const STREET = '110105001';
const COMMUNITY = `${STREET}001`;
const GRID = `${COMMUNITY}001`;
const BUILDING = `${GRID}001`;

describe('legal basis', () => {
  it('every measure kind cites articles that exist, each with its law version', () => {
    for (const rule of Object.values(MEASURE_KIND_RULES)) {
      expect(rule.legalBases.length).toBeGreaterThan(0);
      for (const id of rule.legalBases) expect(legalBasis(id)?.lawVersion).toMatch(/\d{4}/);
    }
    expect(new Set(LEGAL_BASES.map((b) => b.id)).size).toBe(LEGAL_BASES.length);
  });
});

describe('person measures against the protocol version', () => {
  it('close contacts: 7 + 3 under the ninth edition, 5 + 3 under the twenty measures, 5 days at home under the new ten', () => {
    expect(prescribedStages(NINTH, close)).toEqual([{ measure: 'centralized_isolation', days: 7 }, { measure: 'home_health_monitoring', days: 3 }]);
    expect(prescribedStages(TWENTY, close)).toEqual([{ measure: 'centralized_isolation', days: 5 }, { measure: 'home_isolation', days: 3 }]);
    expect(prescribedStages(NEW_TEN, close)).toEqual([{ measure: 'home_isolation', days: 5 }]);
    // Served at home instead of a centralized site (special populations): up to the harsher stages' days.
    expect(allowedDays(prescribedStages(NINTH, close), 'home_isolation')).toBe(7);
    expect(allowedDays(prescribedStages(NINTH, close), 'home_health_monitoring')).toBe(10);
    expect(allowedDays(prescribedStages(TWENTY, close), 'home_isolation')).toBe(8);
  });

  it('the proposal the system makes is proportionate, and runs stage after stage from day 1', () => {
    expect(proposeMeasures(NINTH, close, '2022-07-01')).toEqual([
      { measure: 'centralized_isolation', startDay: '2022-07-01', endDay: '2022-07-07' },
      { measure: 'home_health_monitoring', startDay: '2022-07-08', endDay: '2022-07-10' },
    ]);
    expect(assessPersonMeasure(NINTH, close, 'centralized_isolation', 7)).toMatchObject({ proportionate: true, approval: 'street', reasonRequired: false });
    expect(assessPersonMeasure(NEW_TEN, close, 'home_isolation', 5)).toMatchObject({ proportionate: true, approval: 'community' });
  });

  it('isolating a contact beyond the protocol’s days waits for the next level up with a reason', () => {
    const a = assessPersonMeasure(NINTH, close, 'centralized_isolation', 14);
    expect(a).toMatchObject({ proportionate: false, approval: 'district', reasonRequired: true });
    expect(a.excesses.map((f) => f.code)).toEqual(['longer']);
    expect(a.excesses[0]!.message).toContain('超过可用的 7 天');
    expect(assessPersonMeasure(NINTH, close, 'centralized_isolation', null).excesses.map((f) => f.code)).toEqual(['longer']);
  });

  it('a harsher setting than prescribed, or any measure where none is prescribed, is an excess', () => {
    expect(assessPersonMeasure(NEW_TEN, close, 'centralized_isolation', 5).excesses.map((f) => f.code)).toEqual(['harsher']);
    // The twenty measures stopped identifying secondary contacts.
    expect(assessPersonMeasure(TWENTY, { kind: 'secondary_contact' }, 'home_isolation', 7).excesses.map((f) => f.code)).toEqual(['not_prescribed']);
    expect(assessPersonMeasure(NINTH, { kind: 'secondary_contact' }, 'home_isolation', 7).proportionate).toBe(true);
    expect(assessPersonMeasure(NEW_TEN, { kind: 'arrival', origin: 'low' }, 'home_health_monitoring', 3).excesses.map((f) => f.code)).toEqual(['not_prescribed']);
  });

  it('property: the proposal is always proportionate; any day beyond what a kind allows is an excess', () => {
    const subjects: MeasureSubject[] = [close, { kind: 'secondary_contact' }, { kind: 'inbound' }, { kind: 'arrival', origin: 'high' }, { kind: 'arrival', origin: 'medium' }];
    fc.assert(
      fc.property(fc.constantFrom(...BUILT_IN_PROTOCOLS), fc.constantFrom(...subjects), fc.constantFrom(...PERSON_MEASURES), fc.integer({ min: 1, max: 30 }), (p, s, m, days) => {
        for (const proposed of proposeMeasures(p, s, '2022-07-01')) {
          const n = proposed.endDay === null ? null : Math.round((Date.parse(proposed.endDay) - Date.parse(proposed.startDay)) / 86_400_000) + 1;
          expect(assessPersonMeasure(p, s, proposed.measure, n).proportionate).toBe(true);
        }
        const allowed = allowedDays(prescribedStages(p, s), m);
        const a = assessPersonMeasure(p, s, m, days);
        expect(a.proportionate).toBe(allowed !== null && allowed > 0 && days <= allowed);
        expect(a.approval === MEASURE_KIND_RULES[m].approval).toBe(a.proportionate);
      }),
    );
  });
});

describe('area controls against the protocol version', () => {
  const area = { plannedDays: null, casesInScope: 1, sealsExits: false };
  it('one case in one building: the building is proportionate under the twenty measures, the whole community is not', () => {
    expect(assessAreaControl(TWENTY, { ...area, level: 'high', scopeCode: BUILDING })).toMatchObject({ proportionate: true, approval: 'street' });
    const community = assessAreaControl(TWENTY, { ...area, level: 'high', scopeCode: COMMUNITY });
    expect(community).toMatchObject({ proportionate: false, approval: 'district', reasonRequired: true });
    expect(community.excesses.map((f) => f.code)).toEqual(['wider']);
    // The ninth edition drew high-risk areas by compound (a community here).
    expect(assessAreaControl(NINTH, { ...area, level: 'high', scopeCode: COMMUNITY }).proportionate).toBe(true);
    expect(assessAreaControl(NINTH, { ...area, level: 'high', scopeCode: STREET }).excesses.map((f) => f.code)).toEqual(['wider']);
  });

  it('a residence-drawn area with no case in it, or planned beyond the lifting rule, is an excess', () => {
    expect(assessAreaControl(NEW_TEN, { ...area, level: 'high', scopeCode: BUILDING, casesInScope: 0 }).excesses.map((f) => f.code)).toEqual(['no_case']);
    expect(assessAreaControl(NEW_TEN, { ...area, level: 'high', scopeCode: BUILDING, plannedDays: 14 }).excesses.map((f) => f.code)).toEqual(['longer']);
    expect(assessAreaControl(NEW_TEN, { ...area, level: 'high', scopeCode: GRID }).excesses.map((f) => f.code)).toEqual(['wider']);
  });

  it('sealed exits and levels the version does not have are refused, whatever the approval', () => {
    const sealed = assessAreaControl(NINTH, { ...area, level: 'high', scopeCode: BUILDING, sealsExits: true });
    expect(sealed.proportionate).toBe(false);
    expect(sealed.refusals.map((f) => f.code)).toEqual(['seals_exits']);
    const medium = assessAreaControl(NEW_TEN, { ...area, level: 'medium', scopeCode: BUILDING });
    expect(medium.refusals.map((f) => f.code)).toEqual(['level_unknown']);
    expect(medium.refusals[0]!.message).toContain('高风险区');
  });
});
