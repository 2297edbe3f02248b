import { AreaControlList, AreaControlQuery, AreaStepDownBody, AreaStepDownResult, ErrorResponse, Id } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { AreasService } from './areas.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export function areasRoutes(app: App, areas: AreasService): void {
  app.get('/api/measures/areas', {
    config: { access: 'measure.read' },
    schema: {
      tags: ['measures'], summary: 'Area controls in force under my node: residents affected, lifting rule under the version at the start, the shape to draw (own or nearest ancestor)',
      querystring: AreaControlQuery, response: { 200: AreaControlList, ...errors },
    },
    handler: (req) => areas.list(scopeOf(req), req.query),
  });
  app.get('/api/measures/areas/proposals', {
    config: { access: 'measure.read' },
    schema: { tags: ['measures'], summary: 'Downgrade proposals: area controls in force whose lifting rule is met (step down to the next level, or lift)', querystring: AreaControlQuery, response: { 200: AreaControlList, ...errors } },
    handler: (req) => areas.proposals(scopeOf(req), req.query),
  });
  app.post('/api/measures/areas/:id/step-down', {
    config: { access: 'measure.write' },
    schema: {
      tags: ['measures'],
      summary: 'Act on a downgrade proposal: end the control now and draw the lower level from now (with the street’s approval; otherwise the lower level waits for it); refused while the rule is not met (audited)',
      params: Type.Object({ id: Id }), body: AreaStepDownBody, response: { 200: AreaStepDownResult, ...errors },
    },
    handler: (req) => areas.stepDown(scopeOf(req), req.params.id, req.body),
  });
}
