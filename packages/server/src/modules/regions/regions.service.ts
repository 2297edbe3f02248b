import {
  CODE_LENGTH, childLevel, levelOfCode, parentCodeOf, type BoundaryImportBody, type BoundaryImportResult, type CreateRegionBody, type RegionMap, type RegionLevel, type RegionNode, type RegionNodeDetail,
} from '@gridline/shared';
import type { Db, RegionNodesTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import { validGeometry } from './boundaries.js';
import { regionsRepository } from './regions.repository.js';

export class RegionsService {
  /**
   * Sets node boundaries from a GeoJSON FeatureCollection (features name their node in `properties.code`).
   * Unknown, out-of-scope or malformed features are reported, the rest applied in one audited transaction.
   */
  async importBoundaries(scope: Scope, body: BoundaryImportBody): Promise<BoundaryImportResult> {
    scope.require('region.write');
    const { db, clock, audit } = this.deps;
    const unmatched: BoundaryImportResult['unmatched'] = [];
    const updates: { code: string; geometry: string }[] = [];
    const codes = [...new Set(body.features.map((f) => String(f.properties.code)))];
    const known = new Set<string>();
    for (let i = 0; i < codes.length; i += 500) {
      for (const r of await regionsRepository.existing(db, codes.slice(i, i + 500))) known.add(r);
    }
    body.features.forEach((f, index) => {
      const code = String(f.properties.code);
      if (!scope.covers(code) || !known.has(code)) unmatched.push({ index, code, reason: '区划编码不存在或不在您的管辖范围内' });
      else if (!validGeometry(f.geometry)) unmatched.push({ index, code, reason: '边界坐标无效（须为闭合的经纬度多边形）' });
      else updates.push({ code, geometry: JSON.stringify(f.geometry) });
    });
    if (updates.length) {
      await db.transaction().execute(async (tx) => {
        const now = clock.now();
        for (const u of updates) await regionsRepository.setGeometry(tx, u.code, u.geometry, now);
        await audit.record(tx, scope, {
          action: 'region.boundaries', entityType: 'region', entityId: scope.node || null, regionCode: scope.node || null,
          diff: { updated: [null, updates.length], codes: [null, updates.slice(0, 50).map((u) => u.code)] },
        });
      });
    }
    return { updated: updates.length, unmatched };
  }

  /** The node and those of its children that have boundaries, as GeoJSON with resident counts. */
  async map(scope: Scope, code: string): Promise<RegionMap> {
    scope.require('region.read');
    scope.reach(code);
    const { db } = this.deps;
    const row = await regionsRepository.byCode(db, code);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    const next = childLevel(row.level as RegionLevel);
    const children = await regionsRepository.children(db, code);
    const counts = await countsByChild(db, code, next);
    const total = sum(counts);
    const features: RegionMap['features'] = [];
    for (const [n, self] of [[row, true] as const, ...children.map((c) => [c, false] as const)]) {
      if (!n.geometry) continue;
      features.push({
        type: 'Feature',
        geometry: JSON.parse(n.geometry) as RegionMap['features'][number]['geometry'],
        properties: { code: n.code, name: n.name, level: n.level as RegionLevel, residentCount: self ? total : (counts.get(n.code) ?? 0), self },
      });
    }
    return { type: 'FeatureCollection', features };
  }

  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService }) {}

  /** A node with its path and children, each child with its resident count. */
  async detail(scope: Scope, code: string | undefined): Promise<RegionNodeDetail> {
    scope.require('region.read');
    const { db } = this.deps;
    const target = code ?? (scope.node || (await regionsRepository.root(db))?.code);
    if (!target) throw new AppError('GRIDLINE_NOT_FOUND');
    scope.reach(target);
    const row = await regionsRepository.byCode(db, target);
    if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
    const level = row.level as RegionLevel;
    const next = childLevel(level);
    const children = await regionsRepository.children(db, target);
    const [counts, grandchildren, path] = await Promise.all([
      countsByChild(db, target, next),
      regionsRepository.childCounts(db, children.map((c) => c.code), next === 'unit'),
      regionsRepository.path(db, target),
    ]);
    const ownCount = sum(counts);
    const ownChildren = level === 'unit' ? (await regionsRepository.childCounts(db, [target], true)).get(target) ?? 0 : children.length;
    return {
      node: toNode(row, ownCount, ownChildren),
      path: path.filter((p) => scope.covers(p.code) || scope.node.startsWith(p.code)),
      children: children.map((c) => toNode(c, counts.get(c.code) ?? 0, grandchildren.get(c.code) ?? 0)),
    };
  }

  async create(scope: Scope, body: CreateRegionBody): Promise<RegionNode> {
    scope.require('region.write');
    const level = levelOfCode(body.code);
    if (!level || level === 'household') {
      throw new AppError('GRIDLINE_REGION_INVALID_CODE', {
        fields: [{ path: '/body/code', code: 'length', message: '编码长度须为 6（区县）、9（街道）、12（社区）、15（网格）、18（楼栋）或 20（单元）位数字' }],
      });
    }
    const parentCode = parentCodeOf(body.code) ?? null;
    // Only a sysadmin with no node above the district may create a district; everyone else works under their node.
    scope.target(parentCode ?? body.code);
    const { db, clock, audit } = this.deps;
    const now = clock.now();
    const row: RegionNodesTable = { code: body.code, parent_code: parentCode, level, name: body.name, geometry: null, created_at: now, updated_at: now };
    await db.transaction().execute(async (tx) => {
      if (parentCode && !(await regionsRepository.byCode(tx, parentCode))) {
        throw new AppError('GRIDLINE_REFERENCE_MISSING', { fields: [{ path: '/body/code', code: 'parent', message: `上级区划 ${parentCode} 不存在` }] });
      }
      if (await regionsRepository.byCode(tx, body.code)) {
        throw new AppError('GRIDLINE_CONFLICT', { fields: [{ path: '/body/code', code: 'duplicate', message: `编码 ${body.code} 已被使用` }] });
      }
      await regionsRepository.insert(tx, row);
      await audit.record(tx, scope, { action: 'region.create', entityType: 'region', entityId: body.code, regionCode: body.code, diff: { name: [null, body.name], level: [null, level] } });
    });
    return toNode(row, 0, 0);
  }

  async rename(scope: Scope, code: string, name: string): Promise<RegionNode> {
    scope.require('region.write');
    scope.reach(code);
    const { db, clock, audit } = this.deps;
    await db.transaction().execute(async (tx) => {
      const row = await regionsRepository.byCode(tx, code);
      if (!row) throw new AppError('GRIDLINE_NOT_FOUND');
      await regionsRepository.rename(tx, code, name, clock.now());
      await audit.record(tx, scope, { action: 'region.rename', entityType: 'region', entityId: code, regionCode: code, diff: { name: [row.name, name] } });
    });
    return (await this.detail(scope, code)).node;
  }
}

/**
 * Residents per child of a node, in one grouped range scan. Residents live only at household codes, below
 * every region node, so a node's own total is the sum over its children — no second scan.
 */
function countsByChild(db: Db, code: string, next: RegionLevel | undefined): Promise<Map<string, number>> {
  return next ? regionsRepository.residentCountsByChild(db, code, CODE_LENGTH[next]) : Promise.resolve(new Map());
}

function sum(counts: Map<string, number>): number {
  let n = 0;
  for (const v of counts.values()) n += v;
  return n;
}

function toNode(r: RegionNodesTable, residentCount: number, childCount: number): RegionNode {
  return { code: r.code, parentCode: r.parent_code, level: r.level as RegionLevel, name: r.name, residentCount, childCount, updatedAt: r.updated_at };
}
