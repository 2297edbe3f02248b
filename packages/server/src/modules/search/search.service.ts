import { normalizeText, type RegionLevel, type SearchResult } from '@gridline/shared';
import type { Db } from '../../db/schema.js';
import type { Scope } from '../../security/scope.js';
import { regionsRepository } from '../regions/regions.repository.js';
import { householdsRepository } from '../residents/households.repository.js';
import type { ResidentsService } from '../residents/residents.service.js';

const LIMIT = 10;

/**
 * The header search box: residents (name prefix, last four of phone or document, full phone or ID),
 * households by address and region nodes by name — each part only when the role may see it.
 */
export class SearchService {
  constructor(private readonly deps: { db: Db; residents: ResidentsService }) {}

  async search(scope: Scope, raw: string): Promise<SearchResult> {
    const q = normalizeText(raw);
    const { db, residents } = this.deps;
    const canResidents = scope.can('resident.read');
    const [people, households, regions] = await Promise.all([
      canResidents ? residents.list(scope, { q, page: 1, pageSize: LIMIT }).then((p) => p.items) : Promise.resolve([]),
      canResidents && q.length >= 2 ? householdsRepository.searchByAddress(db, scope, q, LIMIT) : Promise.resolve([]),
      scope.can('region.read') ? regionsRepository.searchByName(db, scope, q, LIMIT) : Promise.resolve([]),
    ]);
    return {
      residents: people,
      households: households.map((h) => ({ id: h.id, code: h.code, address: h.address, memberCount: Number(h.members) })),
      regions: regions.map((r) => ({ code: r.code, name: r.name, level: r.level as RegionLevel })),
    };
  }
}
