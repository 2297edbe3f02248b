/**
 * Scans (issue #5): the high-volume table, measured two ways.
 *
 * write-scan-batch-ingest — device ingestion as the service does it (IngestService.ingest: check each item,
 *   claim idempotency keys, look the residents up, store receipts and scans in one transaction), 1,000 items
 *   per call, against raw prepared inserts of the very same rows (receipts + scans) in one transaction.
 *   Ops are scans: ops/s is scans/s. Targets: ≥ 50,000 scans/s on SQLite, and ≥ 0.50 of the raw baseline.
 * write-scan-batch-ingest-gates — the same with ten gates posting at once: what a street's checkpoints do at a
 *   busy hour, and what the service's group commit is for (no target of its own; shown beside the one-gate figure).
 * http-scan-single — POST /api/devices/ingest with one item per request (a gate reporting each scan as it
 *   happens), every request with its own key, against the bare Fastify route answering the same bytes.
 *   Target: ≥ 0.40 of the bare route's throughput.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AppContext } from '../packages/server/src/context.js';
import { applySqlitePragmas } from '../packages/server/src/db/database.js';
import { SERVING } from '../packages/server/src/bootstrap.js';
import type { IngestDevice } from '../packages/server/src/modules/devices/ingest.service.js';
import { Scope } from '../packages/server/src/security/scope.js';
import { COMMUNITY } from './env.js';
import { TIMING, type InprocRun } from './inproc-kit.js';
import { compare, type Summary } from './stats.js';

export const SCAN_BATCH = 1000;
const RESIDENTS = 1000;
/** Gates posting together in the group-commit scenario: a street's checkpoints at a busy hour. */
export const GATES = 10;

/** A checkpoint gate in the first community with a device bound to it; returns the device and its token. */
export async function benchDevice(ctx: AppContext, name: string): Promise<{ device: IngestDevice; token: string }> {
  const sys = Scope.system('bench');
  const place = await ctx.services.places.places.create(sys, { kind: 'gate', name: `压测卡口 ${name}`, regionCode: COMMUNITY, checkpoint: true });
  const created = await ctx.services.places.devices.create(sys, { name: `压测闸机 ${name}`, placeId: place.id });
  return { device: await ctx.services.places.ingest.authenticate(created.token), token: created.token };
}

/** Scaled to scans: latencies stay per call, throughput counts scans. */
function perScan(s: Summary, scansPerCall: number): Summary {
  return { ...s, perSecond: Math.round(s.perSecond * scansPerCall * 1000) / 1000 };
}

/**
 * `devices` gates each posting a batch of SCAN_BATCH items at the same moment: one gate alone, or a street's
 * gates together, whose batches the service writes in one transaction (IngestWriter's group commit) where the
 * baseline writes each gate's batch in its own.
 */
