/** How each notice or release certificate reached the person (issue #7; migration 202611290017). Same conventions as schema.ts. */
export interface MeasureDeliveriesTable {
  id: string;
  measure_id: string;
  /** 'notice' or 'release'. */
  document: string;
  /** 'portal' (recorded by the portal on first view), 'in_person', 'posted', 'sms_phone'. */
  channel: string;
  /** The measure's node: who may read the record. */
  region_code: string;
  delivered_at: number;
  /** The user who recorded it (the resident's own account for 'portal'). */
  recorded_by: string | null;
  recorded_by_name: string;
  note: string;
  created_at: number;
}
