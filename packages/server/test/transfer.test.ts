import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILT_IN_PROTOCOLS } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { openContext } from '../src/bootstrap.js';
import { loadConfig, type Config } from '../src/config/config.js';
import type { AppContext } from '../src/context.js';
import type { Database } from '../src/db/schema.js';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.js';
import { ManualClock } from '../src/lib/clock.js';
import { AppError } from '../src/lib/errors.js';
import { Scope } from '../src/security/scope.js';
import { exportData, importData, NOT_EXPORTED, SEEDED_BY_MIGRATIONS, TABLES as EXPORTED, type ExportHeader } from '../src/transfer/transfer.js';
import { TEST_DIALECT, testConfig } from './db.js';
import { CODES, createTestApp, seedWorld, TEST_PASSWORD, type TestApp, type World } from './harness.js';

/** The exported tables and a key to order their rows by (sessions are deliberately not exported). */
const TABLES: [keyof Database, string[]][] = EXPORTED.map((t) => [t.name, t.key]);

type Row = Record<string, unknown>;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gridline-transfer-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
const tmpFile = (name: string) => path.join(tmp, `${++fileNo}-${name}`);

async function counts(ctx: AppContext): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [table] of TABLES) {
    const r = await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

/** Every exported row of every table, in key order (sorted in JS so collations cannot differ). */
async function dump(ctx: AppContext): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const [table, key] of TABLES) {
    const rows = (await ctx.db.selectFrom(table).selectAll().execute()) as Row[];
    const k = (r: Row) => key.map((c) => String(r[c])).join('\u0000');
    out[table] = rows.sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
  }
  return out;
}

// Tables the migrations fill (built-in protocol versions) count as empty when they hold only those rows.
const isEmpty = async (ctx: AppContext) => Object.entries(await counts(ctx)).every(([table, n]) => n === 0 || (SEEDED_BY_MIGRATIONS.has(table) && n === BUILT_IN_PROTOCOLS.length));

/** A SQLite database with the given data key, built the way test/db.ts builds one but independent of the dialect under test. */
function sqliteConfig(dataKey: string): Config {
  const dir = fs.mkdtempSync(path.join(tmp, 'sqlite-'));
  return loadConfig({ DATA_DIR: dir, GRIDLINE_DATA_KEY: dataKey, LOG_LEVEL: 'silent', DEMO_ON_EMPTY: 'false', DATABASE_URL: `sqlite:${path.join(dir, 'x.sqlite')}` }, dir);
}

async function importFailure(ctx: AppContext, file: string): Promise<AppError> {
  try {
    await importData(ctx, file);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('GRIDLINE_IMPORT_INVALID');
    return err as AppError;
  }
  throw new Error('import should have been refused');
}

/**
 * After an import: the rows are identical, a resident's document decrypts to the original, staff sign in
 * with their old password, the chain verifies, and new events append to it (sequences moved past imported ids).
 */
async function checkImported(source: AppContext, target: AppContext, world: { username: string; password: string; residentId: string; docNumber: string }) {
  expect(await counts(target)).toEqual(await counts(source));
  expect(await dump(target)).toEqual(await dump(source));

  const before = await target.services.audit.verify(target.db);
  const sourceCheck = await source.services.audit.verify(source.db);
  expect(before).toEqual(sourceCheck);
  expect(before.ok).toBe(true);

  const app = await buildApp(target, { logger: false });
  try {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: world.username, password: world.password } });
    expect(login.statusCode).toBe(200);
    const cookie = `gridline_session=${login.cookies.find((c) => c.name === 'gridline_session')!.value}`;
    const unmasked = await app.inject({ method: 'POST', url: `/api/residents/${world.residentId}/unmask`, headers: { cookie }, payload: { purpose: '迁移后核对' } });
    expect(unmasked.statusCode).toBe(200);
    expect(unmasked.json<{ docNumber: string }>().docNumber).toBe(world.docNumber);
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: world.username, password: 'Wrong-passw0rd' } })).statusCode).toBe(401);
  } finally {
    await app.close();
  }
  const after = await target.services.audit.verify(target.db);
  expect(after).toMatchObject({ ok: true, checked: before.checked + 3 });
  const last = await target.db.selectFrom('audit_events').select(['id', 'seq', 'action']).orderBy('id', 'desc').limit(3).execute();
  expect(last.map((e) => e.action)).toEqual(['auth.login_failed', 'resident.unmask', 'auth.login']);
  expect(last.map((e) => e.seq)).toEqual([before.checked + 3, before.checked + 2, before.checked + 1]);
  const maxImportedId = Math.max(0, ...((await dump(source)).audit_events ?? []).map((r) => Number(r.id)));
  expect(last[2]!.id).toBeGreaterThan(maxImportedId);
}

