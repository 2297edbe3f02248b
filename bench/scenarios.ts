/** Every scenario the suite runs, with the baseline it is measured against (see bench/README.md). */
import type { AppContext } from '../packages/server/src/context.js';
import { DEMO_PASSWORD } from '../packages/server/src/demo/seed.js';
import { COMMUNITY, DISTRICT, STREET } from './env.js';
import { scanSingleRequest } from './scans.js';
import { DISTRICT_USER } from './seed-scale.js';

/** Who a scenario acts as: the community worker, the street head (command at the street), the district's command. */
export type Actor = 'worker' | 'command' | typeof DISTRICT_USER;

export interface HttpScenario {
  name: string; what: string; method: 'GET' | 'POST'; url: string; body?: string; actor: Actor | null; connections: number;
  /** Headers and body made against the seeded database before the servers start (e.g. a device and its token). */
  prepare?: (ctx: AppContext) => Promise<{ headers: Record<string, string>; body: string }>;
  /** Every `[<id>]` in the body becomes a fresh id per request (idempotency keys). */
  freshIds?: boolean;
}

const FILTER = 'residenceStatus=registered&tags=chronic_disease&ageMin=60';
const NAME = `q=${encodeURIComponent('王')}`;
const list = (node: string, extra = '') => `/api/residents?node=${node}&pageSize=20${extra ? `&${extra}` : ''}`;

export const HTTP: HttpScenario[] = [
  { name: 'http-sign-in', what: 'POST /api/auth/login (worker; argon2 verify + session + audit)', method: 'POST', url: '/api/auth/login', body: JSON.stringify({ username: 'worker', password: DEMO_PASSWORD }), actor: null, connections: 4 },
  { name: 'http-list-community', what: 'GET /api/residents?node=<community>&pageSize=20 as worker', method: 'GET', url: list(COMMUNITY), actor: 'worker', connections: 10 },
  { name: 'http-list-filtered', what: `same + ${FILTER}`, method: 'GET', url: list(COMMUNITY, FILTER), actor: 'worker', connections: 10 },
  { name: 'http-search-name', what: 'same + q=王 (name prefix)', method: 'GET', url: list(COMMUNITY, NAME), actor: 'worker', connections: 10 },
  { name: 'http-search-last4', what: 'same + q=<4 digits> (last four of phone/document)', method: 'GET', url: list(COMMUNITY, 'q=1234'), actor: 'worker', connections: 10 },
  {
    name: 'http-scan-single', what: 'POST /api/devices/ingest with one temperature reading and its own key per request (a gate reporting each scan as it happens; bearer device token)',
    method: 'POST', url: '/api/devices/ingest', actor: null, connections: 10, prepare: scanSingleRequest, freshIds: true,
  },
  { name: 'http-list-street', what: 'GET /api/residents?node=<street>&pageSize=20 as the street head (command at the first street)', method: 'GET', url: list(STREET), actor: 'command', connections: 10 },
  { name: 'http-list-filtered-street', what: `same + ${FILTER}`, method: 'GET', url: list(STREET, FILTER), actor: 'command', connections: 10 },
  { name: 'http-search-name-street', what: 'same + q=王 (name prefix)', method: 'GET', url: list(STREET, NAME), actor: 'command', connections: 10 },
  { name: 'http-list-district', what: 'GET /api/residents?node=<district>&pageSize=20 as the district command (every street)', method: 'GET', url: list(DISTRICT), actor: DISTRICT_USER, connections: 10 },
  { name: 'http-list-filtered-district', what: `same + ${FILTER}`, method: 'GET', url: list(DISTRICT, FILTER), actor: DISTRICT_USER, connections: 10 },
  { name: 'http-search-name-district', what: 'same + q=王 (name prefix)', method: 'GET', url: list(DISTRICT, NAME), actor: DISTRICT_USER, connections: 10 },
];

export interface InprocScenario { name: string; kind: 'query' | 'write'; what: string; baselineName: string }

export const INPROC: InprocScenario[] = [
  { name: 'query-dashboard-grid-counts', kind: 'query', what: 'RegionsService.detail(community) as worker: grids with resident counts (index range on code)', baselineName: 'naive SQL: group by substr(region_code,1,15) over all residents' },
  { name: 'query-dashboard-district-counts', kind: 'query', what: 'RegionsService.detail(district) as the district command: streets with resident counts over the whole district', baselineName: 'naive SQL: group by substr(region_code,1,9) over all residents' },
  { name: 'query-list-district', kind: 'query', what: 'ResidentsService.list(node=district, pageSize=20) as the district command: first page + total', baselineName: "naive SQL: region_code like 'D%', page + count" },
  { name: 'query-filter-district', kind: 'query', what: `ResidentsService.list(node=district, ${FILTER}, pageSize=20) as the district command`, baselineName: "naive SQL: region_code like 'D%', status =, tags like '%\"chronic_disease\"%', birth_date <=, page + count" },
  { name: 'query-search-name', kind: 'query', what: 'ResidentsService.list(node=community, q=<common surname>, pageSize=20) as worker', baselineName: "naive SQL: region_code like 'C%' and name like '%q%', page + count" },
  { name: 'query-screening-coverage-district', kind: 'query', what: 'ScreeningService progress(campaign over the district) as the district command: coverage per grid from the grid counters', baselineName: 'naive SQL: every household of the district grouped by grid, left join the campaign\'s household states' },
  { name: 'query-sign-in-vs-argon2', kind: 'query', what: 'AuthService.login(worker) in-process: look-up + argon2id + session + audit', baselineName: 'argon2id verify of the same password alone' },
  { name: 'write-audited-update', kind: 'write', what: 'ResidentsService.update(notes) as worker, audited', baselineName: 'raw prepared statements writing the same rows in one transaction: update residents set notes=?, updated_at=?, version=version+1 where id=?; insert into audit_events (15 columns, same size)' },
  { name: 'write-import-50k', kind: 'write', what: 'resident import of a 50,000-row CSV as worker: ImportsService.upload (analysis) + run, executed by the job queue (parse, validate, seal, write, audit); ops = rows', baselineName: 'raw prepared-statement inserts of the same stored rows (households, residents, tags), 1,000 residents per transaction' },
  { name: 'write-scan-batch-ingest', kind: 'write', what: 'device ingestion, IngestService.ingest of 1,000 items per call (item checks, key claims, resident look-up, receipts + scans + device counters in one transaction); ops = scans', baselineName: 'raw prepared inserts of the same rows (a receipt and a scan per item; PostgreSQL: one multi-row insert per table), 1,000 per transaction' },
  { name: 'write-scan-batch-ingest-gates', kind: 'write', what: 'device ingestion with 10 gates posting 1,000 items each at the same moment (IngestService.ingest ×10 concurrently: the writer groups them into one transaction); ops = scans', baselineName: 'raw prepared inserts of the same rows, each gate\'s 1,000 in its own transaction' },
];
