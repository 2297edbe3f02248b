import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';

describe('system routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN: 'scrape-secret' } });
  });
  afterAll(() => t.close());

  it('reports health with the database kind', async () => {
    const res = await t.app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: t.ctx.dialect.name });
  });

  it('guards /metrics with METRICS_TOKEN when set', async () => {
    expect((await t.app.inject('/metrics')).statusCode).toBe(401);
    const res = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-secret' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('# TYPE gridline_http_request_duration_seconds histogram');
  });

  it('documents every API route with request and response schemas in OpenAPI', async () => {
    const spec = (await t.app.inject('/api/openapi.json')).json<{ paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> }>();
    const ops = Object.entries(spec.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => ({ p, m, op })));
    expect(ops.length).toBeGreaterThan(20);
    // Every operation documents its success response (200, 201 created, 202 accepted) and the errors it returns.
    for (const { p, m, op } of ops) {
      const codes = Object.keys(op.responses ?? {});
      expect(codes.some((c) => /^2\d\d$/.test(c)), `${m} ${p} documents a success response`).toBe(true);
      // The client configuration is static and public: it has no error to document.
      if (p !== '/api/config') expect(codes.some((c) => /^[45]\d\d$/.test(c)), `${m} ${p} documents its errors`).toBe(true);
    }
  });

  it('sends defensive headers and answers unknown API paths with the error shape', async () => {
    const res = await t.app.inject('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'GRIDLINE_NOT_FOUND' } });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});

describe('removing a resident who has an account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('disables and unbinds the account, ends its sessions and audits it', async () => {
    const residentCookie = await t.login(t.world.usernames.resident);
    expect((await t.app.inject({ url: '/api/me/household', headers: { cookie: residentCookie } })).statusCode).toBe(200);
    const worker = await t.login(t.world.usernames.community_worker);
    const id = t.world.residentsA[0]!.resident.id;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/residents/${id}`, headers: { cookie: worker } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/me/household', headers: { cookie: residentCookie } })).statusCode).toBe(401);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: t.world.usernames.resident, password: 'Passw0rd-test' } });
    expect(login.json()).toMatchObject({ error: { code: 'GRIDLINE_ACCOUNT_DISABLED' } });
    const user = await t.ctx.db.selectFrom('users').select(['disabled', 'resident_id', 'household_id']).where('username', '=', t.world.usernames.resident).executeTakeFirstOrThrow();
    expect(user).toEqual({ disabled: 1, resident_id: null, household_id: null });
    const events = await t.ctx.db.selectFrom('audit_events').select('action').where('action', 'in', ['user.disable', 'resident.delete']).orderBy('seq').execute();
    expect(events.map((e) => e.action)).toEqual(['user.disable', 'resident.delete']);
  });
});
