import {
  CheckInResult, CreatePlaceBody, ErrorResponse, Id, Place, PlaceCode, PlaceListQuery, PlacePage, PosterQuery, PublicPlace, ScanListQuery, ScanPage,
  UpdatePlaceBody, VisitorCheckInBody,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { PlacesService } from './places.service.js';
import type { ScansService } from './scans.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });
const codeParams = Type.Object({ code: PlaceCode });

/** Visitor sign-ins per client IP per minute: generous (a market's visitors may share one carrier NAT), but bounded. */
const VISITOR_RATE_PER_MINUTE = 120;

export function placesRoutes(app: App, s: { places: PlacesService; scans: ScansService }): void {
  const { places, scans } = s;
  app.get('/api/places', {
    config: { access: 'place.read' },
    schema: { tags: ['places'], summary: 'Places under my node: filtered, paginated', querystring: PlaceListQuery, response: { 200: PlacePage, ...errors } },
    handler: (req) => places.list(scopeOf(req), req.query),
  });
  app.post('/api/places', {
    config: { access: 'place.write' },
    schema: { tags: ['places'], summary: 'Register a place; it gets an unguessable place code (audited)', body: CreatePlaceBody, response: { 201: Place, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await places.create(scopeOf(req), req.body)),
  });
  app.get('/api/places/:id', {
    config: { access: 'place.read' },
    schema: { tags: ['places'], summary: 'One place', params, response: { 200: Place, ...errors } },
    handler: (req) => places.get(scopeOf(req), req.params.id),
  });
  app.patch('/api/places/:id', {
    config: { access: 'place.write' },
    schema: { tags: ['places'], summary: 'Change a place (optimistic: send the version you read; audited)', params, body: UpdatePlaceBody, response: { 200: Place, ...errors } },
    handler: (req) => places.update(scopeOf(req), req.params.id, req.body),
  });
  app.get('/api/places/:id/poster', {
    config: { access: 'place.read' },
    schema: {
      tags: ['places'], summary: 'The printable QR poster (A4): name, address, QR of PUBLIC_URL/p/<code>, instructions in Chinese', params, querystring: PosterQuery,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf or image/png' }), ...errors, 500: ErrorResponse },
    },
    handler: async (req, reply) => {
      const poster = await places.poster(scopeOf(req), req.params.id, req.query.format ?? 'pdf');
      return reply
        .header('content-type', poster.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(poster.fileName)}`)
        .header('cache-control', 'no-store')
        .send(poster.body);
    },
  });
  app.get('/api/places/:id/scans', {
    config: { access: 'place.read' },
    schema: { tags: ['places'], summary: 'A place’s scans, newest first (default: the last 14 days); names and phones masked', params, querystring: ScanListQuery, response: { 200: ScanPage, ...errors } },
    handler: (req) => scans.list(scopeOf(req), req.params.id, req.query),
  });

  // The public scan page (/p/:code in the web app) talks to these.
  app.get('/api/place-codes/:code', {
    config: { access: 'public' },
    schema: { tags: ['places'], summary: 'Public: the place a poster’s code names (an inactive or unknown code is not found)', params: codeParams, response: { 200: PublicPlace, 400: ErrorResponse, 404: ErrorResponse } },
    handler: (req) => places.publicByCode(req.params.code),
  });
  app.post('/api/place-codes/:code/check-in', {
    config: { access: 'self.write' },
    schema: { tags: ['places'], summary: 'Resident portal: “I am here” — records me at this place now', params: codeParams, response: { 201: CheckInResult, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await scans.checkInResident(scopeOf(req), req.params.code)),
  });
  app.post('/api/place-codes/:code/visit', {
    config: { access: 'public', rateLimit: { max: VISITOR_RATE_PER_MINUTE, timeWindow: 60_000 } },
    schema: {
      tags: ['places'], summary: 'Public: a visitor records name and phone at this place now (phone stored encrypted)', params: codeParams, body: VisitorCheckInBody,
      response: { 201: CheckInResult, 400: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse },
    },
    handler: async (req, reply) => reply.status(201).send(await scans.checkInVisitor(req.params.code, req.body)),
  });
}
