import { Arrival, ArrivalListQuery, ArrivalPage, ArrivalRules, ArrivalRulesQuery, CancelArrivalBody, CreateArrivalBody, ErrorResponse, Id, MyArrivalBody } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { ArrivalsService } from './arrivals.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function arrivalsRoutes(app: App, arrivals: ArrivalsService): void {
  app.get('/api/arrivals/rules', {
    // Protocol values only, no personal data: any signed-in user (residents reporting in the portal too) may read them.
    config: { access: 'authenticated' },
    schema: { tags: ['arrivals'], summary: 'Risk levels of the protocol in force on a date, and what an arrival from each requires', querystring: ArrivalRulesQuery, response: { 200: ArrivalRules, ...errors } },
    handler: (req) => arrivals.rules(req.query.date),
  });
  app.get('/api/arrivals', {
    config: { access: 'arrival.read' },
    schema: { tags: ['arrivals'], summary: 'Arrival reports under my node', querystring: ArrivalListQuery, response: { 200: ArrivalPage, ...errors } },
    handler: (req) => arrivals.list(scopeOf(req), req.query),
  });
  app.get('/api/arrivals/:id', {
    config: { access: 'arrival.read' },
    schema: { tags: ['arrivals'], summary: 'One arrival report with what the protocol required and its tasks', params, response: { 200: Arrival, ...errors } },
    handler: (req) => arrivals.get(scopeOf(req), req.params.id),
  });
  app.post('/api/arrivals', {
    config: { access: 'arrival.write' },
    schema: {
      tags: ['arrivals'],
      summary: 'Report an arrival for a resident or a new person (registered at the arrival address); the protocol in force decides monitoring, tests and isolation',
      body: CreateArrivalBody,
      response: { 201: Arrival, ...errors },
    },
    handler: async (req, reply) => reply.status(201).send(await arrivals.create(scopeOf(req), req.body)),
  });
  app.post('/api/arrivals/:id/cancel', {
    config: { access: 'arrival.write' },
    schema: { tags: ['arrivals'], summary: 'Withdraw a report entered in error: open tasks cancelled, monitoring ended (audited)', params, body: CancelArrivalBody, response: { 200: Arrival, ...errors } },
    handler: (req) => arrivals.cancel(scopeOf(req), req.params.id, req.body.reason),
  });
  app.get('/api/me/arrivals', {
    config: { access: 'self.read' },
    schema: { tags: ['portal'], summary: 'Resident portal: my arrival reports', response: { 200: Type.Object({ items: Type.Array(Arrival) }), ...errors } },
    handler: (req) => arrivals.mine(scopeOf(req)),
  });
  app.post('/api/me/arrivals', {
    config: { access: 'self.write' },
    schema: { tags: ['portal'], summary: 'Resident portal: report my arrival', body: MyArrivalBody, response: { 201: Arrival, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await arrivals.createMine(scopeOf(req), req.body)),
  });
}
