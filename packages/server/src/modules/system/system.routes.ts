import { sql } from 'kysely';
import { Type } from '@sinclair/typebox';
import client from 'prom-client';
import { ClientConfig } from '@gridline/shared';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/schema.js';
import type { App } from '../../http/types.js';
import { AppError } from '../../lib/errors.js';

/**
 * Health (checks the database) and Prometheus metrics. One registry per app instance, so tests
 * that build several apps in one process do not collide.
 */
export function systemRoutes(app: App, db: Db, dialect: string, version: string, config: Pick<Config, 'metricsToken' | 'tiles'>): void {
  const { metricsToken } = config;
  app.get('/api/config', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Client configuration (map tiles, version)', response: { 200: ClientConfig } },
    handler: async () => ({ version, tileUrl: config.tiles.url, tileAttribution: config.tiles.attribution }),
  });

  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'gridline_' });
  const duration = new client.Histogram({
    name: 'gridline_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    duration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/api/health', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Liveness and database reachability',
      response: {
        200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), version: Type.String() }),
        503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String(), version: Type.String() }),
      },
    },
    handler: async (_req, reply) => {
      try {
        await sql`select 1`.execute(db);
        return { status: 'ok' as const, database: dialect, version };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, database: dialect, version });
      }
    },
  });

  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    if (metricsToken && req.headers.authorization !== `Bearer ${metricsToken}`) throw new AppError('GRIDLINE_UNAUTHENTICATED');
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
