import { maskName, normalizeText, parseMobilePhone, PHONE_MESSAGE, type CheckInResult, type Scan, type ScanListQuery, type ScanSource, type VisitorCheckInBody } from '@gridline/shared';
import type { Db, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import type { Scope } from '../../security/scope.js';
import { sealPhone } from '../residents/personal-fields.js';
import { residentsRepository } from '../residents/residents.repository.js';
import { placesRepository } from './places.repository.js';
import { scansRepository, type NewScan } from './scans.repository.js';

export interface ScansDeps {
  db: Db;
  clock: Clock;
  cipher: PersonalDataCipher;
}

/** Scans a staff list shows by default: the last 14 days (the window tracing looks back over). */
const DEFAULT_WINDOW_MS = 14 * 86_400_000;

/** A row of the scans table for a person at a place, now. */
export function scanRow(place: { id: string; region_code: string }, person: { kind: 'resident' | 'visitor'; id: string }, at: number, source: ScanSource, extra: { temperatureTenths?: number | null; fever?: boolean; deviceId?: string | null } = {}): NewScan {
  return {
    at, place_id: place.id, region_code: place.region_code, person_kind: person.kind, person_id: person.id, source,
    temperature_tenths: extra.temperatureTenths ?? null, fever: extra.fever ? 1 : 0, device_id: extra.deviceId ?? null,
  };
}

/**
 * 扫码记录: person × place × time. A resident signed in to the portal records "I am here" with one tap; a visitor
 * gives a name and a phone number (stored like residents' phones: ciphertext, keyed hash, masked form).
 * Staff within the place's jurisdiction list a place's scans, masked.
 */
export class ScansService {
  constructor(private readonly deps: ScansDeps) {}

  private async activePlace(db: Executor, code: string) {
    const place = await placesRepository.byCode(db, code);
    if (!place || place.active !== 1) throw new AppError('GRIDLINE_NOT_FOUND');
    return place;
  }

  async checkInResident(scope: Scope, code: string): Promise<CheckInResult> {
    scope.require('self.write');
    const { db, clock } = this.deps;
    const resident = scope.actor.residentId ? await residentsRepository.byId(db, scope.actor.residentId) : undefined;
    if (!resident) throw new AppError('GRIDLINE_NOT_FOUND');
    const place = await this.activePlace(db, code);
    const at = clock.now();
    await scansRepository.insertOne(db, scanRow(place, { kind: 'resident', id: resident.id }, at, 'self'));
    return { placeName: place.name, at, personMasked: maskName(resident.name) };
  }

  async checkInVisitor(code: string, body: VisitorCheckInBody): Promise<CheckInResult> {
    const name = normalizeText(body.name);
    const phone = parseMobilePhone(body.phone);
    const fields = [
      ...(name ? [] : [{ path: '/body/name', code: 'required', message: '请填写姓名' }]),
      ...(phone.ok ? [] : [{ path: '/body/phone', code: 'format', message: PHONE_MESSAGE.zh }]),
    ];
    if (fields.length || !phone.ok) throw new AppError('GRIDLINE_VALIDATION', { fields });
    const { db, clock, cipher } = this.deps;
    const place = await this.activePlace(db, code);
    const at = clock.now();
    await db.transaction().execute(async (tx) => {
      const sealed = sealPhone(cipher, phone.value);
      const existing = await scansRepository.visitorByPhoneHash(tx, sealed.phone_hash!);
      let id: string;
      if (existing) {
        id = existing.id;
        // The name given last is the one shown; the phone (what identifies a visitor) is the same.
        if (existing.name !== name) await scansRepository.renameVisitor(tx, id, name, at);
      } else {
        id = newId();
        await scansRepository.insertVisitor(tx, {
          id, name, phone_enc: sealed.phone_enc!, phone_hash: sealed.phone_hash!, phone_masked: sealed.phone_masked!, phone_last4: sealed.phone_last4!,
          created_at: at, updated_at: at,
        });
      }
      await scansRepository.insertOne(tx, scanRow(place, { kind: 'visitor', id }, at, 'visitor'));
    });
    return { placeName: place.name, at, personMasked: maskName(name) };
  }

  async list(scope: Scope, placeId: string, q: ScanListQuery) {
    scope.require('place.read');
    const { db, clock } = this.deps;
    const place = await placesRepository.byId(db, placeId);
    if (!place) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(place.region_code);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const to = q.to ?? clock.now() + 1;
    const from = q.from ?? to - DEFAULT_WINDOW_MS;
    const { rows, total } = await scansRepository.byPlace(db, placeId, from, to, page, pageSize);
    const items: Scan[] = rows.map((r) => {
      const name = r.person_kind === 'resident' ? r.resident_name : r.visitor_name;
      return {
        id: Number(r.id),
        at: r.at,
        personKind: r.person_kind as Scan['personKind'],
        personMasked: name ? maskName(name) : '（已移出登记册）',
        phoneMasked: (r.person_kind === 'resident' ? r.resident_phone : r.visitor_phone) ?? null,
        source: r.source as ScanSource,
        temperature: r.temperature_tenths === null ? null : r.temperature_tenths / 10,
        fever: r.fever === 1,
      };
    });
    return { items, total, page, pageSize };
  }
}
