import {
  BoundaryImportBody, BoundaryImportResult, CreateRegionBody, ErrorResponse, RegionCode, RegionMap, RegionNode, RegionNodeDetail, UpdateRegionBody,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { RegionsService } from './regions.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

export function regionsRoutes(app: App, regions: RegionsService): void {
  app.get('/api/regions', {
    config: { access: 'region.read' },
    schema: { tags: ['regions'], summary: 'My jurisdiction node with its children and resident counts', response: { 200: RegionNodeDetail, ...errors } },
    handler: (req) => regions.detail(scopeOf(req), undefined),
  });
  app.get('/api/regions/:code', {
    config: { access: 'region.read' },
    schema: { tags: ['regions'], summary: 'A node with its path and children', params: Type.Object({ code: RegionCode }), response: { 200: RegionNodeDetail, ...errors } },
    handler: (req) => regions.detail(scopeOf(req), req.params.code),
  });
  app.get('/api/regions/:code/map', {
    config: { access: 'region.read' },
    schema: { tags: ['regions'], summary: 'GeoJSON of a node and its children with boundaries, with resident counts', params: Type.Object({ code: RegionCode }), response: { 200: RegionMap, ...errors } },
    handler: (req) => regions.map(scopeOf(req), req.params.code),
  });
  app.post('/api/regions/boundaries', {
    config: { access: 'region.write' },
    bodyLimit: 20 * 1024 * 1024,
    schema: { tags: ['regions'], summary: 'Load grid/building boundaries from a GeoJSON FeatureCollection (properties.code)', body: BoundaryImportBody, response: { 200: BoundaryImportResult, ...errors, 413: ErrorResponse } },
    handler: (req) => regions.importBoundaries(scopeOf(req), req.body),
  });
  app.post('/api/regions', {
    config: { access: 'region.write' },
    schema: { tags: ['regions'], summary: 'Create a node under my jurisdiction', body: CreateRegionBody, response: { 201: RegionNode, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await regions.create(scopeOf(req), req.body)),
  });
  app.patch('/api/regions/:code', {
    config: { access: 'region.write' },
    schema: { tags: ['regions'], summary: 'Rename a node', params: Type.Object({ code: RegionCode }), body: UpdateRegionBody, response: { 200: RegionNode, ...errors } },
    handler: (req) => regions.rename(scopeOf(req), req.params.code, req.body.name),
  });
}
