import { AreaControlBody, ErrorResponse, Id, Job, Measure, MeasureAssessment, MeasureDecisionBody, MeasureExtendBody, MeasureListQuery, MeasureNoticesBody, MeasurePage, MeasureReleaseBody, PersonMeasureBody } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { MeasuresService } from './measures.service.js';
import type { MeasureNotices } from './notices.job.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function measuresRoutes(app: App, measures: MeasuresService, notices: MeasureNotices): void {
  app.post('/api/measures/notices', {
    config: { access: 'measure.write' },
    schema: {
      tags: ['measures'], summary: 'Notices or release certificates for many people at once (one page each, DOCX or PDF), as a background job with progress',
      body: MeasureNoticesBody, response: { 202: Job, ...errors },
    },
    handler: async (req, reply) => reply.status(202).send(await notices.enqueue(scopeOf(req), req.body)),
  });
  app.get('/api/measures', {
    config: { access: 'measure.read' },
    schema: { tags: ['measures'], summary: 'Isolation orders and area controls under my node, newest first', querystring: MeasureListQuery, response: { 200: MeasurePage, ...errors } },
    handler: (req) => measures.list(scopeOf(req), req.query),
  });
  app.get('/api/measures/:id', {
    config: { access: 'measure.read' },
    schema: { tags: ['measures'], summary: 'One measure: legal basis, protocol version, assessment, approval', params, response: { 200: Measure, ...errors } },
    handler: (req) => measures.get(scopeOf(req), req.params.id),
  });
  app.post('/api/measures/assess', {
    config: { access: 'measure.write' },
    schema: { tags: ['measures'], summary: 'What the protocol in force prescribes for a person measure, and whether this one stays within it (nothing stored)', body: PersonMeasureBody, response: { 200: MeasureAssessment, ...errors } },
    handler: (req) => measures.assessPerson(scopeOf(req), req.body),
  });
  app.post('/api/measures', {
    config: { access: 'measure.write' },
    schema: {
      tags: ['measures'], summary: 'Impose isolation or health monitoring on a person (in force at once within the protocol and your approval level; otherwise pending the next level up; audited)',
      body: PersonMeasureBody, response: { 201: Measure, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(await measures.createPerson(scopeOf(req), req.body)),
  });
  app.post('/api/measures/areas/assess', {
    config: { access: 'measure.write' },
    schema: { tags: ['measures'], summary: 'Whether an area control stays within the protocol in force (nothing stored)', body: AreaControlBody, response: { 200: MeasureAssessment, ...errors } },
    handler: (req) => measures.assessArea(scopeOf(req), req.body),
  });
  app.post('/api/measures/areas', {
    config: { access: 'measure.write' },
    schema: { tags: ['measures'], summary: 'Draw an area control (level, scope, planned days; sealed exits are always refused; audited)', body: AreaControlBody, response: { 201: Measure, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await measures.createArea(scopeOf(req), req.body)),
  });
  app.post('/api/measures/:id/decision', {
    config: { access: 'measure.approve' },
    schema: { tags: ['measures'], summary: 'Approve or refuse a pending measure at the level it needs, with a written reason (audited)', params, body: MeasureDecisionBody, response: { 200: Measure, ...errors } },
    handler: (req) => measures.decide(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/measures/:id/extend', {
    config: { access: 'measure.write' },
    schema: {
      tags: ['measures'], summary: 'Extend a person measure in force, with a reason; judged by the protocol version at its start, by whoever holds the approval the new length needs (audited)',
      params, body: MeasureExtendBody, response: { 200: Measure, ...errors },
    },
    handler: (req) => measures.extend(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/measures/:id/release', {
    config: { access: 'measure.write' },
    schema: { tags: ['measures'], summary: 'Release a measure in force before its planned end (audited)', params, body: MeasureReleaseBody, response: { 200: Measure, ...errors } },
    handler: (req) => measures.release(scopeOf(req), req.params.id, req.body),
  });
}
