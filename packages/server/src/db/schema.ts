import type { Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

/**
 * Table types. Portable core subset (ENGINEERING.md): text UUIDv7 ids, integer epoch-ms times,
 * integer 0/1 flags, JSON as text. Region codes are text with binary ("C") collation so that
 * prefix ranges use the index on both databases.
 */
export interface RegionNodesTable {
  code: string;
  parent_code: string | null;
  level: string;
  name: string;
  geometry: string | null;
  created_at: number;
  updated_at: number;
}

export interface HouseholdsTable {
  id: string;
  code: string;
  unit_code: string;
  room: string;
  address: string;
  created_at: number;
  updated_at: number;
}

export interface HouseholdMovesTable {
  id: string;
  household_id: string;
  from_code: string;
  to_code: string;
  from_address: string;
  to_address: string;
  reason: string;
  moved_by: string | null;
  moved_at: number;
}

export interface ResidentsTable {
  id: string;
  household_id: string;
  region_code: string;
  name: string;
  sex: string;
  birth_date: string;
  doc_type: string;
  doc_number_enc: string;
  doc_number_hash: string;
  doc_number_masked: string;
  doc_last4: string;
  phone_enc: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  phone_last4: string | null;
  relation_to_head: string;
  residence_status: string;
  tags: string;
  notes: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ResidentTagsTable {
  resident_id: string;
  tag: string;
  region_code: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  node_code: string;
  household_id: string | null;
  resident_id: string | null;
  disabled: number;
  must_change_password: number;
  failed_attempts: number;
  locked_until: number | null;
  last_login_at: number | null;
  password_changed_at: number;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditEventsTable {
  id: Generated<number>;
  seq: number;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  actor_node: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  region_code: string | null;
  purpose: string | null;
  diff: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface ResidentMergesTable {
  id: string;
  kept_id: string;
  merged_id: string;
  region_code: string;
  snapshot: string;
  reason: string;
  merged_by: string | null;
  merged_at: number;
}

export interface JobsTable {
  id: string;
  kind: string;
  status: string;
  progress: number;
  total: number;
  message: string | null;
  payload: string;
  result: string | null;
  error: string | null;
  actor: string;
  owner_id: string | null;
  owner_node: string;
  file_path: string | null;
  file_name: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** The runner (instance) that claimed it, its last wall-clock heartbeat, and how many times it was claimed. */
  runner: Generated<string | null>;
  heartbeat_at: Generated<number | null>;
  attempts: Generated<number>;
}

export type JobRow = Selectable<JobsTable>;
export type NewJob = Insertable<JobsTable>;

/** One row per schedule slot that some instance claimed and ran. */
export interface ScheduleRunsTable {
  name: string;
  slot: number;
  runner: string;
  started_at: number;
}

export interface ImportFilesTable {
  id: string;
  owner_id: string | null;
  owner_node: string;
  file_name: string;
  file_path: string;
  sha256: string;
  size: number;
  format: string;
  encoding: string;
  row_count: number;
  headers: string;
  created_at: number;
}

// ---- Health monitoring, follow-up tasks, arrivals (issue #5; migration 202611290009) ----
export interface HealthReportsTable {
  id: string;
  resident_id: string;
  region_code: string;
  /** Shanghai calendar date, YYYY-MM-DD: one report per resident per day. */
  day: string;
  /** The epoch ms that Shanghai day starts: the key with resident_id and the partition key on PostgreSQL. */
  day_start: number;
  /** Tenths of a degree Celsius (373 = 37.3 ℃): exact on both databases. */
  temperature_tenths: number;
  symptoms: string;
  test_sampled_at: number | null;
  test_result: string | null;
  note: string;
  abnormal: number;
  abnormal_reasons: string;
  protocol_id: string;
  reporter_kind: string;
  reporter_id: string | null;
  reporter_name: string;
  reported_at: number;
  created_at: number;
  version: number;
}

export interface HealthMonitoringTable {
  id: string;
  resident_id: string;
  region_code: string;
  reason: string;
  note: string;
  start_day: string;
  end_day: string;
  source_type: string | null;
  source_id: string | null;
  protocol_id: string | null;
  created_by: string | null;
  created_at: number;
  ended_at: number | null;
  ended_by: string | null;
  end_note: string | null;
}

export interface TasksTable {
  id: string;
  type: string;
  title: string;
  detail: string;
  status: string;
  region_code: string;
  resident_id: string | null;
  due_at: number | null;
  assignee_id: string | null;
  source_type: string | null;
  source_id: string | null;
  note: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  version: number;
}

export interface ArrivalsTable {
  id: string;
  resident_id: string;
  region_code: string;
  origin_name: string;
  origin_risk: string;
  arrival_date: string;
  transport: string;
  transport_no: string;
  note: string;
  protocol_id: string;
  /** The ArrivalPlan the protocol in force at the arrival date required (JSON). */
  plan: string;
  measure: string;
  measure_start: number | null;
  measure_end: number | null;
  status: string;
  newly_registered: number;
  reporter_kind: string;
  reporter_id: string | null;
  reporter_name: string;
  created_at: number;
  updated_at: number;
  cancelled_at: number | null;
  cancel_reason: string | null;
}

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

export interface RegionResidentCountsTable {
  depth: number;
  code: string;
  residents: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

// ---- Screening campaigns and visits (issue #5; migration 202611290008) ----
export interface ScreeningCampaignsTable {
  id: string;
  name: string;
  node_code: string;
  starts_on: string;
  ends_on: string;
  /** Questionnaire JSON ({ items }). */
  questionnaire: string;
  status: string;
  version: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  activated_at: number | null;
  closed_at: number | null;
}

/** One row of coverage counters per campaign grid, kept current by each visit's delta. */
export interface ScreeningGridsTable {
  campaign_id: string;
  grid_code: string;
  households_total: number;
  visited: number;
  nobody_home: number;
  residents_screened: number;
  abnormal_residents: number;
  updated_at: number;
}

export interface ScreeningAssignmentsTable {
  campaign_id: string;
  grid_code: string;
  user_id: string;
  assigned_by: string | null;
  assigned_at: number;
}

export interface ScreeningHouseholdsTable {
  campaign_id: string;
  household_id: string;
  household_code: string;
  grid_code: string;
  state: string;
  version: number;
  last_visit_id: string;
  last_visited_at: number;
  last_visited_by: string | null;
  last_visited_by_name: string;
  revisit_on: string | null;
  residents_screened: number;
  abnormal_residents: number;
  updated_at: number;
}

export interface ScreeningVisitsTable {
  id: string;
  client_key: string;
  campaign_id: string;
  household_id: string;
  household_code: string;
  grid_code: string;
  outcome: string;
  status: string;
  base_version: number;
  applied_version: number | null;
  conflict_visit_id: string | null;
  visited_by: string | null;
  visited_by_name: string;
  visited_at: number;
  received_at: number;
  revisit_on: string | null;
  note: string;
  protocol_id: string;
  residents: number;
  abnormal_residents: number;
  resolved_by: string | null;
  resolved_at: number | null;
}

export interface ScreeningResultsTable {
  visit_id: string;
  resident_id: string;
  presence: string;
  /** The resident's answers JSON, keyed by questionnaire item id. */
  answers: string;
  abnormal: number;
  /** Reason codes JSON (`<item id>:<value>`). */
  reasons: string;
}

export interface Database {
  region_nodes: RegionNodesTable;
  households: HouseholdsTable;
  household_moves: HouseholdMovesTable;
  residents: ResidentsTable;
  resident_tags: ResidentTagsTable;
  resident_merges: ResidentMergesTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  jobs: JobsTable;
  import_files: ImportFilesTable;
  schedule_runs: ScheduleRunsTable;
  region_resident_counts: RegionResidentCountsTable;
  gridline_meta: MetaTable;
  places: PlacesTable;
  visitors: VisitorsTable;
  scans: ScansTable;
  personal_code_uses: PersonalCodeUsesTable;
  checkpoint_decisions: CheckpointDecisionsTable;
  passage_exemptions: PassageExemptionsTable;
  devices: DevicesTable;
  device_receipts: DeviceReceiptsTable;
  device_rejections: DeviceRejectionsTable;
  health_reports: HealthReportsTable;
  health_monitoring: HealthMonitoringTable;
  tasks: TasksTable;
  arrivals: ArrivalsTable;
  screening_campaigns: ScreeningCampaignsTable;
  screening_grids: ScreeningGridsTable;
  screening_assignments: ScreeningAssignmentsTable;
  screening_households: ScreeningHouseholdsTable;
  screening_visits: ScreeningVisitsTable;
  screening_results: ScreeningResultsTable;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Anything a repository can run on: the database or an open transaction. */
export type Executor = Db | Tx;
