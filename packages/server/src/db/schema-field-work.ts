/**
 * Table types of the community's outbreak field work: screening campaigns and visits, health reports and
 * monitoring, follow-up tasks, arrivals. Same conventions as schema.ts (which re-exports them).
 */
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
