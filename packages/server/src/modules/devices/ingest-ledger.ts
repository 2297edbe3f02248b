import { PERSONAL_CODE_REFUSALS } from '@gridline/shared';

/**
 * The database side of one group-committed ingest write, one implementation per dialect: SQLite runs prepared
 * statements synchronously on its connection, PostgreSQL sends one statement. Both decide each item the same way
 * and store everything of the write atomically — receipts, code uses, scans, rejections, device counters.
 */

/** An item that passed its own checks, ready to be decided against the database. */
export interface LedgerItem {
  deviceId: string;
  placeId: string;
  regionCode: string;
  key: string;
  at: number;
  residentId: string;
  /** The personal code's nonce (used once per place), or null for an item naming its resident. */
  nonce: string | null;
  expiresAt: number;
  temperatureTenths: number | null;
  fever: 0 | 1;
  /** When the device's call arrived: the receipt's and a rejection's time. */
  receivedAt: number;
}

/** Why the ledger rejects an item, as kept in device_rejections and answered. */
export const LEDGER_REASONS = {
  replayed: PERSONAL_CODE_REFUSALS.replayed,
  /** The resident a personal code names is not on the register. */
  unknownByCode: PERSONAL_CODE_REFUSALS.unknown_resident,
  unknownResident: '居民编号 residentId 不在登记册中',
} as const;

export function ledgerReason(outcome: 'unknown' | 'replayed', item: Pick<LedgerItem, 'nonce'>): string {
  if (outcome === 'replayed') return LEDGER_REASONS.replayed;
  return item.nonce !== null ? LEDGER_REASONS.unknownByCode : LEDGER_REASONS.unknownResident;
}

/** A rejected item as kept in device_rejections. */
export interface RejectionRow {
  device_id: string;
  at: number;
  item_key: string | null;
  reason: string;
}

/** A device's part of the write: rejections decided before it, and the time of its latest call. */
export interface LedgerDevice {
  id: string;
  rejected: RejectionRow[];
  at: number;
}

/**
 * What became of an item, decided in this order: `unknown` (the resident is not on the register), `duplicate`
 * (its device and key were recorded before: never a second row), `replayed` (its code was already used at this
 * place: no receipt is kept, so a corrected item may reuse the key), else `accepted` (a receipt and a scan).
 */
export type LedgerOutcome = 'accepted' | 'duplicate' | 'unknown' | 'replayed';

export interface IngestLedger {
  /**
   * Decides and stores `items`, in their order: an item repeating the device and key of an earlier one in the
   * write is a duplicate if that one got past the register, and of the items carrying one place's code the first
   * to get past the register and the key claims it. Records those rejected here (ledgerReason) after the devices'
   * earlier rejections, and adds each device's accepted and rejected
   * counts. Outcomes are in the items' order.
   */
  record(items: LedgerItem[], devices: LedgerDevice[]): Promise<LedgerOutcome[]>;
}
