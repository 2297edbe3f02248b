import type { Campaign, FieldHouseholds, Me } from '@gridline/shared';
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../../../api/client';
import { screeningApi } from '../../../api/screening';
import { fieldStore, withQueued, type LocalHousehold } from '../../../offline/field-store';
import { useSyncState, visitQueue } from '../../../offline/visit-queue';

/** Who works in the field app: the signed-in user, or (offline at start) the one last signed in on this phone. */
export interface FieldUser {
  me: Me;
  /** The app started without reaching the server: it works from what the phone kept. */
  offlineStart: boolean;
}

export const FieldContext = createContext<FieldUser | undefined>(undefined);

export function useFieldUser(): FieldUser {
  const v = useContext(FieldContext);
  if (!v) throw new Error('useFieldUser outside the field layout');
  return v;
}

export interface Loaded<T> {
  data: T | undefined;
  /** When the data came from the phone rather than the server: when it was saved. */
  savedAt: number | null;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Server first, the phone's copy when the server cannot be reached: every answer from the server is kept
 * for the next time there is no network.
 */
function useServerOrSaved<T>(load: (signal: AbortSignal) => Promise<T>, save: (d: T, requestedAt: number) => Promise<void>, saved: () => Promise<{ data: T; savedAt: number } | undefined>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({ data: undefined, savedAt: null, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    void (async () => {
      try {
        const requestedAt = Date.now();
        const d = await load(ac.signal);
        await save(d, requestedAt);
        if (!ac.signal.aborted) setState({ data: d, savedAt: null, error: undefined, loading: false });
      } catch (err) {
        if (ac.signal.aborted) return;
        const e = toApiError(err);
        const kept = e.status === 0 || e.status >= 500 ? await saved() : undefined;
        if (kept) setState({ data: kept.data, savedAt: kept.savedAt, error: undefined, loading: false });
        else setState((s) => ({ ...s, error: e, loading: false }));
      }
    })();
    return () => ac.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  // Shown from the phone's copy and the network is back: read the server's again.
  const { online } = useSyncState();
  const fromPhone = state.savedAt !== null;
  useEffect(() => {
    if (online && fromPhone) reload();
  }, [online, fromPhone, reload]);
  return { ...state, reload };
}

/** My active campaigns (grids assigned to me). */
export function useMyCampaigns(userId: string): Loaded<Campaign[]> {
  return useServerOrSaved(
    async (signal) => (await screeningApi.list({ mine: true, status: 'active', pageSize: 50 }, signal)).items,
    (d) => fieldStore.saveCampaigns(userId, d),
    async () => {
      const s = await fieldStore.campaigns(userId);
      return s ? { data: s.campaigns, savedAt: s.savedAt } : undefined;
    },
    [userId],
  );
}

/** A campaign's household list for my grids (and its questionnaire via the campaign), kept for offline use. */
export function useFieldList(userId: string, campaignId: string): Loaded<FieldHouseholds> {
  return useServerOrSaved(
    (signal) => screeningApi.households(campaignId, undefined, signal),
    (d, requestedAt) => fieldStore.saveList(userId, d, requestedAt),
    async () => {
      const s = await fieldStore.list(userId, campaignId);
      return s ? { data: s.list, savedAt: s.savedAt } : undefined;
    },
    [userId, campaignId],
  );
}

/**
 * The households as the worker should see them: the phone's copy (which each stored visit updates) with the
 * visits still waiting applied, refreshed as the queue moves.
 */
export function useLocalHouseholds(userId: string, list: FieldHouseholds | undefined): LocalHousehold[] | undefined {
  const sync = useSyncState();
  const [out, setOut] = useState<LocalHousehold[] | undefined>(undefined);
  useEffect(() => {
    if (!list) return;
    let live = true;
    void (async () => {
      const kept = await fieldStore.list(userId, list.campaignId);
      const queue = (await visitQueue.items()).filter((x) => x.campaignId === list.campaignId);
      if (live) setOut(withQueued((kept?.list ?? list).households, queue, kept?.requestedAt ?? 0));
    })();
    return () => {
      live = false;
    };
  }, [userId, list, sync.pending, sync.failed, sync.conflicts, sync.lastSyncedAt]);
  return out;
}
