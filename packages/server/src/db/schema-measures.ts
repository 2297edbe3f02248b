/** Table types of control measures (issue #7; migration 202611290015). Same conventions as schema.ts. */
export interface MeasuresTable {
  id: string;
  kind: string;
  status: string;
  subject_kind: string | null;
  resident_id: string | null;
  /** The person's household node, or the area's scope. */
  region_code: string;
  area_level: string | null;
  /** 1 when a checkpoint denies passage under it (isolation; high/medium or lockdown/control areas). */
  denies_passage: number;
  place_kind: string | null;
  place_name: string | null;
  /** The designated isolation site (centralized isolation; migration 202611290018), else null. */
  site_id: string | null;
  /** JSON array of legal-basis ids (@gridline/shared LEGAL_BASES). */
  legal_basis: string;
  /** The protocol version in force at the start: release and extension follow it. */
  protocol_id: string;
  start_at: number;
  planned_end_at: number;
  ended_at: number | null;
  end_note: string | null;
  proportionate: number;
  /** The guard's assessment JSON (excesses, prescribed). */
  assessment: string;
  required_approval: string;
  /** The written reason given with a measure beyond the protocol. */
  reason: string;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  source_type: string | null;
  source_id: string | null;
  created_by: string | null;
  created_by_name: string;
  created_at: number;
  updated_at: number;
  version: number;
}

/** An appeal against a measure, or a complaint about staff conduct (violence, sealed doors, blocked medical staff…). */
export interface AppealsTable {
  id: string;
  kind: string;
  measure_id: string | null;
  complaint_kind: string | null;
  text: string;
  /** The person who filed it (residents file from the portal). */
  resident_id: string | null;
  filed_by: string | null;
  filed_by_name: string;
  /** The measure's node, or the filer's home: scopes who may read it. */
  region_code: string;
  /** The level that decides it: the one above the level that imposed the measure; complaints go to the auditor. */
  handler_level: string;
  filed_at: number;
  due_at: number;
  status: string;
  outcome: string | null;
  decision: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  version: number;
}