const scanBatchIngestOf = (devices: number): InprocRun => async (ctx, target) => {
  const gates = await Promise.all(Array.from({ length: devices }, (_, d) => benchDevice(ctx, `batch-${Date.now()}-${d}`).then((g) => g.device)));
  const residents = (
    await ctx.db.selectFrom('residents').select('id').where('region_code', '>=', COMMUNITY).where('region_code', '<', `${COMMUNITY}:`).orderBy('id').limit(RESIDENTS).execute()
  ).map((r) => r.id);
  if (residents.length < 10) throw new Error('scan-batch-ingest needs residents in the first community');
  const base = Date.now();
  // Half scans, half temperature readings (one in 50 a fever), spread over the community's residents.
  const items = (tag: string) =>
    Array.from({ length: SCAN_BATCH }, (_, j) => ({
      key: `${tag}-${j}`, kind: j % 2 ? 'temperature' : 'scan', residentId: residents[j % residents.length]!, at: base - j,
      ...(j % 2 ? { temperature: j % 50 === 1 ? 37.9 : 36.5 } : {}),
    }));
  const { ingest } = ctx.services.places;
  const subject = async (i: number) => {
    const all = await Promise.all(gates.map((g) => ingest.ingest(g, items(`s${i}`))));
    const short = all.find((r) => r.accepted !== SCAN_BATCH);
    if (short) throw new Error(`scan-batch-ingest: ${short.accepted} of ${SCAN_BATCH} accepted (${JSON.stringify(short.results.find((x) => x.status !== 'accepted'))})`);
  };

  // The baseline stores exactly what the service stores for a batch: a receipt and a scan per item.
  const rows = (tag: string) =>
    items(tag).map((it) => {
      const c = 'temperature' in it ? it.temperature : undefined;
      return { key: it.key, at: it.at, personId: it.residentId, source: 'device', tenths: c === undefined ? null : Math.round(c * 10), fever: c !== undefined && c >= 37.3 ? 1 : 0 };
    });
  let raw: (i: number) => Promise<void>;
  let closeRaw: () => Promise<void>;
  if (target.dialect === 'sqlite') {
    const conn = new Database(target.location);
    applySqlitePragmas(conn, SERVING);
    const receipt = conn.prepare('insert into device_receipts (device_id, item_key, received_at) values (?, ?, ?)');
    const scan = conn.prepare('insert into scans (at, place_id, region_code, person_kind, person_id, source, temperature_tenths, fever, device_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const write = conn.transaction((device: IngestDevice, batch: ReturnType<typeof rows>, now: number) => {
      for (const r of batch) {
        receipt.run(device.id, r.key, now);
        scan.run(r.at, device.placeId, device.regionCode, 'resident', r.personId, r.source, r.tenths, r.fever, device.id);
      }
    });
    raw = async (i) => {
      for (const g of gates) write(g, rows(`r${i}`), Date.now());
    };
    closeRaw = async () => void conn.close();
  } else {
    // PostgreSQL: as import-50k's baseline, one named prepared multi-row insert per table and batch size.
    const client = new pg.Client({ connectionString: target.location });
    await client.connect();
    const insert = (table: string, cols: string[], values: unknown[][]) =>
      client.query({
        name: `bench_raw_${table}_${values.length}`,
        text: `insert into ${table} (${cols.join(', ')}) values ${values.map((_r, k) => `(${cols.map((_c, j) => `$${k * cols.length + j + 1}`).join(', ')})`).join(', ')}`,
        values: values.flat(),
      });
    raw = async (i) => {
      for (const device of gates) {
        const batch = rows(`r${i}`);
        const now = Date.now();
        await client.query('begin');
        await insert('device_receipts', ['device_id', 'item_key', 'received_at'], batch.map((r) => [device.id, r.key, now]));
        await insert(
          'scans', ['at', 'place_id', 'region_code', 'person_kind', 'person_id', 'source', 'temperature_tenths', 'fever', 'device_id'],
          batch.map((r) => [r.at, device.placeId, device.regionCode, 'resident', r.personId, r.source, r.tenths, r.fever, device.id]),
        );
        await client.query('commit');
      }
    };
    closeRaw = () => client.end();
  }
  try {
    const r = await compare(subject, raw, { ...TIMING, warmup: 2 });
    const scans = SCAN_BATCH * devices;
    return {
      subject: perScan(r.subject, scans), baseline: perScan(r.baseline, scans),
      notes: `${devices === 1 ? `one gate posting ${SCAN_BATCH} items per call` : `${devices} gates each posting ${SCAN_BATCH} items at once (the service writes them in one transaction; the baseline one per gate)`} over ${residents.length} residents of the first community (half scans, half temperatures); service = item checks + key claims + resident look-up + receipts + scans + device counters; ops = scans (latencies per call of ${scans})`,
    };
  } finally {
    await closeRaw();
  }
};

export const scanBatchIngest = scanBatchIngestOf(1);
export const scanBatchIngestGates = scanBatchIngestOf(GATES);

/** http-scan-single: a device and its token, and one item whose `[<id>]` key the load generator makes fresh per request. */
export async function scanSingleRequest(ctx: AppContext): Promise<{ headers: Record<string, string>; body: string }> {
  const { token } = await benchDevice(ctx, `single-${Date.now()}`);
  const resident = await ctx.db.selectFrom('residents').select('id').where('region_code', '>=', COMMUNITY).where('region_code', '<', `${COMMUNITY}:`).orderBy('id').limit(1).executeTakeFirstOrThrow();
  const item = { key: '[<id>]', kind: 'temperature', residentId: resident.id, at: Date.now(), temperature: 36.6 };
  return { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ items: [item] }) };
}
