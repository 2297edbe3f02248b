import type { VisitBody } from '@gridline/shared';
import { useSyncExternalStore } from 'react';
import { toApiError } from '../api/client';
import { screeningApi } from '../api/screening';
import { fieldDb, type QueuedVisit } from './db';
import { fieldStore } from './field-store';

/**
 * Visits recorded on the phone wait here (IndexedDB) with their idempotency keys and are sent in the order
 * they were made: at once when online, again when the browser says the network is back, and otherwise on a
 * retry timer that backs off (2 s, 4 s … 1 min). A retry re-sends the same key, so a visit whose answer was
 * lost on a bad line is still stored exactly once.
 */
export interface SyncState {
  online: boolean;
  syncing: boolean;
  pending: number;
  failed: number;
  conflicts: number;
  /** The server refused our session: visits wait until the worker signs in again. */
  authNeeded: boolean;
  lastSyncedAt: number | null;
  nextRetryAt: number | null;
}

const RETRY_MS = [2000, 4000, 8000, 16_000, 30_000, 60_000];
/** Sent visits are kept this long so the worker can see what went through. */
const KEEP_SYNCED_MS = 7 * 86_400_000;

type Listener = () => void;

class VisitQueue {
  private userId: string | null = null;
  private state: SyncState = { online: typeof navigator === 'undefined' ? true : navigator.onLine, syncing: false, pending: 0, failed: 0, conflicts: 0, authNeeded: false, lastSyncedAt: null, nextRetryAt: null };
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;

  /** Begins for a signed-in user: counts what is waiting and listens for the network coming back. */
  start(userId: string): void {
    this.userId = userId;
    if (!this.started) {
      this.started = true;
      window.addEventListener('online', () => {
        this.set({ online: true });
        this.failures = 0;
        this.kick();
      });
      window.addEventListener('offline', () => this.set({ online: false }));
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') this.kick();
      });
    }
    void this.recount().then(() => this.kick());
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  snapshot = (): SyncState => this.state;

  /** Queues a visit (it keeps its key for good) and tries to send it at once. */
  async add(body: VisitBody, address: string): Promise<void> {
    if (!this.userId) throw new Error('visit queue not started');
    const item: QueuedVisit = {
      clientKey: body.clientKey, userId: this.userId, campaignId: body.campaignId, householdId: body.householdId, address, body,
      status: 'pending', attempts: 0, error: null, visitId: null, createdAt: Date.now(), syncedAt: null,
    };
    await (await fieldDb()).put('queue', item);
    await this.recount();
    this.failures = 0;
    this.kick();
  }

  async items(): Promise<QueuedVisit[]> {
    if (!this.userId) return [];
    const all = await (await fieldDb()).getAllFromIndex('queue', 'byUser', this.userId);
    return all.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** A refused visit sent again after the worker fixed the cause (e.g. signed in), or one they give up. */
  async retry(clientKey: string): Promise<void> {
    await this.patch(clientKey, { status: 'pending', error: null });
    this.failures = 0;
    this.kick();
  }

  async discard(clientKey: string): Promise<void> {
    await (await fieldDb()).delete('queue', clientKey);
    await this.recount();
  }

  /** A conflict the worker resolved on the server: nothing left to do here. */
  async settled(visitId: string): Promise<void> {
    for (const q of await this.items()) if (q.visitId === visitId) await this.patch(q.clientKey, { status: 'synced', syncedAt: Date.now() });
    await this.recount();
  }

  /** Sends what is waiting now (one run at a time; a call during a run asks for one more). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async run(): Promise<void> {
    if (!this.userId) return;
    const waiting = (await this.items()).filter((q) => q.status === 'pending');
    if (!waiting.length) return this.recount();
    this.set({ syncing: true, nextRetryAt: null });
    try {
      for (const q of waiting) {
        try {
          const v = await screeningApi.visit(q.body);
          await this.patch(q.clientKey, { status: v.status === 'conflict' ? 'conflict' : 'synced', visitId: v.id, attempts: q.attempts + 1, error: null, syncedAt: Date.now() });
          await fieldStore.applyStored(q.userId, v);
          this.failures = 0;
          this.set({ online: true, authNeeded: false, lastSyncedAt: Date.now() });
        } catch (err) {
          const e = toApiError(err);
          if (e.status === 0 || e.status >= 500 || e.status === 429) {
            // The network (or the server) is not there: keep everything and try again later.
            await this.patch(q.clientKey, { attempts: q.attempts + 1 });
            this.schedule(e.status === 0);
            return;
          }
          if (e.isAuth) {
            this.set({ authNeeded: true });
            return;
          }
          await this.patch(q.clientKey, { status: 'failed', attempts: q.attempts + 1, error: e.messageZh + (e.fields.length ? `：${e.fields.map((f) => f.message).join('；')}` : '') });
        }
      }
    } finally {
      await this.prune();
      await this.recount();
      this.set({ syncing: false });
    }
  }

  private schedule(offline: boolean): void {
    const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!;
    this.failures += 1;
    this.set({ online: !offline && navigator.onLine, nextRetryAt: Date.now() + delay });
    this.timer = setTimeout(() => this.kick(), delay);
  }

  private async patch(clientKey: string, patch: Partial<QueuedVisit>): Promise<void> {
    const db = await fieldDb();
    const item = await db.get('queue', clientKey);
    if (item) await db.put('queue', { ...item, ...patch });
  }

  private async prune(): Promise<void> {
    const db = await fieldDb();
    for (const q of await this.items()) if (q.status === 'synced' && q.syncedAt !== null && Date.now() - q.syncedAt > KEEP_SYNCED_MS) await db.delete('queue', q.clientKey);
  }

  private async recount(): Promise<void> {
    const all = await this.items();
    this.set({
      pending: all.filter((q) => q.status === 'pending').length,
      failed: all.filter((q) => q.status === 'failed').length,
      conflicts: all.filter((q) => q.status === 'conflict').length,
    });
  }

  private set(patch: Partial<SyncState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }
}

export const visitQueue = new VisitQueue();

export function useSyncState(): SyncState {
  return useSyncExternalStore(visitQueue.subscribe, visitQueue.snapshot);
}
