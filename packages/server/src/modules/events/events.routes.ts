import { ErrorResponse, LIVE_EVENT_TYPES, type LiveEvent, type LiveEventType, type Permission } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { sessionOf } from '../../http/auth-hook.js';
import type { App } from '../../http/types.js';
import type { Scope } from '../../security/scope.js';
import type { AuthService } from '../auth/auth.service.js';
import type { BusEvent, EventBus } from './event-bus.js';

const LIVE = new Set<string>(LIVE_EVENT_TYPES);
/** What a user must be allowed to read to hear of a change in their jurisdiction. */
const NEEDS: Record<LiveEventType, Permission | null> = {
  'resident.changed': 'resident.read',
  'household.changed': 'household.read',
  'job.updated': null,
  'task.changed': 'task.read',
  'screening.changed': 'screening.read',
  // Always sent to its one recipient (ownerId).
  notification: null,
  'protocol.changed': 'protocol.read',
  // Whistles: a "look again" for lists under the node (department staff re-read through their department's scope).
  'whistle.changed': 'whistle.read',
  // Contact tracing: a case's contacts changed (grid workers hear of their follow-up tasks through task.changed).
  'contact.changed': 'trace.read',
};

/** Whether this user hears of this event: their own jobs; changes under their node that they may read. */
export function delivers(scope: Scope, e: BusEvent): boolean {
  if (!LIVE.has(e.type)) return false;
  if (e.ownerId !== null) return e.ownerId === scope.actor.userId;
  const need = NEEDS[e.type as LiveEventType];
  // A protocol version concerns every jurisdiction: it is published for the root node ('').
  return (need === null || scope.can(need)) && (e.type === 'protocol.changed' || scope.covers(e.node));
}

/**
 * GET /api/events: a server-sent event stream of the live events this user may see, from whichever instance
 * raised them. The stream ends with an `expired` event when the session ends (sign-out, idle, disabled).
 */
export function eventsRoutes(app: App, bus: EventBus, auth: AuthService, heartbeatMs: number): void {
  // Open streams are ended before the server closes, which would otherwise wait for them.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.get('/api/events', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['events'],
      summary: 'Live events (text/event-stream): changes in my jurisdiction, my jobs’ progress',
      description: `Each message is \`event: <type>\` with \`data:\` one LiveEvent as JSON. Types: ${LIVE_EVENT_TYPES.join(', ')}. A comment line every LIVE_HEARTBEAT_SECONDS (default 25 s; it keeps proxies from closing the stream and re-checks the session); \`event: expired\` then end of stream when the session ends.`,
      response: { 200: Type.Unsafe<LiveEvent>({ type: 'string', description: 'text/event-stream' }), 401: ErrorResponse },
    },
    handler: async (req, reply) => {
      const { scope } = sessionOf(req);
      const sessionId = scope.actor.sessionId;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // nginx and similar proxies would otherwise buffer the stream.
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      res.write(`retry: 5000\n: connected\n\n`);
      let closed = false;
      const send = (e: BusEvent) => {
        if (closed || !delivers(scope, e)) return;
        const out: LiveEvent = { type: e.type as LiveEventType, at: e.at, node: e.ownerId ? null : e.node, data: e.data };
        res.write(`event: ${out.type}\ndata: ${JSON.stringify(out)}\n\n`);
      };
      const unsubscribe = bus.subscribe(send);
      const end = () => {
        if (closed) return;
        closed = true;
        open.delete(end);
        clearInterval(beat);
        unsubscribe();
        res.end();
      };
      const beat = setInterval(() => {
        void (async () => {
          if (sessionId && !(await auth.sessionAlive(sessionId).catch(() => true))) {
            res.write(`event: expired\ndata: {}\n\n`);
            return end();
          }
          res.write(`: ${Date.now()}\n\n`);
        })();
      }, heartbeatMs);
      beat.unref();
      open.add(end);
      req.raw.on('close', end);
    },
  });
}
