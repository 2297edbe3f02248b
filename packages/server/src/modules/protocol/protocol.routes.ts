import { CreateProtocolVersionBody, ErrorResponse, ProtocolDiff, ProtocolDiffQuery, ProtocolId, ProtocolVersionDetail, ProtocolVersionList } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { ProtocolService } from './protocol.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: ProtocolId });

export function protocolRoutes(app: App, protocol: ProtocolService): void {
  app.get('/api/protocol/versions', {
    config: { access: 'protocol.read' },
    schema: { tags: ['protocol'], summary: 'Protocol versions, newest effective date first, with the one in force today', response: { 200: ProtocolVersionList, ...errors } },
    handler: (req) => protocol.list(scopeOf(req)),
  });
  app.get('/api/protocol/versions/:id', {
    config: { access: 'protocol.read' },
    schema: { tags: ['protocol'], summary: 'One version: every value with its label, group and source, and the diff against the version before it', params, response: { 200: ProtocolVersionDetail, ...errors } },
    handler: (req) => protocol.get(scopeOf(req), req.params.id),
  });
  app.get('/api/protocol/versions/:id/diff', {
    config: { access: 'protocol.read' },
    schema: { tags: ['protocol'], summary: 'Field-by-field diff against another version (default: the one before it)', params, querystring: ProtocolDiffQuery, response: { 200: ProtocolDiff, ...errors } },
    handler: (req) => protocol.diff(scopeOf(req), req.params.id, req.query.against),
  });
  app.post('/api/protocol/versions', {
    config: { access: 'protocol.manage' },
    schema: { tags: ['protocol'], summary: 'A new version from a base version with changed values, effective from a date not in the past (audited)', body: CreateProtocolVersionBody, response: { 201: ProtocolVersionDetail, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await protocol.create(scopeOf(req), req.body)),
  });
}
