import type { Generated } from 'kysely';

/**
 * Table types of places and scans, personal codes, checkpoints and gate devices. Same conventions as
 * schema.ts (which re-exports them).
 */
// ---- Places, scans, personal codes, checkpoints, devices (issue #5; migration 202611290007) ----
export interface PlacesTable {
  id: string;
  /** Unguessable code the poster's QR carries (not the id). */
  code: string;
  kind: string;
  name: string;
  address: string;
  region_code: string;
  lat: number | null;
  lng: number | null;
  checkpoint: number;
  /** PassageRules as JSON. */
  passage_rules: string;
  active: number;
  version: number;
  created_at: number;
  updated_at: number;
}

/** People who scanned a place code without an account: one row per phone (looked up by keyed hash). */
export interface VisitorsTable {
  id: string;
  name: string;
  phone_enc: string;
  phone_hash: string;
  phone_masked: string;
  phone_last4: string;
  created_at: number;
  updated_at: number;
}

/** Person × place × time: the high-volume table (integer key, partitioned by month of `at` on PostgreSQL). */
export interface ScansTable {
  id: Generated<number>;
  at: number;
  place_id: string;
  region_code: string;
  person_kind: string;
  person_id: string;
  source: string;
  /** Tenths of a degree Celsius (373 = 37.3 ℃), as health reports store it. */
  temperature_tenths: number | null;
  fever: number;
  device_id: string | null;
}

/** Personal-code nonces already used at a place, kept until the code expires (replays are refused). */
export interface PersonalCodeUsesTable {
  nonce: string;
  place_id: string;
  expires_at: number;
}

export interface CheckpointDecisionsTable {
  id: Generated<number>;
  at: number;
  place_id: string;
  region_code: string;
  operator_id: string | null;
  operator_name: string;
  resident_id: string | null;
  person_masked: string | null;
  result: string;
  /** PassageFinding[] as JSON. */
  reasons: string;
  checked: number;
  note: string | null;
  protocol_id: string;
  temperature_tenths: number | null;
  fever: number;
  scan_id: number | null;
}

export interface PassageExemptionsTable {
  id: string;
  resident_id: string;
  region_code: string;
  category: string;
  reason: string;
  valid_from: number;
  valid_until: number;
  approved_by: string | null;
  approved_by_name: string;
  created_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface DevicesTable {
  id: string;
  name: string;
  place_id: string;
  token_hash: string;
  token_hint: string;
  active: number;
  accepted_total: number;
  rejected_total: number;
  last_seen_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** Idempotency keys of accepted device items: a repeated key is a duplicate, never a second scan. */
export interface DeviceReceiptsTable {
  device_id: string;
  item_key: string;
  received_at: number;
}

export interface DeviceRejectionsTable {
  id: Generated<number>;
  device_id: string;
  at: number;
  item_key: string | null;
  reason: string;
}
