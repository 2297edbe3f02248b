import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.js';

describe('harness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves health and lets a community worker list only their community, masked', async () => {
    expect((await t.app.inject('/api/health')).json()).toMatchObject({ status: 'ok' });
    const cookie = await t.login(t.world.usernames.community_worker);
    const res = await t.app.inject({ url: '/api/residents', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: { name: string; docNumberMasked: string }[]; total: number }>();
    expect(body.total).toBe(3);
    expect(body.items.map((r) => r.name).sort()).toEqual(['张伟', '李娜', '王芳'].sort());
    expect(res.body).not.toContain(t.world.residentsA[0]!.docNumber);
  });
});
