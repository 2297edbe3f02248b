/**
 * Gate devices (物联网+): the registry (token shown once, only its hash stored, audited), and HTTP ingestion:
 * batches answered item by item, good items kept beside rejected ones, repeated keys never a second row.
 */
import crypto from 'node:crypto';
import { encodePersonalCode, type Device, type DeviceRejection, type DeviceWithToken, type IngestResult, type Place } from '@gridline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext } from '../src/bootstrap.js';
import { Scope } from '../src/security/scope.js';
import { TEST_DIALECT } from './db.js';
import { CODES, createTestApp, TEST_PASSWORD, type TestApp } from './harness.js';

const sys = Scope.system('test');

describe('gate devices and ingestion', () => {
  let t: TestApp;
  let command: string;
  let admin: string;
  let bCommand: string;
  let place: Place;
  let device: DeviceWithToken;
  let zhang: string;
  let li: string;

  const req = async <T>(method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}), headers: { cookie } });
    return { status: res.statusCode, body: res.json<T>(), text: res.body };
  };
  const ingest = async (token: string, items: unknown[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/devices/ingest', payload: { items }, headers: { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, body: res.json<IngestResult & { error?: { code: string; details?: { reason: string } } }>() };
  };
  const scanCount = async () => (await t.ctx.db.selectFrom('scans').select((eb) => eb.fn.countAll<number>().as('n')).where('place_id', '=', place.id).executeTakeFirstOrThrow()).n;

  beforeAll(async () => {
    t = await createTestApp();
    command = await t.login(t.world.usernames.command);
    admin = await t.login(t.world.usernames.sysadmin);
    await t.ctx.services.users.create(sys, { username: 'b_command', displayName: '乙方指挥', role: 'command', nodeCode: CODES.streetB, password: TEST_PASSWORD });
    await t.ctx.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', 'b_command').execute();
    bCommand = await t.login('b_command');
    place = await t.ctx.services.places.places.create(sys, { kind: 'gate', name: '小区北门', regionCode: CODES.communityA, checkpoint: true });
    zhang = t.world.residentsA[0]!.resident.id;
    li = t.world.residentsA[1]!.resident.id;
  });
  afterAll(() => t.close());

  it('registers a device bound to a place; its token is shown once and only a keyed hash is stored (audited)', async () => {
    const places = await req<{ id: string; name: string }[]>('GET', '/api/devices/places', admin);
    expect(places.body.map((p) => p.id)).toContain(place.id);
    const created = await req<DeviceWithToken>('POST', '/api/devices', admin, { name: '北门测温闸机', placeId: place.id });
    expect(created.status).toBe(201);
    device = created.body;
    expect(device.token).toMatch(/^gld_[A-Za-z0-9_-]{43}$/);
    expect(device.device).toMatchObject({ name: '北门测温闸机', placeName: '小区北门', regionCode: CODES.communityA, tokenHint: device.token.slice(-4), active: true });
    const row = await t.ctx.db.selectFrom('devices').selectAll().where('id', '=', device.device.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(device.token);
    const audit = await t.ctx.db.selectFrom('audit_events').selectAll().where('entity_id', '=', device.device.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['device.create']);
    expect(JSON.stringify(audit)).not.toContain(device.token);
    const list = await req<Device[]>('GET', '/api/devices', command);
    expect(list.body.map((d) => d.id)).toEqual([device.device.id]);
    expect(list.text).not.toContain(device.token);
  });

  it('refuses ingestion without a valid token, from a disabled device, and with a replaced token', async () => {
    const item = { key: 'k0', kind: 'scan', residentId: zhang, at: t.clock.now() };
    expect((await t.app.inject({ method: 'POST', url: '/api/devices/ingest', payload: { items: [item] } })).statusCode).toBe(401);
    expect((await ingest('gld_forged', [item])).status).toBe(401);
    await req('PATCH', `/api/devices/${device.device.id}`, command, { active: false });
    const off = await ingest(device.token, [item]);
    expect([off.status, off.body.error?.details?.reason]).toEqual([401, '设备令牌无效、已更换或设备已停用']);
    await req('PATCH', `/api/devices/${device.device.id}`, command, { active: true });
    const replaced = await req<DeviceWithToken>('POST', `/api/devices/${device.device.id}/token`, command);
    expect(replaced.body.token).not.toBe(device.token);
    expect((await ingest(device.token, [item])).status).toBe(401);
    device = replaced.body;
    expect(await scanCount()).toBe(0);
    expect((await ingest(device.token, [])).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ ...item, key: `m${i}` }));
    expect((await ingest(device.token, tooMany)).status).toBe(400);
  });

  it('answers a batch item by item: good items kept, bad ones rejected with a Chinese reason and logged', async () => {
    const now = t.clock.now();
    const code = t.ctx.services.places.personalCodes.issue(li, now - 10_000).code;
    const forged = encodePersonalCode({ residentId: li, issuedAt: now, nonce: new Uint8Array(8) }, (d) => new Uint8Array(crypto.createHmac('sha256', 'x').update(d).digest()));
    const expired = t.ctx.services.places.personalCodes.issue(li, now - 120_000).code;
    const items: unknown[] = [
      { key: 'a1', kind: 'scan', residentId: zhang, at: now - 5000 },
      { key: 'a2', kind: 'temperature', residentId: zhang, at: now - 4000, temperature: 36.62 },
      { key: 'a3', kind: 'temperature', code, at: now - 3000, temperature: 37.8 },
      { kind: 'scan', residentId: zhang, at: now },
      { key: 'b2', kind: 'door', residentId: zhang, at: now },
      { key: 'b3', kind: 'scan', at: now },
      { key: 'b4', kind: 'scan', residentId: zhang, code, at: now },
      { key: 'b5', kind: 'scan', residentId: zhang, at: now + 3_600_000 },
      { key: 'b6', kind: 'scan', residentId: zhang, at: now - 8 * 86_400_000 },
      { key: 'b7', kind: 'temperature', residentId: zhang, at: now, temperature: 48 },
      { key: 'b8', kind: 'temperature', residentId: zhang, at: now },
      { key: 'b9', kind: 'scan', residentId: crypto.randomUUID(), at: now },
      { key: 'b10', kind: 'scan', code: forged, at: now },
      { key: 'b11', kind: 'scan', code: expired, at: now },
      { key: 'b12', kind: 'scan', residentId: zhang, at: now, door: 'north' },
      'not an object',
      { key: 'a1', kind: 'scan', residentId: zhang, at: now },
    ];
    const r = await ingest(device.token, items);
    expect(r.status).toBe(200);
    expect({ accepted: r.body.accepted, duplicates: r.body.duplicates, rejected: r.body.rejected }).toEqual({ accepted: 3, duplicates: 1, rejected: 13 });
    const reason = (i: number) => r.body.results[i]!.reason;
    expect(r.body.results.slice(0, 3).map((x) => x.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(reason(3)).toBe('缺少幂等键 key（1–128 个字符的文本）');
    expect(reason(4)).toBe('类型 kind 应为 scan（扫码）或 temperature（测温）');
    expect(reason(5)).toBe('缺少人员：须提供通行码 code 或居民编号 residentId');
    expect(reason(6)).toBe('通行码 code 与居民编号 residentId 只能提供其一');
    expect(reason(7)).toContain('校准设备时钟');
    expect(reason(8)).toContain('超出补传期限');
    expect(reason(9)).toContain('体温应在 34.0–43.0℃ 之间');
    expect(reason(10)).toBe('测温条目缺少体温 temperature');
    expect(reason(11)).toBe('居民编号 residentId 不在登记册中');
    expect(reason(12)).toContain('签名不符');
    expect(reason(13)).toContain('已过期');
    expect(reason(14)).toBe('含有不允许的字段：door');
    expect(r.body.results[15]).toEqual({ index: 15, key: null, status: 'rejected', reason: '条目不是 JSON 对象' });
    expect(r.body.results[16]).toEqual({ index: 16, key: 'a1', status: 'duplicate' });

    const scans = await t.ctx.db.selectFrom('scans').selectAll().where('place_id', '=', place.id).orderBy('at').execute();
    expect(scans.map((s) => [s.person_id, s.source, s.temperature_tenths, s.fever, s.device_id])).toEqual([
      [zhang, 'device', null, 0, device.device.id],
      [zhang, 'device', 366, 0, device.device.id],
      [li, 'device', 378, 1, device.device.id],
    ]);
    const logged = await req<DeviceRejection[]>('GET', `/api/devices/${device.device.id}/rejections`, command);
    expect(logged.body).toHaveLength(13);
    expect(logged.body.map((x) => x.itemKey)).toContain('b10');
    const after = (await req<Device[]>('GET', '/api/devices', command)).body[0]!;
    expect(after).toMatchObject({ acceptedTotal: 3, rejectedTotal: 13, lastSeenAt: now });
  });

  it('never stores a repeated key twice; a rejected key may come back corrected; a code is used once at the place', async () => {
    const now = t.clock.now();
    const again = await ingest(device.token, [
      { key: 'a1', kind: 'scan', residentId: zhang, at: now - 5000 },
      { key: 'a2', kind: 'temperature', residentId: zhang, at: now - 4000, temperature: 36.6 },
      { key: 'b8', kind: 'temperature', residentId: zhang, at: now, temperature: 36.9 },
    ]);
    expect(again.body.results.map((x) => x.status)).toEqual(['duplicate', 'duplicate', 'accepted']);
    expect(await scanCount()).toBe(4);
    const code = t.ctx.services.places.personalCodes.issue(zhang).code;
    const replay = await ingest(device.token, [
      { key: 'c1', kind: 'scan', code, at: now },
      { key: 'c2', kind: 'scan', code, at: now },
    ]);
    expect(replay.body.results.map((x) => x.status)).toEqual(['accepted', 'rejected']);
    expect(replay.body.results[1]!.reason).toContain('不能重复使用');
    // The replayed item's key stays free for a corrected item.
    const fixed = await ingest(device.token, [{ key: 'c2', kind: 'scan', residentId: zhang, at: now }]);
    expect(fixed.body.results[0]!.status).toBe('accepted');
    expect(await scanCount()).toBe(6);
    // Concurrent retries of one batch: one of them stores it, the other gets duplicates.
    const batch = Array.from({ length: 50 }, (_, i) => ({ key: `p${i}`, kind: 'scan', residentId: i % 2 ? zhang : li, at: now - i }));
    const [x, y] = await Promise.all([ingest(device.token, batch), ingest(device.token, batch)]);
    expect(x.body.accepted + y.body.accepted).toBe(50);
    expect(x.body.duplicates + y.body.duplicates).toBe(50);
    expect(await scanCount()).toBe(56);
  });

  it('stores a batch once when two server instances receive it at the same moment, its code used once', async () => {
    const other = await openContext(t.ctx.config, { clock: t.clock });
    try {
      const now = t.clock.now();
      const code = t.ctx.services.places.personalCodes.issue(li, now - 1000).code;
      const batch = [
        ...Array.from({ length: 40 }, (_, i) => ({ key: `q${i}`, kind: 'scan', residentId: i % 2 ? zhang : li, at: now - i })),
        { key: 'q-code', kind: 'scan', code, at: now },
      ];
      const codeUses = async () => (await t.ctx.db.selectFrom('personal_code_uses').select('nonce').where('place_id', '=', place.id).execute()).length;
      const before = await scanCount();
      const usesBefore = await codeUses();
      const post = async (ctx: typeof other) => ctx.services.places.ingest.ingest(await ctx.services.places.ingest.authenticate(device.token), batch);
      const [x, y] = await Promise.all([post(t.ctx), post(other)]);
      expect(x.accepted + y.accepted).toBe(41);
      expect(x.duplicates + y.duplicates).toBe(41);
      expect(x.rejected + y.rejected).toBe(0);
      expect(await scanCount()).toBe(before + 41);
      expect(await codeUses()).toBe(usesBefore + 1);
    } finally {
      await other.close();
    }
  });

  it('decides repeats inside one write in the items’ order, after the register; refuses control characters', async () => {
    const gate = await t.ctx.services.places.ingest.authenticate(device.token);
    const { ingest: service } = t.ctx.services.places;
    const now = t.clock.now();
    const before = await scanCount();
    // Two calls in one write (neither awaited before the other is made): the first names no registered resident,
    // so the second, under the same key, is the one stored.
    const [first, second] = await Promise.all([
      service.ingest(gate, [{ key: 'w1', kind: 'scan', residentId: crypto.randomUUID(), at: now }]),
      service.ingest(gate, [{ key: 'w1', kind: 'scan', residentId: zhang, at: now }]),
    ]);
    expect(first.results[0]).toMatchObject({ status: 'rejected', reason: '居民编号 residentId 不在登记册中' });
    expect(second.results[0]!.status).toBe('accepted');
    // A fresh code under a key stored before (a duplicate, which uses nothing) and again under a new key: the new
    // key claims the code; a third item with it is a replay.
    const code = t.ctx.services.places.personalCodes.issue(li, now - 1000).code;
    const coded = await service.ingest(gate, [
      { key: 'a1', kind: 'scan', code, at: now },
      { key: 'w2', kind: 'scan', code, at: now },
      { key: 'w3', kind: 'scan', code, at: now },
    ]);
    expect(coded.results.map((r) => r.status)).toEqual(['duplicate', 'accepted', 'rejected']);
    expect(coded.results[2]!.reason).toContain('不能重复使用');
    // A NUL in a key or a field name (PostgreSQL text cannot hold one) is refused item by item; the rest is stored.
    const odd = await service.ingest(gate, [
      { key: 'w4\u0000', kind: 'scan', residentId: zhang, at: now },
      { key: 'w5', kind: 'scan', residentId: zhang, at: now, 'door\u0000': 1 },
      { key: 'w6', kind: 'scan', residentId: zhang, at: now },
    ]);
    expect(odd.results).toEqual([
      { index: 0, key: null, status: 'rejected', reason: '幂等键 key 不能含控制字符' },
      { index: 1, key: 'w5', status: 'rejected', reason: '含有不允许的字段：door?' },
      { index: 2, key: 'w6', status: 'accepted' },
    ]);
    expect(await scanCount()).toBe(before + 3);
    const logged = (await req<DeviceRejection[]>('GET', `/api/devices/${device.device.id}/rejections`, command)).body.slice(0, 4).map((r) => r.reason);
    expect(logged).toEqual(expect.arrayContaining(['幂等键 key 不能含控制字符', '含有不允许的字段：door?', '居民编号 residentId 不在登记册中']));
  });

  // SQLite writes one transaction at a time per file, and a gate's write never waits on another in this process.
  if (TEST_DIALECT === 'postgres') it('answers duplicate for an item another instance is writing at that very moment (PostgreSQL)', async () => {
    const gate = await t.ctx.services.places.ingest.authenticate(device.token);
    const now = t.clock.now();
    let pending: Promise<IngestResult> | undefined;
    // The other instance's write holds the receipt of race-1, uncommitted, while this one arrives.
    await t.ctx.db.transaction().execute(async (tx) => {
      await tx.insertInto('device_receipts').values({ device_id: gate.id, item_key: 'race-1', received_at: now }).execute();
      pending = t.ctx.services.places.ingest.ingest(gate, [
        { key: 'race-1', kind: 'scan', residentId: zhang, at: now },
        { key: 'race-2', kind: 'scan', residentId: li, at: now },
      ]);
      await new Promise((r) => setTimeout(r, 300));
    });
    const r = await pending!;
    expect(r.results.map((x) => x.status)).toEqual(['duplicate', 'accepted']);

    // The same with a personal code: the other write has used the code and holds the key; this one waits on the
    // code, finds it used, and must still answer duplicate (not "replayed"), logging no rejection.
    const code = t.ctx.services.places.personalCodes.issue(li, now - 1000).code;
    const read = t.ctx.services.places.personalCodes.verify(code, now);
    if (!read.ok) throw new Error('the test code does not verify');
    const rejectedBefore = (await req<Device[]>('GET', '/api/devices', command)).body[0]!.rejectedTotal;
    let coded: Promise<IngestResult> | undefined;
    await t.ctx.db.transaction().execute(async (tx) => {
      await tx.insertInto('personal_code_uses').values({ nonce: read.nonce, place_id: place.id, expires_at: read.expiresAt }).execute();
      await tx.insertInto('device_receipts').values({ device_id: gate.id, item_key: 'race-code', received_at: now }).execute();
      coded = t.ctx.services.places.ingest.ingest(gate, [{ key: 'race-code', kind: 'scan', code, at: now }]);
      await new Promise((r) => setTimeout(r, 300));
    });
    expect((await coded!).results.map((x) => x.status)).toEqual(['duplicate']);
    expect((await req<Device[]>('GET', '/api/devices', command)).body[0]!.rejectedTotal).toBe(rejectedBefore);
  });

  it('keeps other jurisdictions out of the registry', async () => {
    expect((await req<Device[]>('GET', '/api/devices', bCommand)).body).toEqual([]);
    expect((await req<{ id: string }[]>('GET', '/api/devices/places', bCommand)).body).toEqual([]);
    for (const [method, url, payload] of [
      ['PATCH', `/api/devices/${device.device.id}`, { active: false }],
      ['POST', `/api/devices/${device.device.id}/token`, undefined],
      ['GET', `/api/devices/${device.device.id}/rejections`, undefined],
    ] as const) {
      const b = await req<{ error: { code: string } }>(method, url, bCommand, payload);
      expect([b.status, b.body.error.code], url).toEqual([404, 'GRIDLINE_NOT_FOUND']);
    }
    const bind = await req<{ error: { code: string } }>('POST', '/api/devices', bCommand, { name: '越界设备', placeId: place.id });
    expect([bind.status, bind.body.error.code]).toEqual([409, 'GRIDLINE_REFERENCE_MISSING']);
    const worker = await t.login(t.world.usernames.community_worker);
    expect((await req<{ error: { code: string } }>('GET', '/api/devices', worker)).body.error.code).toBe('GRIDLINE_FORBIDDEN');
  });
});
