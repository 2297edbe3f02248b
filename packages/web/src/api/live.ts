import { LIVE_EVENT_TYPES, type LiveEvent, type LiveEventType } from '@gridline/shared';
import { useEffect, useRef } from 'react';

type Listener = (e: LiveEvent) => void;

/**
 * One EventSource per tab, open while anything listens: changes in the user's jurisdiction and their jobs'
 * progress, pushed by whichever server instance saw them. The browser reconnects by itself after a network
 * drop; after `expired` (signed out) the stream stays closed until someone listens again.
 */
const listeners = new Set<Listener>();
let source: EventSource | null = null;

function open(): void {
  if (typeof EventSource === 'undefined' || !listeners.size) return;
  if (source && source.readyState !== EventSource.CLOSED) return;
  const s = new EventSource('/api/events');
  for (const type of LIVE_EVENT_TYPES) {
    s.addEventListener(type, (m: MessageEvent<string>) => {
      let e: LiveEvent;
      try {
        e = JSON.parse(m.data) as LiveEvent;
      } catch {
        return;
      }
      for (const l of [...listeners]) l(e);
    });
  }
  s.addEventListener('expired', () => close());
  source = s;
}

function close(): void {
  source?.close();
  source = null;
}

export function subscribeLive(listener: Listener): () => void {
  listeners.add(listener);
  open();
  return () => {
    listeners.delete(listener);
    if (!listeners.size) close();
  };
}

/** Calls `handler` for each live event of the given types while the component is mounted. */
export function useLiveEvents(types: readonly LiveEventType[], handler: (e: LiveEvent) => void, enabled = true): void {
  const ref = useRef(handler);
  ref.current = handler;
  const key = types.join(',');
  useEffect(() => {
    if (!enabled) return undefined;
    const wanted = new Set(key.split(','));
    return subscribeLive((e) => {
      if (wanted.has(e.type)) ref.current(e);
    });
  }, [key, enabled]);
}
