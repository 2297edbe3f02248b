import {
  BulkContactsBody, BulkContactsResult, CaseTracing, ClockQuery, ClockSummary, ClusterDetail, ClusterDetailQuery, ClusterPage, ClusterQuery, Contact, EnterContactBody, ErrorResponse,
  FollowupPage, FollowupQuery, GraphSearchQuery, GraphSearchResult, Id, ReportQuery, TraceResult,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import { contentDisposition, fileStamp, safeFileName } from '../jobs/job-files.js';
import type { TracingGraph } from './tracing.graph.js';
import { reportDocx, reportXlsx } from './tracing.report.js';
import type { TracingService } from './tracing.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });
const MIME = { docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

export function tracingRoutes(app: App, s: { tracing: TracingService; graph: TracingGraph }): void {
  const { tracing, graph } = s;
  app.get('/api/tracing/cases/:id', {
    config: { access: 'trace.read' },
    schema: { tags: ['tracing'], summary: 'A case’s tracing: look-back window, contacts in my jurisdiction with their evidence, counts, the 24-hour clock', params, response: { 200: CaseTracing, ...errors } },
    handler: (req) => tracing.caseTracing(scopeOf(req), req.params.id),
  });
  app.post('/api/tracing/cases/:id/trace', {
    config: { access: 'trace.write' },
    schema: { tags: ['tracing'], summary: 'Propose contacts: household, co-location in the window, secondary contacts of confirmed close contacts (idempotent; audited)', params, response: { 200: TraceResult, ...errors } },
    handler: (req) => tracing.trace(scopeOf(req), req.params.id),
  });
  app.post('/api/tracing/cases/:id/contacts', {
    config: { access: 'trace.write' },
    schema: { tags: ['tracing'], summary: 'Enter a contact (a resident, or a person outside the register with name and phone); merged if already listed (audited)', params, body: EnterContactBody, response: { 201: Contact, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await tracing.enter(scopeOf(req), req.params.id, req.body)),
  });
  app.post('/api/tracing/contacts/bulk', {
    config: { access: 'trace.write' },
    schema: { tags: ['tracing'], summary: 'Confirm, reject, assign or mark notified many contacts at once (one transaction; each audited; confirming raises follow-up tasks)', body: BulkContactsBody, response: { 200: BulkContactsResult, ...errors } },
    handler: (req) => tracing.bulk(scopeOf(req), req.body),
  });
  app.get('/api/tracing/cases/:id/report', {
    config: { access: 'trace.read' },
    schema: { tags: ['tracing'], summary: 'The tracing report (流调报告) as DOCX or XLSX', params, querystring: ReportQuery, response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The report (.docx or .xlsx)' }), ...errors } },
    handler: async (req, reply) => {
      const scope = scopeOf(req);
      const data = await tracing.reportData(scope, req.params.id);
      const input = { ...data, generatedAt: tracing.now(), generatedBy: scope.actor.displayName || scope.actor.username };
      const buf = req.query.format === 'docx' ? await reportDocx(input) : await reportXlsx(input);
      const name = safeFileName(`流调报告-${data.caseRow.case_no}-${fileStamp(input.generatedAt)}.${req.query.format}`);
      return reply
        .header('content-type', MIME[req.query.format])
        .header('content-disposition', contentDisposition(name))
        .header('cache-control', 'no-store')
        .send(buf);
    },
  });
  app.get('/api/tracing/followup', {
    config: { access: 'contact.followup' },
    schema: { tags: ['tracing'], summary: 'Confirmed contacts in my grid with what follow-up needs (masked phone, address, category, dates, the prescribed measure)', querystring: FollowupQuery, response: { 200: FollowupPage, ...errors } },
    handler: (req) => tracing.followup(scopeOf(req), req.query),
  });
  app.get('/api/tracing/clock', {
    config: { access: 'trace.read' },
    schema: { tags: ['tracing'], summary: 'The 24-hour clock: cases at risk (≥ 18 h, contacts not all notified) and the share met per day', querystring: ClockQuery, response: { 200: ClockSummary, ...errors } },
    handler: (req) => tracing.clock(scopeOf(req), req.query),
  });
  app.get('/api/tracing/clusters', {
    config: { access: 'trace.read' },
    schema: { tags: ['tracing'], summary: 'Transmission chains: cluster summaries (size, cases, contacts, first/last date, places), largest first', querystring: ClusterQuery, response: { 200: ClusterPage, ...errors } },
    handler: (req) => graph.clusters(scopeOf(req), req.query),
  });
  app.get('/api/tracing/clusters/:id', {
    config: { access: 'trace.read' },
    schema: { tags: ['tracing'], summary: 'One cluster’s nodes and edges (cases first, contacts up to the limit)', params: Type.Object({ id: Type.String({ maxLength: 80 }) }), querystring: ClusterDetailQuery, response: { 200: ClusterDetail, ...errors } },
    handler: (req) => graph.cluster(scopeOf(req), req.params.id, req.query),
  });
  app.get('/api/tracing/search', {
    config: { access: 'trace.read' },
    schema: { tags: ['tracing'], summary: 'Find a case number or a person in the chains: their cluster and node', querystring: GraphSearchQuery, response: { 200: GraphSearchResult, ...errors } },
    handler: (req) => graph.search(scopeOf(req), req.query),
  });
}
