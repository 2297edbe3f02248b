import type { Device } from '@gridline/shared';
import { sql } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import type { DevicesTable, Executor } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';

type DeviceRow = DevicesTable & { place_name: string; place_region: string };

export function toDevice(r: DeviceRow): Device {
  return {
    id: r.id,
    name: r.name,
    placeId: r.place_id,
    placeName: r.place_name,
    regionCode: r.place_region,
    tokenHint: r.token_hint,
    active: r.active === 1,
    acceptedTotal: Number(r.accepted_total),
    rejectedTotal: Number(r.rejected_total),
    lastSeenAt: r.last_seen_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Devices with their place's name and region (a device's jurisdiction is its place's). */
function withPlace(db: Executor) {
  return db.selectFrom('devices').innerJoin('places', 'places.id', 'devices.place_id').selectAll('devices').select(['places.name as place_name', 'places.region_code as place_region']);
}

export const devicesRepository = {
  list(db: Executor, scope: Scope) {
    return withPlace(db).where(scope.where('places.region_code')).orderBy('places.region_code').orderBy('devices.name').limit(1000).execute();
  },

  byId(db: Executor, id: string) {
    return withPlace(db).where('devices.id', '=', id).executeTakeFirst();
  },

  /** The device a bearer token belongs to, with what ingestion needs of its place. */
  byTokenHash(db: Executor, tokenHash: string) {
    return db
      .selectFrom('devices')
      .innerJoin('places', 'places.id', 'devices.place_id')
      .select(['devices.id', 'devices.active', 'devices.place_id', 'places.region_code as place_region', 'places.active as place_active'])
      .where('devices.token_hash', '=', tokenHash)
      .executeTakeFirst();
  },

  async insert(db: Executor, row: DevicesTable) {
    await db.insertInto('devices').values(row).execute();
  },

  async update(db: Executor, id: string, patch: Partial<DevicesTable>) {
    await db.updateTable('devices').set(patch).where('id', '=', id).execute();
  },

  async countBatch(db: Executor, id: string, accepted: number, rejected: number, at: number) {
    await db
      .updateTable('devices')
      .set({ accepted_total: sql<number>`accepted_total + ${accepted}`, rejected_total: sql<number>`rejected_total + ${rejected}`, last_seen_at: at })
      .where('id', '=', id)
      .execute();
  },

  rejections(db: Executor, deviceId: string, limit: number) {
    return db.selectFrom('device_rejections').selectAll().where('device_id', '=', deviceId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  },

  async insertRejections(db: Executor, rows: { device_id: string; at: number; item_key: string | null; reason: string }[]) {
    if (!rows.length) return;
    for (let i = 0; i < rows.length; i += 1000) await db.insertInto('device_rejections').values(rows.slice(i, i + 1000)).execute();
  },

  /**
   * Records (device, key) receipts; returns those that were new as `device \0 key` (the others were seen before:
   * duplicates). Atomic against concurrent writers: the primary key decides.
   */
  async claimKeys(db: Executor, dialect: Dialect, claims: { device_id: string; item_key: string; received_at: number }[]): Promise<Set<string>> {
    const rows = await dialect.bulkInsert(db, 'device_receipts', { device_id: 'text', item_key: 'text', received_at: 'bigint' }, claims, {
      conflictDoNothing: ['device_id', 'item_key'], returning: ['device_id', 'item_key'],
    });
    return new Set(rows.map((r) => `${String(r.device_id)}\u0000${String(r.item_key)}`));
  },

  async releaseKeys(db: Executor, keys: { device_id: string; item_key: string }[]) {
    for (const k of keys) await db.deleteFrom('device_receipts').where('device_id', '=', k.device_id).where('item_key', '=', k.item_key).execute();
  },

  async sweepReceipts(db: Executor, before: number) {
    await db.deleteFrom('device_receipts').where('received_at', '<', before).execute();
  },
};
