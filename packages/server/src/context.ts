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
import { DatabaseProtocols, type ProtocolProvider } from './modules/protocol/protocol.provider.js';
import { CasesService } from './modules/cases/cases.service.js';
import { createTracing, type TracingServices } from './modules/tracing/index.js';
import { ProtocolService } from './modules/protocol/protocol.service.js';
import { registerCasesResidentLinks } from './modules/cases/cases.links.js';
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
import { MeasuresService } from './modules/measures/measures.service.js';
import { AppealsService } from './modules/measures/appeals.service.js';
import { MeasureNotices } from './modules/measures/notices.job.js';
import { ComplianceService } from './modules/measures/compliance.service.js';
import { MeasureLifecycle } from './modules/measures/measures-lifecycle.service.js';
import { MeasureReleases } from './modules/measures/measures-releases.service.js';
import { MeasureDeliveries } from './modules/measures/measures-deliveries.service.js';
import { registerMeasurePassageChecks } from './modules/measures/measures.passage.js';
import { registerMeasuresResidentLinks } from './modules/measures/measures.links.js';
import { MeasureProposals } from './modules/measures/proposals.service.js';
import { MeasureExemptions } from './modules/measures/measure-exemptions.js';
import { AreasService } from './modules/measures/areas.service.js';
import { IsolationSites } from './modules/measures/sites.service.js';
import { casesRepository } from './modules/cases/cases.repository.js';
import { createNotifications } from './modules/notifications/index.js';
import type { Notifier } from './modules/notifications/notifier.js';
import type { NotificationsService } from './modules/notifications/notifications.service.js';
import type { WebhookDispatcher } from './modules/notifications/webhooks.js';
import { createInbox, type InboxServices } from './modules/inbox/index.js';
import { ReportsService } from './modules/reports/reports.service.js';
import { DepartmentsService } from './modules/departments/departments.service.js';
import { WhistlesService } from './modules/whistles/whistles.service.js';
import { PerformanceService } from './modules/performance/performance.service.js';

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
    /** Isolation orders and area controls, under the proportionality guard (issue #7). */
    measures: MeasuresService;
    appeals: AppealsService;
    /** Bulk notices and release certificates (DOCX/PDF) as background jobs. */
    notices: MeasureNotices;
    compliance: ComplianceService;
    /** Release proposals at the due date, and how notices and release certificates were delivered (issue #7). */
    measureReleases: MeasureReleases;
    measureDeliveries: MeasureDeliveries;
    /** Measures proposed from confirmed contacts and imposed in bulk; a measure's exemptions (issue #7). */
    measureProposals: MeasureProposals;
    /** Area controls in force: residents affected, lifting rule, downgrade proposals and step-downs (issue #7). */
    measureAreas: AreasService;
    measureExemptions: MeasureExemptions;
    /** Designated isolation sites with capacity (issue #7). */
    isolationSites: IsolationSites;
    /** Tells people things: in-app, live, email, outgoing webhooks (modules call notifier.notify after commit). */
    notifier: Notifier;
    notifications: NotificationsService;
    webhooks: WebhookDispatcher;
    /** The one inbox (线上一张网): intake from every channel, dedupe, keyword rules, routing into whistles. */
    inbox: InboxServices;
    /** 直报: reports straight to the district command with receipts. */
    reports: ReportsService;
    /** Protocol versions: list, detail with diff, new versions (the provider above reads them). */
    protocol: ProtocolService;
    /** Cases (病例): tracing reads them through get/list. */
    cases: CasesService;
    /** Contact tracing: proposals, bulk decisions, follow-up, the 24-hour clock, the report, transmission chains. */
    tracing: TracingServices;
    /** Department registry, routing rules, deadline settings (吹哨报到). */
    departments: DepartmentsService;
    /** Whistles: raise (also for the inbox), the department's and the community's steps, the escalation sweep. */
    whistles: WhistlesService;
    /** 12345-style figures (三率) over whistles. */
    performance: PerformanceService;
  };
}

