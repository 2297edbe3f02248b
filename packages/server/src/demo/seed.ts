import { ROLE_LABELS, type Role } from '@gridline/shared';
import type { AppContext } from '../context.js';
import type { HouseholdsTable, RegionNodesTable, ResidentsTable, UsersTable } from '../db/schema.js';
import { shanghaiDate } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { Scope } from '../security/scope.js';
import { hashPassword } from '../modules/auth/password.js';
import { householdsRepository } from '../modules/residents/households.repository.js';
import { sealDocument, sealPhone } from '../modules/residents/personal-fields.js';
import { residentsRepository } from '../modules/residents/residents.repository.js';
import { regionsRepository } from '../modules/regions/regions.repository.js';
import { usersRepository } from '../modules/users/users.repository.js';
import { DEMO_DISTRICT, DEMO_STREET, generateDemoStreet } from './demo-street.js';
import { seedFieldDemo } from './field-demo.js';
import { seedScreeningDemo } from './screening-demo.js';
import { seedCasesDemo } from './cases-demo.js';
import { seedWhistlesDemo } from './whistles-demo.js';
import { seedTracingDemo } from './tracing-demo.js';
import { seedInboxDemo } from './inbox-demo.js';
import { seedAreasDemo } from './areas-demo.js';
import { seedSitesDemo } from './sites-demo.js';

export const DEMO_PASSWORD = 'Gridline@2026';

export interface DemoAccount {
  username: string;
  role: Role;
  roleLabel: string;
  node: string;
  nodeName: string;
}

export interface DemoSummary {
  seed: number;
  communities: number;
  grids: number;
  buildings: number;
  households: number;
  residents: number;
  accounts: DemoAccount[];
}

/**
 * Writes the demo street, its residents and one demo account per role (plus a second community's worker,
 * to show that jurisdictions do not see each other) in one transaction with one audit event.
 */
