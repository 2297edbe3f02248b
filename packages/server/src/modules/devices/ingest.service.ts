import { PERSONAL_CODE_REFUSALS, type IngestItemResult, type IngestResult } from '@gridline/shared';
import type { Db } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { PersonalCodes } from '../checkpoints/personal-codes.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import type { DeviceTokens, IngestDevice } from './device-tokens.js';
import { devicesRepository } from './devices.repository.js';
import { checkItem, type IngestCandidate } from './ingest-items.js';
import type { IngestLedger } from './ingest-ledger.js';
import { IngestWriter, type Candidate } from './ingest-writer.js';

export type { IngestDevice } from './device-tokens.js';

export interface IngestDeps {
  db: Db;
  /** The write's database side, per dialect (ingest-ledger.sqlite.ts, ingest-ledger.postgres.ts). */
  ledger: IngestLedger;
  clock: Clock;
  protocol: ProtocolProvider;
  personalCodes: PersonalCodes;
  tokens: DeviceTokens;
}

export interface IngestLog {
  warn(obj: object, msg: string): void;
}

/** Receipts (idempotency keys) are remembered this long: longer than the backlog a device may still send. */
export const RECEIPT_RETENTION_MS = 30 * 86_400_000;

const TOKEN_REFUSALS = {
  unknown: ['GRIDLINE_UNAUTHENTICATED', '设备令牌无效、已更换或设备已停用'],
  disabled: ['GRIDLINE_UNAUTHENTICATED', '设备令牌无效、已更换或设备已停用'],
  place_inactive: ['GRIDLINE_FORBIDDEN', '设备绑定的场所已停用'],
} as const;

/** Written out rather than spread: it runs for every item of every batch. */
function candidate(item: IngestCandidate, residentId: string, nonce: string | null, expiresAt: number): Candidate {
  const { index, key, kind, code, at, temperature } = item;
  return { index, key, kind, code, residentId, at, temperature, nonce, expiresAt };
}

/**
 * Device ingestion (HTTP and MQTT share it): a batch of up to 1000 scans and temperature readings. Each item is
 * checked on its own — shape, time, temperature, personal code (signature, lifetime, once per place), resident —
 * and answered accepted, duplicate (its key was seen before: never a second row) or rejected with a Chinese
 * reason; rejected items are logged and kept in device_rejections, the good ones in the same batch are stored.
 * Calls arriving together are written in one transaction (IngestWriter).
 */
export class IngestService {
  private readonly writer: IngestWriter;

  constructor(private readonly deps: IngestDeps) {
    this.writer = new IngestWriter({ ledger: deps.ledger, protocol: deps.protocol });
  }

  /** The device a bearer token names; a wrong, replaced or disabled token is refused. */
  async authenticate(token: string): Promise<IngestDevice> {
    const found = await this.deps.tokens.lookup(token);
    if (found.ok) return found.device;
    const [code, reason] = TOKEN_REFUSALS[found.reason];
    throw new AppError(code, { details: { reason } });
  }

  async ingest(device: IngestDevice, items: unknown[], log?: IngestLog): Promise<IngestResult> {
    const { clock, personalCodes } = this.deps;
    const now = clock.now();
    const results: IngestItemResult[] = new Array(items.length);
    const rejected: { device_id: string; at: number; item_key: string | null; reason: string }[] = [];
    const reject = (index: number, key: string | null, reason: string) => {
      results[index] = { index, key, status: 'rejected', reason };
      rejected.push({ device_id: device.id, at: now, item_key: key, reason });
    };
    // Shape, time, temperature and personal code (signature, lifetime at the moment the device read it); a key
    // repeated inside the batch is a duplicate of its first use. The rest is settled when the items are written.
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    for (let i = 0; i < items.length; i++) {
      const checked = checkItem(items[i], i, now);
      if (!checked.ok) {
        reject(i, checked.key, checked.reason);
        continue;
      }
      const item = checked.item;
      if (seen.has(item.key)) {
        results[i] = { index: i, key: item.key, status: 'duplicate' };
        continue;
      }
      seen.add(item.key);
      if (item.code !== null) {
        const code = personalCodes.verify(item.code, item.at);
        if (!code.ok) reject(i, item.key, PERSONAL_CODE_REFUSALS[code.reason]);
        else candidates.push(candidate(item, code.residentId, code.nonce, code.expiresAt));
      } else {
        candidates.push(candidate(item, item.residentId!, null, 0));
      }
    }
    await this.writer.write({ device, candidates, results, now, rejected });
    if (rejected.length) {
      log?.warn({ deviceId: device.id, rejected: rejected.length, first: rejected.slice(0, 5).map((r) => ({ key: r.item_key, reason: r.reason })) }, 'device items rejected');
    }
    let accepted = 0;
    let duplicates = 0;
    for (const r of results) {
      if (r.status === 'accepted') accepted++;
      else if (r.status === 'duplicate') duplicates++;
    }
    return { accepted, duplicates, rejected: results.length - accepted - duplicates, results };
  }

  async sweep(now: number): Promise<void> {
    await devicesRepository.sweepReceipts(this.deps.db, now - RECEIPT_RETENTION_MS);
  }
}
