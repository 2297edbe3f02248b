import {
  CODE_LENGTH, childLevel, levelOfCode, parentCodeOf, type CreateRegionBody, type RegionLevel, type RegionNode, type RegionNodeDetail,
} from '@gridline/shared';
import type { Db, RegionNodesTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Scope } from '../../security/scope.js';
import type { AuditService } from '../audit/audit.service.js';
import { regionsRepository } from './regions.repository.js';

export class RegionsService {
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
    const [counts, grandchildren, ownCount, path] = await Promise.all([
      next ? regionsRepository.residentCountsByChild(db, target, CODE_LENGTH[next]) : Promise.resolve(new Map<string, number>()),
      regionsRepository.childCounts(db, children.map((c) => c.code), next === 'unit'),
      regionsRepository.residentCount(db, target),
      regionsRepository.path(db, target),
    ]);
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

function toNode(r: RegionNodesTable, residentCount: number, childCount: number): RegionNode {
  return { code: r.code, parentCode: r.parent_code, level: r.level as RegionLevel, name: r.name, residentCount, childCount, updatedAt: r.updated_at };
}
