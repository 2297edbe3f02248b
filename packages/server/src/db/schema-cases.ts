/**
 * Table types for the versioned protocol and cases (issue #6). Portable subset as everywhere: text ids,
 * epoch-ms times, JSON as text, dates as YYYY-MM-DD text (Asia/Shanghai).
 */

/** One protocol version: every epidemiological value (ProtocolValues as JSON) from an effective date. Never updated. */
export interface ProtocolVersionsTable {
  id: string;
  name: string;
  document: string;
  /** YYYY-MM-DD, Asia/Shanghai: in force from that day's midnight. */
  effective_from: string;
  /** ProtocolValues as JSON (its id/name/document/effectiveFrom repeat the columns). */
  values: string;
  /** The version this one was made from; null for the built-in ones. */
  based_on: string | null;
  note: string;
  /** Display name of who created it ('system' for the built-in ones). */
  created_by: string;
  created_at: number;
}

/** A case (病例): a suspected, confirmed or asymptomatic infection, of a resident or of a person not in the register. */
export interface CasesTable {
  id: string;
  /** BL-YYYYMMDD-NNN, unique. */
  case_no: string;
  classification: string;
  status: string;
  outcome: string | null;
  resident_id: string | null;
  person_name: string;
  /** A non-resident's phone, sealed like residents' phones; null for residents (the register holds theirs). */
  phone_enc: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  /** The node the case belongs to (scoping): the resident's household node, or the node chosen for a non-resident. */
  region_code: string;
  address: string;
  onset_date: string | null;
  sampling_date: string | null;
  /** When it was confirmed (epoch ms): starts the 24-hour clock. */
  confirmed_at: number | null;
  report_source: string;
  /** The protocol version in force at the anchor date (onset if symptomatic, else sampling, else the report day). */
  protocol_id: string;
  note: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

/** Every classification, status and outcome change of a case: who, when, from what to what, why. */
export interface CaseChangesTable {
  id: string;
  case_id: string;
  at: number;
  actor_id: string | null;
  actor_name: string;
  field: string;
  from_value: string | null;
  to_value: string | null;
  reason: string;
}
