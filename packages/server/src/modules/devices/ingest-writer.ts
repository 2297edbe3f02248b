import { PERSONAL_CODE_REFUSALS, type IngestItemResult, type ProtocolValues } from '@gridline/shared';
import type { Dialect } from '../../db/dialect.js';
import type { Db, Executor } from '../../db/schema.js';
import type { PersonalCodes } from '../checkpoints/personal-codes.js';
import { scansRepository, type NewScan } from '../places/scans.repository.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import type { IngestDevice } from './device-tokens.js';
import { devicesRepository } from './devices.repository.js';
import type { IngestCandidate } from './ingest-items.js';

/** An item that passed its own checks, with the resident it names (from the code or given) and the code's nonce. */
export type Candidate = IngestCandidate & { residentId: string; nonce: string | null; expiresAt: number };

/** One ingest call waiting for the next write: its device, its candidates, and where their answers go. */
interface Pending {
  device: IngestDevice;
  candidates: Candidate[];
  results: IngestItemResult[];
  now: number;
  rejected: { device_id: string; at: number; item_key: string | null; reason: string }[];
  done: (err?: unknown) => void;
}

/** The Shanghai calendar day (UTC+8, no daylight saving) as a number: the protocol is looked up once per day. */
function perDay(provider: ProtocolProvider): (at: number) => Promise<ProtocolValues> {
  const byDay = new Map<number, Promise<ProtocolValues>>();
  return (at) => {
    const day = Math.floor((at + 8 * 3_600_000) / 86_400_000);
    let p = byDay.get(day);
    if (!p) byDay.set(day, (p = provider.inForce(at)));
    return p;
  };
}

/**
 * Group commit: ingest calls arriving together (gates posting one scan each, MQTT messages) are written in one
 * transaction — one look-up of the residents, one claim of all their keys, one insert of all their scans — so
 * a single-scan request costs a share of a transaction, not a whole one. One write is in flight at a time;
 * calls arriving meanwhile wait for the next, which takes them all (the busier, the larger the writes). A call's
 * answers are filled in and its promise settled when its transaction commits (or fails, failing every call in it).
 */
export class IngestWriter {
  private queue: Pending[] = [];
  /** A write is scheduled or running: new calls join the queue and the next write. */
  private busy = false;

  constructor(private readonly deps: { db: Db; dialect: Dialect; protocol: ProtocolProvider; personalCodes: PersonalCodes }) {}

  write(p: Omit<Pending, 'done'>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...p, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.busy) {
        this.busy = true;
        // After the I/O callbacks of this turn: requests that arrived together are written together.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.deps.db.transaction().execute((tx) => this.store(tx, batch));
        for (const p of batch) p.done();
      } catch (err) {
        for (const p of batch) p.done(err);
      }
    }
    this.busy = false;
  }

  private async store(tx: Executor, batch: Pending[]): Promise<void> {
    const reject = (p: Pending, c: { index: number; key: string }, reason: string) => {
      p.results[c.index] = { index: c.index, key: c.key, status: 'rejected', reason };
      p.rejected.push({ device_id: p.device.id, at: p.now, item_key: c.key, reason });
    };
    // 1. The people must be on the register.
    const known = await knownResidents(tx, this.deps.dialect, [...new Set(batch.flatMap((p) => p.candidates.map((c) => c.residentId)))]);
    // 2. Keys seen before (an earlier batch, a retry, an earlier call in this very write) are duplicates.
    const claims: { device_id: string; item_key: string; received_at: number }[] = [];
    const first = new Set<string>();
    const live: [Pending, Candidate][] = [];
    for (const p of batch) {
      for (const c of p.candidates) {
        if (!known.has(c.residentId)) {
          reject(p, c, c.code !== null ? PERSONAL_CODE_REFUSALS.unknown_resident : '居民编号 residentId 不在登记册中');
          continue;
        }
        const id = `${p.device.id}\u0000${c.key}`;
        if (first.has(id)) {
          p.results[c.index] = { index: c.index, key: c.key, status: 'duplicate' };
          continue;
        }
        first.add(id);
        claims.push({ device_id: p.device.id, item_key: c.key, received_at: p.now });
        live.push([p, c]);
      }
    }
    const fresh = await devicesRepository.claimKeys(tx, this.deps.dialect, claims);
    // 3. A code already used at this place is a replay; its key is released for a corrected item.
    const released: { device_id: string; item_key: string }[] = [];
    const rows: NewScan[] = [];
    const protocolAt = perDay(this.deps.protocol);
    for (const [p, c] of live) {
      if (!fresh.has(`${p.device.id}\u0000${c.key}`)) {
        p.results[c.index] = { index: c.index, key: c.key, status: 'duplicate' };
        continue;
      }
      if (c.nonce !== null && !(await this.deps.personalCodes.consume(tx, p.device.placeId, c.nonce, c.expiresAt))) {
        reject(p, c, PERSONAL_CODE_REFUSALS.replayed);
        released.push({ device_id: p.device.id, item_key: c.key });
        continue;
      }
      const fever = c.temperature !== null && c.temperature >= (await protocolAt(c.at)).feverThresholdC;
      rows.push({
        at: c.at, place_id: p.device.placeId, region_code: p.device.regionCode, person_kind: 'resident', person_id: c.residentId, source: 'device',
        temperature_tenths: c.temperature === null ? null : Math.round(c.temperature * 10), fever: fever ? 1 : 0, device_id: p.device.id,
      });
      p.results[c.index] = { index: c.index, key: c.key, status: 'accepted' };
    }
    await devicesRepository.releaseKeys(tx, released);
    await scansRepository.insertRows(tx, this.deps.dialect, rows);
    await devicesRepository.insertRejections(tx, batch.flatMap((p) => p.rejected));
    // 4. Each device's counters, once per write.
    const counts = new Map<string, { accepted: number; rejected: number; at: number }>();
    for (const p of batch) {
      const c = counts.get(p.device.id) ?? { accepted: 0, rejected: 0, at: p.now };
      c.accepted += p.results.filter((r) => r?.status === 'accepted').length;
      c.rejected += p.rejected.length;
      c.at = Math.max(c.at, p.now);
      counts.set(p.device.id, c);
    }
    for (const [id, c] of counts) await devicesRepository.countBatch(tx, id, c.accepted, c.rejected, c.at);
  }
}

async function knownResidents(db: Executor, dialect: Dialect, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.selectFrom('residents').select('id').where(dialect.anyOf('id', ids)).execute();
  return new Set(rows.map((r) => r.id));
}
