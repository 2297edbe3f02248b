import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, cli, startServer, tempDir, type RunningServer } from './support/process.js';

/**
 * What a newcomer does: start on an empty SQLite file (the demo street is generated), sign in as the demo
 * community worker and see only that community, masked; then the CLI's audit check and the logical
 * export/import between SQLite and PostgreSQL.
 */
const PASSWORD = 'Gridline@2026';
const COMMUNITY_1 = '340104008001';
const COMMUNITY_2 = '340104008002';

interface Page {
  items: { name: string; regionCode: string; docNumberMasked: string; phoneMasked: string | null }[];
  total: number;
}

describe('a fresh start on SQLite', () => {
  const dataDir = tempDir('start');
  const env = { DATA_DIR: dataDir, DEMO_RESIDENTS: '3000' };
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('prints where to open it and the demo accounts', () => {
    expect(server.output()).toContain(server.url);
    expect(server.output()).toMatch(/worker\s+社区工作者 · 梅园社区/);
    expect(server.output()).toContain(PASSWORD);
  });

  it('lets the demo community worker list only their community, masked', async () => {
    const api = new ApiClient(server.url);
    expect(await api.login('worker', PASSWORD)).toBe(200);
    const { status, body } = await api.get<Page>('/api/residents?pageSize=200');
    expect(status).toBe(200);
    expect(body.total).toBeGreaterThan(300);
    expect(body.total).toBeLessThan(3000);
    for (const r of body.items) {
      expect(r.regionCode.startsWith(COMMUNITY_1)).toBe(true);
      expect(r.docNumberMasked).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
      if (r.phoneMasked) expect(r.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
    }
    const other = await api.get<Page>(`/api/residents?node=${COMMUNITY_2}`);
    expect(other.status).toBe(403);
  });

  it('keeps the second community worker in their own community', async () => {
    const api = new ApiClient(server.url);
    expect(await api.login('worker2', PASSWORD)).toBe(200);
    const { body } = await api.get<Page>('/api/residents?pageSize=200');
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((r) => r.regionCode.startsWith(COMMUNITY_2))).toBe(true);
  });

  it('gives the demo resident their household and nothing else', async () => {
    const api = new ApiClient(server.url);
    expect(await api.login('resident', PASSWORD)).toBe(200);
    const mine = await api.get<{ members: unknown[] }>('/api/me/household');
    expect(mine.status).toBe(200);
    expect(mine.body.members.length).toBeGreaterThan(0);
    expect((await api.get('/api/residents')).status).toBe(403);
  });

  it('serves the OpenAPI document, its browsable UI and metrics', async () => {
    const spec = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toContain('/api/residents');
    expect((await fetch(`${server.url}/api/docs`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain('gridline_http_request_duration_seconds');
  });

  it('verifies the audit chain and moves all data SQLite → PostgreSQL → SQLite through the CLI', async () => {
    await server.stop();
    expect(cli(['audit', 'verify'], env).code).toBe(0);
    const file = path.join(dataDir, 'export.ndjson');
    const exported = cli(['export', '--out', file], env);
    expect(exported.code, exported.stderr).toBe(0);

    const key = fs.readFileSync(path.join(dataDir, 'gridline.key'), 'utf8').trim();
    const adminUrl = process.env.GRIDLINE_TEST_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
    const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
    let pgReachable = true;
    try {
      await admin.connect();
    } catch {
      pgReachable = false;
    }
    let source = file;
    if (pgReachable) {
      const dbName = `gridline_e2e_${Date.now()}`;
      await admin.query(`create database ${dbName}`);
      try {
        const url = new URL(adminUrl);
        url.pathname = `/${dbName}`;
        const pgEnv = { DATABASE_URL: url.toString(), DATA_DIR: tempDir('pg'), GRIDLINE_DATA_KEY: key };
        const imported = cli(['import', '--in', file], pgEnv);
        expect(imported.code, imported.stderr + imported.stdout).toBe(0);
        expect(imported.stdout).toContain('审计链完整');
        source = path.join(tempDir('pgexport'), 'export.ndjson');
        expect(cli(['export', '--out', source], pgEnv).code).toBe(0);
      } finally {
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
    } else if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is not reachable at ${adminUrl}; CI requires it`);
    }

    const target = tempDir('target');
    const targetEnv = { DATA_DIR: target, GRIDLINE_DATA_KEY: key };
    const back = cli(['import', '--in', source], targetEnv);
    expect(back.code, back.stderr).toBe(0);
    const a = new Database(path.join(dataDir, 'gridline.sqlite'), { readonly: true });
    const b = new Database(path.join(target, 'gridline.sqlite'), { readonly: true });
    for (const table of ['region_nodes', 'households', 'residents', 'resident_tags', 'users', 'audit_events']) {
      const count = (d: Database.Database) => (d.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
      expect(count(b), table).toBe(count(a));
    }
    a.close();
    b.close();
  });
});
