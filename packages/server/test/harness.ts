import { buildResidentId, ROLES, type Resident, type Role } from '@gridline/shared';
import { buildApp } from '../src/app.js';
import { openContext } from '../src/bootstrap.js';
import type { AppContext } from '../src/context.js';
import type { App } from '../src/http/types.js';
import { ManualClock } from '../src/lib/clock.js';
import { Scope } from '../src/security/scope.js';
import { testConfig } from './db.js';

export const TEST_PASSWORD = 'Passw0rd-test';

/** Two streets of one district: side A is "own" for every test user, side B is "other". */
export const CODES = {
  district: '110105',
  streetA: '110105001',
  streetB: '110105002',
  communityA: '110105001001',
  communityB: '110105002001',
  gridA: '110105001001001',
  gridB: '110105002001001',
  buildingA: '110105001001001001',
  buildingB: '110105002001001001',
  unitA: '11010500100100100101',
  unitB: '11010500200100100101',
} as const;

/** Where each role's test user sits (always on side A). */
export const ROLE_NODES: Record<Role, string> = {
  command: CODES.streetA,
  community_head: CODES.communityA,
  community_worker: CODES.communityA,
  grid_worker: CODES.gridA,
  volunteer: CODES.buildingA,
  tracer: CODES.streetA,
  department_staff: CODES.streetA,
  auditor: CODES.streetA,
  sysadmin: CODES.streetA,
  resident: '',
};

export interface SeededResident {
  resident: Resident;
  docNumber: string;
  phone: string;
}

export interface World {
  householdA: string;
  householdA2: string;
  householdB: string;
  /** Residents on side A (first two in householdA, third in householdA2) and side B. */
  residentsA: SeededResident[];
  residentsB: SeededResident[];
  /** Username per role; every test user sits on side A. */
  usernames: Record<Role, string>;
}

export interface TestApp {
  ctx: AppContext;
  app: App;
  clock: ManualClock;
  world: World;
  /** Signs in and returns the Cookie header value. */
  login(username: string, password?: string): Promise<string>;
  /** One request as `username` (signed in afresh): its status and JSON body. */
  as<T>(username: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** Builds the two-street world through the services, as a system actor (so it is audited like real data). */
export async function seedWorld(ctx: AppContext): Promise<World> {
  const sys = Scope.system('test');
  const { regions, households, residents, users } = ctx.services;
  await regions.create(sys, { code: CODES.district, name: '朝阳区' });
  for (const side of ['A', 'B'] as const) {
    await regions.create(sys, { code: CODES[`street${side}`], name: `街道${side}` });
    await regions.create(sys, { code: CODES[`community${side}`], name: `社区${side}` });
    await regions.create(sys, { code: CODES[`grid${side}`], name: `网格${side}` });
    await regions.create(sys, { code: CODES[`building${side}`], name: `${side === 'A' ? 1 : 2}栋` });
    await regions.create(sys, { code: CODES[`unit${side}`], name: '1单元' });
  }
  const hA = await households.create(sys, { unitCode: CODES.unitA, room: '0101' });
  const hA2 = await households.create(sys, { unitCode: CODES.unitA, room: '0102' });
  const hB = await households.create(sys, { unitCode: CODES.unitB, room: '0101' });

  const add = async (householdId: string, n: number, name: string, relation: 'head' | 'spouse', tags: Resident['tags'] = []): Promise<SeededResident> => {
    const docNumber = buildResidentId('110105', `19${70 + n}-0${(n % 9) + 1}-1${n % 9}`, 100 + n);
    const phone = `1390000${String(1000 + n)}`;
    const resident = await residents.create(sys, {
      householdId, name, docType: 'resident_id', docNumber, phone, relationToHead: relation, residenceStatus: 'registered', tags,
    });
    return { resident, docNumber, phone };
  };
  const residentsA = [
    await add(hA.id, 1, '张伟', 'head', ['chronic_disease']),
    await add(hA.id, 2, '李娜', 'spouse'),
    await add(hA2.id, 3, '王芳', 'head', ['elderly_alone']),
  ];
  const residentsB = [await add(hB.id, 4, '赵敏', 'head', ['chronic_disease']), await add(hB.id, 5, '孙强', 'spouse')];

  const usernames = {} as Record<Role, string>;
  for (const role of ROLES) {
    const username = `u_${role}`;
    await users.create(sys, {
      username, displayName: `测试${role}`, role, nodeCode: ROLE_NODES[role] || CODES.streetA, password: TEST_PASSWORD,
      ...(role === 'resident' ? { residentId: residentsA[0]!.resident.id } : {}),
    });
    usernames[role] = username;
  }
  // Test users start ready to work (real accounts must change the initial password first).
  await ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
  return { householdA: hA.id, householdA2: hA2.id, householdB: hB.id, residentsA, residentsB, usernames };
}

export async function createTestApp(opts: { env?: Record<string, string>; seed?: boolean } = {}): Promise<TestApp> {
  const clock = new ManualClock();
  const ctx = await openContext(testConfig(opts.env), { clock });
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  const world = opts.seed === false ? ({} as World) : await seedWorld(ctx);
  const login = async (username: string, password = TEST_PASSWORD) => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'gridline_session');
    if (!cookie) throw new Error('no session cookie');
    return `gridline_session=${cookie.value}`;
  };
  return {
    ctx,
    app,
    clock,
    world,
    login,
    async as<T>(username: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) {
      const cookie = await login(username);
      const res = await app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, body: res.json<T>() };
    },
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}
