import type { Campaign, FieldHouseholds, Me, VisitBody } from '@gridline/shared';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * What the grid worker's phone keeps for working offline (IndexedDB, per signed-in user): the campaigns,
 * each campaign's household list with the questionnaire, the visits waiting to be sent, and who signed in.
 */
export type QueueStatus = 'pending' | 'failed' | 'conflict' | 'synced';

export interface QueuedVisit {
  /** The visit's idempotency key: the same key is sent on every retry, so the server stores it once. */
  clientKey: string;
  userId: string;
  campaignId: string;
  householdId: string;
  address: string;
  body: VisitBody;
  status: QueueStatus;
  attempts: number;
  /** Why the server refused it (status failed), in the server's words. */
  error: string | null;
  /** The stored visit (after the server answered). */
  visitId: string | null;
  createdAt: number;
  syncedAt: number | null;
}

export interface SavedCampaigns {
  userId: string;
  campaigns: Campaign[];
  savedAt: number;
}

export interface SavedList {
  key: string;
  userId: string;
  campaignId: string;
  list: FieldHouseholds;
  savedAt: number;
  /** When the request for this list left the phone: visits sent after it may be missing from it. */
  requestedAt: number;
}

interface FieldDb extends DBSchema {
  campaigns: { key: string; value: SavedCampaigns };
  lists: { key: string; value: SavedList };
  queue: { key: string; value: QueuedVisit; indexes: { byUser: string } };
  identity: { key: string; value: { key: string; me: Me; savedAt: number } };
}

let opening: Promise<IDBPDatabase<FieldDb>> | null = null;

export function fieldDb(): Promise<IDBPDatabase<FieldDb>> {
  opening ??= openDB<FieldDb>('gridline-field', 1, {
    upgrade(db) {
      db.createObjectStore('campaigns', { keyPath: 'userId' });
      db.createObjectStore('lists', { keyPath: 'key' });
      db.createObjectStore('queue', { keyPath: 'clientKey' }).createIndex('byUser', 'userId');
      db.createObjectStore('identity', { keyPath: 'key' });
    },
  });
  return opening;
}

export const listKey = (userId: string, campaignId: string) => `${userId}:${campaignId}`;
