import type { Config } from './config/config.js';
import type { DatabaseHandle } from './db/database.js';
import type { Dialect } from './db/dialect.js';
import type { Db } from './db/schema.js';
import type { Clock } from './lib/clock.js';
import type { PersonalDataCipher } from './lib/personal-data.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { ExportsService } from './modules/exports/exports.service.js';
import { ImportsService } from './modules/imports/imports.service.js';
import { FileStore } from './modules/jobs/job-files.js';
import { InProcessJobQueue, type JobQueue } from './modules/jobs/job-queue.js';
import { JobsService } from './modules/jobs/jobs.service.js';
import { RegionsService } from './modules/regions/regions.service.js';
import { DuplicatesService } from './modules/residents/duplicates.service.js';
import { HouseholdsService } from './modules/residents/households.service.js';
import { PortalService } from './modules/residents/portal.service.js';
import { ResidentsService } from './modules/residents/residents.service.js';
import { SearchService } from './modules/search/search.service.js';
import { UsersService } from './modules/users/users.service.js';

/**
 * Everything the app is built from, made once and passed down explicitly. Each service receives only
 * what it uses; no service reaches another module's tables except through that module's repository.
 */
export interface AppContext {
  config: Config;
  db: Db;
  dialect: Dialect;
  clock: Clock;
  cipher: PersonalDataCipher;
  close(): Promise<void>;
  services: {
    audit: AuditService;
    auth: AuthService;
    users: UsersService;
    regions: RegionsService;
    residents: ResidentsService;
    households: HouseholdsService;
    portal: PortalService;
    duplicates: DuplicatesService;
    search: SearchService;
    /** Runs background jobs; started by buildApp, so CLI commands never pick jobs up. */
    queue: JobQueue;
    jobs: JobsService;
    imports: ImportsService;
    exports: ExportsService;
  };
}

export function createContext(config: Config, handle: DatabaseHandle, clock: Clock, cipher: PersonalDataCipher): AppContext {
  const { db, dialect } = handle;
  const audit = new AuditService({ dialect, clock });
  const residentDeps = { db, clock, audit, cipher };
  const residents = new ResidentsService(residentDeps);
  const files = new FileStore(config.dataDir);
  const queue = new InProcessJobQueue({ db, clock });
  return {
    config,
    db,
    dialect,
    clock,
    cipher,
    close: () => handle.close(),
    services: {
      audit,
      auth: new AuthService({ db, clock, audit, config }),
      users: new UsersService({ db, clock, audit }),
      regions: new RegionsService({ db, clock, audit }),
      residents,
      households: new HouseholdsService(residentDeps),
      portal: new PortalService(residentDeps),
      duplicates: new DuplicatesService(residentDeps),
      search: new SearchService({ db, residents }),
      queue,
      jobs: new JobsService({ db, audit, files }),
      imports: new ImportsService({ ...residentDeps, files, queue }),
      exports: new ExportsService({ ...residentDeps, files, queue, residents }),
    },
  };
}

export type { Db };
