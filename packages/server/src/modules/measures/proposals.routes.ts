import { ErrorResponse, Exemption, Id, ImposeProposalsBody, ImposeProposalsResult, MeasureProposalList, MeasureProposalQuery } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { MeasureExemptions } from './measure-exemptions.js';
import type { MeasureProposals } from './proposals.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export function measureProposalsRoutes(app: App, proposals: MeasureProposals, exemptions: MeasureExemptions): void {
  app.get('/api/measures/proposals', {
    config: { access: 'measure.write' },
    schema: {
      tags: ['measures'],
      summary: 'Confirmed close and secondary contacts under my node with no measure yet, each with what the protocol version at its last exposure prescribes',
      querystring: MeasureProposalQuery, response: { 200: MeasureProposalList, ...errors },
    },
    handler: (req) => proposals.list(scopeOf(req), req.query),
  });
  app.post('/api/measures/proposals/impose', {
    config: { access: 'measure.write' },
    schema: {
      tags: ['measures'],
      summary: 'Impose the proposed measures on many contacts (each through the proportionality guard, audited; accepted, pending approval or refused with the reason, per contact; never twice)',
      body: ImposeProposalsBody, response: { 200: ImposeProposalsResult, ...errors },
    },
    handler: (req) => proposals.impose(scopeOf(req), req.body),
  });
  app.get('/api/measures/:id/exemptions', {
    config: { access: 'measure.read' },
    schema: {
      tags: ['measures'], summary: 'Passage exemptions of the person under a measure that overlap its window (for treatment while isolated)',
      params: Type.Object({ id: Id }), response: { 200: Type.Array(Exemption), ...errors },
    },
    handler: (req) => exemptions.list(scopeOf(req), req.params.id),
  });
}
