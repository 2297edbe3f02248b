/**
 * Device ingestion over MQTT against the real broker on 127.0.0.1:1883 (Mosquitto): a device publishes a batch on
 * <prefix>/devices/<id>/events and reads the per-item answer on <prefix>/devices/<id>/results. Skipped only when no
 * broker answers and CI is not 'true'; under CI=true an unreachable broker fails the suite.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import type { DeviceWithToken, IngestResult } from '@gridline/shared';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { Scope } from '../src/security/scope.js';
import { CODES, createTestApp, type TestApp } from './harness.js';

const BROKER = { host: '127.0.0.1', port: 1883 };

async function brokerReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(BROKER);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(2000, () => done(false));
  });
}

const reachable = await brokerReachable();
if (!reachable && process.env.CI === 'true') throw new Error(`No MQTT broker on ${BROKER.host}:${BROKER.port}; CI requires the MQTT test (start Mosquitto)`);
if (!reachable) console.log(`No MQTT broker on ${BROKER.host}:${BROKER.port}: MQTT ingestion test skipped (start Mosquitto to run it).`);

type Answer = Partial<IngestResult> & { batch?: unknown; error?: string };

describe.runIf(reachable)('device ingestion over MQTT (real broker)', () => {
  // A topic prefix of its own, so parallel runs (SQLite and PostgreSQL, other test files) never see each other.
  const prefix = `gltest/${crypto.randomBytes(4).toString('hex')}`;
  let t: TestApp;
  let device: DeviceWithToken;
  let other: DeviceWithToken;
  let client: MqttClient;
  const answers: { topic: string; body: Answer }[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { MQTT_URL: `mqtt://${BROKER.host}:${BROKER.port}`, MQTT_TOPIC_PREFIX: prefix } });
    const sys = Scope.system('test');
    const place = await t.ctx.services.places.places.create(sys, { kind: 'gate', name: '西门', regionCode: CODES.communityA, checkpoint: true });
    device = await t.ctx.services.places.devices.create(sys, { name: '西门闸机', placeId: place.id });
    other = await t.ctx.services.places.devices.create(sys, { name: '东门闸机', placeId: place.id });
    client = await mqtt.connectAsync(`mqtt://${BROKER.host}:${BROKER.port}`, { protocolVersion: 5 });
    await client.subscribeAsync(`${prefix}/devices/+/results`, { qos: 1 });
    client.on('message', (topic, payload) => answers.push({ topic, body: JSON.parse(payload.toString('utf8')) as Answer }));
  });
  afterAll(async () => {
    await client?.endAsync();
    await t?.close();
  });

  async function send(deviceId: string, payload: string | object, batch: string): Promise<Answer> {
    await client.publishAsync(`${prefix}/devices/${deviceId}/events`, typeof payload === 'string' ? payload : JSON.stringify({ batch, ...payload }), { qos: 1 });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const hit = answers.find((a) => a.topic === `${prefix}/devices/${deviceId}/results` && (a.body.batch === batch || typeof payload === 'string'));
      if (hit) {
        answers.splice(answers.indexOf(hit), 1);
        return hit.body;
      }
      if (Date.now() > deadline) throw new Error(`no answer on ${prefix}/devices/${deviceId}/results for batch ${batch}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('ingests a batch item by item: good items stored, malformed ones rejected and logged, the answer on the results topic', async () => {
    const now = t.clock.now();
    const zhang = t.world.residentsA[0]!.resident.id;
    const code = t.ctx.services.places.personalCodes.issue(t.world.residentsA[1]!.resident.id, now - 2000).code;
    const answer = await send(device.device.id, {
      token: device.token,
      items: [
        { key: 'm1', kind: 'temperature', residentId: zhang, at: now - 1000, temperature: 36.4 },
        { key: 'm2', kind: 'scan', code, at: now },
        { key: 'm3', kind: 'temperature', residentId: zhang, at: now, temperature: 'hot' },
        { key: 'm4', kind: 'scan', code: 'GL1.tampered', at: now },
        42,
      ],
    }, 'b-1');
    expect(answer).toMatchObject({ batch: 'b-1', accepted: 2, duplicates: 0, rejected: 3 });
    expect(answer.results!.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected', 'rejected', 'rejected']);
    expect(answer.results![2]!.reason).toBe('体温 temperature 应为数字（℃）');
    expect(answer.results![3]!.reason).toContain('格式不正确');
    const scans = await t.ctx.db.selectFrom('scans').selectAll().where('device_id', '=', device.device.id).orderBy('at').execute();
    expect(scans.map((s) => [s.person_id, s.temperature_tenths])).toEqual([[zhang, 364], [t.world.residentsA[1]!.resident.id, null]]);
    const logged = await t.ctx.db.selectFrom('device_rejections').selectAll().where('device_id', '=', device.device.id).execute();
    expect(new Set(logged.map((r) => r.item_key))).toEqual(new Set([null, 'm3', 'm4']));
  });

  it('answers a resent batch with duplicates and never stores it twice', async () => {
    const zhang = t.world.residentsA[0]!.resident.id;
    const answer = await send(device.device.id, { token: device.token, items: [{ key: 'm1', kind: 'temperature', residentId: zhang, at: t.clock.now() - 1000, temperature: 36.4 }] }, 'b-2');
    expect(answer).toMatchObject({ batch: 'b-2', accepted: 0, duplicates: 1 });
    expect((await t.ctx.db.selectFrom('scans').select('id').where('device_id', '=', device.device.id).execute()).length).toBe(2);
  });

  it('refuses a wrong token, another device’s token and a payload that is not JSON, saying why', async () => {
    const item = { key: 'x1', kind: 'scan', residentId: t.world.residentsA[0]!.resident.id, at: t.clock.now() };
    expect(await send(device.device.id, { token: 'gld_wrong', items: [item] }, 'b-3')).toEqual({ batch: 'b-3', error: '设备令牌无效、已更换或设备已停用' });
    expect(await send(device.device.id, { token: other.token, items: [item] }, 'b-4')).toEqual({ batch: 'b-4', error: '设备令牌无效、已更换或设备已停用' });
    expect(await send(device.device.id, { token: device.token, items: [] }, 'b-5')).toEqual({ batch: 'b-5', error: 'items 应为 1–1000 个条目的数组' });
    expect(await send(device.device.id, '{not json', 'b-6')).toEqual({ batch: null, error: '消息不是有效的 JSON' });
    expect((await t.ctx.db.selectFrom('scans').select('id').where('device_id', 'in', [device.device.id, other.device.id]).execute()).length).toBe(2);
  });
});

describe('MQTT configuration', () => {
  it('is off unless MQTT_URL is set, and refuses addresses and topic prefixes it could not use', () => {
    expect(loadConfig({}, '/tmp').mqtt).toEqual({ url: '', topicPrefix: 'gridline' });
    expect(loadConfig({ MQTT_URL: 'mqtt://u:p@broker:1883', MQTT_TOPIC_PREFIX: 'city/a' }, '/tmp').mqtt).toEqual({ url: 'mqtt://u:p@broker:1883', topicPrefix: 'city/a' });
    expect(() => loadConfig({ MQTT_URL: 'http://broker' }, '/tmp')).toThrow(ConfigError);
    expect(() => loadConfig({ MQTT_TOPIC_PREFIX: 'gridline/#' }, '/tmp')).toThrow(/MQTT_TOPIC_PREFIX/);
  });
});
