import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../../db/schema.js';
import { Subscribers, type BusEvent, type BusListener, type BusLog, type EventBus } from './event-bus.js';

/** NOTIFY payloads are limited to 8000 bytes; events carry ids and counts, far below it. */
const MAX_PAYLOAD = 7900;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/**
 * The bus across instances: publishing is `pg_notify` on a pooled connection (so an event raised inside a
 * transaction would only go out on commit), and each instance keeps one dedicated connection that LISTENs and
 * hands what arrives — its own events included — to its local subscribers. A lost connection is re-opened
 * with backoff; events sent meanwhile are missed, which the job runner covers by polling and clients by
 * re-reading on reconnect.
 */
export class PostgresEventBus implements EventBus {
  private log: BusLog | undefined;
  private readonly subscribers = new Subscribers(() => this.log);
  private client: pg.Client | null = null;
  private stopped = true;
  private retryMs = RECONNECT_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: { db: Db; url: string; channel: string }) {}

  async publish(event: Omit<BusEvent, 'at'> & { at?: number }): Promise<void> {
    const e: BusEvent = { ...event, at: event.at ?? Date.now() };
    let payload = JSON.stringify(e);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
      this.log?.warn({ type: e.type, bytes: Buffer.byteLength(payload) }, 'event too large for NOTIFY; sent without data');
      payload = JSON.stringify({ ...e, data: {} });
    }
    await sql`select pg_notify(${this.deps.channel}, ${payload})`.execute(this.deps.db);
  }

  subscribe(listener: BusListener): () => void {
    return this.subscribers.add(listener);
  }

  async start(log?: BusLog): Promise<void> {
    this.log = log;
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.deps.url });
    client.on('notification', (msg) => {
      if (msg.channel !== this.deps.channel || !msg.payload) return;
      try {
        this.subscribers.deliver(JSON.parse(msg.payload) as BusEvent);
      } catch (err) {
        this.log?.warn({ err }, 'unreadable event payload');
      }
    });
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      if (this.stopped) return;
      this.log?.warn({ err, retryMs: this.retryMs }, 'event bus connection lost; reconnecting');
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`listen ${client.escapeIdentifier(this.deps.channel)}`);
    this.client = client;
    this.retryMs = RECONNECT_MIN_MS;
  }

  private scheduleReconnect(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().catch((err: unknown) => {
        this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
        if (!this.stopped) {
          this.log?.warn({ err, retryMs: this.retryMs }, 'event bus reconnect failed');
          this.scheduleReconnect();
        }
      });
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
