import mqtt, { type MqttClient } from 'mqtt';
import { INGEST_MAX_ITEMS } from '@gridline/shared';
import { AppError } from '../../lib/errors.js';
import type { IngestService } from './ingest.service.js';

export interface BridgeLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Devices over MQTT (docs/DEVICES.md): a device publishes `<prefix>/devices/<deviceId>/events` with
 * `{ "token": "...", "batch": "optional id", "items": [...] }` and receives `<prefix>/devices/<deviceId>/results`
 * with the same answer the HTTP endpoint gives (plus `batch`), or `{ batch, error }` when the whole message is
 * refused. Every instance subscribes through one shared subscription (`$share/…`), so each message is ingested
 * by exactly one of them.
 */
/** The broker address without its password, for logs. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export class MqttDeviceBridge {
  private client: MqttClient | null = null;

  constructor(private readonly deps: { url: string; prefix: string; ingest: IngestService; log: BridgeLog }) {}

  get eventsFilter(): string {
    return `${this.deps.prefix}/devices/+/events`;
  }

  resultsTopic(deviceId: string): string {
    return `${this.deps.prefix}/devices/${deviceId}/results`;
  }

  async start(): Promise<void> {
    const { url, log } = this.deps;
    const client = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 2000, connectTimeout: 10_000, clientId: `gridline-${process.pid}-${Math.random().toString(16).slice(2, 10)}` });
    this.client = client;
    const shared = `$share/${this.deps.prefix.replace(/\//g, '_')}-ingest/${this.eventsFilter}`;
    // A broker that is down is reported once, not on every reconnect attempt; its return is reported too.
    let down = false;
    client.on('connect', () => {
      down = false;
      client.subscribe(shared, { qos: 1 }, (err) => {
        if (err) log.error({ err }, 'MQTT subscribe failed');
        else log.info({ filter: this.eventsFilter }, 'MQTT device ingestion subscribed');
      });
    });
    client.on('error', (err) => {
      if (!down) log.warn({ err: err.message, url: redact(url) }, 'MQTT broker unreachable; retrying every 2 s');
      down = true;
    });
    client.on('message', (topic, payload) => {
      void this.handle(topic, payload).catch((err: unknown) => log.error({ err, topic }, 'MQTT device message failed'));
    });
    // Wait for the first connection (or its failure) so that the server starts with ingestion either on or reported.
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      client.once('connect', done);
      client.once('error', done);
      setTimeout(done, 5000).unref();
    });
  }

  /** One device message: parse, authenticate (the token must be the topic's device's), ingest, answer. */
  async handle(topic: string, payload: Buffer): Promise<void> {
    const m = new RegExp(`^${this.deps.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/devices/([^/]+)/events$`).exec(topic);
    if (!m) return;
    const deviceId = m[1]!;
    let batch: unknown = null;
    const answer = (body: object) => this.publish(this.resultsTopic(deviceId), { batch, ...body });
    let message: { token?: unknown; items?: unknown; batch?: unknown };
    try {
      message = JSON.parse(payload.toString('utf8')) as typeof message;
    } catch {
      this.deps.log.warn({ deviceId }, 'MQTT device message is not JSON');
      return answer({ error: '消息不是有效的 JSON' });
    }
    if (typeof message !== 'object' || message === null) return answer({ error: '消息应为 JSON 对象' });
    batch = typeof message.batch === 'string' || typeof message.batch === 'number' ? message.batch : null;
    let device;
    try {
      device = await this.deps.ingest.authenticate(typeof message.token === 'string' ? message.token : '');
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      device = null;
    }
    if (!device || device.id !== deviceId) {
      this.deps.log.warn({ deviceId }, 'MQTT device message with an invalid token');
      return answer({ error: '设备令牌无效、已更换或设备已停用' });
    }
    if (!Array.isArray(message.items) || message.items.length === 0 || message.items.length > INGEST_MAX_ITEMS) {
      return answer({ error: `items 应为 1–${INGEST_MAX_ITEMS} 个条目的数组` });
    }
    const result = await this.deps.ingest.ingest(device, message.items, this.deps.log);
    return answer(result);
  }

  private publish(topic: string, body: object): Promise<void> {
    return new Promise((resolve) => {
      if (!this.client) return resolve();
      this.client.publish(topic, JSON.stringify(body), { qos: 1 }, (err) => {
        if (err) this.deps.log.warn({ err: err.message, topic }, 'MQTT publish failed');
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync();
  }
}
