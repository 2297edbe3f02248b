import { CODE_LENGTH } from '@gridline/shared';
import type { Executor } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';
import { buildingKey, unitKey } from './import-vocab.js';
import { importsRepository } from './imports.repository.js';

export type Resolved = { ok: true; unitCode: string; names: { building: string; unit: string } } | { ok: false; field: 'building' | 'unit'; reason: string };

/**
 * Matches a row's building and unit by name under the import's node (a community or grid): "3栋", "3号楼" and
 * "3" are one building. An 18-digit building code is accepted as well, and must lie under the node; a
 * building outside the importer's jurisdiction reads like one that does not exist.
 */
export class AddressResolver {
  private readonly buildings = new Map<string, { code: string; name: string }[]>();
  private readonly units = new Map<string, Map<string, { code: string; name: string }>>();
  private readonly buildingNames = new Map<string, string>();

  private constructor(
    private readonly nodeName: string,
    private readonly scope: Scope,
  ) {}

  static async load(db: Executor, scope: Scope, node: string, nodeName: string): Promise<AddressResolver> {
    const r = new AddressResolver(nodeName, scope);
    for (const n of await importsRepository.buildingsAndUnits(db, node)) {
      if (n.level === 'building') {
        const k = buildingKey(n.name);
        r.buildings.set(k, [...(r.buildings.get(k) ?? []), { code: n.code, name: n.name }]);
        r.buildingNames.set(n.code, n.name);
      } else if (n.parent_code) {
        const inBuilding = r.units.get(n.parent_code) ?? new Map<string, { code: string; name: string }>();
        if (!inBuilding.has(unitKey(n.name))) inBuilding.set(unitKey(n.name), { code: n.code, name: n.name });
        r.units.set(n.parent_code, inBuilding);
      }
    }
    return r;
  }

  resolve(buildingRaw: string, unitRaw: string): Resolved {
    const building = this.building(buildingRaw.trim());
    if (!building.ok) return building;
    const unit = this.units.get(building.code)?.get(unitKey(unitRaw));
    if (!unit) return { ok: false, field: 'unit', reason: `${building.name}下没有单元“${unitRaw.trim()}”` };
    return { ok: true, unitCode: unit.code, names: { building: building.name, unit: unit.name } };
  }

  private building(raw: string): { ok: true; code: string; name: string } | { ok: false; field: 'building'; reason: string } {
    if (/^\d+$/.test(raw) && raw.length === CODE_LENGTH.building) {
      const name = this.buildingNames.get(raw);
      if (name) return { ok: true, code: raw, name };
      if (this.scope.covers(raw)) return { ok: false, field: 'building', reason: `楼栋 ${raw} 不在本次导入的范围（${this.nodeName}）内` };
      return { ok: false, field: 'building', reason: `楼栋 ${raw} 不存在，或不在您的管辖范围内` };
    }
    const found = this.buildings.get(buildingKey(raw)) ?? [];
    if (found.length === 1) return { ok: true, ...found[0]! };
    if (found.length > 1) return { ok: false, field: 'building', reason: `${this.nodeName}下有 ${found.length} 个名为“${raw}”的楼栋，请按网格分别导入，或填写楼栋编码` };
    return { ok: false, field: 'building', reason: `${this.nodeName}下没有楼栋“${raw}”` };
  }
}
