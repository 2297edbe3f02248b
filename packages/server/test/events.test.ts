/**
 * Live events (GET /api/events, server-sent events): a change reaches the signed-in users whose jurisdiction
 * covers it and may read it, never anyone else; a job's progress reaches only its owner; the stream says
 * `expired` and ends when the session ends. Runs on a real listening socket (the stream never "finishes").
 */
import type { Job, LiveEvent } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROLES } from '@gridline/shared';
import type { BusEvent } from '../src/modules/events/event-bus.js';
import { delivers } from '../src/modules/events/events.routes.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, ROLE_NODES, TEST_PASSWORD, type TestApp } from './harness.js';

interface Stream {
  events: (LiveEvent & { event: string })[];
  ended: Promise<void>;
  close(): void;
}

let t: TestApp;
let base: string;
let worker: string;
let grid: string;
let otherStreet: string;
const streams: Stream[] = [];

beforeAll(async () => {
  t = await createTestApp({ env: { LIVE_HEARTBEAT_SECONDS: '1' } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  worker = await t.login(t.world.usernames.community_worker);
  grid = await t.login(t.world.usernames.grid_worker);
  await t.ctx.services.users.create(Scope.system('test'), { username: 'b_worker', displayName: '乙社区工作者', role: 'community_worker', nodeCode: CODES.communityB, password: TEST_PASSWORD });
  await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).execute();
  otherStreet = await t.login('b_worker');
});
afterAll(async () => {
  for (const s of streams) s.close();
  await t.close();
});

async function open(cookie: string): Promise<Stream> {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/events`, { headers: { cookie }, signal: ctrl.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: Stream['events'] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buf = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, ...(JSON.parse(data) as LiveEvent) });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  const s = { events, ended, close: () => ctrl.abort() };
  streams.push(s);
  return s;
}

describe('who hears of what (every role)', () => {
  const event = (type: BusEvent['type'], node: string | null, ownerId: string | null = null): BusEvent => ({ type, node, ownerId, at: 0, data: {} });
  it.each([...ROLES])('%s: own jurisdiction by permission, never side B, jobs only their own', (role) => {
    const scope = new Scope({
      kind: 'user', userId: `u-${role}`, username: role, displayName: role, role, node: role === 'resident' ? CODES.unitA + '0101' : ROLE_NODES[role] || CODES.streetA,
      householdId: null, residentId: null, sessionId: null, ip: null,
    });
    const inside = scope.node;
    expect(delivers(scope, event('resident.changed', inside))).toBe(scope.can('resident.read'));
    expect(delivers(scope, event('household.changed', inside))).toBe(scope.can('household.read'));
    for (const type of ['resident.changed', 'household.changed'] as const) expect(delivers(scope, event(type, CODES.unitB + '0101'))).toBe(false);
    expect(delivers(scope, event('job.updated', null, `u-${role}`))).toBe(true);
    expect(delivers(scope, event('job.updated', null, 'someone-else'))).toBe(false);
    expect(delivers(scope, event('job.queued', inside))).toBe(false);
  });
});

describe('live events', () => {
  it('need a session', async () => {
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
  });

  it('tell users covering the change, and nobody in another jurisdiction, without personal data', async () => {
    const mine = await open(worker);
    const theirs = await open(otherStreet);
    const r = t.world.residentsA[0]!.resident;
    const res = await t.app.inject({ method: 'PATCH', url: `/api/residents/${r.id}`, headers: { cookie: grid }, payload: { version: r.version, notes: '需要送药' } });
    expect(res.statusCode, res.body).toBe(200);
    await vi.waitFor(() => expect(mine.events.some((e) => e.type === 'resident.changed' && e.data.residentId === r.id)).toBe(true));
    const e = mine.events.find((x) => x.type === 'resident.changed')!;
    expect(e).toMatchObject({ event: 'resident.changed', node: r.regionCode, data: { action: 'update', residentId: r.id } });
    expect(JSON.stringify(e)).not.toMatch(/需要送药|张伟|1390000/);
    // Give the other jurisdiction's stream the same time to (wrongly) receive it.
    await new Promise((r) => setTimeout(r, 200));
    expect(theirs.events.filter((x) => x.type === 'resident.changed')).toEqual([]);
  });

  it('tell only the owner how their job stands', async () => {
    const owner = await open(worker);
    const colleague = await open(grid);
    const res = await t.app.inject({ method: 'POST', url: '/api/exports/residents', headers: { cookie: worker }, payload: { filters: {} } });
    const job = res.json<Job>();
    await vi.waitFor(() => expect(owner.events.some((e) => e.type === 'job.updated' && e.data.jobId === job.id && e.data.status === 'succeeded')).toBe(true));
    expect(colleague.events.filter((e) => e.type === 'job.updated')).toEqual([]);
  });

  it('end with `expired` when the session ends', async () => {
    const cookie = await t.login(t.world.usernames.community_worker);
    const s = await open(cookie);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(200);
    await s.ended;
    expect(s.events.map((e) => e.event)).toContain('expired');
  });
});
