import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodePersonalCode, fromBase64Url, PERSONAL_CODE_SKEW_MS, PERSONAL_CODE_TTL_MS, personalCodeExpiry, toBase64Url, verifyPersonalCode, type Mac,
} from './personal-code.js';
import { isPlaceCode, maskName, placeUrl } from './place-rules.js';

const macWith = (key: string): Mac => (data) => new Uint8Array(crypto.createHmac('sha256', key).update(data).digest());
const mac = macWith('server-key');
const T0 = Date.UTC(2026, 10, 29, 2, 0, 0);
const RESIDENT = '0192f0a8-7c1e-7abc-9def-0123456789ab';
const nonce = (n = 1) => new Uint8Array([n, 2, 3, 4, 5, 6, 7, 8]);

describe('personal code', () => {
  it('round-trips resident, issue time and nonce within its lifetime', () => {
    const code = encodePersonalCode({ residentId: RESIDENT, issuedAt: T0 + 250, nonce: nonce() }, mac);
    expect(code).toMatch(/^GL1\.[A-Za-z0-9_-]{60}$/);
    const r = verifyPersonalCode(` ${code}\n`, T0 + 30_000, mac);
    expect(r).toEqual({ ok: true, residentId: RESIDENT, issuedAt: T0, expiresAt: T0 + PERSONAL_CODE_TTL_MS, nonce: '0102030405060708' });
    expect(personalCodeExpiry(T0 + 250)).toBe(T0 + PERSONAL_CODE_TTL_MS);
  });

  it('expires exactly at the end of its lifetime and refuses codes from the future beyond the clock skew', () => {
    const code = encodePersonalCode({ residentId: RESIDENT, issuedAt: T0, nonce: nonce() }, mac);
    expect(verifyPersonalCode(code, T0 + PERSONAL_CODE_TTL_MS - 1, mac).ok).toBe(true);
    expect(verifyPersonalCode(code, T0 + PERSONAL_CODE_TTL_MS, mac)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyPersonalCode(code, T0 - PERSONAL_CODE_SKEW_MS, mac).ok).toBe(true);
    expect(verifyPersonalCode(code, T0 - PERSONAL_CODE_SKEW_MS - 1, mac)).toEqual({ ok: false, reason: 'not_yet_valid' });
  });

  it('refuses a code signed with another key as forged, and text that is no code as malformed', () => {
    const other = encodePersonalCode({ residentId: RESIDENT, issuedAt: T0, nonce: nonce() }, macWith('attacker-key'));
    expect(verifyPersonalCode(other, T0, mac)).toEqual({ ok: false, reason: 'forged' });
    for (const text of ['', 'hello', 'GL1.', 'GL1.abc', `GL2.${'A'.repeat(60)}`, `GL1.${'*'.repeat(60)}`, `GL1.${'A'.repeat(61)}`]) {
      expect(verifyPersonalCode(text, T0, mac), text).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('any change to any character of a valid code makes it fail (never another valid code)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 63 }), fc.uint8Array({ minLength: 8, maxLength: 8 }), (id, pos, shift, n) => {
        const code = encodePersonalCode({ residentId: id, issuedAt: T0, nonce: n }, mac);
        const body = code.slice(4);
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const changed = alphabet[(alphabet.indexOf(body[pos]!) + shift) % 64]!;
        const tampered = `GL1.${body.slice(0, pos)}${changed}${body.slice(pos + 1)}`;
        expect(verifyPersonalCode(code, T0, mac).ok).toBe(true);
        const r = verifyPersonalCode(tampered, T0, mac);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('base64url round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }));
    expect(toBase64Url(new Uint8Array(Buffer.from('any carnal pleas')))).toBe(Buffer.from('any carnal pleas').toString('base64url'));
  });
});

describe('place rules', () => {
  it('masks names, builds poster URLs and recognizes place codes', () => {
    expect(maskName('张伟')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('王')).toBe('*');
    expect(placeUrl('https://gridline.example/', 'AbCdEfGh_-123456')).toBe('https://gridline.example/p/AbCdEfGh_-123456');
    expect(isPlaceCode('AbCdEfGh_-123456')).toBe(true);
    expect(isPlaceCode('AbCdEfGh_-12345')).toBe(false);
    expect(isPlaceCode('AbCdEfGh/-123456')).toBe(false);
  });
});
