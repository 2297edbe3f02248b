/** Designated isolation sites (issue #7; migration 202611290018). Same conventions as schema.ts. */
export interface IsolationSitesTable {
  id: string;
  name: string;
  address: string;
  /** 'hotel' (隔离酒店), 'designated' (集中隔离点), 'hospital' (定点医院). */
  kind: string;
  /** The street or district node that designates it: it serves every community under it. */
  region_code: string;
  /** Rooms or beds; occupancy is counted from measures, never stored. */
  capacity: number;
  contact_phone: string;
  active: number;
  note: string;
  created_by_name: string;
  created_at: number;
  updated_at: number;
  version: number;
}
