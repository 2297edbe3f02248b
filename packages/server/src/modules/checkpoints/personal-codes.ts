import crypto from 'node:crypto';
import { encodePersonalCode, maskName, verifyPersonalCode, type Mac, type PersonalCode, type PersonalCodeCheck } from '@gridline/shared';
import type { Db, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { Scope } from '../../security/scope.js';
import { residentsRepository } from '../residents/residents.repository.js';

/**
 * Personal codes (个人通行码), server side: issuing with the signing key, verifying, and refusing replays. The key
 * is derived from the personal-data key (HMAC of a fixed label under the look-up key), so every instance sharing
 * the data key verifies every other's codes and there is no second secret to keep.
 */
export class PersonalCodes {
  private readonly mac: Mac;

  constructor(private readonly deps: { db: Db; clock: Clock; cipher: PersonalDataCipher }) {
    const key = Buffer.from(deps.cipher.lookupHash('personal-code-key', 'v1'), 'base64url');
    this.mac = (data) => new Uint8Array(crypto.createHmac('sha256', key).update(data).digest());
  }

  /** A fresh code for a resident (tests and devices' simulators use it directly). */
  issue(residentId: string, at = this.deps.clock.now()): { code: string; issuedAt: number; expiresAt: number } {
    const code = encodePersonalCode({ residentId, issuedAt: at, nonce: new Uint8Array(crypto.randomBytes(8)) }, this.mac);
    const check = verifyPersonalCode(code, at, this.mac);
    if (!check.ok) throw new Error('a freshly issued personal code does not verify');
    return { code, issuedAt: check.issuedAt, expiresAt: check.expiresAt };
  }

  /** Resident portal: my code, refreshed by the screen before it expires. */
  async mine(scope: Scope): Promise<PersonalCode> {
    scope.require('self.read');
    const resident = scope.actor.residentId ? await residentsRepository.byId(this.deps.db, scope.actor.residentId) : undefined;
    if (!resident) throw new AppError('GRIDLINE_NOT_FOUND');
    const now = this.deps.clock.now();
    return { ...this.issue(resident.id, now), serverNow: now, residentMasked: maskName(resident.name) };
  }

  verify(text: string, at: number): PersonalCodeCheck {
    return verifyPersonalCode(text, at, this.mac);
  }

  /**
   * Marks a code's nonce used at a place; false when it already was (a replay). Atomic on both databases: the
   * (nonce, place) key decides between two checkpoints scanning the same screenshot at once.
   */
  async consume(db: Executor, placeId: string, nonce: string, expiresAt: number): Promise<boolean> {
    const rows = await db
      .insertInto('personal_code_uses')
      .values({ nonce, place_id: placeId, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['nonce', 'place_id']).doNothing())
      .returning('nonce')
      .execute();
    return rows.length === 1;
  }

  /** Nonces of expired codes need no remembering: an expired code is refused anyway. */
  async sweep(now: number): Promise<void> {
    await this.deps.db.deleteFrom('personal_code_uses').where('expires_at', '<=', now).execute();
  }
}
