import type { Campaign, FieldHousehold, FieldHouseholds, Me, Visit } from '@gridline/shared';
import { fieldDb, listKey, type QueuedVisit } from './db';

/** The field data kept on the phone: read it when offline, refresh it whenever the server answers. */
export const fieldStore = {
  async saveIdentity(me: Me): Promise<void> {
    await (await fieldDb()).put('identity', { key: 'me', me, savedAt: Date.now() });
  },

  async identity(): Promise<Me | undefined> {
    return (await (await fieldDb()).get('identity', 'me'))?.me;
  },

  async saveCampaigns(userId: string, campaigns: Campaign[]): Promise<void> {
    await (await fieldDb()).put('campaigns', { userId, campaigns, savedAt: Date.now() });
  },

  async campaigns(userId: string): Promise<{ campaigns: Campaign[]; savedAt: number } | undefined> {
    return (await fieldDb()).get('campaigns', userId);
  },

  async saveList(userId: string, list: FieldHouseholds, requestedAt: number): Promise<void> {
    await (await fieldDb()).put('lists', { key: listKey(userId, list.campaignId), userId, campaignId: list.campaignId, list, savedAt: Date.now(), requestedAt });
  },

  async list(userId: string, campaignId: string): Promise<{ list: FieldHouseholds; savedAt: number; requestedAt: number } | undefined> {
    return (await fieldDb()).get('lists', listKey(userId, campaignId));
  },

  /** Visits of this user still waiting to be sent (pending, failed or in conflict). */
  async unsent(userId: string): Promise<number> {
    const queued = await (await fieldDb()).getAllFromIndex('queue', 'byUser', userId);
    return queued.filter((q) => q.status !== 'synced').length;
  },

  /**
   * At sign-out: everything this phone keeps for the user (household lists with names and addresses, campaigns,
   * queued visits) is deleted, so the next person to pick the phone up finds none of it.
   */
  async forget(userId: string): Promise<void> {
    const db = await fieldDb();
    const tx = db.transaction(['campaigns', 'lists', 'queue', 'identity'], 'readwrite');
    await tx.objectStore('campaigns').delete(userId);
    for (const key of await tx.objectStore('lists').getAllKeys()) if (key.startsWith(listKey(userId, ''))) await tx.objectStore('lists').delete(key);
    for (const key of await tx.objectStore('queue').index('byUser').getAllKeys(userId)) await tx.objectStore('queue').delete(key);
    const me = await tx.objectStore('identity').get('me');
    if (me?.me.id === userId) await tx.objectStore('identity').delete('me');
    await tx.done;
  },

  /** After the server stored a visit: the household's new version and state, so the next visit starts from them. */
  async applyStored(userId: string, v: Visit): Promise<void> {
    const db = await fieldDb();
    const key = listKey(userId, v.campaignId);
    const saved = await db.get('lists', key);
    if (!saved) return;
    const households = saved.list.households.map((h) => {
      if (h.id !== v.householdId) return h;
      if (v.status !== 'accepted') return { ...h, version: Math.max(h.version, v.householdVersion) };
      const state: FieldHousehold['state'] = v.outcome === 'visited' || h.state === 'visited' ? 'visited' : 'nobody_home';
      return {
        ...h, state, version: v.householdVersion, revisitOn: state === 'nobody_home' ? v.revisitOn : null,
        lastVisitedAt: v.visitedAt, lastVisitedBy: v.visitedBy.name,
      };
    });
    await db.put('lists', { ...saved, list: { ...saved.list, households } });
  },
};

/**
 * A household as the worker should see it: the last known state, moved on by the visits still waiting to be
 * sent and by those sent after the list was requested (the list may not hold them yet; applying one twice
 * changes nothing).
 */
export interface LocalHousehold extends FieldHousehold {
  /** A visit for it is queued and not yet stored. */
  queued: 'pending' | 'failed' | 'conflict' | null;
}

export function withQueued(households: FieldHousehold[], queue: QueuedVisit[], requestedAt: number): LocalHousehold[] {
  const latest = new Map<string, QueuedVisit>();
  for (const q of queue) {
    if (q.status === 'synced' && (q.syncedAt ?? 0) < requestedAt) continue;
    const prev = latest.get(q.householdId);
    if (!prev || prev.createdAt < q.createdAt) latest.set(q.householdId, q);
  }
  return households.map((h) => {
    const q = latest.get(h.id);
    if (!q) return { ...h, queued: null };
    const state: FieldHousehold['state'] = q.body.outcome === 'visited' || h.state === 'visited' ? 'visited' : 'nobody_home';
    return { ...h, state, revisitOn: q.body.outcome === 'nobody_home' ? (q.body.revisitOn ?? h.revisitOn) : h.revisitOn, queued: q.status === 'synced' ? null : q.status };
  });
}
