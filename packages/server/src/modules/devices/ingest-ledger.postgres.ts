import { sql } from 'kysely';
import type { PostgresAccess } from '../../db/database.js';
import type { Db } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { LEDGER_REASONS, type IngestLedger, type LedgerDevice, type LedgerItem, type LedgerOutcome } from './ingest-ledger.js';

/** The marker of the statement's own abort (below): the whole statement is rolled back and written again. */
const RACED = 'gridline ingest: written again after a concurrent write';

/**
 * PostgreSQL: the whole write is one statement — data-modifying CTEs over the items sent as one array per column —
 * so a group commit costs one round trip and one commit, not one per table (with the database on the same few
 * cores, each round trip also costs a wake-up of its backend). It decides as the SQLite ledger does, reading the
 * statement's one snapshot: the register, keys recorded before, then among the rest the first item of each device
 * and key (later ones are duplicates) and the first of each place and code claims the code (later ones, or a code
 * used before, are replays), so a replay leaves no receipt behind. A concurrent write of the same item or code
 * (another instance) aborts the statement, which is then written again: nothing of it is ever half stored.
 */
export class PostgresIngestLedger implements IngestLedger {
  constructor(private readonly deps: { db: Db; postgres: PostgresAccess }) {}

  async record(items: LedgerItem[], devices: LedgerDevice[]): Promise<LedgerOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(items, devices);
      } catch (err) {
        if (!raced(err) || attempt === 3) throw err;
      }
    }
  }

  private async once(items: LedgerItem[], devices: LedgerDevice[]): Promise<LedgerOutcome[]> {
    const col = <T>(f: (it: LedgerItem) => T) => items.map(f);
    const pre = devices.flatMap((d) => d.rejected);
    // Written through the query builder for its parameters, sent as a named statement so that PostgreSQL may keep
    // its plan: planning it costs more than running it for a few items (1.6 ms against 1.3 ms in EXPLAIN ANALYZE;
    // 6 ms for 1,000 items, a quarter of the write). A kept plan is made from the statistics of the moment: on a
    // fresh database it may hash the whole (then small) receipts table on every write until autovacuum's ANALYZE
    // replans it, within a minute or so (seen as single scans 1.9k → 1.1k requests/s in a 5-second run).
    // Membership in the
    // CTEs is tested with uncorrelated IN inside CASE or OR, which PostgreSQL hashes, and counts are grouped once:
    // a join or correlated count on a CTE (whose size the generic plan cannot know) runs as a nested loop,
    // quadratic for the ten thousand items and devices of a busy group commit.
    const q = sql<{ ord: number; outcome: LedgerOutcome }>`
      with input as (
        select * from unnest(
          ${items.map((_it, k) => k)}::integer[], ${col((it) => it.deviceId)}::text[], ${col((it) => it.placeId)}::text[],
          ${col((it) => it.regionCode)}::text[], ${col((it) => it.key)}::text[], ${col((it) => it.at)}::bigint[],
          ${col((it) => it.residentId)}::text[], ${col((it) => it.nonce)}::text[], ${col((it) => it.expiresAt)}::bigint[],
          ${col((it) => it.temperatureTenths)}::integer[], ${col((it) => it.fever)}::integer[], ${col((it) => it.receivedAt)}::bigint[]
        ) as t(ord, device_id, place_id, region_code, item_key, at, person_id, nonce, expires_at, temperature_tenths, fever, received_at)
      ),
      -- Per item, by index: is the person on the register, was its key recorded before (flags, not membership tests:
      -- NOT IN over a CTE of that size was not hashed, and ran per item).
      flagged as (
        select i.*,
          exists (select 1 from residents r where r.id = i.person_id) as known,
          exists (select 1 from device_receipts r where r.device_id = i.device_id and r.item_key = i.item_key) as seen
        from input i
      ),
      live as (
        select *, row_number() over (partition by device_id, item_key order by ord) as key_rank
        from flagged where known and not seen
      ),
      coded as (
        select ord, nonce, place_id, expires_at, row_number() over (partition by place_id, nonce order by ord) as code_rank
        from live where key_rank = 1 and nonce is not null
      ),
      codes as (
        insert into personal_code_uses (nonce, place_id, expires_at)
        select nonce, place_id, expires_at from coded where code_rank = 1
        on conflict (nonce, place_id) do nothing
        returning nonce, place_id
      ),
      usable as (
        select * from live
        where key_rank = 1 and (nonce is null or ord in (
          select ord from coded where code_rank = 1 and (nonce is null or (nonce, place_id) in (select nonce, place_id from codes))
        ))
      ),
      claimed as (
        insert into device_receipts (device_id, item_key, received_at)
        select device_id, item_key, received_at from usable
        returning 1
      ),
      stored as (
        insert into scans (at, place_id, region_code, person_kind, person_id, source, temperature_tenths, fever, device_id)
        select at, place_id, region_code, 'resident', person_id, 'device', temperature_tenths, fever, device_id from usable
        returning 1
      ),
      outcome as (
        select i.ord, i.device_id, i.item_key, i.received_at, i.nonce,
          case
            when not i.known then 'unknown'
            when i.seen or i.ord not in (select ord from live where key_rank = 1) then 'duplicate'
            when i.ord in (select ord from usable) then 'accepted'
            when i.ord not in (select ord from coded where code_rank = 1)
              or exists (select 1 from personal_code_uses p where p.nonce = i.nonce and p.place_id = i.place_id) then 'replayed'
            -- The code's use was committed by a write that began after this statement's snapshot.
            else 'raced'
          end as outcome
        from flagged i
      ),
      rejected as (
        insert into device_rejections (device_id, at, item_key, reason)
        select device_id, at, item_key, reason from (
          select 0 as part, r.n as seq, r.device_id, r.at, r.item_key, r.reason
          from unnest(${pre.map((r) => r.device_id)}::text[], ${pre.map((r) => r.at)}::bigint[], ${pre.map((r) => r.item_key)}::text[], ${pre.map((r) => r.reason)}::text[])
            with ordinality as r(device_id, at, item_key, reason, n)
          union all
          select 1, o.ord, o.device_id, o.received_at, o.item_key, case
            when o.outcome = 'replayed' then ${LEDGER_REASONS.replayed}
            when o.nonce is not null then ${LEDGER_REASONS.unknownByCode}
            else ${LEDGER_REASONS.unknownResident}
          end
          from outcome o where o.outcome in ('unknown', 'replayed')
        ) x
        order by part, seq
        returning 1
      ),
      tally as (
        select device_id, sum(accepted) as accepted, sum(rejected) as rejected, max(at) as at from (
          select device_id, (outcome = 'accepted')::integer as accepted, (outcome in ('unknown', 'replayed'))::integer as rejected, 0::bigint as at from outcome
          union all
          select id, 0, pre, at
          from unnest(${devices.map((d) => d.id)}::text[], ${devices.map((d) => d.rejected.length)}::integer[], ${devices.map((d) => d.at)}::bigint[]) as v(id, pre, at)
        ) x
        group by device_id
      ),
      counted as (
        update devices d set accepted_total = d.accepted_total + t.accepted, rejected_total = d.rejected_total + t.rejected, last_seen_at = t.at
        from tally t where d.id = t.device_id
        returning 1
      )
      -- A raced item aborts the statement (its text is no integer; built from the row so that it is not folded
      -- into a constant when planned): everything above is rolled back and written again.
      select ord, outcome, case when outcome = 'raced' then (outcome || ': ' || ${RACED})::integer end as abort
      from outcome order by ord`.compile(this.deps.db);
    const rows = await this.deps.postgres.prepared<{ outcome: LedgerOutcome }>('gridline_ingest_record', q.sql, q.parameters);
    return rows.map((r) => r.outcome);
  }
}

/** The receipts' primary key refused a concurrent write of an item, or the statement aborted itself on a raced code. */
function raced(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'GRIDLINE_CONFLICT' && err.details?.table === 'device_receipts';
  return typeof err === 'object' && err !== null && 'message' in err && String(err.message).includes(RACED);
}
