import fs from 'node:fs';
import { ErrorResponse, Id, Job, JobList } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import { contentDisposition } from './job-files.js';
import type { JobsService } from './jobs.service.js';

const errors = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const params = Type.Object({ id: Id });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Any signed-in user reads their own jobs; the owner check lives in the service (others get 404). */
export function jobsRoutes(app: App, jobs: JobsService): void {
  app.get('/api/jobs', {
    config: { access: 'authenticated' },
    schema: { tags: ['jobs'], summary: 'My 20 most recent background jobs', response: { 200: JobList, ...errors } },
    handler: async (req) => ({ items: await jobs.recent(scopeOf(req)) }),
  });
  app.get('/api/jobs/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['jobs'], summary: 'One of my jobs: status, progress, result', params, response: { 200: Job, ...errors } },
    handler: (req) => jobs.get(scopeOf(req), req.params.id),
  });
  app.get('/api/jobs/:id/download', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['jobs'], summary: 'The file a finished job produced (an export, an import error report)', params,
      response: { 200: Type.Unsafe<fs.ReadStream>({ type: 'string', format: 'binary', description: 'The file (.xlsx)' }), ...errors },
    },
    handler: async (req, reply) => {
      const file = await jobs.download(scopeOf(req), req.params.id);
      reply.header('content-type', file.name.endsWith('.xlsx') ? XLSX : 'application/octet-stream');
      reply.header('content-disposition', contentDisposition(file.name));
      reply.header('cache-control', 'no-store');
      return reply.send(fs.createReadStream(file.path));
    },
  });
}
