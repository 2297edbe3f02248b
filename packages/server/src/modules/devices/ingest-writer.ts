import type { IngestItemResult } from '@gridline/shared';
import { ProtocolByDay } from '../protocol/protocol-by-day.js';
import type { ProtocolProvider } from '../protocol/protocol.provider.js';
import type { IngestDevice } from './device-tokens.js';
import type { IngestCandidate } from './ingest-items.js';
import { ledgerReason, type IngestLedger, type LedgerDevice, type LedgerItem, type RejectionRow } from './ingest-ledger.js';

/** An item that passed its own checks, with the resident it names (from the code or given) and the code's nonce. */
export type Candidate = IngestCandidate & { residentId: string; nonce: string | null; expiresAt: number };

/** One ingest call waiting for the next write: its device, its candidates, and where their answers go. */
interface Pending {
  device: IngestDevice;
  candidates: Candidate[];
  results: IngestItemResult[];
  now: number;
  rejected: RejectionRow[];
  done: (err?: unknown) => void;
}

/** The protocol over the days the write's temperature readings fall on, loaded once for the write (not per item). */
async function readingDays(provider: ProtocolProvider, batch: Pending[]): Promise<ProtocolByDay | null> {
  let from = Infinity;
  let to = -Infinity;
  for (const p of batch) {
    for (const c of p.candidates) {
      if (c.temperature === null) continue;
      from = Math.min(from, c.at);
      to = Math.max(to, c.at);
    }
  }
  if (from > to) return null;
  const days = new ProtocolByDay(provider);
  await days.load(from, to);
  return days;
}

/**
 * Group commit: ingest calls arriving together (gates posting one scan each, MQTT messages) are one write, handed
 * to the ledger (one transaction on SQLite, one statement on PostgreSQL), so a single-scan request costs a share
 * of a write, not a whole one. One write is in flight at a time (more did not help PostgreSQL: its writes are bound
 * by the same cores); calls arriving meanwhile wait for the next, which takes them all (the busier, the larger the
 * writes). A call's answers are filled in and its promise settled when its write commits, or fails, failing every
 * call in it.
 */
export class IngestWriter {
  private queue: Pending[] = [];
  /** A write is running; or scheduled, while calls wait and none runs. */
  private running = false;
  private scheduled = false;

  constructor(private readonly deps: { ledger: IngestLedger; protocol: ProtocolProvider }) {}

  write(p: Omit<Pending, 'done'>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...p, done: (err) => (err ? reject(err) : resolve()) });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running || !this.queue.length) return;
    this.scheduled = true;
    // After the I/O callbacks of this turn: requests that arrived together are written together.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Runs only from schedule(), which has checked that calls wait and no write runs. */
  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.running = true;
    try {
      await this.store(batch);
      for (const p of batch) p.done();
    } catch (err) {
      for (const p of batch) p.done(err);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  /** Hands the write's items to the ledger and fills in each call's answers from its outcomes. */
  private async store(batch: Pending[]): Promise<void> {
    const reject = (p: Pending, c: Candidate, reason: string) => {
      p.results[c.index] = { index: c.index, key: c.key, status: 'rejected', reason };
      p.rejected.push({ device_id: p.device.id, at: p.now, item_key: c.key, reason });
    };
    const protocol = await readingDays(this.deps.protocol, batch);
    const items: LedgerItem[] = [];
    const owners: [Pending, Candidate][] = [];
    for (const p of batch) {
      for (const c of p.candidates) {
        const fever = c.temperature !== null && c.temperature >= protocol!.get(c.at).feverThresholdC;
        items.push({
          deviceId: p.device.id, placeId: p.device.placeId, regionCode: p.device.regionCode, key: c.key, at: c.at, residentId: c.residentId,
          nonce: c.nonce, expiresAt: c.expiresAt, temperatureTenths: c.temperature === null ? null : Math.round(c.temperature * 10), fever: fever ? 1 : 0,
          receivedAt: p.now,
        });
        owners.push([p, c]);
      }
    }
    // Each device once: its earlier rejections and the time of its latest call.
    const devices = new Map<string, LedgerDevice>();
    for (const p of batch) {
      const d = devices.get(p.device.id);
      if (!d) devices.set(p.device.id, { id: p.device.id, rejected: [...p.rejected], at: p.now });
      else {
        d.rejected.push(...p.rejected);
        d.at = Math.max(d.at, p.now);
      }
    }
    const outcomes = await this.deps.ledger.record(items, [...devices.values()]);
    for (let k = 0; k < owners.length; k++) {
      const [p, c] = owners[k]!;
      const outcome = outcomes[k]!;
      if (outcome === 'accepted' || outcome === 'duplicate') p.results[c.index] = { index: c.index, key: c.key, status: outcome };
      else reject(p, c, ledgerReason(outcome, items[k]!));
    }
  }
}
