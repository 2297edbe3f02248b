import crypto from 'node:crypto';
import {
  DEFAULT_PASSAGE_RULES, type CreatePlaceBody, type Place, type PlaceListQuery, type PublicPlace, type UpdatePlaceBody,
} from '@gridline/shared';
import type { Db, Executor, PlacesTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import { auditDiff, type AuditService } from '../audit/audit.service.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { renderPosterPdf, renderPosterPng, type PosterContent } from './place-poster.js';
import { placesRepository, toPlace } from './places.repository.js';

export interface PlacesDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /** PUBLIC_URL: what the posters' QR codes point at. */
  publicUrl: string;
  /** GRIDLINE_CJK_FONT: the posters' font file, when not the system's Noto Sans CJK. */
  cjkFont?: string | undefined;
}

/** 96 random bits as 16 base64url characters: a poster's code cannot be guessed from another one or from the id. */
export function newPlaceCode(): string {
  return crypto.randomBytes(12).toString('base64url');
}

function auditView(p: Place): Record<string, unknown> {
  return {
    kind: p.kind, name: p.name, address: p.address, regionCode: p.regionCode, lat: p.lat, lng: p.lng, checkpoint: p.checkpoint,
    passageRules: p.passageRules, active: p.active,
  };
}

/** 场所 (place.read / place.write): the register of places, their codes and printable posters. */
export class PlacesService {
  constructor(private readonly deps: PlacesDeps) {}

  private view(row: PlacesTable): Place {
    return toPlace(row, this.deps.publicUrl);
  }

  async list(scope: Scope, q: PlaceListQuery) {
    scope.require('place.read');
    const node = scope.narrow(q.node);
    const { rows, ...page } = await placesRepository.list(this.deps.db, scope, node, q);
    return { items: rows.map((r) => this.view(r)), ...page };
  }

  /** One place in the caller's jurisdiction (out of scope reads as not found). */
  async reachable(db: Executor, scope: Scope, id: string): Promise<PlacesTable> {
    const row = await placesRepository.byId(db, id);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(row.region_code);
    return row;
  }

  async get(scope: Scope, id: string): Promise<Place> {
    scope.require('place.read');
    return this.view(await this.reachable(this.deps.db, scope, id));
  }

  private async assertRegion(db: Executor, scope: Scope, code: string): Promise<void> {
    scope.target(code);
    if (!(await regionsRepository.byCode(db, code))) {
      throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/regionCode', code: 'missing', message: `区划 ${code} 不存在` }] });
    }
  }

  async create(scope: Scope, body: CreatePlaceBody): Promise<Place> {
    scope.require('place.write');
    const { db, clock, audit } = this.deps;
    return db.transaction().execute(async (tx) => {
      await this.assertRegion(tx, scope, body.regionCode);
      const now = clock.now();
      const row: PlacesTable = {
        id: newId(), code: newPlaceCode(), kind: body.kind, name: body.name.trim(), address: (body.address ?? '').trim(), region_code: body.regionCode,
        lat: body.lat ?? null, lng: body.lng ?? null, checkpoint: body.checkpoint ? 1 : 0,
        passage_rules: JSON.stringify(body.passageRules ?? DEFAULT_PASSAGE_RULES), active: body.active === false ? 0 : 1, version: 1,
        created_at: now, updated_at: now,
      };
      this.assertNamed(row.name);
      await placesRepository.insert(tx, row);
      const place = this.view(row);
      await audit.record(tx, scope, { action: 'place.create', entityType: 'place', entityId: row.id, regionCode: row.region_code, diff: auditDiff(null, auditView(place)) });
      return place;
    });
  }

  private assertNamed(name: string): void {
    if (!name) throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/name', code: 'required', message: '请填写场所名称' }] });
  }

  async update(scope: Scope, id: string, body: UpdatePlaceBody): Promise<Place> {
    scope.require('place.write');
    const { db, clock, audit } = this.deps;
    return db.transaction().execute(async (tx) => {
      const before = await this.reachable(tx, scope, id);
      if (before.version !== body.version) throw new AppError('GRIDLINE_STALE_VERSION');
      if (body.regionCode !== undefined && body.regionCode !== before.region_code) await this.assertRegion(tx, scope, body.regionCode);
      const patch: Partial<PlacesTable> = { updated_at: clock.now() };
      if (body.kind !== undefined) patch.kind = body.kind;
      if (body.name !== undefined) this.assertNamed((patch.name = body.name.trim()));
      if (body.address !== undefined) patch.address = body.address.trim();
      if (body.regionCode !== undefined) patch.region_code = body.regionCode;
      if (body.lat !== undefined) patch.lat = body.lat;
      if (body.lng !== undefined) patch.lng = body.lng;
      if (body.checkpoint !== undefined) patch.checkpoint = body.checkpoint ? 1 : 0;
      if (body.passageRules !== undefined) patch.passage_rules = JSON.stringify(body.passageRules);
      if (body.active !== undefined) patch.active = body.active ? 1 : 0;
      if (!(await placesRepository.update(tx, id, body.version, patch))) throw new AppError('GRIDLINE_STALE_VERSION');
      const after = this.view({ ...before, ...patch, version: before.version + 1 });
      await audit.record(tx, scope, { action: 'place.update', entityType: 'place', entityId: id, regionCode: after.regionCode, diff: auditDiff(auditView(this.view(before)), auditView(after)) });
      return after;
    });
  }

  /** The printable poster: the place's name, address, QR and short instructions in Chinese. */
  async poster(scope: Scope, id: string, format: 'pdf' | 'png'): Promise<{ body: Buffer; fileName: string; contentType: string }> {
    scope.require('place.read');
    const row = await this.reachable(this.deps.db, scope, id);
    const place = this.view(row);
    const trail = await regionsRepository.path(this.deps.db, row.region_code);
    const content: PosterContent = {
      name: place.name,
      address: place.address,
      url: place.url,
      code: place.code,
      // Street and below (the district is the same for every poster a street prints).
      regionName: trail.filter((n) => n.level !== 'district').map((n) => n.name).join(' '),
      checkpoint: place.checkpoint,
      font: this.deps.cjkFont,
    };
    const base = `场所码-${place.name}`.replace(/[\\/:*?"<>|\s]+/g, '_');
    return format === 'png'
      ? { body: await renderPosterPng(content), fileName: `${base}.png`, contentType: 'image/png' }
      : { body: await renderPosterPdf(content), fileName: `${base}.pdf`, contentType: 'application/pdf' };
  }

  /** What the public scan page shows; an inactive or unknown code reads the same: not found. */
  async publicByCode(code: string): Promise<PublicPlace> {
    const row = await placesRepository.byCode(this.deps.db, code);
    if (!row || row.active !== 1) throw new AppError('GRIDLINE_NOT_FOUND');
    return { code: row.code, name: row.name, kind: row.kind as PublicPlace['kind'], address: row.address };
  }
}
