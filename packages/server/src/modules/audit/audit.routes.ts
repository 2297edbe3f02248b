import { AuditListQuery, AuditPage, AuditVerifyResult, ErrorResponse } from '@gridline/shared';
import type { Db } from '../../db/schema.js';
import { scopeOf, type App } from '../../http/types.js';
import type { AuditService } from './audit.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export function auditRoutes(app: App, audit: AuditService, db: Db): void {
  app.get('/api/audit/events', {
    config: { access: 'audit.read' },
    schema: { tags: ['audit'], summary: 'Audit events under my node, newest first', querystring: AuditListQuery, response: { 200: AuditPage, ...errors } },
    handler: (req) => audit.list(db, scopeOf(req), req.query),
  });
  app.get('/api/audit/verify', {
    config: { access: 'audit.verify' },
    schema: { tags: ['audit'], summary: 'Verify the whole hash chain; names the first altered, missing or reordered event', response: { 200: AuditVerifyResult, ...errors } },
    handler: () => audit.verify(db),
  });
}