export function createContext(config: Config, handle: DatabaseHandle, clock: Clock, cipher: PersonalDataCipher): AppContext {
  const { db, dialect } = handle;
  const audit = new AuditService({ dialect, clock });
  const bus: EventBus =
    config.db.dialect === 'postgres'
      ? new PostgresEventBus({ db, url: config.db.url, channel: `gridline_events${config.db.schema ? `_${config.db.schema}` : ''}`.slice(0, 63) })
      : new InProcessEventBus();
  const protocol = new DatabaseProtocols({ db, clock, bus });
  const passageChecks = new PassageChecks();
  registerArrivalPassageChecks(passageChecks);
  registerHealthPassageChecks(passageChecks);
  registerMeasurePassageChecks(passageChecks);
  // Modules whose records point at residents say how a merge re-points them.
  const residentLinks = new ResidentLinks();
  registerHealthResidentLinks(residentLinks);
  registerScreeningResidentLinks(residentLinks);
  registerPlacesResidentLinks(residentLinks);
  registerMeasuresResidentLinks(residentLinks);
  registerCasesResidentLinks(residentLinks);
  const residentDeps = { db, clock, audit, cipher, bus, dialect };
  const residents = new ResidentsService(residentDeps);
  const files = new FileStore(config.dataDir);
  // On PostgreSQL several instances may share the jobs table: a runner's jobs are only failed once its heartbeat stops.
  const queue = new DatabaseJobQueue({
    db, clock, bus, options: config.db.dialect === 'postgres' ? { concurrency: 2, staleAfterMs: 60_000 } : { concurrency: 1, staleAfterMs: 0 },
  });
  const auth = new AuthService({ db, clock, audit, config });
  const notif = createNotifications({ db, clock, audit, cipher, bus, queue, config });
  const jobs = new JobsService({ db, audit, files });
  const places = createPlaces({ db, sqlite: handle.sqlite, postgres: handle.postgres, clock, audit, cipher, protocol, passageChecks, publicUrl: config.publicUrl, cjkFont: config.cjkFont, scanRetentionDays: config.scanRetentionDays });
  const tasks = new TasksService({ db, clock, audit, bus });
  const monitoring = new MonitoringService({ db, clock, audit });
  const lifecycle = new MeasureLifecycle({ clock, protocol, monitoring, tasks });
  const isolationSites = new IsolationSites({ db, dialect, clock, audit });
  const measures = new MeasuresService({ db, clock, audit, protocol, infectionsUnder: (x, node) => casesRepository.infectionsUnder(x, node), lifecycle, sites: isolationSites });
  const departments = new DepartmentsService({ db, clock, audit });
  const whistles = new WhistlesService({ db, dialect, clock, audit, bus, files, departments, notifications: () => notif.notifier });
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
    // Outgoing webhook attempts that are due (first tries lost to a restart, retries after their backoff).
    { name: 'webhook-retries', everyMs: 60_000, run: async () => void (await notif.webhooks.sweep()) },
    // Whistles past their acknowledgement or resolution deadline climb a level (stored absolute deadlines: restarts lose nothing).
    { name: 'whistle-escalation', everyMs: 60_000, run: async () => void (await whistles.sweep()) },
  ]);
  const tracing = createTracing({ db, clock, audit, cipher, protocol, tasks, bus });
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
      measures,
      appeals: new AppealsService({ db, clock, audit, measures }),
      compliance: new ComplianceService({ db, clock }),
      measureReleases: new MeasureReleases({ db, clock, audit, lifecycle }),
      measureDeliveries: new MeasureDeliveries({ db, clock, audit }),
      measureAreas: new AreasService({ db, clock, audit, protocol, measures }),
      measureProposals: new MeasureProposals({ db, dialect, clock, protocol, measures, confirmedContacts: tracing.confirmedContacts }),
      measureExemptions: new MeasureExemptions({ db, clock }),
      isolationSites,
      notices: new MeasureNotices({ db, clock, audit, files, queue, protocol, cjkFont: config.cjkFont }),
      notifier: notif.notifier,
      notifications: notif.notifications,
      webhooks: notif.webhooks,
      inbox: createInbox({ db, clock, audit, cipher, notifier: notif.notifier, config, whistles: () => whistles }),
      reports: new ReportsService({ db, clock, audit, notifier: notif.notifier }),
      protocol: new ProtocolService({ db, clock, audit, protocols: protocol, bus }),
      cases: new CasesService({ db, clock, audit, cipher, protocol }),
      tracing,
      departments,
      whistles,
      performance: new PerformanceService({ db, clock }),
    },
  };
}

export type { Db };
