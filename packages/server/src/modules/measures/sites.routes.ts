import { ErrorResponse, Id, IsolationSite, IsolationSiteBody, IsolationSiteDetail, IsolationSiteList, IsolationSitePatch, IsolationSiteQuery } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { IsolationSites } from './sites.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function sitesRoutes(app: App, sites: IsolationSites): void {
  app.get('/api/measures/sites', {
    config: { access: 'measure.read' },
    schema: {
      tags: ['measures'], summary: 'Designated isolation sites serving my node (designated by my street or district) or under it, with capacity, places in use and free',
      querystring: IsolationSiteQuery, response: { 200: IsolationSiteList, ...errors },
    },
    handler: (req) => sites.list(scopeOf(req), req.query),
  });
  app.get('/api/measures/sites/:id', {
    config: { access: 'measure.read' },
    schema: { tags: ['measures'], summary: 'One isolation site and the people at it now (names only of measures in my jurisdiction; the rest counted)', params, response: { 200: IsolationSiteDetail, ...errors } },
    handler: (req) => sites.get(scopeOf(req), req.params.id),
  });
  app.post('/api/measures/sites', {
    config: { access: 'measure.approve' },
    schema: { tags: ['measures'], summary: 'Designate an isolation site at a street or the district (approvers at street level or above; audited)', body: IsolationSiteBody, response: { 201: IsolationSite, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await sites.create(scopeOf(req), req.body)),
  });
  app.patch('/api/measures/sites/:id', {
    config: { access: 'measure.approve' },
    schema: { tags: ['measures'], summary: 'Change or deactivate an isolation site (version-checked; audited)', params, body: IsolationSitePatch, response: { 200: IsolationSite, ...errors } },
    handler: (req) => sites.update(scopeOf(req), req.params.id, req.body),
  });
}
