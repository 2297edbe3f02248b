import { buildResidentId } from '@gridline/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/lib/errors.js';
import { CODES, createTestApp, type TestApp } from './harness.js';
import { TEST_DIALECT } from './db.js';

interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; code: string; message: string }[]; details?: Record<string, unknown> };
}

/** Awaits a promise that must reject with an AppError, and returns it. */
async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected the query to fail');
}

describe(`database constraint errors become domain errors (${TEST_DIALECT})`, () => {
  let t: TestApp;
  const now = Date.UTC(2026, 10, 29);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('the context runs on the dialect under test', () => {
    expect(t.ctx.dialect.name).toBe(TEST_DIALECT);
  });

  it('a duplicate primary key → GRIDLINE_CONFLICT naming the key columns', async () => {
    const err = await appError(
      t.ctx.db.insertInto('region_nodes').values({ code: CODES.gridA, parent_code: CODES.communityA, level: 'grid', name: '重复', geometry: null, created_at: now, updated_at: now }).execute(),
    );
    expect(err.code).toBe('GRIDLINE_CONFLICT');
    expect(err.status).toBe(409);
    expect(err.details).toMatchObject({ table: 'region_nodes', columns: ['code'] });
    expect(err.cause).toBeDefined();
  });

  it('a duplicate composite primary key → GRIDLINE_CONFLICT with both columns', async () => {
    const r = t.world.residentsA[0]!.resident;
    const err = await appError(t.ctx.db.insertInto('resident_tags').values({ resident_id: r.id, tag: 'chronic_disease', region_code: r.regionCode }).execute());
    expect(err.code).toBe('GRIDLINE_CONFLICT');
    expect(err.details?.columns).toEqual(['resident_id', 'tag']);
  });

  it('a duplicate unique key → GRIDLINE_CONFLICT naming the unique columns', async () => {
    const u = await t.ctx.db.selectFrom('users').selectAll().where('username', '=', t.world.usernames.auditor).executeTakeFirstOrThrow();
    const err = await appError(t.ctx.db.insertInto('users').values({ ...u, id: '01900000-0000-7000-8000-000000000001' }).execute());
    expect(err.code).toBe('GRIDLINE_CONFLICT');
    expect(err.details).toMatchObject({ table: 'users', columns: ['username'] });

    const resident = await t.ctx.db.selectFrom('residents').selectAll().where('id', '=', t.world.residentsA[0]!.resident.id).executeTakeFirstOrThrow();
    const dup = await appError(t.ctx.db.insertInto('residents').values({ ...resident, id: '01900000-0000-7000-8000-000000000002' }).execute());
    expect(dup.code).toBe('GRIDLINE_CONFLICT');
    expect(dup.details).toMatchObject({ table: 'residents', columns: ['doc_type', 'doc_number_hash'] });
  });

  it('a dangling foreign key → GRIDLINE_REFERENCE_MISSING', async () => {
    const err = await appError(
      t.ctx.db.insertInto('households').values({ id: '01900000-0000-7000-8000-000000000003', code: `${CODES.unitA.slice(0, 18)}990101`, unit_code: `${CODES.unitA.slice(0, 18)}99`, room: '0101', address: '不存在', created_at: now, updated_at: now }).execute(),
    );
    expect(err.code).toBe('GRIDLINE_REFERENCE_MISSING');
    expect(err.status).toBe(409);

    const session = await appError(
      t.ctx.db.insertInto('sessions').values({ id: 'dangling', user_id: '01900000-0000-7000-8000-00000000dead', created_at: now, last_seen_at: now, expires_at: now + 1, ip: null, user_agent: null }).execute(),
    );
    expect(session.code).toBe('GRIDLINE_REFERENCE_MISSING');
  });

  it('deleting a referenced row → GRIDLINE_REFERENCE_MISSING (restrict)', async () => {
    const err = await appError(t.ctx.db.deleteFrom('households').where('id', '=', t.world.householdA).execute());
    expect(err.code).toBe('GRIDLINE_REFERENCE_MISSING');
    expect(await t.ctx.db.selectFrom('households').select('id').where('id', '=', t.world.householdA).execute()).toHaveLength(1);
  });

  it('a NULL in a NOT NULL column → GRIDLINE_REQUIRED_MISSING naming the column', async () => {
    const err = await appError(sql`insert into region_nodes (code, parent_code, level, name, created_at, updated_at) values (${`${CODES.gridA}777`}, ${CODES.gridA}, 'building', ${null}, ${now}, ${now})`.execute(t.ctx.db));
    expect(err.code).toBe('GRIDLINE_REQUIRED_MISSING');
    expect(err.status).toBe(400);
    expect(err.details).toMatchObject({ table: 'region_nodes', columns: ['name'] });
    expect(err.fields).toEqual([{ path: '/name', code: 'required', message: '此项为必填项' }]);

    const update = await appError(t.ctx.db.updateTable('users').set({ display_name: null as unknown as string }).where('username', '=', t.world.usernames.auditor).execute());
    expect(update.code).toBe('GRIDLINE_REQUIRED_MISSING');
    expect(update.details?.columns).toEqual(['display_name']);
  });

  it('a CHECK violation → GRIDLINE_VALIDATION', async () => {
    const err = await appError(
      t.ctx.db.insertInto('region_nodes').values({ code: `${CODES.gridA}778`, parent_code: CODES.gridA, level: 'castle', name: '城堡', geometry: null, created_at: now, updated_at: now }).execute(),
    );
    expect(err.code).toBe('GRIDLINE_VALIDATION');
  });

  it('errors inside a transaction are translated too, and the transaction rolls back', async () => {
    const code = `${CODES.gridA}779`;
    const err = await appError(
      t.ctx.db.transaction().execute(async (tx) => {
        await tx.insertInto('region_nodes').values({ code, parent_code: CODES.gridA, level: 'building', name: '临时', geometry: null, created_at: now, updated_at: now }).execute();
        await tx.insertInto('region_nodes').values({ code, parent_code: CODES.gridA, level: 'building', name: '临时', geometry: null, created_at: now, updated_at: now }).execute();
      }),
    );
    expect(err.code).toBe('GRIDLINE_CONFLICT');
    expect(await t.ctx.db.selectFrom('region_nodes').select('code').where('code', '=', code).execute()).toHaveLength(0);
    // The connection is still usable afterwards.
    expect(await t.ctx.db.selectFrom('region_nodes').select('code').where('code', '=', CODES.gridA).execute()).toHaveLength(1);
  });

  it('an error that is no constraint passes through untranslated', async () => {
    await expect(sql`select * from no_such_table`.execute(t.ctx.db)).rejects.not.toBeInstanceOf(AppError);
  });

  describe('duplicate document through the API', () => {
    let worker: string;
    beforeAll(async () => {
      worker = await t.login(t.world.usernames.community_worker);
    });
    const body = (docNumber: string) => ({
      householdId: t.world.householdA2, name: '冒用者', docType: 'resident_id', docNumber, relationToHead: 'other_relative', residenceStatus: 'registered',
    });

    it('points at the existing resident when it is in scope', async () => {
      const existing = t.world.residentsA[0]!;
      const res = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie: worker }, payload: body(existing.docNumber) });
      expect(res.statusCode).toBe(409);
      const e = res.json<ErrorBody>().error;
      expect(e.code).toBe('GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT');
      expect(e.details).toEqual({ existingResidentId: existing.resident.id });
      expect(e.fields).toEqual([expect.objectContaining({ path: '/body/docNumber', code: 'duplicate' })]);
    });

    it('a lowercase or full-width variant of the same number is the same document', async () => {
      const existing = t.world.residentsA[2]!;
      const fullWidth = existing.docNumber.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
      const res = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie: worker }, payload: body(fullWidth) });
      expect(res.statusCode).toBe(409);
      expect(res.json<ErrorBody>().error.details).toEqual({ existingResidentId: existing.resident.id });
    });

    it('does not reveal the existing id when the record lies in another jurisdiction', async () => {
      const other = t.world.residentsB[0]!;
      const res = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie: worker }, payload: body(other.docNumber) });
      expect(res.statusCode).toBe(409);
      const e = res.json<ErrorBody>().error;
      expect(e.code).toBe('GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT');
      expect(e.details).not.toHaveProperty('existingResidentId');
      expect(e.details).toEqual({ inOtherJurisdiction: true });
      expect(res.body).not.toContain(other.resident.id);
      expect(res.body).not.toContain(other.resident.name);
    });

    it('changing a document number onto an existing one is refused the same way', async () => {
      const target = t.world.residentsA[1]!.resident;
      const res = await t.app.inject({ method: 'PATCH', url: `/api/residents/${target.id}`, headers: { cookie: worker }, payload: { version: target.version, docNumber: t.world.residentsA[0]!.docNumber } });
      expect(res.statusCode).toBe(409);
      expect(res.json<ErrorBody>().error).toMatchObject({ code: 'GRIDLINE_RESIDENT_DUPLICATE_DOCUMENT', details: { existingResidentId: t.world.residentsA[0]!.resident.id } });
      const outside = await t.app.inject({ method: 'PATCH', url: `/api/residents/${target.id}`, headers: { cookie: worker }, payload: { version: target.version, docNumber: t.world.residentsB[1]!.docNumber } });
      expect(outside.statusCode).toBe(409);
      expect(outside.json<ErrorBody>().error.details).toEqual({ inOtherJurisdiction: true });
    });

    it('a fresh number is accepted', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie: worker }, payload: body(buildResidentId('110105', '1991-02-03', 512)) });
      expect(res.statusCode).toBe(201);
    });
  });
});
