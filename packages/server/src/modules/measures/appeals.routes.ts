import { Appeal, AppealDecisionBody, AppealListQuery, AppealPage, Compliance, ErrorResponse, FileAppealBody, Id, Measure } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { AppealsService } from './appeals.service.js';
import type { ComplianceService } from './compliance.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export function appealsRoutes(app: App, appeals: AppealsService, compliance: ComplianceService): void {
  app.get('/api/measures/compliance', {
    config: { access: 'measure.read' },
    schema: {
      tags: ['measures'], summary: 'Compliance per community under my node: measures without legal basis (must be 0), overrides, refusals, overdue releases, appeal outcomes and times, complaints',
      response: { 200: Compliance, ...errors },
    },
    handler: (req) => compliance.figures(scopeOf(req)),
  });
  app.get('/api/me/measures', {
    config: { access: 'self.read' },
    schema: { tags: ['measures'], summary: 'Measures I am under (or was, in the last 30 days): the notice with its legal basis and end', response: { 200: Type.Array(Measure), ...errors } },
    handler: (req) => appeals.myMeasures(scopeOf(req)),
  });
  app.get('/api/me/appeals', {
    config: { access: 'self.read' },
    schema: { tags: ['measures'], summary: 'My appeals and complaints with their outcomes', response: { 200: Type.Array(Appeal), ...errors } },
    handler: (req) => appeals.mine(scopeOf(req)),
  });
  app.post('/api/me/appeals', {
    config: { access: 'self.write' },
    schema: { tags: ['measures'], summary: 'Appeal a measure (to the level above the one that imposed it) or complain about conduct (to the auditor)', body: FileAppealBody, response: { 201: Appeal, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await appeals.fileMine(scopeOf(req), req.body)),
  });
  app.get('/api/appeals', {
    config: { access: 'appeal.read' },
    schema: { tags: ['measures'], summary: 'Appeals (and, for the auditor, complaints) under my node, open first, soonest due first', querystring: AppealListQuery, response: { 200: AppealPage, ...errors } },
    handler: (req) => appeals.list(scopeOf(req), req.query),
  });
  app.post('/api/appeals/:id/decision', {
    config: { access: 'appeal.decide' },
    schema: { tags: ['measures'], summary: 'Decide an appeal at its level (a revoked measure ends at once) or close a complaint (auditor); audited', params: Type.Object({ id: Id }), body: AppealDecisionBody, response: { 200: Appeal, ...errors } },
    handler: (req) => appeals.decide(scopeOf(req), req.params.id, req.body),
  });
}
