import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, Timestamp } from './common.js';

/**
 * Live events pushed to signed-in users over GET /api/events (server-sent events). They say *that* something
 * changed, never the personal data itself: a client that cares re-reads through the scoped API.
 */
export const LIVE_EVENT_TYPES = ['resident.changed', 'household.changed', 'job.updated', 'task.changed', 'screening.changed', 'notification', 'protocol.changed', 'whistle.changed', 'contact.changed'] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

export const LiveEvent = Type.Object({
  type: StringEnum(LIVE_EVENT_TYPES),
  at: Timestamp,
  /** The region node the change concerns (delivered to users whose jurisdiction covers it); null for owner-only events. */
  node: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type LiveEvent = Static<typeof LiveEvent>;
