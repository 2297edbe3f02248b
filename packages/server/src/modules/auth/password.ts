import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../lib/errors.js';

/** argon2id with the library's defaults (~5 ms a hash on the reference machine). */
export function hashPassword(plain: string): Promise<string> {
  return hash(plain);
}

export async function verifyPassword(stored: string, plain: string): Promise<boolean> {
  try {
    return await verify(stored, plain);
  } catch {
    return false;
  }
}

/** A valid hash of nothing, verified against for unknown usernames so timing does not reveal them. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
}

export function assertStrongPassword(plain: string, path = '/body/newPassword'): void {
  if (plain.length < 8 || !/[A-Za-z]/.test(plain) || !/\d/.test(plain)) {
    throw new AppError('GRIDLINE_PASSWORD_WEAK', {
      fields: [{ path, code: 'weak', message: '密码至少 8 位，且须同时包含字母和数字' }],
    });
  }
}

/** Readable temporary password (no 0/O/1/l), handed over once and changed at next sign-in. */
export function temporaryPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ';
  const digits = '23456789';
  const pick = (set: string, n: number) => Array.from(crypto.randomBytes(n), (b) => set[b % set.length]).join('');
  return `${pick(letters, 6)}${pick(digits, 4)}`;
}
