import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildResidentId } from '@gridline/shared';
import { sql, type Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventsTable } from '../src/db/schema.js';
import { chainHash } from '../src/modules/audit/audit.chain.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, type TestApp } from './harness.js';

type AuditRow = Selectable<AuditEventsTable>;

interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string }[]; details?: Record<string, unknown> };
}

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

async function allEvents(t: TestApp): Promise<AuditRow[]> {
  return t.ctx.db.selectFrom('audit_events').selectAll().orderBy('id').execute();
}

/** Runs `fn` and returns the audit events it appended. */
async function appended(t: TestApp, fn: () => Promise<unknown>): Promise<AuditRow[]> {
  const before = await t.ctx.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow();
  await fn();
  return t.ctx.db.selectFrom('audit_events').selectAll().where('seq', '>', Number(before.m ?? 0)).orderBy('seq').execute();
}

const diffOf = (e: AuditRow | undefined): unknown => (e?.diff ? JSON.parse(e.diff) : null);

/** Runs the real CLI against the test app's database. */
function cliAuditVerify(t: TestApp): Promise<{ code: number; stdout: string; stderr: string }> {
  const { config } = t.ctx;
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: config.dataDir, GRIDLINE_DATA_KEY: config.dataKey ?? '', LOG_LEVEL: 'silent', DEMO_ON_EMPTY: 'false' };
  delete env.DATABASE_SCHEMA;
  if (config.db.dialect === 'sqlite') {
    env.DATABASE_URL = `sqlite:${config.db.file}`;
  } else {
    env.DATABASE_URL = config.db.url;
    if (config.db.schema) env.DATABASE_SCHEMA = config.db.schema;
  }
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'packages/server/src/cli/main.ts', 'audit', 'verify'], { cwd: REPO_ROOT, env, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('audit log: one event per change, in the same transaction', () => {
  let t: TestApp;
  let worker: string;
  let command: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await t.login(t.world.usernames.community_worker);
    command = await t.login(t.world.usernames.command);
    admin = await t.login(t.world.usernames.sysadmin);
  });
  afterAll(() => t.close());

  const inject = (cookie: string, method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  it('the seeded world is itself fully audited and verifies', async () => {
    const events = await allEvents(t);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // 11 regions, 3 households, 5 residents, 10 users, 3 logins.
    expect(events.filter((e) => e.action === 'region.create')).toHaveLength(11);
    expect(events.filter((e) => e.action === 'household.create')).toHaveLength(3);
    expect(events.filter((e) => e.action === 'resident.create')).toHaveLength(5);
    expect(events.filter((e) => e.action === 'user.create')).toHaveLength(10);
    expect(events.filter((e) => e.action === 'auth.login')).toHaveLength(3);
    const v = await t.ctx.services.audit.verify(t.ctx.db);
    expect(v).toMatchObject({ ok: true, checked: events.length, firstBadSeq: null, problem: null });
  });

  it('residents: create, update and delete each write exactly one event with a field-level, masked diff', async () => {
    const docNumber = buildResidentId('110105', '1985-06-15', 211);
    let id = '';
    const created = await appended(t, async () => {
      const res = await inject(worker, 'POST', '/api/residents', {
        householdId: t.world.householdA2, name: '周杰', docType: 'resident_id', docNumber, phone: '13812345678', relationToHead: 'spouse', residenceStatus: 'registered',
      });
      expect(res.statusCode).toBe(201);
      id = res.json<{ id: string }>().id;
    });
    expect(created).toHaveLength(1);
    const c = created[0]!;
    expect(c).toMatchObject({ action: 'resident.create', entity_type: 'resident', entity_id: id, region_code: `${CODES.unitA}0102`, actor_name: 'u_community_worker', actor_role: 'community_worker', actor_node: CODES.communityA, at: t.clock.now() });
    expect(c.actor_id).toBeTruthy();
    expect(diffOf(c)).toMatchObject({
      name: [null, '周杰'], sex: [null, 'male'], birthDate: [null, '1985-06-15'], docType: [null, 'resident_id'],
      docNumber: [null, `1101**********${docNumber.slice(-4)}`], phone: [null, '138****5678'], relationToHead: [null, 'spouse'],
    });
    expect(c.diff).not.toContain(docNumber);
    expect(c.diff).not.toContain('13812345678');

    const updated = await appended(t, async () => {
      const res = await inject(worker, 'PATCH', `/api/residents/${id}`, { version: 1, name: '周杰伦', tags: ['chronic_disease'], notes: '需定期随访' });
      expect(res.statusCode).toBe(200);
    });
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ action: 'resident.update', entity_id: id });
    expect(diffOf(updated[0])).toEqual({ name: ['周杰', '周杰伦'], tags: [[], ['chronic_disease']], notes: ['', '需定期随访'] });

    const phoneChange = await appended(t, async () => {
      expect((await inject(worker, 'PATCH', `/api/residents/${id}`, { version: 2, phone: '13998765432' })).statusCode).toBe(200);
    });
    expect(diffOf(phoneChange[0])).toEqual({ phone: ['138****5678', '139****5432'] });
    expect(phoneChange[0]!.diff).not.toContain('13998765432');

    const deleted = await appended(t, async () => {
      expect((await inject(worker, 'DELETE', `/api/residents/${id}`)).statusCode).toBe(200);
    });
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ action: 'resident.delete', entity_id: id });
    expect(diffOf(deleted[0])).toMatchObject({ name: ['周杰伦', null], phone: ['139****5432', null] });
  });

  it('unmasking is audited with its purpose', async () => {
    const r = t.world.residentsA[0]!;
    const events = await appended(t, async () => {
      const res = await inject(worker, 'POST', `/api/residents/${r.resident.id}/unmask`, { purpose: '核对疫苗接种信息' });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ docNumber: string }>().docNumber).toBe(r.docNumber);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'resident.unmask', entity_id: r.resident.id, purpose: '核对疫苗接种信息' });
    expect(events[0]!.diff).not.toContain(r.docNumber);
  });

  it('households: create and move each write exactly one event', async () => {
    let id = '';
    const created = await appended(t, async () => {
      const res = await inject(worker, 'POST', '/api/households', { unitCode: CODES.unitA, room: '0301' });
      expect(res.statusCode).toBe(201);
      id = res.json<{ id: string }>().id;
    });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ action: 'household.create', entity_type: 'household', entity_id: id, region_code: `${CODES.unitA}0301` });
    expect(diffOf(created[0])).toEqual({ address: [null, '社区A 1栋 1单元 0301室'] });

    const moved = await appended(t, async () => {
      expect((await inject(worker, 'POST', `/api/households/${id}/move`, { unitCode: CODES.unitA, room: '0302', reason: '调换房间' })).statusCode).toBe(200);
    });
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ action: 'household.move', entity_id: id, purpose: '调换房间', region_code: `${CODES.unitA}0302` });
    expect(diffOf(moved[0])).toEqual({ code: [`${CODES.unitA}0301`, `${CODES.unitA}0302`], address: ['社区A 1栋 1单元 0301室', '社区A 1栋 1单元 0302室'] });
  });

  it('regions: create and rename each write exactly one event', async () => {
    const code = `${CODES.gridA}099`;
    const created = await appended(t, async () => {
      expect((await inject(command, 'POST', '/api/regions', { code, name: '99栋' })).statusCode).toBe(201);
    });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ action: 'region.create', entity_type: 'region', entity_id: code, region_code: code, actor_role: 'command' });
    expect(diffOf(created[0])).toEqual({ name: [null, '99栋'], level: [null, 'building'] });

    const renamed = await appended(t, async () => {
      expect((await inject(command, 'PATCH', `/api/regions/${code}`, { name: '九十九栋' })).statusCode).toBe(200);
    });
    expect(renamed).toHaveLength(1);
    expect(diffOf(renamed[0])).toEqual({ name: ['99栋', '九十九栋'] });
  });

  it('users: create, update and password reset each write exactly one event', async () => {
    let id = '';
    const created = await appended(t, async () => {
      const res = await inject(admin, 'POST', '/api/users', { username: 'audited_user', displayName: '审计对象', role: 'grid_worker', nodeCode: CODES.gridA, password: 'Initial-pass1' });
      expect(res.statusCode).toBe(201);
      id = res.json<{ id: string }>().id;
    });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ action: 'user.create', entity_type: 'user', entity_id: id, actor_role: 'sysadmin' });
    expect(created[0]!.diff).not.toContain('Initial-pass1');

    const updated = await appended(t, async () => {
      expect((await inject(admin, 'PATCH', `/api/users/${id}`, { displayName: '审计对象二' })).statusCode).toBe(200);
    });
    expect(updated).toHaveLength(1);
    expect(diffOf(updated[0])).toEqual({ display_name: ['审计对象', '审计对象二'] });

    const reset = await appended(t, async () => {
      expect((await inject(admin, 'POST', `/api/users/${id}/reset-password`)).statusCode).toBe(200);
    });
    expect(reset.map((e) => e.action)).toEqual(['user.reset_password']);
  });

  it('every sign-in, failed or not, writes exactly one event', async () => {
    const ok = await appended(t, () => t.login(t.world.usernames.grid_worker));
    expect(ok.map((e) => e.action)).toEqual(['auth.login']);
    const failed = await appended(t, () => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'u_grid_worker', password: 'Wrong-passw0rd' } }));
    expect(failed.map((e) => e.action)).toEqual(['auth.login_failed']);
    const unknown = await appended(t, () => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ghost', password: 'Wrong-passw0rd' } }));
    expect(unknown.map((e) => e.action)).toEqual(['auth.login_failed']);
  });

  it('a change that is refused writes no event', async () => {
    const dupDoc = t.world.residentsA[0]!.docNumber;
    const base = { householdId: t.world.householdA2, name: '重复', docType: 'resident_id', relationToHead: 'other_relative', residenceStatus: 'registered' };
    const refusals: [string, () => Promise<{ statusCode: number }>, number][] = [
      ['duplicate document', () => inject(worker, 'POST', '/api/residents', { ...base, docNumber: dupDoc }), 409],
      ['invalid document', () => inject(worker, 'POST', '/api/residents', { ...base, docNumber: '110105198506150000' }), 400],
      ['household in another jurisdiction', () => inject(worker, 'POST', '/api/residents', { ...base, householdId: t.world.householdB, docNumber: buildResidentId('110105', '1990-01-01', 301) }), 409],
      ['stale version', () => inject(worker, 'PATCH', `/api/residents/${t.world.residentsA[1]!.resident.id}`, { version: 99, name: '过期' }), 409],
      ['delete out of scope', () => inject(worker, 'DELETE', `/api/residents/${t.world.residentsB[0]!.resident.id}`), 404],
      ['occupied room', () => inject(worker, 'POST', '/api/households', { unitCode: CODES.unitA, room: '0101' }), 409],
      ['move out of scope', () => inject(worker, 'POST', `/api/households/${t.world.householdA}/move`, { unitCode: CODES.unitB, room: '0909', reason: '越权搬迁' }), 403],
      ['duplicate region', () => inject(command, 'POST', '/api/regions', { code: CODES.gridA, name: '重复网格' }), 409],
      ['duplicate username', () => inject(admin, 'POST', '/api/users', { username: 'u_auditor', displayName: 'x', role: 'auditor', nodeCode: CODES.streetA, password: 'Initial-pass1' }), 409],
      ['role without permission', () => inject(worker, 'POST', '/api/users', { username: 'sneaky', displayName: 'x', role: 'auditor', nodeCode: CODES.streetA, password: 'Initial-pass1' }), 403],
    ];
    for (const [what, fn, status] of refusals) {
      const events = await appended(t, async () => {
        const res = await fn();
        expect(res.statusCode, what).toBe(status);
      });
      expect(events, what).toEqual([]);
    }
    expect(await t.ctx.db.selectFrom('residents').select('id').where('name', '=', '重复').execute()).toHaveLength(0);
  });

  it('the audit append shares the transaction: when it fails, the change is rolled back too', async () => {
    const failing = ['resident.create', 'household.move', 'user.update'];
    const list = failing.map((a) => `'${a}'`).join(',');
    if (t.ctx.dialect.name === 'sqlite') {
      await sql.raw(`create trigger audit_fail before insert on audit_events when new.action in (${list}) begin select raise(abort, 'audit append failed'); end`).execute(t.ctx.db);
    } else {
      await sql.raw(`create function audit_fail() returns trigger language plpgsql as $$ begin if new.action in (${list}) then raise exception 'audit append failed'; end if; return new; end $$`).execute(t.ctx.db);
      await sql.raw('create trigger audit_fail before insert on audit_events for each row execute function audit_fail()').execute(t.ctx.db);
    }
    try {
      const docNumber = buildResidentId('110105', '1979-03-03', 415);
      const res = await inject(worker, 'POST', '/api/residents', {
        householdId: t.world.householdA2, name: '回滚测试', docType: 'resident_id', docNumber, relationToHead: 'other_relative', residenceStatus: 'registered',
      });
      expect(res.statusCode).toBe(500);
      expect(await t.ctx.db.selectFrom('residents').select('id').where('name', '=', '回滚测试').execute()).toHaveLength(0);

      const before = await t.ctx.db.selectFrom('households').selectAll().where('id', '=', t.world.householdA2).executeTakeFirstOrThrow();
      const move = await inject(worker, 'POST', `/api/households/${t.world.householdA2}/move`, { unitCode: CODES.unitA, room: '0808', reason: '回滚测试' });
      expect(move.statusCode).toBe(500);
      expect(await t.ctx.db.selectFrom('households').selectAll().where('id', '=', t.world.householdA2).executeTakeFirstOrThrow()).toEqual(before);
      expect(await t.ctx.db.selectFrom('household_moves').select('id').where('household_id', '=', t.world.householdA2).execute()).toHaveLength(0);
      const members = await t.ctx.db.selectFrom('residents').select('region_code').where('household_id', '=', t.world.householdA2).execute();
      expect(members.every((m) => m.region_code === before.code)).toBe(true);

      const victim = await t.ctx.db.selectFrom('users').select(['id', 'disabled']).where('username', '=', 'u_grid_worker').executeTakeFirstOrThrow();
      const disable = await inject(admin, 'PATCH', `/api/users/${victim.id}`, { disabled: true });
      expect(disable.statusCode).toBe(500);
      expect((await t.ctx.db.selectFrom('users').select('disabled').where('id', '=', victim.id).executeTakeFirstOrThrow()).disabled).toBe(0);
    } finally {
      if (t.ctx.dialect.name === 'sqlite') await sql`drop trigger audit_fail`.execute(t.ctx.db);
      else {
        await sql`drop trigger audit_fail on audit_events`.execute(t.ctx.db);
        await sql`drop function audit_fail()`.execute(t.ctx.db);
      }
    }
    expect((await t.ctx.services.audit.verify(t.ctx.db)).ok).toBe(true);
  });

  it('30 concurrent audited updates keep the chain intact with gap-free sequence numbers', async () => {
    const sys = Scope.system('test');
    const codes = Array.from({ length: 30 }, (_, i) => `${CODES.gridA}${String(i + 200).padStart(3, '0')}`);
    for (const code of codes) await t.ctx.services.regions.create(sys, { code, name: `楼${code.slice(-3)}` });
    const extraResidents = t.world.residentsA.map((r) => r.resident);
    const before = (await allEvents(t)).length;

    const results = await Promise.all([
      ...codes.map((code, i) => inject(command, 'PATCH', `/api/regions/${code}`, { name: `并发${i}` })),
      ...extraResidents.map((r) => t.app.inject({ url: `/api/residents/${r.id}`, headers: { cookie: worker } }).then(async (got) => {
        const version = got.json<{ version: number }>().version;
        return inject(worker, 'PATCH', `/api/residents/${r.id}`, { version, notes: `并发备注 ${r.id.slice(-4)}` });
      })),
      ...Array.from({ length: 5 }, () => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'u_tracer', password: 'Passw0rd-test' } })),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual(results.map(() => 200));

    const events = await allEvents(t);
    expect(events.length).toBe(before + 30 + extraResidents.length + 5);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.prev_hash)).size).toBe(events.length);
    const v = await t.ctx.services.audit.verify(t.ctx.db);
    expect(v).toMatchObject({ ok: true, checked: events.length });
  });
});

