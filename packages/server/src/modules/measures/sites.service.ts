import {
  levelOfCode, SITE_KIND_LABELS,
  type IsolationSite, type IsolationSiteBody, type IsolationSiteDetail, type IsolationSiteList, type IsolationSitePatch, type IsolationSiteQuery, type PersonMeasureBody, type SiteKind,
} from '@gridline/shared';
import type { Dialect } from '../../db/dialect.js';
import type { Db, Executor, IsolationSitesTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import { designatingNodes, sitesRepository } from './sites.repository.js';

export interface SitesDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditService;
}

const SITE_PATH = '/body/place/siteId';
const siteError = (code: string, message: string, status: 'GRIDLINE_VALIDATION' | 'GRIDLINE_REFERENCE_MISSING' | 'GRIDLINE_CONFLICT' = 'GRIDLINE_VALIDATION') =>
  new AppError(status, { fields: [{ path: SITE_PATH, code, message }] });

/**
 * 集中隔离点 (issue #7): sites a street or the district designates, each with a capacity. A community sees the
 * sites of its street and district (they serve it); a street also sees its own. Only measure approvers at street
 * level or above maintain them. Occupancy is never stored: it is the count of centralized isolations pending or in
 * force at the site, taken again inside each imposing transaction with the site row locked (PostgreSQL `for
 * update`; SQLite has one writer), so two impositions racing for the last place cannot both have it.
 */
export class IsolationSites {
  constructor(private readonly deps: SitesDeps) {}

  /** Whether the actor maintains sites designated at `regionCode`. */
  canEdit(scope: Scope, regionCode: string): boolean {
    if (!scope.can('measure.approve') || !scope.covers(regionCode)) return false;
    if (scope.actor.role === 'system') return true;
    const own = levelOfCode(scope.node);
    return own === 'district' || own === 'street';
  }

  private sees(scope: Scope, regionCode: string): boolean {
    return scope.covers(regionCode) || designatingNodes(scope.node).includes(regionCode);
  }

  async list(scope: Scope, q: IsolationSiteQuery): Promise<IsolationSiteList> {
    scope.require('measure.read');
    const rows = await sitesRepository.visible(this.deps.db, scope, { includeInactive: q.includeInactive ?? false });
    const items = await this.views(scope, rows);
    return { items, total: items.length };
  }

  async get(scope: Scope, id: string): Promise<IsolationSiteDetail> {
    scope.require('measure.read');
    const { db, clock } = this.deps;
    const row = await this.visible(scope, id);
    const [site] = await this.views(scope, [row]);
    const all = await sitesRepository.occupants(db, id, clock.now());
    // Names only of people whose measures lie in the caller's jurisdiction; the rest are counted.
    const mine = all.filter((o) => scope.covers(o.region_code));
    return {
      site: site!,
      occupants: mine.map((o) => ({ measureId: o.id, residentName: o.name ?? '', status: o.status as 'pending' | 'active', startAt: Number(o.start_at), plannedEndAt: Number(o.planned_end_at) })),
      othersInUse: all.length - mine.length,
    };
  }

  async create(scope: Scope, body: IsolationSiteBody): Promise<IsolationSite> {
    scope.require('measure.approve');
    const level = levelOfCode(body.regionCode);
    if (level !== 'district' && level !== 'street') {
      throw new AppError('GRIDLINE_VALIDATION', { fields: [{ path: '/body/regionCode', code: 'level', message: '隔离点须由街道或区指定，请选择街道或区' }] });
    }
    scope.target(body.regionCode);
    this.requireEditor(scope, body.regionCode);
    const { db, clock, audit } = this.deps;
    const names = await sitesRepository.nodeNames(db, [body.regionCode]);
    if (!names.has(body.regionCode)) throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/regionCode', code: 'missing', message: '所选街道或区不存在' }] });
    const now = clock.now();
    const row: IsolationSitesTable = {
      id: newId(), name: body.name.trim(), address: body.address.trim(), kind: body.kind, region_code: body.regionCode, capacity: body.capacity,
      contact_phone: body.contactPhone.trim(), active: 1, note: body.note?.trim() ?? '', created_by_name: scope.actor.displayName || scope.actor.username,
      created_at: now, updated_at: now, version: 1,
    };
    await db.transaction().execute(async (tx) => {
      await sitesRepository.insert(tx, row);
      await audit.record(tx, scope, {
        action: 'isolation_site.create', entityType: 'isolation_site', entityId: row.id, regionCode: row.region_code,
        diff: { name: [null, row.name], kind: [null, row.kind], capacity: [null, row.capacity] },
      });
    });
    const [view] = await this.views(scope, [row]);
    return view!;
  }

