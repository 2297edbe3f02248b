import { ErrorResponse, PerformanceQuery, PerformanceReport } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import { contentDisposition } from '../jobs/job-files.js';
import type { PerformanceService } from './performance.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function performanceRoutes(app: App, performance: PerformanceService): void {
  app.get('/api/performance', {
    config: { access: 'performance.read' },
    schema: {
      tags: ['performance'], summary: '响应率/解决率/满意率, average times and overdue counts of whistles raised in a period, by department, community and day/week/month',
      querystring: PerformanceQuery, response: { 200: PerformanceReport, ...errors },
    },
    handler: (req) => performance.report(scopeOf(req), req.query),
  });
  app.get('/api/performance/export', {
    config: { access: 'performance.read' },
    schema: {
      tags: ['performance'], summary: 'The same figures as an .xlsx workbook', querystring: PerformanceQuery,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errors },
    },
    handler: async (req, reply) => {
      const file = await performance.workbook(scopeOf(req), req.query);
      reply.header('content-type', XLSX);
      reply.header('content-disposition', contentDisposition(file.fileName));
      reply.header('cache-control', 'no-store');
      return reply.send(file.data);
    },
  });
}