export async function seedDemo(ctx: AppContext, seed: number, residentCount: number): Promise<DemoSummary> {
  const { db, clock, cipher, services } = ctx;
  const now = clock.now();
  const street = generateDemoStreet(seed, residentCount, shanghaiDate(now));
  const householdIds = new Map(street.households.map((h) => [h.code, newId()]));

  const nodeRows: RegionNodesTable[] = street.nodes.map((n) => ({ code: n.code, parent_code: n.parentCode, level: n.level, name: n.name, geometry: n.geometry ? JSON.stringify(n.geometry) : null, created_at: now, updated_at: now }));
  const householdRows: HouseholdsTable[] = street.households.map((h) => ({ id: householdIds.get(h.code)!, code: h.code, unit_code: h.unitCode, room: h.room, address: h.address, created_at: now, updated_at: now }));
  const residentRows: ResidentsTable[] = street.residents.map((r) => ({
    id: newId(), household_id: householdIds.get(r.householdCode)!, region_code: r.householdCode, name: r.name, sex: r.sex, birth_date: r.birthDate,
    doc_type: 'resident_id', ...sealDocument(cipher, 'resident_id', r.docNumber), ...sealPhone(cipher, r.phone),
    relation_to_head: r.relationToHead, residence_status: r.residenceStatus, tags: JSON.stringify(r.tags), notes: '', version: 1, created_at: now, updated_at: now,
  }));

  const community1 = `${DEMO_STREET.code}001`;
  const community2 = `${DEMO_STREET.code}002`;
  const grid1 = `${community1}001`;
  const building1 = `${grid1}001`;
  const residentAccount = residentRows.find((r) => r.region_code.startsWith(grid1) && r.relation_to_head === 'head' && r.phone_enc);
  const plan: { username: string; role: Role; node: string; displayName: string }[] = [
    { username: 'admin', role: 'sysadmin', node: DEMO_DISTRICT.code, displayName: '系统管理员' },
    { username: 'command', role: 'command', node: DEMO_STREET.code, displayName: '街道指挥部 值班员' },
    { username: 'head', role: 'community_head', node: community1, displayName: '梅园社区 书记' },
    { username: 'worker', role: 'community_worker', node: community1, displayName: '梅园社区 社工' },
    { username: 'worker2', role: 'community_worker', node: community2, displayName: '桂苑社区 社工' },
    { username: 'grid', role: 'grid_worker', node: grid1, displayName: '梅园第1网格 网格员' },
    { username: 'volunteer', role: 'volunteer', node: building1, displayName: '1栋 楼栋长' },
    { username: 'tracer', role: 'tracer', node: DEMO_STREET.code, displayName: '街道流调组' },
    { username: 'dept', role: 'department_staff', node: DEMO_STREET.code, displayName: '街道卫健办' },
    { username: 'auditor', role: 'auditor', node: DEMO_STREET.code, displayName: '街道纪工委' },
    { username: 'resident', role: 'resident', node: residentAccount?.region_code ?? grid1, displayName: residentAccount?.name ?? '居民' },
  ];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const userRows: UsersTable[] = plan.map((p) => ({
    id: newId(), username: p.username, display_name: p.displayName, password_hash: passwordHash, role: p.role, node_code: p.node,
    household_id: p.role === 'resident' ? residentAccount?.household_id ?? null : null,
    resident_id: p.role === 'resident' ? residentAccount?.id ?? null : null,
    disabled: 0, must_change_password: 0, failed_attempts: 0, locked_until: null, last_login_at: null, password_changed_at: now, created_at: now, updated_at: now,
  }));

  const summary: Omit<DemoSummary, 'accounts'> = {
    seed,
    communities: street.nodes.filter((n) => n.level === 'community').length,
    grids: street.nodes.filter((n) => n.level === 'grid').length,
    buildings: street.nodes.filter((n) => n.level === 'building').length,
    households: householdRows.length,
    residents: residentRows.length,
  };
  await db.transaction().execute(async (tx) => {
    await regionsRepository.insertMany(tx, nodeRows);
    await householdsRepository.insertMany(tx, householdRows);
    await residentsRepository.insertMany(tx, residentRows);
    for (const u of userRows) await usersRepository.insert(tx, u);
    await tx.insertInto('gridline_meta').values({ key: 'demo', value: JSON.stringify({ seed, at: now, usernames: plan.map((p) => p.username) }) }).execute();
    await services.audit.record(tx, Scope.system('demo'), { action: 'demo.seed', entityType: 'system', regionCode: DEMO_DISTRICT.code, diff: summary });
  });
  // A screening campaign under way, so that the screening pages show something on first start.
  await seedScreeningDemo(ctx, { nodes: nodeRows, households: householdRows, residents: residentRows, users: userRows }, now);
  await seedFieldDemo(ctx, residentRows, now);
  await seedCasesDemo(ctx, residentRows, now);
  await seedWhistlesDemo(ctx, now);
  await seedTracingDemo(ctx, residentRows, now);
  await seedInboxDemo(ctx, now);
  await seedAreasDemo(ctx, residentRows, now);
  await seedSitesDemo(ctx);
  return { ...summary, accounts: await demoAccounts(ctx) };
}

/** The demo accounts of an already seeded database (printed at every start), or none. */
export async function demoAccounts(ctx: AppContext): Promise<DemoAccount[]> {
  const meta = await ctx.db.selectFrom('gridline_meta').select('value').where('key', '=', 'demo').executeTakeFirst();
  if (!meta) return [];
  const { usernames } = JSON.parse(meta.value) as { usernames: string[] };
  const users = await ctx.db
    .selectFrom('users')
    .select(['username', 'role', 'node_code', 'password_changed_at', 'created_at'])
    .where('username', 'in', usernames)
    .execute();
  users.sort((a, b) => usernames.indexOf(a.username) - usernames.indexOf(b.username));
  // Only accounts still on the demo password are worth printing.
  const fresh = users.filter((u) => u.password_changed_at === u.created_at);
  return Promise.all(
    fresh.map(async (u) => {
      const path = await regionsRepository.path(ctx.db, u.node_code);
      // A household by its address; inside a community "梅园社区 第1网格"; above it, the node's own name.
      const local = path.filter((p) => p.code.length >= 12);
      const nodeName = u.node_code.length === 24 || !local.length ? (path.at(-1)?.name ?? u.node_code) : local.map((p) => p.name).join(' ');
      return { username: u.username, role: u.role as Role, roleLabel: ROLE_LABELS[u.role as Role].zh, node: u.node_code, nodeName };
    }),
  );
}
