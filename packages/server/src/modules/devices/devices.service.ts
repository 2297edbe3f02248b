import crypto from 'node:crypto';
import type { CreateDeviceBody, Device, DevicePlace, DeviceRejection, DeviceWithToken, UpdateDeviceBody } from '@gridline/shared';
import type { Db, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import { placesRepository } from '../places/places.repository.js';
import { deviceTokenHash, type DeviceTokens } from './device-tokens.js';
import { devicesRepository, toDevice } from './devices.repository.js';

export interface DevicesDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  cipher: PersonalDataCipher;
  /** Ingestion's token cache: a device changed here is forgotten at once. */
  tokens: DeviceTokens;
}

/** A device token: 256 random bits; only its keyed hash is stored, so it is shown once. */
export function newDeviceToken(): string {
  return `gld_${crypto.randomBytes(32).toString('base64url')}`;
}


/** 物联网+ gate devices (device.manage): each bound to a place, authenticating with a bearer token. */
export class DevicesService {
  constructor(private readonly deps: DevicesDeps) {}

  async list(scope: Scope): Promise<Device[]> {
    scope.require('device.manage');
    return (await devicesRepository.list(this.deps.db, scope)).map(toDevice);
  }

  /** Places a device may be bound to: active ones under my node, names only. */
  async places(scope: Scope): Promise<DevicePlace[]> {
    scope.require('device.manage');
    return (await placesRepository.pickList(this.deps.db, scope)).map((p) => ({ id: p.id, name: p.name, regionCode: p.region_code }));
  }

  private async reachable(db: Executor, scope: Scope, id: string) {
    const row = await devicesRepository.byId(db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.place_region);
    return row;
  }

  async create(scope: Scope, body: CreateDeviceBody): Promise<DeviceWithToken> {
    scope.require('device.manage');
    const { db, clock, audit, cipher } = this.deps;
    return db.transaction().execute(async (tx) => {
      const place = await placesRepository.byId(tx, body.placeId);
      if (!place || !scope.covers(place.region_code)) {
        throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/placeId', code: 'missing', message: '所选场所不存在或不在您的管辖范围内' }] });
      }
      const token = newDeviceToken();
      const now = clock.now();
      const row = {
        id: newId(), name: body.name.trim(), place_id: place.id, token_hash: deviceTokenHash(cipher, token), token_hint: token.slice(-4), active: 1,
        accepted_total: 0, rejected_total: 0, last_seen_at: null, created_by: scope.actor.userId, created_at: now, updated_at: now,
      };
      if (!row.name) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/name', code: 'required', message: '请填写设备名称' }] });
      await devicesRepository.insert(tx, row);
      await audit.record(tx, scope, { action: 'device.create', entityType: 'device', entityId: row.id, regionCode: place.region_code, diff: auditDiff(null, { name: row.name, placeId: place.id, tokenHint: row.token_hint }) });
      return { device: toDevice({ ...row, place_name: place.name, place_region: place.region_code }), token };
    });
  }

  async update(scope: Scope, id: string, body: UpdateDeviceBody): Promise<Device> {
    scope.require('device.manage');
    const { db, clock, audit } = this.deps;
    return db.transaction().execute(async (tx) => {
      const before = await this.reachable(tx, scope, id);
      const patch = { updated_at: clock.now(), ...(body.name !== undefined ? { name: body.name.trim() } : {}), ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}) };
      if (patch.name === '') throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/name', code: 'required', message: '请填写设备名称' }] });
      await devicesRepository.update(tx, id, patch);
      this.deps.tokens.forget(id);
      const after = { ...before, ...patch };
      await audit.record(tx, scope, { action: 'device.update', entityType: 'device', entityId: id, regionCode: before.place_region, diff: auditDiff({ name: before.name, active: before.active === 1 }, { name: after.name, active: after.active === 1 }) });
      return toDevice(after);
    });
  }

  /** A new token (the old one stops working at once), shown once. */
  async replaceToken(scope: Scope, id: string): Promise<DeviceWithToken> {
    scope.require('device.manage');
    const { db, clock, audit, cipher } = this.deps;
    return db.transaction().execute(async (tx) => {
      const before = await this.reachable(tx, scope, id);
      const token = newDeviceToken();
      const patch = { token_hash: deviceTokenHash(cipher, token), token_hint: token.slice(-4), updated_at: clock.now() };
      await devicesRepository.update(tx, id, patch);
      this.deps.tokens.forget(id);
      await audit.record(tx, scope, { action: 'device.token', entityType: 'device', entityId: id, regionCode: before.place_region, diff: { tokenHint: [before.token_hint, patch.token_hint] } });
      return { device: toDevice({ ...before, ...patch }), token };
    });
  }

  async rejections(scope: Scope, id: string): Promise<DeviceRejection[]> {
    scope.require('device.manage');
    await this.reachable(this.deps.db, scope, id);
    return (await devicesRepository.rejections(this.deps.db, id, 200)).map((r) => ({ id: Number(r.id), at: r.at, itemKey: r.item_key, reason: r.reason }));
  }
}
