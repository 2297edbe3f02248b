import type { Device } from '@gridline/shared';
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

  rejections(db: Executor, deviceId: string, limit: number) {
    return db.selectFrom('device_rejections').selectAll().where('device_id', '=', deviceId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  },

  async sweepReceipts(db: Executor, before: number) {
    await db.deleteFrom('device_receipts').where('received_at', '<', before).execute();
  },
};
