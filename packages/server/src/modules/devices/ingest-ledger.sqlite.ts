import type SqliteDatabase from 'better-sqlite3';
import type { SqliteAccess } from '../../db/database.js';
import { ledgerReason, type IngestLedger, type LedgerDevice, type LedgerItem, type LedgerOutcome } from './ingest-ledger.js';

type Statements = ReturnType<typeof prepare>;

function prepare(conn: SqliteDatabase.Database) {
  return {
    known: conn.prepare<[string]>('select id from residents where id in (select value from json_each(?))').pluck(),
    claim: conn.prepare('insert into device_receipts (device_id, item_key, received_at) values (?, ?, ?) on conflict (device_id, item_key) do nothing'),
    release: conn.prepare('delete from device_receipts where device_id = ? and item_key = ?'),
    consume: conn.prepare('insert into personal_code_uses (nonce, place_id, expires_at) values (?, ?, ?) on conflict (nonce, place_id) do nothing'),
    scan: conn.prepare(
      'insert into scans (at, place_id, region_code, person_kind, person_id, source, temperature_tenths, fever, device_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    reject: conn.prepare('insert into device_rejections (device_id, at, item_key, reason) values (?, ?, ?, ?)'),
    count: conn.prepare('update devices set accepted_total = accepted_total + ?, rejected_total = rejected_total + ?, last_seen_at = ? where id = ?'),
  };
}

/**
 * SQLite: the write's statements run one row at a time, prepared once, in one synchronous IMMEDIATE transaction on
 * the connection — no query building, no promise per statement (for a gate's single scan those cost more than the
 * insert). Decides in the ledger's order: the register, then the key (the primary key decides), then the code's
 * nonce, whose replay releases the key claimed a moment before.
 */
export class SqliteIngestLedger implements IngestLedger {
  /** Prepared on the first write, on the connection `exclusive` hands over (the same one every time). */
  private write: ((items: LedgerItem[], devices: LedgerDevice[]) => LedgerOutcome[]) | null = null;

  constructor(private readonly access: SqliteAccess) {}

  record(items: LedgerItem[], devices: LedgerDevice[]): Promise<LedgerOutcome[]> {
    return this.access.exclusive((conn) => {
      if (!this.write) {
        const st = prepare(conn);
        this.write = conn.transaction((i: LedgerItem[], d: LedgerDevice[]) => store(st, i, d)).immediate;
      }
      return this.write(items, devices);
    });
  }
}

function store(st: Statements, items: LedgerItem[], devices: LedgerDevice[]): LedgerOutcome[] {
  const known = new Set(items.length ? (st.known.all(JSON.stringify([...new Set(items.map((i) => i.residentId))])) as string[]) : []);
  const tally = new Map(devices.map((d) => [d.id, { accepted: 0, rejected: d.rejected.length }]));
  for (const d of devices) for (const r of d.rejected) st.reject.run(r.device_id, r.at, r.item_key, r.reason);
  const outcomes: LedgerOutcome[] = new Array(items.length);
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    let outcome: LedgerOutcome;
    if (!known.has(it.residentId)) outcome = 'unknown';
    else if (st.claim.run(it.deviceId, it.key, it.receivedAt).changes === 0) outcome = 'duplicate';
    else if (it.nonce !== null && st.consume.run(it.nonce, it.placeId, it.expiresAt).changes === 0) {
      st.release.run(it.deviceId, it.key);
      outcome = 'replayed';
    } else {
      st.scan.run(it.at, it.placeId, it.regionCode, 'resident', it.residentId, 'device', it.temperatureTenths, it.fever, it.deviceId);
      outcome = 'accepted';
    }
    outcomes[k] = outcome;
    const t = tally.get(it.deviceId)!;
    if (outcome === 'accepted') t.accepted++;
    else if (outcome !== 'duplicate') {
      t.rejected++;
      st.reject.run(it.deviceId, it.receivedAt, it.key, ledgerReason(outcome, it));
    }
  }
  for (const d of devices) {
    const t = tally.get(d.id)!;
    st.count.run(t.accepted, t.rejected, d.at, d.id);
  }
  return outcomes;
}
