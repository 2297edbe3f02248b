import {
  ChangeMyPhoneBody, CreateHouseholdBody, DuplicateGroups, MergeResidentBody, RegionCode, CreateResidentBody, ErrorResponse, Household, HouseholdMove, Id, MoveHouseholdBody, Ok, Resident,
  ResidentListQuery, ResidentPage, UnitHousehold, UnmaskBody, UnmaskedResident, UpdateResidentBody,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { DuplicatesService } from './duplicates.service.js';
import type { HouseholdsService } from './households.service.js';
import type { PortalService } from './portal.service.js';
import type { ResidentsService } from './residents.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

const MergeRecord = Type.Object({ id: Id, mergedId: Id, merged: Resident, reason: Type.String(), mergedBy: Type.Union([Id, Type.Null()]), mergedAt: Type.Integer() });

export function residentsRoutes(app: App, s: { residents: ResidentsService; households: HouseholdsService; portal: PortalService; duplicates: DuplicatesService }): void {
  const { residents, households, portal, duplicates } = s;
  app.get('/api/residents/duplicates', {
    config: { access: 'resident.read' },
    schema: { tags: ['residents'], summary: 'Likely duplicates under a node (same name and birth date, same document or phone tail)', querystring: Type.Object({ node: Type.Optional(RegionCode) }, { additionalProperties: false }), response: { 200: DuplicateGroups, ...errors } },
    handler: (req) => duplicates.candidates(scopeOf(req), req.query.node),
  });
  app.post('/api/residents/:id/merge', {
    config: { access: 'resident.write' },
    schema: { tags: ['residents'], summary: 'Fold a duplicate into this resident, keeping its snapshot in the merge history (audited)', params, body: MergeResidentBody, response: { 200: Resident, ...errors } },
    handler: (req) => duplicates.merge(scopeOf(req), req.params.id, req.body),
  });
  app.get('/api/residents/:id/merges', {
    config: { access: 'resident.read' },
    schema: { tags: ['residents'], summary: 'Duplicates merged into this resident', params, response: { 200: Type.Array(MergeRecord), ...errors } },
    handler: (req) => duplicates.history(scopeOf(req), req.params.id),
  });
  app.get('/api/residents', {
    config: { access: 'resident.read' },
    schema: { tags: ['residents'], summary: 'The register under my node: filtered, sorted, paginated, masked', querystring: ResidentListQuery, response: { 200: ResidentPage, ...errors } },
    handler: (req) => residents.list(scopeOf(req), req.query),
  });
  app.get('/api/residents/:id', {
    config: { access: 'resident.read' },
    schema: { tags: ['residents'], summary: 'One resident, masked', params, response: { 200: Resident, ...errors } },
    handler: (req) => residents.get(scopeOf(req), req.params.id),
  });
  app.post('/api/residents', {
    config: { access: 'resident.write' },
    schema: { tags: ['residents'], summary: 'Register a resident in a household', body: CreateResidentBody, response: { 201: Resident, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await residents.create(scopeOf(req), req.body)),
  });
  app.patch('/api/residents/:id', {
    config: { access: 'resident.write' },
    schema: { tags: ['residents'], summary: 'Change a resident (optimistic: send the version you read)', params, body: UpdateResidentBody, response: { 200: Resident, ...errors } },
    handler: (req) => residents.update(scopeOf(req), req.params.id, req.body),
  });
  app.delete('/api/residents/:id', {
    config: { access: 'resident.write' },
    schema: { tags: ['residents'], summary: 'Remove a resident from the register', params, response: { 200: Ok, ...errors } },
    handler: async (req) => {
      await residents.remove(scopeOf(req), req.params.id);
      return { ok: true as const };
    },
  });
  app.post('/api/residents/:id/unmask', {
    config: { access: 'resident.unmask' },
    schema: { tags: ['residents'], summary: 'Full document number and phone for a stated purpose (audited)', params, body: UnmaskBody, response: { 200: UnmaskedResident, ...errors } },
    handler: (req) => residents.unmask(scopeOf(req), req.params.id, req.body.purpose),
  });

  app.get('/api/households/:id', {
    config: { access: 'household.read' },
    schema: { tags: ['households'], summary: 'A household with its members', params, response: { 200: Household, ...errors } },
    handler: (req) => households.get(scopeOf(req), req.params.id),
  });
  app.post('/api/households', {
    config: { access: 'household.write' },
    schema: { tags: ['households'], summary: 'Register a household in a unit', body: CreateHouseholdBody, response: { 201: Household, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await households.create(scopeOf(req), req.body)),
  });
  app.post('/api/households/:id/move', {
    config: { access: 'household.write' },
    schema: { tags: ['households'], summary: 'Move a household to another unit/room, keeping its history', params, body: MoveHouseholdBody, response: { 200: Household, ...errors } },
    handler: (req) => households.move(scopeOf(req), req.params.id, req.body),
  });
  app.get('/api/regions/:code/households', {
    config: { access: 'household.read' },
    schema: { tags: ['households'], summary: 'A unit’s households with member counts (including empty ones)', params: Type.Object({ code: RegionCode }), response: { 200: Type.Array(UnitHousehold), ...errors } },
    handler: (req) => households.inUnit(scopeOf(req), req.params.code),
  });
  app.get('/api/households/:id/history', {
    config: { access: 'household.read' },
    schema: { tags: ['households'], summary: 'Where a household has lived', params, response: { 200: Type.Array(HouseholdMove), ...errors } },
    handler: (req) => households.history(scopeOf(req), req.params.id),
  });

  app.get('/api/me/household', {
    config: { access: 'self.read' },
    schema: { tags: ['portal'], summary: 'Resident portal: my household', response: { 200: Household, ...errors } },
    handler: (req) => households.mine(scopeOf(req)),
  });
  app.get('/api/me/resident', {
    config: { access: 'self.read' },
    schema: { tags: ['portal'], summary: 'Resident portal: my details (masked)', response: { 200: Resident, ...errors } },
    handler: (req) => portal.myDetails(scopeOf(req)),
  });
  app.put('/api/me/phone', {
    config: { access: 'self.write' },
    schema: { tags: ['portal'], summary: 'Resident portal: correct my phone number', body: ChangeMyPhoneBody, response: { 200: Resident, ...errors } },
    handler: (req) => portal.changeMyPhone(scopeOf(req), req.body.phone),
  });
}
