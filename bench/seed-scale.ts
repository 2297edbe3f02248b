/**
 * Seeds a scale with the demo generator. The first street is `seedDemo` itself (demo accounts included);
 * the demo street holds at most ~28k residents (its buildings and households are fixed), so larger scales
 * add further streets: `generateDemoStreet` with the next seeds, re-coded to streets 340104009, …010, …,
 * written through the same repositories. Document numbers are unique per street only, so residents whose
 * number another street already used are left out.
 */
import type { AppContext } from '../packages/server/src/context.js';
import type { HouseholdsTable, RegionNodesTable, ResidentsTable } from '../packages/server/src/db/schema.js';
import { DEMO_STREET, generateDemoStreet } from '../packages/server/src/demo/demo-street.js';
import { seedDemo } from '../packages/server/src/demo/seed.js';
import { shanghaiDate } from '../packages/server/src/lib/clock.js';
import { newId } from '../packages/server/src/lib/ids.js';
import { householdsRepository } from '../packages/server/src/modules/residents/households.repository.js';
import { sealDocument, sealPhone } from '../packages/server/src/modules/residents/personal-fields.js';
import { residentsRepository } from '../packages/server/src/modules/residents/residents.repository.js';
import { regionsRepository } from '../packages/server/src/modules/regions/regions.repository.js';
import { Scope } from '../packages/server/src/security/scope.js';

/** Residents one demo street is asked for: below its capacity, so every street reaches it. */
export const PER_STREET = 25_000;

export async function seedScale(ctx: AppContext, seed: number, residents: number): Promise<{ streets: number; residents: number }> {
  const streets = Math.max(1, Math.ceil(residents / PER_STREET));
  const perStreet = Math.ceil(residents / streets);
  await seedDemo(ctx, seed, perStreet);
  const { db, clock, cipher, services } = ctx;
  const now = clock.now();
  const usedDocs = new Set(street0Docs(seed, perStreet, shanghaiDate(now)));
  for (let i = 1; i < streets; i++) {
    const code = `${DEMO_STREET.code.slice(0, 6)}${String(Number(DEMO_STREET.code.slice(6)) + i).padStart(3, '0')}`;
    const recode = (c: string) => (c.startsWith(DEMO_STREET.code) ? code + c.slice(DEMO_STREET.code.length) : c);
    const street = generateDemoStreet(seed + i, perStreet, shanghaiDate(now));
    const householdIds = new Map(street.households.map((h) => [h.code, newId()]));
    const nodeRows: RegionNodesTable[] = street.nodes
      .filter((n) => n.level !== 'district')
      .map((n) => ({
        code: recode(n.code), parent_code: n.parentCode ? recode(n.parentCode) : null, level: n.level,
        name: n.level === 'street' ? `${n.name}${i + 1}` : n.name, geometry: n.geometry ? JSON.stringify(n.geometry) : null, created_at: now, updated_at: now,
      }));
    const householdRows: HouseholdsTable[] = street.households.map((h) => ({ id: householdIds.get(h.code)!, code: recode(h.code), unit_code: recode(h.unitCode), room: h.room, address: h.address, created_at: now, updated_at: now }));
    const residentRows: ResidentsTable[] = [];
    for (const r of street.residents) {
      if (usedDocs.has(r.docNumber)) continue;
      usedDocs.add(r.docNumber);
      residentRows.push({
        id: newId(), household_id: householdIds.get(r.householdCode)!, region_code: recode(r.householdCode), name: r.name, sex: r.sex, birth_date: r.birthDate,
        doc_type: 'resident_id', ...sealDocument(cipher, 'resident_id', r.docNumber), ...sealPhone(cipher, r.phone),
        relation_to_head: r.relationToHead, residence_status: r.residenceStatus, tags: JSON.stringify(r.tags), notes: '', version: 1, created_at: now, updated_at: now,
      });
    }
    await db.transaction().execute(async (tx) => {
      await regionsRepository.insertMany(tx, nodeRows);
      await householdsRepository.insertMany(tx, householdRows);
      await residentsRepository.insertMany(tx, residentRows);
      await services.audit.record(tx, Scope.system('bench'), { action: 'demo.seed', entityType: 'system', regionCode: code, diff: { seed: seed + i, street: code, residents: residentRows.length } });
    });
  }
  const n = await db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { streets, residents: Number(n.n) };
}

/** The first street's document numbers (the generator is deterministic, so regenerating it is exact). */
function street0Docs(seed: number, residents: number, today: string): string[] {
  return generateDemoStreet(seed, residents, today).residents.map((r) => r.docNumber);
}