describe('audit chain verification names the first tampered event', () => {
  let t: TestApp;
  let auditor: string;
  let admin: string;
  let worker: string;
  let events: AuditRow[];

  beforeAll(async () => {
    t = await createTestApp();
    auditor = await t.login(t.world.usernames.auditor);
    admin = await t.login(t.world.usernames.sysadmin);
    worker = await t.login(t.world.usernames.community_worker);
    events = await allEvents(t);
  });
  afterAll(() => t.close());

  const verify = () => t.ctx.services.audit.verify(t.ctx.db);
  const verifyHttp = (cookie: string) => t.app.inject({ url: '/api/audit/verify', headers: { cookie } });
  const middle = () => events[Math.floor(events.length / 2)]!;

  async function expectBroken(problem: 'altered' | 'missing' | 'reordered', seq: number) {
    const r = await verify();
    expect(r).toMatchObject({ ok: false, problem, firstBadSeq: seq });
    const res = await verifyHttp(auditor);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(r);
    expect(r.message).toMatch(/[\u4e00-\u9fff]/);
    expect(r.message).toContain(`#${seq}`);
  }

  async function update(id: number, patch: Partial<AuditRow>) {
    await t.ctx.db.updateTable('audit_events').set(patch).where('id', '=', id).execute();
  }

  /** Swaps every column but id between two rows (seq is unique, so park one first). */
  async function swapContents(a: AuditRow, b: AuditRow) {
    const { id: _ia, ...ca } = (await t.ctx.db.selectFrom('audit_events').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow());
    const { id: _ib, ...cb } = (await t.ctx.db.selectFrom('audit_events').selectAll().where('id', '=', b.id).executeTakeFirstOrThrow());
    await t.ctx.db.transaction().execute(async (tx) => {
      await tx.updateTable('audit_events').set({ seq: -1 }).where('id', '=', a.id).execute();
      await tx.updateTable('audit_events').set(ca).where('id', '=', b.id).execute();
      await tx.updateTable('audit_events').set(cb).where('id', '=', a.id).execute();
    });
  }

  it('an untouched chain verifies, through the service, HTTP (auditor and sysadmin) and the CLI', async () => {
    const r = await verify();
    expect(r).toEqual({ ok: true, checked: events.length, firstBadSeq: null, problem: null, message: `审计链完整，共校验 ${events.length} 条事件` });
    for (const cookie of [auditor, admin]) {
      const res = await verifyHttp(cookie);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(r);
    }
    const cli = await cliAuditVerify(t);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('审计链完整');
  });

  it('only auditors and administrators may verify', async () => {
    const res = await verifyHttp(worker);
    expect(res.statusCode).toBe(403);
    expect(res.json<ErrorBody>().error.code).toBe('GRIDLINE_FORBIDDEN');
    expect((await t.app.inject({ url: '/api/audit/verify' })).statusCode).toBe(401);
  });

  it('(a) an altered diff or action is named as altered', async () => {
    const e = middle();
    await update(e.id, { diff: JSON.stringify({ name: ['张伟', '李四'] }) });
    await expectBroken('altered', e.seq);
    await update(e.id, { diff: e.diff });
    expect((await verify()).ok).toBe(true);

    await update(e.id, { action: 'region.delete' });
    await expectBroken('altered', e.seq);
    await update(e.id, { action: e.action });

    const first = events[0]!;
    await update(first.id, { actor_name: 'someone_else' });
    await expectBroken('altered', first.seq);
    await update(first.id, { actor_name: first.actor_name });
    expect((await verify()).ok).toBe(true);
  });

  it('an altered event whose hash was recomputed breaks the link to the next one', async () => {
    const e = middle();
    const forged = { ...e, diff: JSON.stringify({ forged: [null, true] }) };
    await update(e.id, { diff: forged.diff, hash: chainHash(e.prev_hash, forged) });
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.firstBadSeq).toBe(e.seq + 1);
    await update(e.id, { diff: e.diff, hash: e.hash });
    expect((await verify()).ok).toBe(true);
  });

  it('(b) a deleted middle event is named as missing (also by the CLI, exit 1)', async () => {
    const e = middle();
    await t.ctx.db.deleteFrom('audit_events').where('id', '=', e.id).execute();
    try {
      await expectBroken('missing', e.seq);
      const cli = await cliAuditVerify(t);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`#${e.seq}`);
      expect(cli.stderr).toContain('缺失');
    } finally {
      await t.ctx.db.insertInto('audit_events').values(e).execute();
    }
    expect((await verify()).ok).toBe(true);
  });

  it('(b) a deleted first event is named as missing', async () => {
    const e = events[0]!;
    await t.ctx.db.deleteFrom('audit_events').where('id', '=', e.id).execute();
    try {
      await expectBroken('missing', 1);
    } finally {
      await t.ctx.db.insertInto('audit_events').values(e).execute();
    }
    expect((await verify()).ok).toBe(true);
  });

  it('(c) two adjacent events swapped wholesale are named as reordered at the first out-of-place one', async () => {
    const a = middle();
    const b = events[events.indexOf(a) + 1]!;
    await swapContents(a, b);
    try {
      // In insertion order the row that used to hold #a now holds #b: the first event out of place.
      await expectBroken('reordered', b.seq);
    } finally {
      await swapContents(a, b);
    }
    expect((await verify()).ok).toBe(true);
  });

  it('(c) a swap of the first two events is caught too', async () => {
    const [a, b] = [events[0]!, events[1]!];
    await swapContents(a, b);
    try {
      await expectBroken('reordered', 2);
    } finally {
      await swapContents(a, b);
    }
    expect((await verify()).ok).toBe(true);
  });

  it('the CLI exits 1 naming the event after tampering', async () => {
    const e = middle();
    await update(e.id, { region_code: CODES.streetB });
    try {
      const cli = await cliAuditVerify(t);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`#${e.seq}`);
      expect(cli.stderr).toContain('篡改');
    } finally {
      await update(e.id, { region_code: e.region_code });
    }
  });
});
