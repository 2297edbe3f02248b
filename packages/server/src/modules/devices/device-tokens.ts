import type { Db } from '../../db/schema.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import { devicesRepository } from './devices.repository.js';

/** What ingestion knows of the device a token belongs to. */
export interface IngestDevice {
  id: string;
  placeId: string;
  regionCode: string;
}

export type TokenLookup = { ok: true; device: IngestDevice } | { ok: false; reason: 'unknown' | 'disabled' | 'place_inactive' };

/** How long a token's answer is reused by this process: a change made on another instance reaches it within this. */
export const TOKEN_CACHE_MS = 10_000;

export function deviceTokenHash(cipher: PersonalDataCipher, token: string): string {
  return cipher.lookupHash('device-token', token);
}

/**
 * Bearer tokens of devices → the device, remembered for a few seconds: a gate posting every scan would
 * otherwise cost a keyed hash and a database read per request. This process forgets a device the moment it is
 * changed here (disabled, token replaced); other instances within TOKEN_CACHE_MS.
 */
export class DeviceTokens {
  private readonly cache = new Map<string, { at: number; lookup: TokenLookup }>();

  constructor(private readonly deps: { db: Db; cipher: PersonalDataCipher }) {}

  async lookup(token: string): Promise<TokenLookup> {
    if (!token) return { ok: false, reason: 'unknown' };
    const now = Date.now();
    // Keyed by the token itself (it is in this process's memory during the request anyway): a hit costs no hash.
    const hit = this.cache.get(token);
    if (hit && now - hit.at < TOKEN_CACHE_MS) return hit.lookup;
    const row = await devicesRepository.byTokenHash(this.deps.db, deviceTokenHash(this.deps.cipher, token));
    const lookup: TokenLookup = !row
      ? { ok: false, reason: 'unknown' }
      : row.active !== 1
        ? { ok: false, reason: 'disabled' }
        : row.place_active !== 1
          ? { ok: false, reason: 'place_inactive' }
          : { ok: true, device: { id: row.id, placeId: row.place_id, regionCode: row.place_region } };
    // Unknown tokens are not remembered: guessing must not fill the memory.
    if (row) {
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(token, { at: now, lookup });
    }
    return lookup;
  }

  /** A device changed here (disabled, enabled, token replaced, place moved): ask the database next time. */
  forget(deviceId: string): void {
    for (const [token, entry] of this.cache) {
      if (entry.lookup.ok ? entry.lookup.device.id === deviceId : true) this.cache.delete(token);
    }
  }
}
