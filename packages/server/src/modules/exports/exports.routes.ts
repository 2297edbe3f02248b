import { ErrorResponse, ExportResidentsBody, Job } from '@gridline/shared';
import { scopeOf, type App } from '../../http/types.js';
import type { ExportsService } from './exports.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export function exportsRoutes(app: App, exports: ExportsService): void {
  app.post('/api/exports/residents', {
    config: { access: 'resident.read' },
    schema: {
      tags: ['exports'],
      summary: 'Export the filtered register to .xlsx as a background job: masked, or with a purpose full (needs resident.unmask; audited either way)',
      body: ExportResidentsBody,
      response: { 202: Job, ...errors },
    },
    handler: async (req, reply) => reply.status(202).send(await exports.residents(scopeOf(req), req.body)),
  });
}
