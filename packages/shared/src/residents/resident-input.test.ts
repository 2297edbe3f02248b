import { describe, expect, it } from 'vitest';
import { buildResidentId } from '../identity/resident-id.js';
import { normalizeResident, type ResidentInput } from './resident-input.js';

const TODAY = '2026-11-29';
const base: ResidentInput = { name: '张三', docType: 'resident_id', docNumber: buildResidentId('340104', '1980-01-01', 11), relationToHead: 'head', residenceStatus: 'registered' };

describe('normalizeResident', () => {
  it('derives sex and birth date from a resident ID', () => {
    const r = normalizeResident(base, TODAY);
    expect(r).toMatchObject({ ok: true, value: { sex: 'male', birthDate: '1980-01-01' } });
  });

  it('reports a contradiction on the contradicted field', () => {
    const r = normalizeResident({ ...base, sex: 'female', birthDate: '1981-01-01' }, TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fields.map((f) => f.path).sort()).toEqual(['/body/birthDate', '/body/sex']);
  });

  it('normalizes names, phones and tags', () => {
    const r = normalizeResident({ ...base, name: '  张　三 ', phone: '+86 139 0000 1234', tags: ['infant', 'disabled', 'infant'] }, TODAY);
    expect(r).toMatchObject({ ok: true, value: { name: '张 三', phone: '13900001234', tags: ['disabled', 'infant'] } });
  });

  it('collects every problem at once, with the given path prefix', () => {
    const r = normalizeResident({ ...base, name: '', docNumber: '123', phone: '555' }, TODAY, '/rows/3');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fields.map((f) => f.path)).toEqual(['/rows/3/name', '/rows/3/docNumber', '/rows/3/phone']);
  });

  it('requires sex and birth date for documents that do not carry them', () => {
    const r = normalizeResident({ ...base, docType: 'passport', docNumber: 'E1234567' }, TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fields.map((f) => f.path)).toEqual(['/body/sex', '/body/birthDate']);
  });

  it('refuses digits in names', () => {
    expect(normalizeResident({ ...base, name: '张3' }, TODAY).ok).toBe(false);
  });
});