describe(`export and import (${TEST_DIALECT})`, () => {
  let t: TestApp;
  let file: string;
  let header: ExportHeader;
  const opened: AppContext[] = [];

  const fresh = async (overrides: Record<string, string> = {}) => {
    const ctx = await openContext(testConfig(overrides), { clock: new ManualClock() });
    opened.push(ctx);
    return ctx;
  };
  const freshSqlite = async () => {
    const ctx = await openContext(sqliteConfig(t.ctx.config.dataKey!), { clock: new ManualClock() });
    opened.push(ctx);
    return ctx;
  };
  const worldCheck = (w: World) => ({ username: w.usernames.community_worker, password: TEST_PASSWORD, residentId: w.residentsA[0]!.resident.id, docNumber: w.residentsA[0]!.docNumber });

  beforeAll(async () => {
    t = await createTestApp();
    // Some history beyond the seed: a move (household_moves), a sign-in, an unmask.
    await t.ctx.services.households.move(Scope.system('test'), t.world.householdA2, { unitCode: CODES.unitA, room: '0502', reason: '搬迁测试' });
    await t.login(t.world.usernames.grid_worker);
    file = tmpFile('world.ndjson');
    header = await exportData(t.ctx, file);
  });
  afterAll(async () => {
    for (const ctx of opened) await ctx.close();
    await t.close();
  });

  it('exports every table except those left out on purpose (a new table cannot be forgotten)', async () => {
    // Partitions of event tables (audit_events_202611, …_default) are part of their parent.
    // On PostgreSQL every test app has its own schema: only this one's tables count.
    const schema = t.ctx.config.db.dialect === 'postgres' ? t.ctx.config.db.schema : undefined;
    const inDb = (await t.ctx.db.introspection.getTables({ withInternalKyselyTables: false }))
      .filter((x) => !schema || x.schema === schema)
      .map((x) => x.name)
      .filter((n) => !/_(\d{6}|default)$/.test(n));
    expect(inDb.sort()).toEqual([...EXPORTED.map((x) => x.name), ...Object.keys(NOT_EXPORTED)].sort());
  });

  it('writes a header announcing the dialect, migrations, key fingerprint and row counts', async () => {
    expect(header).toMatchObject({ format: 'gridline-export', formatVersion: 1, sourceDialect: TEST_DIALECT, keyFingerprint: t.ctx.cipher.fingerprint });
    expect(header.migrations.length).toBeGreaterThan(0);
    expect(header.tables).toEqual(await counts(t.ctx));
    expect(header.tables.household_moves).toBe(1);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + Object.values(header.tables).reduce((a, b) => a + b, 0));
    // Ciphertexts travel, plain document numbers never do; sessions are not exported.
    const text = fs.readFileSync(file, 'utf8');
    for (const r of [...t.world.residentsA, ...t.world.residentsB]) {
      expect(text).not.toContain(r.docNumber);
      expect(text).not.toContain(r.phone);
    }
    expect(text).not.toContain('"t":"sessions"');
  });

  it('imports into a fresh database of the same dialect: identical rows, readable documents, working logins, a valid chain', async () => {
    const target = await fresh();
    const { imported } = await importData(target, file);
    expect(imported).toEqual(Object.fromEntries(Object.entries(header.tables).filter(([, n]) => n > 0)));
    await checkImported(t.ctx, target, worldCheck(t.world));
  });

  it('moves a small demo street (seed 7, 300 residents)', async () => {
    const source = await fresh();
    const summary = await seedDemo(source, 7, 300);
    expect(summary.residents).toBe(300);
    const demoFile = tmpFile('demo.ndjson');
    const h = await exportData(source, demoFile);
    expect(h.tables.residents).toBe(300);
    const target = await fresh();
    await importData(target, demoFile);
    const resident = await source.db.selectFrom('residents').select(['id', 'doc_number_enc']).where('region_code', 'like', `${summary.accounts.find((a) => a.username === 'worker')!.node}%`).orderBy('id').limit(1).executeTakeFirstOrThrow();
    await checkImported(source, target, { username: 'worker', password: DEMO_PASSWORD, residentId: resident.id, docNumber: source.cipher.decrypt(resident.doc_number_enc) });
  });

  // Registered only on a PostgreSQL run (the SQLite side needs no server), so a SQLite run reports no skips.
  if (TEST_DIALECT === 'postgres') describe('across dialects', () => {
    it('SQLite → PostgreSQL', async () => {
      const source = await freshSqlite();
      expect(source.dialect.name).toBe('sqlite');
      const world = await seedWorld(source);
      await source.services.households.move(Scope.system('test'), world.householdA, { unitCode: CODES.unitA, room: '0901', reason: '跨库迁移' });
      const f = tmpFile('sqlite.ndjson');
      expect((await exportData(source, f)).sourceDialect).toBe('sqlite');
      const target = await fresh();
      expect(target.dialect.name).toBe('postgres');
      await importData(target, f);
      await checkImported(source, target, worldCheck(world));
    });

    it('PostgreSQL → SQLite', async () => {
      const target = await freshSqlite();
      await importData(target, file);
      await checkImported(t.ctx, target, worldCheck(t.world));
    });

    it('a demo street SQLite → PostgreSQL → SQLite comes back identical', async () => {
      const a = await freshSqlite();
      await seedDemo(a, 11, 200);
      const f1 = tmpFile('demo-a.ndjson');
      await exportData(a, f1);
      const b = await fresh();
      await importData(b, f1);
      const f2 = tmpFile('demo-b.ndjson');
      await exportData(b, f2);
      const c = await freshSqlite();
      await importData(c, f2);
      expect(await dump(c)).toEqual(await dump(a));
      expect((await c.services.audit.verify(c.db)).ok).toBe(true);
    });
  });

  describe('refusals leave the target untouched', () => {
    it('refuses a database that is not empty', async () => {
      const before = await dump(t.ctx);
      const err = await importFailure(t.ctx, file);
      expect(err.message).toMatch(/not empty/);
      expect(await dump(t.ctx)).toEqual(before);
    });

    it('refuses a file written under another data key', async () => {
      const target = await fresh({ GRIDLINE_DATA_KEY: crypto.randomBytes(32).toString('base64') });
      expect(target.cipher.fingerprint).not.toBe(header.keyFingerprint);
      const err = await importFailure(target, file);
      expect(err.message).toMatch(/data key/);
      expect(await isEmpty(target)).toBe(true);
    });

    it('refuses a file truncated at a line boundary (counts mismatch) and rolls back what it had inserted', async () => {
      const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      const cut = tmpFile('cut.ndjson');
      fs.writeFileSync(cut, lines.slice(0, -5).join('\n') + '\n');
      const target = await fresh();
      const err = await importFailure(target, cut);
      expect(err.message).toMatch(/audit_events.*truncated/);
      expect(await isEmpty(target)).toBe(true);
      // Nothing half-done stays behind: the full file still imports into the same database afterwards.
      await importData(target, file);
      expect(await counts(target)).toEqual(header.tables);
      expect((await target.services.audit.verify(target.db)).ok).toBe(true);
    });

    it('refuses a file cut in the middle of a line', async () => {
      const text = fs.readFileSync(file, 'utf8');
      const cut = tmpFile('cut-mid.ndjson');
      fs.writeFileSync(cut, text.slice(0, text.indexOf('\n', Math.floor(text.length * 0.6)) - 10));
      const target = await fresh();
      const err = await importFailure(target, cut);
      expect(err.message).toMatch(/Line \d+/);
      expect(await isEmpty(target)).toBe(true);
    });

    it('refuses files that are not Gridline exports, or from another schema version', async () => {
      const target = await fresh();
      const cases: Record<string, string> = {
        empty: '',
        text: 'hello world\n',
        json: '{"format":"something-else","formatVersion":1}\n',
        version: JSON.stringify({ ...header, formatVersion: 2 }) + '\n',
        migrations: JSON.stringify({ ...header, migrations: [...header.migrations, '209901010000_future'] }) + '\n',
        table: JSON.stringify(header) + '\n' + JSON.stringify({ t: 'secrets', r: { x: 1 } }) + '\n',
      };
      for (const [name, content] of Object.entries(cases)) {
        const f = tmpFile(`${name}.ndjson`);
        fs.writeFileSync(f, content);
        await importFailure(target, f);
        expect(await isEmpty(target), name).toBe(true);
      }
    });

    it('refuses an edited file whose counts no longer match its header', async () => {
      const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      const h = JSON.parse(lines[0]!) as ExportHeader;
      const edited = tmpFile('edited.ndjson');
      fs.writeFileSync(edited, [JSON.stringify({ ...h, tables: { ...h.tables, residents: (h.tables.residents ?? 0) + 1 } }), ...lines.slice(1)].join('\n') + '\n');
      const target = await fresh();
      const err = await importFailure(target, edited);
      expect(err.message).toMatch(/residents/);
      expect(await isEmpty(target)).toBe(true);
    });
  });
});
