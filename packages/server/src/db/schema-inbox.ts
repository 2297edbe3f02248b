/**
 * Table types of notifications, the one inbox and direct upward reports (issue #8; migration 202611290014).
 * Same conventions as schema.ts (which re-exports them).
 */
export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  created_at: number;
  read_at: number | null;
}

export interface NotificationSettingsTable {
  user_id: string;
  email: string | null;
  email_enabled: number;
  updated_at: number;
}

export interface WebhookSubscriptionsTable {
  id: string;
  node_code: string;
  name: string;
  url: string;
  /** The HMAC secret, encrypted with the personal-data cipher (it must be readable to sign). */
  secret_enc: string;
  /** JSON array of notification kinds; empty = every kind. */
  kinds: string;
  active: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  subscription_id: string;
  kind: string;
  payload: string;
  /** pending (next_attempt_at says when) → delivered | failed (out of attempts). */
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  at: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface InboxItemsTable {
  id: string;
  channel: string;
  external_id: string | null;
  received_at: number;
  region_code: string;
  reporter_name_enc: string | null;
  reporter_name_masked: string | null;
  reporter_phone_enc: string | null;
  reporter_phone_hash: string | null;
  reporter_phone_masked: string | null;
  resident_id: string | null;
  address: string;
  subject: string;
  text: string;
  /** Dedupe key of the normalised text (sha256, hex). */
  text_key: string;
  requested_category: string | null;
  category: string | null;
  urgency: string;
  rule_id: string | null;
  rule_name: string | null;
  /** JSON array of the keywords that matched. */
  matched: string;
  confidence: string;
  status: string;
  duplicate_of: string | null;
  whistle_id: string | null;
  whistle_no: string | null;
  department_id: string | null;
  deadline_at: number | null;
  /** JSON: channel-specific facts (ticket type, email sender, robot name, attachments). */
  meta: string;
  /** A photo as a data URL (portal submissions; small, checked on the way in). */
  photo: string | null;
  note: string;
  handled_by: string | null;
  handled_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface InboxRulesTable {
  id: string;
  node_code: string;
  name: string;
  category: string;
  urgency: string;
  /** JSON array of Chinese keywords. */
  keywords: string;
  min_hits: number;
  auto_route: number;
  active: number;
  priority: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface InboxTokensTable {
  id: string;
  node_code: string;
  name: string;
  channel: string;
  token_hash: string;
  active: number;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
}

export interface DirectReportsTable {
  id: string;
  sender_id: string;
  sender_name: string;
  sender_role: string;
  sender_node: string;
  target_node: string;
  title: string;
  body: string;
  content_hash: string;
  sent_at: number;
  delivered_at: number;
  read_at: number | null;
  read_by_id: string | null;
  read_by_name: string | null;
}
