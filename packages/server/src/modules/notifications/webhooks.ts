import crypto from 'node:crypto';
import { ancestorCodes, type WebhookDelivery, type WebhookPayload } from '@gridline/shared';
import type { Db, WebhookDeliveriesTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { PersonalDataCipher } from '../../lib/personal-data.js';
import { Scope } from '../../security/scope.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { notificationsRepository as repo } from './notifications.repository.js';

/** Header with the body's HMAC-SHA256 under the subscription's secret: `sha256=<hex>`. */
export const SIGNATURE_HEADER = 'x-gridline-signature';
const ATTEMPT_TIMEOUT_MS = 10_000;
/** While one attempt runs, its delivery is not due for anyone else. */
const LEASE_MS = 5 * 60_000;

export function signBody(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Wait after the n-th failed attempt: 30 s, 2 min, 8 min, 32 min, ~2 h, then 6 h. */
export function backoffMs(failedAttempts: number): number {
  return Math.min(30_000 * 4 ** Math.max(0, failedAttempts - 1), 6 * 3600_000);
}

interface DeliveryPayload {
  deliveryIds: string[];
}

/**
 * Outgoing webhooks. A notification concerning a node becomes one delivery per active subscription at that node
 * or above it whose kinds include it; each delivery is a row that stays pending with its next attempt time until
 * a POST answers 2xx or the attempts run out. Attempts run in the job queue ('webhook_delivery'); the retry
 * sweep (scheduled every minute, and once at start) queues what is due, so retries survive a restart.
 */
export class WebhookDispatcher {
  constructor(private readonly deps: { db: Db; clock: Clock; cipher: PersonalDataCipher; queue: JobQueue; maxAttempts: number; log?: { warn(o: object, m: string): void } }) {
    deps.queue.register<DeliveryPayload>('webhook_delivery', async (job, payload) => {
      let delivered = 0;
      for (const id of payload.deliveryIds) {
        await job.checkpoint();
        if (await this.attempt(id)) delivered++;
      }
      return { result: { attempted: payload.deliveryIds.length, delivered }, message: `已投递 ${delivered}/${payload.deliveryIds.length}` };
    });
  }

  /** Records deliveries for a notification and queues their first attempt; returns how many were queued. */
  async enqueue(kind: string, node: string | null, message: Omit<WebhookPayload, 'id' | 'kind' | 'node' | 'at'>): Promise<number> {
    if (!node) return 0;
    const subs = (await repo.activeSubscriptionsAt(this.deps.db, ancestorCodes(node))).filter((s) => {
      const kinds = JSON.parse(s.kinds) as string[];
      return kinds.length === 0 || kinds.includes(kind);
    });
    if (!subs.length) return 0;
    const now = this.deps.clock.now();
    const rows: WebhookDeliveriesTable[] = subs.map((s) => {
      const id = newId();
      const payload: WebhookPayload = { id, kind, title: message.title, body: message.body, link: message.link, node, at: now };
      return {
        id, subscription_id: s.id, kind, payload: JSON.stringify(payload), status: 'pending', attempts: 0, next_attempt_at: now,
        last_status: null, last_error: null, created_at: now, delivered_at: null,
      };
    });
    await repo.insertDeliveries(this.deps.db, rows);
    await this.deps.queue.enqueue('webhook_delivery', Scope.system('webhooks'), { deliveryIds: rows.map((r) => r.id) }, { total: rows.length, message: '等待投递' });
    return rows.length;
  }

  /** Queues every due pending delivery (after a restart, after a backoff); returns how many. */
  async sweep(): Promise<number> {
    const due = await repo.dueDeliveries(this.deps.db, this.deps.clock.now(), 500);
    if (!due.length) return 0;
    await this.deps.queue.enqueue('webhook_delivery', Scope.system('webhooks'), { deliveryIds: due.map((d) => d.id) }, { total: due.length, message: '等待重试' });
    return due.length;
  }

  /** One attempt of one delivery, if it is still pending and due; true when it was delivered. */
  async attempt(id: string): Promise<boolean> {
    const { db, clock, cipher } = this.deps;
    const startedAt = clock.now();
    if (!(await repo.claimDelivery(db, id, startedAt, LEASE_MS))) return false;
    const d = await repo.delivery(db, id);
    const sub = d && (await repo.subscription(db, d.subscription_id));
    if (!d || !sub) return false;
    const attempt = d.attempts + 1;
    const t0 = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(sub.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Gridline-Webhook/1',
          [SIGNATURE_HEADER]: signBody(cipher.decrypt(sub.secret_enc), d.payload),
          'x-gridline-event': d.kind,
          'x-gridline-delivery': d.id,
          'x-gridline-attempt': String(attempt),
        },
        body: d.payload,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        redirect: 'manual',
      });
      statusCode = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
    }
    const now = clock.now();
    await repo.insertAttempt(db, { id: newId(), delivery_id: id, attempt, at: now, status_code: statusCode, error, duration_ms: Math.round(performance.now() - t0) });
    if (!error) {
      await repo.updateDelivery(db, id, { status: 'delivered', attempts: attempt, last_status: statusCode, last_error: null, delivered_at: now, next_attempt_at: null });
      return true;
    }
    const out = attempt >= this.deps.maxAttempts;
    await repo.updateDelivery(db, id, {
      status: out ? 'failed' : 'pending', attempts: attempt, last_status: statusCode, last_error: error.slice(0, 500), next_attempt_at: out ? null : now + backoffMs(attempt),
    });
    if (out) this.deps.log?.warn({ deliveryId: id, url: sub.url, error }, 'webhook delivery failed for good');
    return false;
  }

  async deliveries(subscriptionId: string, limit = 50): Promise<WebhookDelivery[]> {
    const rows = await repo.deliveriesOf(this.deps.db, subscriptionId, limit);
    const attempts = await repo.attemptsOf(this.deps.db, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id, kind: r.kind, status: r.status as WebhookDelivery['status'], attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at === null ? null : Number(r.next_attempt_at), lastStatus: r.last_status, lastError: r.last_error,
      createdAt: Number(r.created_at), deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
      log: attempts.filter((a) => a.delivery_id === r.id).map((a) => ({ attempt: a.attempt, at: Number(a.at), statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })),
    }));
  }
}
