import { EventEmitter } from 'node:events';
import type { LiveEventType } from '@gridline/shared';
import type { Scope } from '../../security/scope.js';

/** What travels between instances: a live event for users, or `job.queued` that wakes every job runner. */
export interface BusEvent {
  type: LiveEventType | 'job.queued';
  at: number;
  /** Region node the event concerns: users whose jurisdiction covers it receive it. */
  node: string | null;
  /** When set, only this user receives it (their own job's progress). */
  ownerId: string | null;
  data: Record<string, unknown>;
}

export type BusListener = (event: BusEvent) => void;

/**
 * Publishes events to every instance (this one included) and hands them to local subscribers. On SQLite the
 * product is one process and the bus is an emitter; on PostgreSQL it is LISTEN/NOTIFY (see pg-event-bus.ts).
 * Delivery is best effort, like any notification: state lives in the database, events only say "look again".
 */
export interface EventBus {
  publish(event: Omit<BusEvent, 'at'> & { at?: number }): Promise<void>;
  subscribe(listener: BusListener): () => void;
  start(log?: BusLog): Promise<void>;
  stop(): Promise<void>;
}

export interface BusLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Local fan-out shared by both buses; a throwing subscriber never stops the others. */
export class Subscribers {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  constructor(private readonly log: () => BusLog | undefined) {}

  add(listener: BusListener): () => void {
    const safe = (e: BusEvent) => {
      try {
        listener(e);
      } catch (err) {
        this.log()?.error({ err, type: e.type }, 'event subscriber failed');
      }
    };
    this.emitter.on('event', safe);
    return () => this.emitter.off('event', safe);
  }

  deliver(event: BusEvent): void {
    this.emitter.emit('event', event);
  }
}

export class InProcessEventBus implements EventBus {
  private log: BusLog | undefined;
  private readonly subscribers = new Subscribers(() => this.log);

  async publish(event: Omit<BusEvent, 'at'> & { at?: number }): Promise<void> {
    const e: BusEvent = { ...event, at: event.at ?? Date.now() };
    // Asynchronous like a real bus: the publisher's transaction and response finish first.
    setImmediate(() => this.subscribers.deliver(e));
  }

  subscribe(listener: BusListener): () => void {
    return this.subscribers.add(listener);
  }

  async start(log?: BusLog): Promise<void> {
    this.log = log;
  }

  async stop(): Promise<void> {}
}

/**
 * Tells other users' screens that something under `node` changed, after the change committed; `by` is the
 * acting user's id, so their own screen can tell its own changes apart. Best effort: a failed publish never
 * fails the request that made the change (the database already holds it).
 */
export function announce(bus: EventBus | undefined, scope: Scope, type: LiveEventType, node: string, data: Record<string, unknown>): void {
  void bus?.publish({ type, node, ownerId: null, data: { ...data, by: scope.actor.userId } }).catch(() => undefined);
}
