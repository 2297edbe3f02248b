import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '@gridline/shared';
import Fastify from 'fastify';
import type { AppContext } from './context.js';
import { installAuthHook } from './http/auth-hook.js';
import { installErrorHandler } from './http/error-handler.js';
import type { App } from './http/types.js';
import { validatorCompiler } from './http/validation.js';
import { AppError } from './lib/errors.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { eventsRoutes } from './modules/events/events.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { exportsRoutes } from './modules/exports/exports.routes.js';
import { importsRoutes } from './modules/imports/imports.routes.js';
import { jobsRoutes } from './modules/jobs/jobs.routes.js';
import { regionsRoutes } from './modules/regions/regions.routes.js';
import { residentsRoutes } from './modules/residents/residents.routes.js';
import { searchRoutes } from './modules/search/search.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { checkpointsRoutes } from './modules/checkpoints/checkpoints.routes.js';
import { devicesRoutes } from './modules/devices/devices.routes.js';
import { MqttDeviceBridge } from './modules/devices/mqtt-bridge.js';
import { placesRoutes } from './modules/places/places.routes.js';
import { screeningRoutes } from './modules/screening/screening.routes.js';
import { arrivalsRoutes } from './modules/arrivals/arrivals.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { tasksRoutes } from './modules/tasks/tasks.routes.js';
import { measuresRoutes } from './modules/measures/measures.routes.js';
import { measureProposalsRoutes } from './modules/measures/proposals.routes.js';
import { appealsRoutes } from './modules/measures/appeals.routes.js';
import { measuresLifecycleRoutes } from './modules/measures/measures-lifecycle.routes.js';
import { areasRoutes } from './modules/measures/areas.routes.js';
import { sitesRoutes } from './modules/measures/sites.routes.js';
import { departmentsRoutes } from './modules/departments/departments.routes.js';
import { whistlesRoutes } from './modules/whistles/whistles.routes.js';
import { performanceRoutes } from './modules/performance/performance.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { inboxRoutes } from './modules/inbox/inbox.routes.js';
import { SmtpInbound } from './modules/inbox/smtp-inbound.js';
import { reportsRoutes } from './modules/reports/reports.routes.js';
import { casesRoutes } from './modules/cases/cases.routes.js';
import { tracingRoutes } from './modules/tracing/tracing.routes.js';
import { protocolRoutes } from './modules/protocol/protocol.routes.js';

export const VERSION = '0.1.0';
const SHELL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/shell');

/** Builds the HTTP app from a context; never listens (tests use inject, main.ts listens). */
export async function buildApp(ctx: AppContext, opts: { logger?: boolean } = {}): Promise<App> {
  const { config, services } = ctx;
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'] },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // A callback hook, not an async one: it runs on every response, including a gate's every scan.
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    done(null, payload);
  });
  app.addSchema(ErrorResponse);
  installErrorHandler(app);
  // gzip/brotli for the console's bundles and large JSON lists: grid workers are often on weak mobile signal.
  await app.register(compress, { threshold: 1024 });
  await app.register(cookie);
  // Per-client-IP throttle for routes that opt in (sign-in): stops one client from guessing across many
  // accounts or keeping a known account locked. In-process counters; one instance per process.
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Gridline API', description: '社区防线 · 社区应急智治平台 API', version: VERSION },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'gridline_session' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  installAuthHook(app, services.auth);

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  systemRoutes(app, ctx.db, ctx.dialect.name, VERSION, config);
  authRoutes(app, services.auth, config);
  usersRoutes(app, services.users);
  regionsRoutes(app, services.regions);
  residentsRoutes(app, services);
  auditRoutes(app, services.audit, ctx.db);
  searchRoutes(app, services.search);
  jobsRoutes(app, services.jobs);
  await importsRoutes(app, services.imports);
  exportsRoutes(app, services.exports);
  placesRoutes(app, services.places);
  checkpointsRoutes(app, services.places);
  devicesRoutes(app, services.places);
  screeningRoutes(app, services.screening);
  tasksRoutes(app, services.tasks);
  healthRoutes(app, services);
  arrivalsRoutes(app, services.arrivals);
  measuresRoutes(app, services.measures, services.notices);
  measureProposalsRoutes(app, services.measureProposals, services.measureExemptions);
  appealsRoutes(app, services.appeals, services.compliance);
  measuresLifecycleRoutes(app, services.measureReleases, services.measureDeliveries);
  areasRoutes(app, services.measureAreas);
  sitesRoutes(app, services.isolationSites);
  departmentsRoutes(app, services.departments);
  await whistlesRoutes(app, services.whistles);
  performanceRoutes(app, services.performance);
  notificationsRoutes(app, services.notifications);
  await inboxRoutes(app, services.inbox);
  reportsRoutes(app, services.reports);
  casesRoutes(app, services.cases);
  tracingRoutes(app, services.tracing);
  protocolRoutes(app, services.protocol);
  eventsRoutes(app, ctx.bus, services.auth, config.liveHeartbeatSeconds * 1000);
  // Live events and background jobs run while the app does; closing the app interrupts jobs between batches.
  await ctx.bus.start(app.log);
  await services.queue.start(app.log);
  // Gate devices over MQTT when MQTT_URL is set (docs/DEVICES.md); the same ingestion as POST /api/devices/ingest.
  const mqttBridge = config.mqtt.url ? new MqttDeviceBridge({ url: config.mqtt.url, prefix: config.mqtt.topicPrefix, ingest: services.places.ingest, log: app.log }) : null;
  await mqttBridge?.start();
  // Inbound email into the inbox when SMTP_INBOUND_PORT is set; outgoing email only when SMTP_URL is.
  const smtpInbound = config.notifications.inboundPort !== null
    ? new SmtpInbound({ intake: services.inbox.intake, host: config.notifications.inboundHost, port: config.notifications.inboundPort, maxAttachmentBytes: config.notifications.attachmentMaxBytes, log: app.log, now: () => ctx.clock.now() })
    : null;
  await smtpInbound?.start();
  app.decorate('smtpInbound', smtpInbound);
  if (smtpInbound) app.log.info({ port: smtpInbound.port }, 'inbox: SMTP inbound listening');
  app.log.info(config.notifications.smtpUrl ? 'notifications: email through SMTP_URL' : 'notifications: SMTP_URL not set, no email is sent (in-app, live and webhooks only)');
  app.addHook('onClose', async () => {
    await mqttBridge?.stop();
    await smtpInbound?.stop();
    await services.queue.stop();
    await ctx.bus.stop();
  });

  // The web app: the built SPA when present, else the placeholder shell; unknown non-API paths get index.html.
  const webRoot = fs.existsSync(path.join(config.webDist, 'index.html')) ? config.webDist : SHELL_DIR;
  await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      const err = new AppError('GRIDLINE_NOT_FOUND');
      return reply.status(404).send(err.toResponse());
    }
    return reply.sendFile('index.html');
  });
  return app;
}
