import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, type TestApp } from './harness.js';
import { expectCountsMatchRegister } from './counts.js';

interface ErrorBody {
  error: { code: string; fields?: { path: string; code: string }[]; details?: Record<string, unknown> };
}
interface Household {
  id: string;
  code: string;
  unitCode: string;
  room: string;
  address: string;
  members: { id: string; regionCode: string; name: string }[];
}
interface Move {
  id: string;
  fromCode: string;
  toCode: string;
  fromAddress: string;
  toAddress: string;
  reason: string;
  movedBy: string | null;
  movedAt: number;
}

/** A second building with one unit inside community A, grid A: the target of the moves. */
const BUILDING_A2 = `${CODES.gridA}002`;
const UNIT_A2 = `${BUILDING_A2}01`;

describe('households: moving, history, optimistic versions', () => {
  let t: TestApp;
  let worker: string;
  let workerId: string;
  let resident: string;

  beforeAll(async () => {
    t = await createTestApp();
    const sys = Scope.system('test');
    await t.ctx.services.regions.create(sys, { code: BUILDING_A2, name: '2栋' });
    await t.ctx.services.regions.create(sys, { code: UNIT_A2, name: '3单元' });
    worker = await t.login(t.world.usernames.community_worker);
    workerId = (await t.app.inject({ url: '/api/auth/me', headers: { cookie: worker } })).json<{ id: string }>().id;
    resident = await t.login(t.world.usernames.resident);
  });
  afterAll(() => t.close());

  const move = (id: string, unitCode: string, room: string, reason = '房屋置换', cookie = worker) =>
    t.app.inject({ method: 'POST', url: `/api/households/${id}/move`, headers: { cookie }, payload: { unitCode, room, reason } });
  const get = <T>(url: string, cookie = worker) => t.app.inject({ url, headers: { cookie } }).then((r) => ({ status: r.statusCode, body: r.json<T>() }));

  describe('moving a household', () => {
    let moved: Household;
    const newCode = `${UNIT_A2}0603`;

    beforeAll(async () => {
      const res = await move(t.world.householdA, UNIT_A2, '0603');
      expect(res.statusCode).toBe(200);
      moved = res.json<Household>();
    });

    it('changes its code and address', async () => {
      expect(moved).toMatchObject({ id: t.world.householdA, code: newCode, unitCode: UNIT_A2, room: '0603', address: '社区A 2栋 3单元 0603室' });
      const fetched = await get<Household>(`/api/households/${t.world.householdA}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ code: newCode, address: '社区A 2栋 3单元 0603室' });
      // The old room is free again.
      const reuse = await t.app.inject({ method: 'POST', url: '/api/households', headers: { cookie: worker }, payload: { unitCode: CODES.unitA, room: '0101' } });
      expect(reuse.statusCode).toBe(201);
    });

    it('moves its members (and their tag index) to the new code', async () => {
      expect(moved.members.map((m) => m.id).sort()).toEqual([t.world.residentsA[0]!.resident.id, t.world.residentsA[1]!.resident.id].sort());
      expect(moved.members.every((m) => m.regionCode === newCode)).toBe(true);
      for (const r of t.world.residentsA.slice(0, 2)) {
        const got = await get<{ regionCode: string; version: number }>(`/api/residents/${r.resident.id}`);
        expect(got.body.regionCode).toBe(newCode);
      }
      // Tag search under the new unit finds the chronic patient; under the old unit it no longer does.
      const underNew = await get<{ items: { id: string }[] }>(`/api/residents?node=${UNIT_A2}&tags=chronic_disease`);
      expect(underNew.body.items.map((i) => i.id)).toEqual([t.world.residentsA[0]!.resident.id]);
      const underOld = await get<{ items: { id: string }[] }>(`/api/residents?node=${CODES.unitA}&tags=chronic_disease`);
      expect(underOld.body.items).toEqual([]);
      const tagRows = await t.ctx.db.selectFrom('resident_tags').select('region_code').where('resident_id', '=', t.world.residentsA[0]!.resident.id).execute();
      expect(tagRows.map((r) => r.region_code)).toEqual([newCode]);
    });

    it('moves the bound resident account, which still sees its household', async () => {
      const account = await t.ctx.db.selectFrom('users').select(['node_code', 'household_id']).where('username', '=', t.world.usernames.resident).executeTakeFirstOrThrow();
      expect(account).toEqual({ node_code: newCode, household_id: t.world.householdA });
      // The session opened before the move keeps working, with the new jurisdiction.
      const mine = await get<Household>('/api/me/household', resident);
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ id: t.world.householdA, code: newCode, address: '社区A 2栋 3单元 0603室' });
      const me = await get<{ id: string; regionCode: string }>('/api/me/resident', resident);
      expect(me.status).toBe(200);
      expect(me.body.regionCode).toBe(newCode);
      const who = await get<{ nodeCode: string; nodePath: { name: string }[] }>('/api/auth/me', resident);
      expect(who.body.nodeCode).toBe(newCode);
      expect(who.body.nodePath.at(-1)?.name).toBe('社区A 2栋 3单元 0603室');
    });

    it('keeps a history entry with the old and new address and the reason', async () => {
      const res = await get<Move[]>(`/api/households/${t.world.householdA}/history`);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({
        fromCode: `${CODES.unitA}0101`, toCode: newCode, fromAddress: '社区A 1栋 1单元 0101室', toAddress: '社区A 2栋 3单元 0603室',
        reason: '房屋置换', movedBy: workerId, movedAt: t.clock.now(),
      });
      const none = await get<Move[]>(`/api/households/${t.world.householdA2}/history`);
      expect(none.body).toEqual([]);
    });

    it('lists history newest first across several moves', async () => {
      t.clock.advance(60_000);
      expect((await move(t.world.householdA2, UNIT_A2, '0701', '第一次')).statusCode).toBe(200);
      t.clock.advance(60_000);
      expect((await move(t.world.householdA2, CODES.unitA, '0702', '第二次')).statusCode).toBe(200);
      const res = await get<Move[]>(`/api/households/${t.world.householdA2}/history`);
      expect(res.body.map((m) => m.reason)).toEqual(['第二次', '第一次']);
      expect(res.body[0]!.fromCode).toBe(res.body[1]!.toCode);
      expect(res.body[0]!.movedAt).toBeGreaterThan(res.body[1]!.movedAt);
    });

    it('refuses an occupied room with 409 and changes nothing', async () => {
      const before = await get<Household>(`/api/households/${t.world.householdA2}`);
      const res = await move(t.world.householdA2, UNIT_A2, '0603');
      expect(res.statusCode).toBe(409);
      expect(res.json<ErrorBody>().error).toMatchObject({ code: 'GRIDLINE_CONFLICT', fields: [{ path: '/body/room', code: 'occupied' }] });
      expect((await get<Household>(`/api/households/${t.world.householdA2}`)).body).toEqual(before.body);
    });

    it('refuses a unit outside the jurisdiction with 403 GRIDLINE_OUT_OF_SCOPE', async () => {
      const res = await move(t.world.householdA2, CODES.unitB, '0909');
      expect(res.statusCode).toBe(403);
      expect(res.json<ErrorBody>().error.code).toBe('GRIDLINE_OUT_OF_SCOPE');
      const members = await t.ctx.db.selectFrom('residents').select('region_code').where('household_id', '=', t.world.householdA2).execute();
      expect(members.every((m) => m.region_code.startsWith(CODES.communityA))).toBe(true);
    });

    it('a household in another jurisdiction reads as not found', async () => {
      const res = await move(t.world.householdB, CODES.unitA, '0909');
      expect(res.statusCode).toBe(404);
      expect((await get(`/api/households/${t.world.householdB}/history`)).status).toBe(404);
    });

    it('refuses a missing unit, a non-unit code, the same address and a role without household.write', async () => {
      const missing = await move(t.world.householdA2, `${BUILDING_A2}09`, '0101');
      expect(missing.statusCode).toBe(409);
      expect(missing.json<ErrorBody>().error.code).toBe('GRIDLINE_REFERENCE_MISSING');
      const notUnit = await move(t.world.householdA2, BUILDING_A2, '0101');
      expect(notUnit.statusCode).toBe(400);
      expect(notUnit.json<ErrorBody>().error.code).toBe('GRIDLINE_REGION_INVALID_CODE');
      const current = (await get<Household>(`/api/households/${t.world.householdA2}`)).body;
      const same = await move(t.world.householdA2, current.unitCode, current.room);
      expect(same.statusCode).toBe(400);
      const noReason = await move(t.world.householdA2, UNIT_A2, '0101', '');
      expect(noReason.statusCode).toBe(400);
      const tracer = await t.login(t.world.usernames.tracer);
      expect((await move(t.world.householdA2, UNIT_A2, '0101', '越权', tracer)).statusCode).toBe(403);
      const residentTry = await move(t.world.householdA, UNIT_A2, '0101', '自己搬', resident);
      expect(residentTry.statusCode).toBe(403);
    });
  });

  describe('optimistic versioning of residents', () => {
    const patch = (id: string, payload: object) => t.app.inject({ method: 'PATCH', url: `/api/residents/${id}`, headers: { cookie: worker }, payload });

    it('accepts the version read, bumps it, and refuses the stale one', async () => {
      const id = t.world.residentsA[2]!.resident.id;
      const read = (await get<{ version: number; notes: string }>(`/api/residents/${id}`)).body;
      const first = await patch(id, { version: read.version, notes: '第一次修改' });
      expect(first.statusCode).toBe(200);
      expect(first.json<{ version: number }>().version).toBe(read.version + 1);

      const auditBefore = await t.ctx.db.selectFrom('audit_events').select('seq').execute();
      const stale = await patch(id, { version: read.version, notes: '基于旧版本的修改' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json<ErrorBody>().error.code).toBe('GRIDLINE_STALE_VERSION');
      const now = (await get<{ version: number; notes: string }>(`/api/residents/${id}`)).body;
      expect(now).toMatchObject({ version: read.version + 1, notes: '第一次修改' });
      expect(await t.ctx.db.selectFrom('audit_events').select('seq').execute()).toHaveLength(auditBefore.length);

      const future = await patch(id, { version: read.version + 5, notes: '未来版本' });
      expect(future.statusCode).toBe(409);
      expect(future.json<ErrorBody>().error.code).toBe('GRIDLINE_STALE_VERSION');
    });

    it('of two simultaneous edits of the same version exactly one wins', async () => {
      const id = t.world.residentsA[1]!.resident.id;
      const { version } = (await get<{ version: number }>(`/api/residents/${id}`)).body;
      const results = await Promise.all(['甲', '乙', '丙', '丁'].map((who) => patch(id, { version, notes: `${who}的修改` })));
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 409, 409, 409]);
      expect(results.filter((r) => r.statusCode === 409).every((r) => r.json<ErrorBody>().error.code === 'GRIDLINE_STALE_VERSION')).toBe(true);
      const winner = results.find((r) => r.statusCode === 200)!.json<{ notes: string; version: number }>();
      const stored = (await get<{ notes: string; version: number }>(`/api/residents/${id}`)).body;
      expect(stored).toMatchObject({ notes: winner.notes, version: version + 1 });
      expect((await t.ctx.services.audit.verify(t.ctx.db)).ok).toBe(true);
    });

    it('requires a version', async () => {
      const res = await patch(t.world.residentsA[2]!.resident.id, { notes: '没有版本号' });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorBody>().error.fields?.[0]?.path).toBe('/body/version');
    });
  });

  it('lists a unit’s households with counts, empty ones included', async () => {
    const worker = await t.login(t.world.usernames.community_worker);
    const created = await t.app.inject({ method: 'POST', url: '/api/households', headers: { cookie: worker }, payload: { unitCode: CODES.unitA, room: '0808' } });
    expect(created.statusCode).toBe(201);
    const res = await t.app.inject({ url: `/api/regions/${CODES.unitA}/households`, headers: { cookie: worker } });
    expect(res.statusCode).toBe(200);
    const rows = res.json<{ id: string; room: string; memberCount: number; headName: string | null; vulnerableCount: number }[]>();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(created.json<{ id: string }>().id)).toMatchObject({ room: '0808', memberCount: 0, headName: null, vulnerableCount: 0 });
    // Every resident of the unit is counted once, in their household.
    const inUnit = await t.ctx.db.selectFrom('residents').select(['household_id', 'name', 'relation_to_head', 'tags']).where('region_code', 'like', `${CODES.unitA}%`).execute();
    expect(rows.reduce((n, r) => n + r.memberCount, 0)).toBe(inUnit.length);
    for (const r of inUnit.filter((x) => x.relation_to_head === 'head')) expect(byId.get(r.household_id)?.headName).toBe(r.name);
    expect(rows.reduce((n, r) => n + r.vulnerableCount, 0)).toBe(inUnit.filter((x) => x.tags !== '[]').length);
    const grid = await t.app.inject({ url: `/api/regions/${CODES.gridA}/households`, headers: { cookie: worker } });
    expect(grid.statusCode).toBe(400);
  });
  it('keeps the residents-per-node counts in step with the register after everything above', async () => {
    await expectCountsMatchRegister(t.ctx.db);
  });
});
