import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Personal data at rest: AES-256-GCM for the value, HMAC-SHA256 (keyed by a key derived from the
 * same secret) for look-ups, so "find by document number" never decrypts the table.
 * Stored form: v1.<iv>.<tag>.<ciphertext>, base64url.
 */
export class PersonalDataCipher {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;
  /** Short fingerprint of the key; export files carry it so an import with another key is refused. */
  readonly fingerprint: string;

  constructor(secret: Buffer) {
    if (secret.length !== 32) throw new Error('The personal-data key must be 32 bytes');
    this.encKey = Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), 'gridline:encrypt', 32));
    this.macKey = Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), 'gridline:lookup', 32));
    this.fingerprint = crypto.createHmac('sha256', this.macKey).update('fingerprint').digest('hex').slice(0, 16);
  }

  encrypt(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
  }

  decrypt(stored: string): string {
    const [v, iv, tag, ct] = stored.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('Unrecognized encrypted value');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash for equality look-ups; `kind` separates document numbers from phones. */
  lookupHash(kind: string, value: string): string {
    return crypto.createHmac('sha256', this.macKey).update(`${kind}:${value}`).digest('base64url');
  }
}

/**
 * The key comes from GRIDLINE_DATA_KEY, or from DATA_DIR/gridline.key, created on first start
 * with mode 0600. It never lives in the repository; losing it makes stored documents unreadable.
 */
export function loadDataKey(configured: string | undefined, dataDir: string): { key: Buffer; source: string } {
  if (configured) return { key: Buffer.from(configured, 'base64'), source: 'GRIDLINE_DATA_KEY' };
  const file = path.join(dataDir, 'gridline.key');
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return { key, source: file };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return { key, source: `${file} (created)` };
}
