import {
  CreateMonitoringBody, EndMonitoringBody, ErrorResponse, HealthFlags, HealthFlagsQuery, HealthMonitoring, HealthReportBody, HealthReportListQuery, HealthReportPage,
  HealthReportResult, HealthSummary, Id, MissingPage, MissingQuery, MonitoringListQuery, MonitoringPage, MyHealthReportBody, MyHealthToday, NodeQuery, ProtocolRef,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { HealthService } from './health.service.js';
import type { MonitoringService } from './monitoring.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function healthRoutes(app: App, s: { health: HealthService; monitoring: MonitoringService }): void {
  const { health, monitoring } = s;
  app.get('/api/health/reports', {
    config: { access: 'health.read' },
    schema: { tags: ['health'], summary: 'Health reports under my node (a day, abnormal only, one resident)', querystring: HealthReportListQuery, response: { 200: HealthReportPage, ...errors } },
    handler: (req) => health.list(scopeOf(req), req.query),
  });
  app.post('/api/health/reports', {
    config: { access: 'health.write' },
    schema: {
      tags: ['health'],
      summary: 'Record today’s report for a resident (replaces an earlier one today; an abnormal report raises a follow-up task)',
      body: HealthReportBody,
      response: { 200: HealthReportResult, ...errors },
    },
    handler: (req) => health.report(scopeOf(req), req.body),
  });
  app.get('/api/health/protocol', {
    config: { access: 'health.read' },
    schema: { tags: ['health'], summary: 'The protocol in force now: fever threshold and abnormal symptoms', response: { 200: ProtocolRef, ...errors } },
    handler: (req) => health.protocolNow(scopeOf(req)),
  });
  app.get('/api/health/summary', {
    config: { access: 'health.read' },
    schema: { tags: ['health'], summary: 'Today per grid: reports, abnormal, required to report, not yet reported', querystring: NodeQuery, response: { 200: HealthSummary, ...errors } },
    handler: (req) => health.summary(scopeOf(req), req.query.node),
  });
  app.get('/api/health/missing', {
    config: { access: 'health.read' },
    schema: { tags: ['health'], summary: 'Residents required to report who have not reported today (phones masked)', querystring: MissingQuery, response: { 200: MissingPage, ...errors } },
    handler: (req) => health.missing(scopeOf(req), req.query),
  });
  app.get('/api/health/flags', {
    config: { access: 'health.read' },
    schema: { tags: ['health'], summary: 'Health flags for residents of a list: abnormal report being followed up, daily monitoring', querystring: HealthFlagsQuery, response: { 200: HealthFlags, ...errors } },
    handler: (req) => health.flags(scopeOf(req), req.query.ids),
  });
  app.get('/api/health/monitoring', {
    config: { access: 'health.read' },
    schema: { tags: ['health'], summary: 'Residents under health monitoring (who must report daily)', querystring: MonitoringListQuery, response: { 200: MonitoringPage, ...errors } },
    handler: (req) => monitoring.list(scopeOf(req), req.query),
  });
  app.post('/api/health/monitoring', {
    config: { access: 'health.write' },
    schema: { tags: ['health'], summary: 'Put a resident under daily health monitoring, with a reason and an end date (audited)', body: CreateMonitoringBody, response: { 201: HealthMonitoring, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await monitoring.create(scopeOf(req), req.body)),
  });
  app.post('/api/health/monitoring/:id/end', {
    config: { access: 'health.write' },
    schema: { tags: ['health'], summary: 'End a health monitoring early, with a note (audited)', params, body: EndMonitoringBody, response: { 200: HealthMonitoring, ...errors } },
    handler: (req) => monitoring.end(scopeOf(req), req.params.id, req.body.note),
  });

  app.get('/api/me/health', {
    config: { access: 'self.read' },
    schema: { tags: ['portal'], summary: 'Resident portal: my health report today, and whether I must report', response: { 200: MyHealthToday, ...errors } },
    handler: (req) => health.myToday(scopeOf(req)),
  });
  app.put('/api/me/health', {
    config: { access: 'self.write' },
    schema: { tags: ['portal'], summary: 'Resident portal: report my health today (a second report today replaces the first)', body: MyHealthReportBody, response: { 200: HealthReportResult, ...errors } },
    handler: (req) => health.reportMine(scopeOf(req), req.body),
  });
}
