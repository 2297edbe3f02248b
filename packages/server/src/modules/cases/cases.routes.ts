import { CaseDetail, CaseListQuery, CasePage, CaseView, CloseCaseBody, CreateCaseBody, ErrorResponse, Id, ReclassifyCaseBody, UpdateCaseBody } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { CasesService } from './cases.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function casesRoutes(app: App, cases: CasesService): void {
  app.get('/api/cases', {
    config: { access: 'case.read' },
    schema: { tags: ['cases'], summary: 'Cases under my node (open first, newest first) with counts', querystring: CaseListQuery, response: { 200: CasePage, ...errors } },
    handler: (req) => cases.list(scopeOf(req), req.query),
  });
  app.get('/api/cases/:id', {
    config: { access: 'case.read' },
    schema: { tags: ['cases'], summary: 'One case with the timeline of its classification, status and outcome changes', params, response: { 200: CaseDetail, ...errors } },
    handler: (req) => cases.detail(scopeOf(req), req.params.id),
  });
  app.post('/api/cases', {
    config: { access: 'case.write' },
    schema: { tags: ['cases'], summary: 'Report a case of a resident or of a person not in the register (audited)', body: CreateCaseBody, response: { 201: CaseView, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await cases.create(scopeOf(req), req.body)),
  });
  app.patch('/api/cases/:id', {
    config: { access: 'case.write' },
    schema: { tags: ['cases'], summary: 'Change dates, address, source or note; optimistic on version (audited)', params, body: UpdateCaseBody, response: { 200: CaseView, ...errors } },
    handler: (req) => cases.update(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/cases/:id/reclassify', {
    config: { access: 'case.write' },
    schema: { tags: ['cases'], summary: 'Suspected → confirmed/asymptomatic, asymptomatic → confirmed, with a reason (audited)', params, body: ReclassifyCaseBody, response: { 200: CaseView, ...errors } },
    handler: (req) => cases.reclassify(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/cases/:id/close', {
    config: { access: 'case.write' },
    schema: { tags: ['cases'], summary: 'Close a case with its outcome and a reason (audited)', params, body: CloseCaseBody, response: { 200: CaseView, ...errors } },
    handler: (req) => cases.close(scopeOf(req), req.params.id, req.body),
  });
}
