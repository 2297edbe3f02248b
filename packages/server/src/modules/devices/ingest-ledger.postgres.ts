import { sql } from 'kysely';
import type { PostgresAccess } from '../../db/database.js';
import type { Db } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { IngestLedger, LedgerDevice, LedgerItem, LedgerOutcome } from './ingest-ledger.js';

/**
 * PostgreSQL: the whole write is one statement — data-modifying CTEs over the items sent as one array per column —
 * so a group commit costs one round trip and one commit, not one per table (with the database on the same few
 * cores, each round trip also costs a wake-up of its backend). Decides in the ledger's order, reading the
 * statement's one snapshot: the register, keys recorded before, then the code's nonce (claimed before the key,
 * so a replay leaves no receipt behind); the rest are stored. A concurrent write of the same item is caught by the
 * receipts' primary key and settled by writing again (record).
 */
export class PostgresIngestLedger implements IngestLedger {
  constructor(private readonly deps: { db: Db; postgres: PostgresAccess }) {}

  async record(items: LedgerItem[], devices: LedgerDevice[], replayedReason: string): Promise<LedgerOutcome[]> {
    // Another instance writing one of these items at the same moment: its receipt makes the primary key refuse the
    // whole statement, or its use of the item's code leaves the item `raced` (nothing of it stored). Written again,
    // the statement sees that write and answers `duplicate` (or `replayed` for another key with the same code).
    const outcomes = await this.retried(() => this.once(items, devices, replayedReason));
    for (let attempt = 1; attempt <= 3; attempt++) {
      const raced = outcomes.flatMap((o, k) => (o === 'raced' ? [k] : []));
      if (!raced.length) break;
      const again = await this.retried(() => this.once(raced.map((k) => items[k]!), devices.map((d) => ({ ...d, rejected: [] })), replayedReason));
      raced.forEach((k, j) => (outcomes[k] = again[j]!));
    }
    return outcomes.map((o) => (o === 'raced' ? 'replayed' : o));
  }

  private async retried<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        const raced = err instanceof AppError && err.code === 'GRIDLINE_CONFLICT' && err.details?.table === 'device_receipts';
        if (!raced || attempt === 3) throw err;
      }
    }
  }

  private async once(items: LedgerItem[], devices: LedgerDevice[], replayedReason: string): Promise<(LedgerOutcome | 'raced')[]> {
    const col = <T>(f: (it: LedgerItem) => T) => items.map(f);
    const pre = devices.flatMap((d) => d.rejected);
    // Written through the query builder for its parameters, sent as a named statement: planning this statement
    // costs more than running it for a few items (1.6 ms against 1.3 ms in EXPLAIN ANALYZE). Membership in the
    // CTEs is tested with uncorrelated IN inside CASE or OR, which PostgreSQL hashes; a join on a CTE (whose size
    // the generic plan cannot know) ran as a nested loop, quadratic for the ten thousand items of a group commit.
    const q = sql<{ ord: number; outcome: LedgerOutcome | 'raced' }>`
      with input as (
        select * from unnest(
          ${items.map((_it, k) => k)}::integer[], ${col((it) => it.deviceId)}::text[], ${col((it) => it.placeId)}::text[],
          ${col((it) => it.regionCode)}::text[], ${col((it) => it.key)}::text[], ${col((it) => it.at)}::bigint[],
          ${col((it) => it.residentId)}::text[], ${col((it) => it.nonce)}::text[], ${col((it) => it.expiresAt)}::bigint[],
          ${col((it) => it.temperatureTenths)}::integer[], ${col((it) => it.fever)}::integer[], ${col((it) => it.receivedAt)}::bigint[],
          ${col((it) => it.unknownReason)}::text[]
        ) as t(ord, device_id, place_id, region_code, item_key, at, person_id, nonce, expires_at, temperature_tenths, fever, received_at, unknown_reason)
      ),
      known as (select id from residents where id = any(${[...new Set(items.map((it) => it.residentId))]}::text[])),
      seen as (
        select i.ord from input i
        where exists (select 1 from device_receipts r where r.device_id = i.device_id and r.item_key = i.item_key)
      ),
      live as (select * from input where person_id in (select id from known) and ord not in (select ord from seen)),
      codes as (
        insert into personal_code_uses (nonce, place_id, expires_at)
        select nonce, place_id, expires_at from live where nonce is not null
        on conflict (nonce, place_id) do nothing
        returning nonce, place_id
      ),
      usable as (
        select * from live where nonce is null or (nonce, place_id) in (select nonce, place_id from codes)
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
        select i.ord, i.device_id, i.item_key, i.received_at, i.unknown_reason,
          case
            when i.person_id not in (select id from known) then 'unknown'
            when i.ord in (select ord from seen) then 'duplicate'
            when i.ord in (select ord from usable) then 'accepted'
            when exists (select 1 from personal_code_uses p where p.nonce = i.nonce and p.place_id = i.place_id) then 'replayed'
            -- The code's use was committed by a write that began after this statement's snapshot: settled by record.
            else 'raced'
          end as outcome
        from input i
      ),
      rejected as (
        insert into device_rejections (device_id, at, item_key, reason)
        select device_id, at, item_key, reason from (
          select 0 as part, r.n as seq, r.device_id, r.at, r.item_key, r.reason
          from unnest(${pre.map((r) => r.device_id)}::text[], ${pre.map((r) => r.at)}::bigint[], ${pre.map((r) => r.item_key)}::text[], ${pre.map((r) => r.reason)}::text[])
            with ordinality as r(device_id, at, item_key, reason, n)
          union all
          select 1, o.ord, o.device_id, o.received_at, o.item_key, case o.outcome when 'unknown' then o.unknown_reason else ${replayedReason} end
          from outcome o where o.outcome in ('unknown', 'replayed')
        ) x
        order by part, seq
        returning 1
      ),
      counted as (
        update devices d set
          accepted_total = d.accepted_total + c.accepted,
          rejected_total = d.rejected_total + c.rejected,
          last_seen_at = c.at
        from (
          select v.id, v.at,
            (select count(*) from outcome o where o.device_id = v.id and o.outcome = 'accepted') as accepted,
            v.pre + (select count(*) from outcome o where o.device_id = v.id and o.outcome in ('unknown', 'replayed')) as rejected
          from unnest(${devices.map((d) => d.id)}::text[], ${devices.map((d) => d.rejected.length)}::integer[], ${devices.map((d) => d.at)}::bigint[]) as v(id, pre, at)
        ) c
        where d.id = c.id
        returning 1
      )
      select ord, outcome from outcome order by ord`.compile(this.deps.db);
    const rows = await this.deps.postgres.prepared<{ outcome: LedgerOutcome | 'raced' }>('gridline_ingest_record', q.sql, q.parameters);
    return rows.map((r) => r.outcome);
  }
}
