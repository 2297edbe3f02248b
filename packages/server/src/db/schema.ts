import type { Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { ArrivalsTable, HealthMonitoringTable, HealthReportsTable, ScreeningAssignmentsTable, ScreeningCampaignsTable, ScreeningGridsTable, ScreeningHouseholdsTable, ScreeningResultsTable, ScreeningVisitsTable, TasksTable } from './schema-field-work.js';
import type { CaseChangesTable, CasesTable, ProtocolVersionsTable } from './schema-cases.js';
import type { DirectReportsTable, InboxItemsTable, InboxRulesTable, InboxTokensTable, NotificationSettingsTable, NotificationsTable, WebhookAttemptsTable, WebhookDeliveriesTable, WebhookSubscriptionsTable } from './schema-inbox.js';
import type { DepartmentsTable, WhistleDeadlinesTable, WhistleDepartmentsTable, WhistleEventsTable, WhistleFilesTable, WhistleRoutesTable, WhistlesTable } from './schema-whistles.js';
import type { ContactsTable } from './schema-tracing.js';
import type { AppealsTable, MeasuresTable } from './schema-measures.js';
import type { MeasureDeliveriesTable } from './schema-measure-deliveries.js';
import type { IsolationSitesTable } from './schema-isolation-sites.js';
import type { CheckpointDecisionsTable, DeviceReceiptsTable, DeviceRejectionsTable, DevicesTable, PassageExemptionsTable, PersonalCodeUsesTable, PlacesTable, ScansTable, VisitorsTable } from './schema-places.js';

export type * from './schema-field-work.js';
export type * from './schema-places.js';
export type * from './schema-whistles.js';
export type * from './schema-inbox.js';
export type * from './schema-cases.js';
export type * from './schema-tracing.js';
export type * from './schema-measures.js';
export type * from './schema-measure-deliveries.js';
export type * from './schema-isolation-sites.js';

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
  /** Department staff: the department they work for (migration 202611290013); null for everyone else. */
  department_id?: string | null;
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

export interface RegionResidentCountsTable {
  depth: number;
  code: string;
  residents: number;
}

export interface MetaTable {
  key: string;
  value: string;
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
  departments: DepartmentsTable;
  whistle_routes: WhistleRoutesTable;
  whistle_deadlines: WhistleDeadlinesTable;
  whistles: WhistlesTable;
  whistle_departments: WhistleDepartmentsTable;
  whistle_events: WhistleEventsTable;
  whistle_files: WhistleFilesTable;
  notifications: NotificationsTable;
  notification_settings: NotificationSettingsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  inbox_items: InboxItemsTable;
  inbox_rules: InboxRulesTable;
  inbox_tokens: InboxTokensTable;
  direct_reports: DirectReportsTable;
  protocol_versions: ProtocolVersionsTable;
  cases: CasesTable;
  case_changes: CaseChangesTable;
  contacts: ContactsTable;
  measures: MeasuresTable;
  appeals: AppealsTable;
  measure_deliveries: MeasureDeliveriesTable;
  isolation_sites: IsolationSitesTable;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Anything a repository can run on: the database or an open transaction. */
export type Executor = Db | Tx;
