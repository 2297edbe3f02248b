import {
  BulkReleaseBody, BulkReleaseResult, ErrorResponse, Id, MeasureDelivery, MeasuresViewedBody, RecordDeliveriesBody, RecordDeliveriesResult, ReleaseListQuery, ReleaseProposalPage,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { MeasureDeliveries } from './measures-deliveries.service.js';
import type { MeasureReleases } from './measures-releases.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

/** Release proposals at the due date and delivery records of notices and release certificates (issue #7). */
export function measuresLifecycleRoutes(app: App, releases: MeasureReleases, deliveries: MeasureDeliveries): void {
  app.get('/api/measures/releases', {
    config: { access: 'measure.read' },
    schema: {
      tags: ['measures'], summary: 'Person measures due for release (last day today or past, not yet released by a person), with the release conditions of the version at their start',
      querystring: ReleaseListQuery, response: { 200: ReleaseProposalPage, ...errors },
    },
    handler: (req) => releases.proposals(scopeOf(req), req.query),
  });
  app.post('/api/measures/releases', {
    config: { access: 'measure.write' },
    schema: {
      tags: ['measures'], summary: 'Release many due measures, one transaction each (those whose conditions do not hold only with a written reason); audited',
      body: BulkReleaseBody, response: { 200: BulkReleaseResult, ...errors },
    },
    handler: (req) => releases.release(scopeOf(req), req.body),
  });
  app.post('/api/measures/deliveries', {
    config: { access: 'measure.write' },
    schema: {
      tags: ['measures'], summary: 'Record how a notice or release certificate was delivered (handed over, posted, SMS/phone) for many measures at once; audited',
      body: RecordDeliveriesBody, response: { 200: RecordDeliveriesResult, ...errors },
    },
    handler: (req) => deliveries.record(scopeOf(req), req.body),
  });
  app.get('/api/measures/:id/deliveries', {
    config: { access: 'measure.read' },
    schema: { tags: ['measures'], summary: 'How the measure’s notice and release certificate were delivered, by whom and when', params: Type.Object({ id: Id }), response: { 200: Type.Array(MeasureDelivery), ...errors } },
    handler: (req) => deliveries.list(scopeOf(req), req.params.id),
  });
  app.post('/api/me/measures/viewed', {
    config: { access: 'self.read' },
    schema: {
      tags: ['measures'], summary: 'The portal opened my measures: the first view of each notice or release certificate is recorded as its delivery',
      body: MeasuresViewedBody, response: { 200: RecordDeliveriesResult, ...errors },
    },
    handler: (req) => deliveries.viewedMine(scopeOf(req), req.body),
  });
}
