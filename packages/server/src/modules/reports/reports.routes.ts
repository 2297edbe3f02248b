import { DirectReport, ErrorResponse, Id, ReportListQuery, ReportPage, SendReportBody } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { ReportsService } from './reports.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function reportsRoutes(app: App, reports: ReportsService): void {
  app.post('/api/reports', {
    config: { access: 'report.send' },
    schema: { tags: ['reports'], summary: 'Send a direct report (直报) straight to the district command, stored exactly as written with its sha256', body: SendReportBody, response: { 201: DirectReport, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await reports.send(scopeOf(req), req.body)),
  });
  app.get('/api/reports/sent', {
    config: { access: 'report.send' },
    schema: { tags: ['reports'], summary: 'My sent direct reports with their receipts (delivered, read by whom and when)', querystring: ReportListQuery, response: { 200: ReportPage, ...errors } },
    handler: (req) => reports.list(scopeOf(req), 'sent', req.query),
  });
  app.get('/api/reports/received', {
    config: { access: 'report.read' },
    schema: { tags: ['reports'], summary: 'Direct reports received by my command (newest first, with the unread count)', querystring: ReportListQuery, response: { 200: ReportPage, ...errors } },
    handler: (req) => reports.list(scopeOf(req), 'received', req.query),
  });
  app.get('/api/reports/:id', {
    config: { access: 'report.send' },
    schema: { tags: ['reports'], summary: 'One direct report: its sender, or the command it was sent to', params, response: { 200: DirectReport, ...errors } },
    handler: (req) => reports.get(scopeOf(req), req.params.id),
  });
  app.post('/api/reports/:id/read', {
    config: { access: 'report.read' },
    schema: { tags: ['reports'], summary: 'Record that the command read it (the first reader; the sender is told)', params, response: { 200: DirectReport, ...errors } },
    handler: (req) => reports.markRead(scopeOf(req), req.params.id),
  });
}
