/**
 * Table types of departments and whistles (吹哨报到, issue #8; migration 202611290013). Same conventions as
 * schema.ts (which re-exports them): epoch-ms integers, 0/1 flags, JSON as text.
 */
export interface DepartmentsTable {
  id: string;
  name: string;
  kind: string;
  node_code: string;
  duty_contact: string;
  duty_phone: string;
  /** JSON array of whistle categories. */
  categories: string;
  active: number;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface WhistleRoutesTable {
  id: string;
  category: string;
  node_code: string;
  department_id: string;
  lead: number;
  created_by: string;
  created_at: number;
}

export interface WhistleDeadlinesTable {
  node_code: string;
  urgency: string;
  ack_ms: number;
  resolve_ms: number;
  updated_by: string;
  updated_at: number;
}

export interface WhistlesTable {
  id: string;
  no: string;
  category: string;
  urgency: string;
  title: string;
  description: string;
  region_code: string;
  address: string;
  lat: number | null;
  lng: number | null;
  source: string;
  inbox_item_id: string | null;
  department_id: string | null;
  routed_by: string;
  route_id: string | null;
  status: string;
  level: string;
  escalated_at: number | null;
  raised_by_id: string | null;
  raised_by: string;
  raised_node: string;
  ack_due_at: number;
  resolve_due_at: number;
  next_escalation_at: number | null;
  acknowledged_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  rating: string | null;
  solved: number | null;
  reopen_count: number;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface WhistleDepartmentsTable {
  whistle_id: string;
  department_id: string;
}

export interface WhistleEventsTable {
  id: string;
  whistle_id: string;
  kind: string;
  at: number;
  actor_id: string | null;
  actor: string;
  note: string;
  level: string;
  /** JSON object. */
  data: string;
}

export interface WhistleFilesTable {
  id: string;
  whistle_id: string;
  stage: string;
  file_name: string;
  mime: string;
  size: number;
  path: string;
  uploaded_by: string;
  created_at: number;
}
