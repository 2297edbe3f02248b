/**
 * Seeds a scale with the demo generator. The first street is `seedDemo` itself (demo accounts included);
 * the demo street holds at most ~28k residents (its buildings and households are fixed), so larger scales
 * add further streets: `generateDemoStreet` with the next seeds, re-coded to streets 340104009, …010, …,
 * written in multi-row inserts as large as the dialect's parameter limit allows, one transaction per street.
 * Only one street's rows are in memory at a time. Document numbers are unique per street only, so residents
 * whose number another street already used are left out.
 */
import type { AppContext } from '../packages/server/src/context.js';
import type { Executor, HouseholdsTable, RegionNodesTable, ResidentsTable } from '../packages/server/src/db/schema.js';
import { DEMO_DISTRICT, DEMO_STREET, generateDemoStreet } from '../packages/server/src/demo/demo-street.js';
import { DEMO_PASSWORD, seedDemo } from '../packages/server/src/demo/seed.js';
import { shanghaiDate } from '../packages/server/src/lib/clock.js';
import { newId } from '../packages/server/src/lib/ids.js';
import { hashPassword } from '../packages/server/src/modules/auth/password.js';
import { sealDocument, sealPhone } from '../packages/server/src/modules/residents/personal-fields.js';
import { recomputeResidentCounts } from '../packages/server/src/modules/regions/resident-counts.repository.js';
import { Scope } from '../packages/server/src/security/scope.js';

/** Residents one demo street is asked for: below its capacity, so every street reaches it. */
export const PER_STREET = 25_000;
/** The district-level account the district scenarios act as (command role at the district node). */
export const DISTRICT_USER = 'district';

export async function seedScale(ctx: AppContext, seed: number, residents: number, log: (s: string) => void = () => {}): Promise<{ streets: number; residents: number }> {
  const streets = Math.max(1, Math.ceil(residents / PER_STREET));
  const perStreet = Math.ceil(residents / streets);
  await seedDemo(ctx, seed, perStreet);
  const { db, clock, cipher, services, dialect } = ctx;
  const now = clock.now();
  const today = shanghaiDate(now);
  const usedDocs = new Set(generateDemoStreet(seed, perStreet, today).residents.map((r) => r.docNumber));
  const t0 = performance.now();
  for (let i = 1; i < streets; i++) {
    const code = `${DEMO_STREET.code.slice(0, 6)}${String(Number(DEMO_STREET.code.slice(6)) + i).padStart(3, '0')}`;
    const recode = (c: string) => (c.startsWith(DEMO_STREET.code) ? code + c.slice(DEMO_STREET.code.length) : c);
    const street = generateDemoStreet(seed + i, perStreet, today);
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
    const tagRows = residentRows.flatMap((r) => (JSON.parse(r.tags) as string[]).map((tag) => ({ resident_id: r.id, tag, region_code: r.region_code })));
    await db.transaction().execute(async (tx) => {
      await insertBatched(tx, 'region_nodes', nodeRows, dialect.maxParameters);
      await insertBatched(tx, 'households', householdRows, dialect.maxParameters);
      await insertBatched(tx, 'residents', residentRows, dialect.maxParameters);
      await insertBatched(tx, 'resident_tags', tagRows, dialect.maxParameters);
      await services.audit.record(tx, Scope.system('bench'), { action: 'demo.seed', entityType: 'system', regionCode: code, diff: { seed: seed + i, street: code, residents: residentRows.length } });
    });
    if (streets > 4 && (i + 1) % 5 === 0) log(`  ${i + 1}/${streets} streets written (${((performance.now() - t0) / 1000).toFixed(0)} s, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB)`);
  }
  await ensureDistrictUser(ctx);
  // The bulk inserts above bypass the repository, so the maintained residents-per-node counts are rebuilt once.
  await recomputeResidentCounts(db);
  const n = await db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { streets, residents: Number(n.n) };
}

/** Multi-row inserts with as many rows per statement as the parameter limit allows. */
async function insertBatched<T extends 'region_nodes' | 'households' | 'residents' | 'resident_tags'>(tx: Executor, table: T, rows: object[], maxParameters: number): Promise<void> {
  if (!rows.length) return;
  const per = Math.max(1, Math.floor(maxParameters / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += per) {
    await tx.insertInto(table).values(rows.slice(i, i + per) as never).execute();
  }
}

/** The district account, added to databases seeded before it existed too (idempotent). */
export async function ensureDistrictUser(ctx: AppContext): Promise<void> {
  const { db, clock } = ctx;
  if (await db.selectFrom('users').select('id').where('username', '=', DISTRICT_USER).executeTakeFirst()) return;
  const now = clock.now();
  await db.insertInto('users').values({
    id: newId(), username: DISTRICT_USER, display_name: '区指挥部 值班员', password_hash: await hashPassword(DEMO_PASSWORD), role: 'command', node_code: DEMO_DISTRICT.code,
    household_id: null, resident_id: null, disabled: 0, must_change_password: 0, failed_attempts: 0, locked_until: null, last_login_at: null,
    password_changed_at: now, created_at: now, updated_at: now,
  }).execute();
}
