/**
 * The SQLite WAL checkpoint thread (db/wal-checkpointer.ts). These tests make their own SQLite files whatever the
 * run's dialect: the thread exists only for a file database.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { applySqlitePragmas, createDatabase, setWalCheckpointing, type DatabaseHandle } from '../src/db/database.js';
import { startWalCheckpointer } from '../src/db/wal-checkpointer.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridline-wal-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => path.join(dir, `db-${++n}.sqlite`);
const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** ~4 MiB of rows written through the handle's own connection: ~1,000 WAL pages, far below either autocheckpoint. */
function write4MiB(handle: DatabaseHandle): Promise<void> {
  return handle.sqlite!.exclusive((conn) => {
    conn.exec('create table if not exists t (b blob not null)');
    const insert = conn.prepare('insert into t (b) values (randomblob(2048))');
    conn.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run();
    })();
  });
}

describe('WAL checkpoint thread', () => {
  it('copies committed pages into the database file while the writer never checkpoints', async () => {
    const file = freshFile();
    const handle = await createDatabase({ dialect: 'sqlite', file }, { checkpointing: 'background' });
    try {
      const autocheckpoint = await handle.sqlite!.exclusive((conn) => conn.pragma('wal_autocheckpoint', { simple: true }));
      expect(autocheckpoint).toBe(65536);
      const before = size(file);
      await write4MiB(handle);
      await until('the database file holds the rows', () => size(file) > before + 4_000_000);
    } finally {
      await handle.close();
    }
  });

  it('inline, the same rows stay in the log (the writer checkpoints only at 16,384 pages)', async () => {
    const file = freshFile();
    const handle = await createDatabase({ dialect: 'sqlite', file });
    try {
      expect(await handle.sqlite!.exclusive((conn) => conn.pragma('wal_autocheckpoint', { simple: true }))).toBe(16384);
      const before = size(file);
      await write4MiB(handle);
      await new Promise((r) => setTimeout(r, 500));
      expect(size(file)).toBe(before);
      expect(size(`${file}-wal`)).toBeGreaterThan(4_000_000);
    } finally {
      await handle.close();
    }
  });

  it('cuts a large log back to nothing once writes are light, and stops on request', async () => {
    const file = freshFile();
    const conn = new SqliteDatabase(file);
    applySqlitePragmas(conn, { checkpointing: 'background' });
    conn.exec('create table t (b blob not null)');
    const insert = conn.prepare('insert into t (b) values (randomblob(2048))');
    conn.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run();
    })();
    // The writer leaves the log as long as it grew (journal_size_limit -1 with the thread).
    expect(size(`${file}-wal`)).toBeGreaterThan(4_000_000);
    const errors: Error[] = [];
    const thread = startWalCheckpointer(file, (e) => errors.push(e), { intervalMs: 20, truncateAboveBytes: 1_000_000 });
    try {
      // A trickle of small commits meanwhile is still light.
      for (let i = 0; i < 20 && size(`${file}-wal`) > 0; i++) {
        insert.run();
        await new Promise((r) => setTimeout(r, 20));
      }
      await until('the log is cut back', () => size(`${file}-wal`) === 0);
      expect((conn.prepare('select count(*) as c from t').get() as { c: number }).c).toBeGreaterThanOrEqual(2001);
    } finally {
      await thread.stop();
      conn.close();
    }
    expect(errors).toEqual([]);
  });

  it('reports a thread that cannot open its file', async () => {
    const errors: Error[] = [];
    const thread = startWalCheckpointer(path.join(dir, 'missing', 'x.sqlite'), (e) => errors.push(e));
    await until('the failure is reported', () => errors.length > 0);
    await thread.stop();
    expect(errors[0]!.message).toMatch(/unable to open|directory does not exist|SQLITE_CANTOPEN/i);
  });

  it('when the thread is gone, the connection checkpoints and cuts the log back itself again', () => {
    const conn = new SqliteDatabase(freshFile());
    try {
      applySqlitePragmas(conn, { checkpointing: 'background' });
      expect([conn.pragma('wal_autocheckpoint', { simple: true }), conn.pragma('journal_size_limit', { simple: true })]).toEqual([65536, -1]);
      setWalCheckpointing(conn, 'inline');
      expect([conn.pragma('wal_autocheckpoint', { simple: true }), conn.pragma('journal_size_limit', { simple: true })]).toEqual([16384, 134217728]);
    } finally {
      conn.close();
    }
  });

  it('a process with nothing else to do finishes closing the database before it exits', () => {
    // Under vitest something always keeps the event loop alive; a plain script shows whether close() completes.
    const script = `
      import { createDatabase } from ${JSON.stringify(new URL('../src/db/database.ts', import.meta.url).href)};
      const handle = await createDatabase({ dialect: 'sqlite', file: ${JSON.stringify(freshFile())} }, { checkpointing: 'background' });
      await handle.close();
      console.log('closed');
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(out.trim()).toBe('closed');
  });

  it('a memory database gets no thread and checkpoints inline', async () => {
    const handle = await createDatabase({ dialect: 'sqlite', file: ':memory:' }, { checkpointing: 'background' });
    try {
      expect(await handle.sqlite!.exclusive((conn) => conn.pragma('wal_autocheckpoint', { simple: true }))).toBe(16384);
    } finally {
      await handle.close();
    }
  });
});
