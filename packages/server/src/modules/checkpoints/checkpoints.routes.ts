import {
  Checkpoint, CheckpointDecision, CreateExemptionBody, DecisionBody, DecisionListQuery, DecisionPage, ErrorResponse, Exemption, ExemptionListQuery,
  ExemptionPage, Id, PersonalCode, RevokeExemptionBody,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { CheckpointsService } from './checkpoints.service.js';
import type { ExemptionsService } from './exemptions.service.js';
import type { PersonalCodes } from './personal-codes.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function checkpointsRoutes(app: App, s: { checkpoints: CheckpointsService; exemptions: ExemptionsService; personalCodes: PersonalCodes }): void {
  const { checkpoints, exemptions, personalCodes } = s;
  app.get('/api/checkpoints', {
    config: { access: 'checkpoint.operate' },
    schema: { tags: ['checkpoints'], summary: 'Checkpoints I may operate (active checkpoint places under my node)', response: { 200: Type.Array(Checkpoint), ...errors } },
    handler: (req) => checkpoints.list(scopeOf(req)),
  });
  app.post('/api/checkpoints/:id/decisions', {
    config: { access: 'checkpoint.operate' },
    schema: {
      tags: ['checkpoints'],
      summary: 'Scan a personal code: pass, deny (with every reason) or refused (forged, tampered, expired, replayed code); recorded',
      params, body: DecisionBody, response: { 200: CheckpointDecision, ...errors },
    },
    handler: (req) => checkpoints.decide(scopeOf(req), req.params.id, req.body),
  });
  app.get('/api/checkpoints/:id/decisions', {
    config: { access: 'checkpoint.operate' },
    schema: { tags: ['checkpoints'], summary: 'Decisions recorded at a checkpoint, newest first (names masked)', params, querystring: DecisionListQuery, response: { 200: DecisionPage, ...errors } },
    handler: (req) => checkpoints.decisions(scopeOf(req), req.params.id, req.query),
  });

  app.get('/api/exemptions', {
    config: { access: 'place.write' },
    schema: { tags: ['checkpoints'], summary: 'Passage exemptions of residents under my node', querystring: ExemptionListQuery, response: { 200: ExemptionPage, ...errors } },
    handler: (req) => exemptions.list(scopeOf(req), req.query),
  });
  app.post('/api/exemptions', {
    config: { access: 'place.write' },
    schema: { tags: ['checkpoints'], summary: 'Grant a time-limited passage exemption with a reason (audited; I am the approver on record)', body: CreateExemptionBody, response: { 201: Exemption, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await exemptions.create(scopeOf(req), req.body)),
  });
  app.post('/api/exemptions/:id/revoke', {
    config: { access: 'place.write' },
    schema: { tags: ['checkpoints'], summary: 'Revoke an exemption with a reason (audited)', params, body: RevokeExemptionBody, response: { 200: Exemption, ...errors } },
    handler: (req) => exemptions.revoke(scopeOf(req), req.params.id, req.body.reason),
  });

  app.post('/api/me/personal-code', {
    config: { access: 'self.read' },
    schema: { tags: ['portal'], summary: 'Resident portal: a fresh personal code (signed, valid 60 s, usable once per checkpoint)', response: { 200: PersonalCode, ...errors } },
    handler: async (req, reply) => reply.header('cache-control', 'no-store').send(await personalCodes.mine(scopeOf(req))),
  });
}
