import { describe, expect, it } from 'vitest';
import { buildResidentId, parseResidentId, residentIdCheckChar } from './resident-id.js';

const TODAY = '2026-11-29';

describe('resident ID (GB 11643, ISO 7064 MOD 11-2)', () => {
  it.each(['11010519491231002X', '34052419800101001X', '370101190102039973'])('accepts the reference vector %s', (id) => {
    expect(parseResidentId(id, TODAY)).toMatchObject({ ok: true, value: id });
  });

  it('derives sex from the sequence parity and the birth date', () => {
    expect(parseResidentId('11010519491231002X', TODAY)).toEqual({ ok: true, value: '11010519491231002X', birthDate: '1949-12-31', sex: 'female' });
    expect(parseResidentId('370101190102039973', TODAY)).toMatchObject({ birthDate: '1901-02-03', sex: 'male' });
  });

  it('refuses a wrong check digit', () => {
    expect(parseResidentId('110105194912310021', TODAY)).toEqual({ ok: false, problem: 'checkDigit' });
    expect(parseResidentId('340524198001010010', TODAY)).toEqual({ ok: false, problem: 'checkDigit' });
  });

  it('accepts lowercase x and stores it as X', () => {
    expect(parseResidentId('11010519491231002x', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it('normalizes full-width digits and stray spaces', () => {
    expect(parseResidentId(' １１０１０５ 19491231002X ', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it('refuses a 15-digit legacy number with a clear message', () => {
    expect(parseResidentId('110105491231002', TODAY)).toEqual({ ok: false, problem: 'legacy15' });
  });

  it('refuses impossible or future birth dates', () => {
    expect(parseResidentId(buildResidentId('110105', '2023-02-29', 11), TODAY)).toEqual({ ok: false, problem: 'birthDate' });
    const feb30 = '1101051990023000' + '1';
    expect(parseResidentId(feb30 + residentIdCheckChar(feb30), TODAY)).toEqual({ ok: false, problem: 'birthDate' });
    const future = '1101052030010100' + '1';
    expect(parseResidentId(future + residentIdCheckChar(future), TODAY)).toEqual({ ok: false, problem: 'birthDate' });
  });

  it('refuses unknown province prefixes and malformed input', () => {
    const p = '9901051990010100' + '1';
    expect(parseResidentId(p + residentIdCheckChar(p), TODAY)).toEqual({ ok: false, problem: 'region' });
    expect(parseResidentId('1101051990', TODAY)).toEqual({ ok: false, problem: 'format' });
    expect(parseResidentId('1101051990010100XX', TODAY)).toEqual({ ok: false, problem: 'format' });
  });

  it('builds IDs that parse back to their parts', () => {
    for (let seq = 0; seq < 1000; seq += 37) {
      const id = buildResidentId('340104', '1987-06-15', seq);
      expect(parseResidentId(id, TODAY)).toMatchObject({ ok: true, birthDate: '1987-06-15', sex: seq % 2 ? 'male' : 'female' });
    }
  });
});
