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
import { InProcessEventBus, type EventBus } from './modules/events/event-bus.js';
import { PostgresEventBus } from './modules/events/pg-event-bus.js';
import { BuiltInProtocols, type ProtocolProvider } from './modules/protocol/protocol.provider.js';
import { PassageChecks } from './modules/checkpoints/passage-checks.js';
import { DatabaseJobQueue, type JobQueue } from './modules/jobs/job-queue.js';
import { JobsService } from './modules/jobs/jobs.service.js';
import { pruneScheduleRuns, Scheduler, SCHEDULE_RUNS_KEEP_MS } from './modules/jobs/scheduler.js';
import { RegionsService } from './modules/regions/regions.service.js';
import { DuplicatesService } from './modules/residents/duplicates.service.js';
import { HouseholdsService } from './modules/residents/households.service.js';
import { PortalService } from './modules/residents/portal.service.js';
import { ResidentsService } from './modules/residents/residents.service.js';
import { SearchService } from './modules/search/search.service.js';
import { UsersService } from './modules/users/users.service.js';
import { createPlaces, type PlacesServices } from './modules/places/index.js';
import { createScreening, type ScreeningServices } from './modules/screening/index.js';
import { registerArrivalPassageChecks } from './modules/arrivals/arrivals.passage.js';
import { ArrivalsService } from './modules/arrivals/arrivals.service.js';
import { registerHealthResidentLinks } from './modules/health/health.links.js';
import { registerHealthPassageChecks } from './modules/health/health.passage.js';
import { ResidentLinks } from './modules/residents/resident-links.js';
import { registerScreeningResidentLinks } from './modules/screening/screening.links.js';
import { registerPlacesResidentLinks } from './modules/places/places.links.js';
import { HealthService } from './modules/health/health.service.js';
import { MonitoringService } from './modules/health/monitoring.service.js';
import { TasksService } from './modules/tasks/tasks.service.js';

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
  /** Live events to every instance: in process on SQLite, LISTEN/NOTIFY on PostgreSQL. Started by buildApp. */
  bus: EventBus;
  /** Periodic housekeeping, once per period across all instances; started by `gridline start`. */
  scheduler: Scheduler;
  /** Epidemiological parameters in force at a moment (versioned protocol). */
  protocol: ProtocolProvider;
  /** Passage rules checkpoints apply; modules register theirs when the context is built. */
  passageChecks: PassageChecks;
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
    /** Places and scans, personal codes, checkpoints and exemptions, gate devices. */
    places: PlacesServices;
    /** Screening campaigns, visits, progress and the campaign report. */
    screening: ScreeningServices;
    tasks: TasksService;
    health: HealthService;
    monitoring: MonitoringService;
    arrivals: ArrivalsService;
  };
}

export function createContext(config: Config, handle: DatabaseHandle, clock: Clock, cipher: PersonalDataCipher): AppContext {
  const { db, dialect } = handle;
  const audit = new AuditService({ dialect, clock });
  const bus: EventBus =
    config.db.dialect === 'postgres'
      ? new PostgresEventBus({ db, url: config.db.url, channel: `gridline_events${config.db.schema ? `_${config.db.schema}` : ''}`.slice(0, 63) })
      : new InProcessEventBus();
  const protocol: ProtocolProvider = new BuiltInProtocols();
  const passageChecks = new PassageChecks();
  registerArrivalPassageChecks(passageChecks);
  registerHealthPassageChecks(passageChecks);
  // Modules whose records point at residents say how a merge re-points them.
  const residentLinks = new ResidentLinks();
  registerHealthResidentLinks(residentLinks);
  registerScreeningResidentLinks(residentLinks);
  registerPlacesResidentLinks(residentLinks);
  const residentDeps = { db, clock, audit, cipher, bus, dialect };
  const residents = new ResidentsService(residentDeps);
  const files = new FileStore(config.dataDir);
  // On PostgreSQL several instances may share the jobs table: a runner's jobs are only failed once its heartbeat stops.
  const queue = new DatabaseJobQueue({
    db, clock, bus, options: config.db.dialect === 'postgres' ? { concurrency: 2, staleAfterMs: 60_000 } : { concurrency: 1, staleAfterMs: 0 },
  });
  const auth = new AuthService({ db, clock, audit, config });
  const jobs = new JobsService({ db, audit, files });
  const places = createPlaces({ db, dialect, clock, audit, cipher, protocol, passageChecks, publicUrl: config.publicUrl, cjkFont: config.cjkFont, scanRetentionDays: config.scanRetentionDays });
  const tasks = new TasksService({ db, clock, audit, bus });
  const monitoring = new MonitoringService({ db, clock, audit });
  const scheduler = new Scheduler({ db }, [
    {
      // Expired sessions (refused on use anyway), files past their retention period, old slot claims, next months' partitions.
      name: 'housekeeping',
      everyMs: 3600_000,
      run: async () => {
        await auth.sweepExpiredSessions();
        await jobs.sweepExpiredFiles(clock.now(), config.fileRetentionDays * 86_400_000);
        await pruneScheduleRuns(db, Date.now() - SCHEDULE_RUNS_KEEP_MS);
        await places.sweep(clock.now());
        await dialect.ensurePartitions(db, Date.now());
      },
    },
  ]);
  return {
    config,
    db,
    dialect,
    clock,
    cipher,
    bus,
    scheduler,
    protocol,
    passageChecks,
    close: () => handle.close(),
    services: {
      audit,
      auth,
      users: new UsersService({ db, clock, audit }),
      regions: new RegionsService({ db, clock, audit }),
      residents,
      households: new HouseholdsService(residentDeps),
      portal: new PortalService(residentDeps),
      duplicates: new DuplicatesService({ ...residentDeps, links: residentLinks }),
      search: new SearchService({ db, residents }),
      queue,
      jobs,
      imports: new ImportsService({ ...residentDeps, files, queue }),
      exports: new ExportsService({ ...residentDeps, files, queue, residents }),
      places,
      screening: createScreening({ db, clock, audit, protocol, bus, files, queue }),
      tasks,
      health: new HealthService({ db, clock, audit, protocol, tasks }),
      monitoring,
      arrivals: new ArrivalsService({ db, clock, audit, protocol, tasks, monitoring, residents }),
    },
  };
}

export type { Db };
