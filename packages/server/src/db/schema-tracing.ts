/**
 * Table types of contact tracing (issue #6; migration 202611290012). Same conventions as schema.ts.
 */

/**
 * One person traced from one case (a person appears once per case; evidence is merged). A registered resident
 * (resident_id) or someone outside the register: a scan visitor or a person the tracer entered, with a sealed phone.
 */
export interface ContactsTable {
  id: string;
  case_id: string;
  /** One person per case: 'r:<residentId>', 'v:<visitorId>', 'p:<phone hash>' or 'n:<name>'. */
  person_key: string;
  resident_id: string | null;
  visitor_id: string | null;
  person_name: string;
  phone_enc: string | null;
  phone_hash: string | null;
  phone_masked: string | null;
  /** Scope: the contact's household node; people outside the register take the case's node. */
  region_code: string;
  /** close | secondary | general */
  category: string;
  /** household | colocation | entered | secondary */
  source: string;
  relation: string;
  /** The close contact a secondary contact lives with. */
  via_contact_id: string | null;
  /** Last exposure (epoch ms). */
  exposure_at: number;
  /** Evidence[] as JSON: places and scan times, overlap minutes, or how the tracer entered it. */
  evidence: string;
  /** proposed | confirmed | rejected */
  status: string;
  /** The protocol version in force at the exposure date. */
  protocol_id: string;
  decided_by: string | null;
  decided_at: number | null;
  notified_at: number | null;
  task_id: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}
