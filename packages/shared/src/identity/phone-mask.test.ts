import { describe, expect, it } from 'vitest';
import { maskDocument, maskPhone } from './mask.js';
import { parseMobilePhone } from './phone.js';
import { parseDocument } from './documents.js';

describe('mobile phone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['138-0013-8000', '13800138000'],
  ])('accepts %s as %s', (input, value) => {
    expect(parseMobilePhone(input)).toEqual({ ok: true, value });
  });

  it.each(['12345', '12800138000', '1380013800', '138001380001', 'abcdefghijk', '02512345678'])('refuses %s', (input) => {
    expect(parseMobilePhone(input).ok).toBe(false);
  });
});

describe('masking', () => {
  it('keeps the first and last four characters of a document', () => {
    expect(maskDocument('34010419800101001X')).toBe('3401**********001X');
    expect(maskDocument('E12345678')).toBe('E123*5678');
  });
  it('keeps the first three and last four digits of a phone', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});

describe('other documents', () => {
  it('validates permit and passport formats', () => {
    expect(parseDocument('hk_macao_permit', 'h12345678')).toMatchObject({ ok: true, value: 'H12345678' });
    expect(parseDocument('hk_macao_permit', 'X12345678').ok).toBe(false);
    expect(parseDocument('taiwan_permit', '12345678')).toMatchObject({ ok: true });
    expect(parseDocument('passport', 'E1234567')).toMatchObject({ ok: true });
    expect(parseDocument('passport', '12')).toMatchObject({ ok: false, code: 'DOC_FORMAT' });
  });
});