  async update(scope: Scope, id: string, body: IsolationSitePatch): Promise<IsolationSite> {
    scope.require('measure.approve');
    const { db, clock, audit } = this.deps;
    const after = await db.transaction().execute(async (tx) => {
      const s = await this.visible(scope, id, tx);
      this.requireEditor(scope, s.region_code);
      if (s.version !== body.version) throw new AppError('GRIDLINE_STALE_VERSION');
      const patch: Partial<IsolationSitesTable> = { updated_at: clock.now() };
      if (body.name !== undefined) patch.name = body.name.trim();
      if (body.address !== undefined) patch.address = body.address.trim();
      if (body.kind !== undefined) patch.kind = body.kind;
      if (body.capacity !== undefined) patch.capacity = body.capacity;
      if (body.contactPhone !== undefined) patch.contact_phone = body.contactPhone.trim();
      if (body.note !== undefined) patch.note = body.note.trim();
      if (body.active !== undefined) patch.active = body.active ? 1 : 0;
      if (!(await sitesRepository.update(tx, id, s.version, patch))) throw new AppError('GRIDLINE_STALE_VERSION');
      const diff: Record<string, unknown> = {};
      for (const k of ['name', 'address', 'kind', 'capacity', 'contact_phone', 'note', 'active'] as const) {
        if (patch[k] !== undefined && patch[k] !== s[k]) diff[k] = [s[k], patch[k]];
      }
      const action = patch.active === 0 && s.active === 1 ? 'isolation_site.deactivate' : 'isolation_site.update';
      await audit.record(tx, scope, { action, entityType: 'isolation_site', entityId: id, regionCode: s.region_code, diff });
      return { ...s, ...patch, version: s.version + 1 };
    });
    const [view] = await this.views(scope, [after]);
    return view!;
  }

  /**
   * Where a person measure takes place, checked before its transaction: a site named must be one the actor sees,
   * active and serving the person's home; centralized isolation must name one whenever an active site serves the
   * person (where none has been designated yet, the free-text name stays, so that isolation is never blocked by a
   * missing register). Returns the site to claim in the transaction, or null.
   */
  async placeFor(scope: Scope, body: PersonMeasureBody, home: string): Promise<IsolationSitesTable | null> {
    const siteId = body.place.siteId;
    if (body.measure !== 'centralized_isolation') {
      if (siteId) throw siteError('kind', '只有集中隔离需要指定隔离点');
      return null;
    }
    if (!siteId) {
      const serving = await sitesRepository.visible(this.deps.db, scope, { serving: home });
      if (serving.length) throw siteError('required', '辖区已设集中隔离点，请选择隔离点');
      return null;
    }
    const s = await sitesRepository.byId(this.deps.db, siteId);
    if (!s || !this.sees(scope, s.region_code)) throw siteError('missing', '所选隔离点不存在或不在您的管辖范围内', 'GRIDLINE_REFERENCE_MISSING');
    if (!designatingNodes(home).includes(s.region_code)) throw siteError('not_serving', `隔离点「${s.name}」不服务该居民所在辖区`);
    if (s.active !== 1) throw siteError('inactive', `隔离点「${s.name}」已停用`);
    return s;
  }

  /** Takes a place at the site inside the measure's transaction: locked, counted again, refused when full or stopped meanwhile. */
  async claimIn(tx: Executor, siteId: string): Promise<void> {
    const s = await sitesRepository.lock(tx, siteId, this.deps.dialect.name === 'postgres');
    if (!s) throw siteError('missing', '所选隔离点不存在或不在您的管辖范围内', 'GRIDLINE_REFERENCE_MISSING');
    if (s.active !== 1) throw siteError('inactive', `隔离点「${s.name}」已停用`);
    const used = (await sitesRepository.occupancy(tx, [siteId], this.deps.clock.now())).get(siteId) ?? 0;
    if (used >= s.capacity) throw siteError('full', `隔离点「${s.name}」已满（容量 ${s.capacity}，在用 ${used}）`, 'GRIDLINE_CONFLICT');
  }

  private requireEditor(scope: Scope, regionCode: string): void {
    if (!this.canEdit(scope, regionCode)) throw new AppError('GRIDLINE_FORBIDDEN', { details: { permission: 'measure.approve', reason: '隔离点由街道或区级审批人员维护' } });
  }

  private async visible(scope: Scope, id: string, db: Executor = this.deps.db): Promise<IsolationSitesTable> {
    const s = await sitesRepository.byId(db, id);
    if (!s || !this.sees(scope, s.region_code)) throw new AppError('GRIDLINE_NOT_FOUND');
    return s;
  }

  private async views(scope: Scope, rows: IsolationSitesTable[]): Promise<IsolationSite[]> {
    const { db, clock } = this.deps;
    const [used, names] = await Promise.all([sitesRepository.occupancy(db, rows.map((r) => r.id), clock.now()), sitesRepository.nodeNames(db, [...new Set(rows.map((r) => r.region_code))])]);
    return rows.map((r) => {
      const inUse = used.get(r.id) ?? 0;
      return {
        id: r.id, name: r.name, address: r.address, kind: (r.kind in SITE_KIND_LABELS ? r.kind : 'designated') as SiteKind, regionCode: r.region_code,
        regionName: names.get(r.region_code) ?? r.region_code, capacity: r.capacity, inUse, free: Math.max(0, r.capacity - inUse), contactPhone: r.contact_phone,
        active: r.active === 1, note: r.note, editable: this.canEdit(scope, r.region_code), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), version: r.version,
      };
    });
  }
}
