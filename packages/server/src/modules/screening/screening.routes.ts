import {
  AbnormalPage, AbnormalQuery, AssignWorkersBody, Campaign, CampaignGrid, CampaignListQuery, CampaignMap, CampaignPage, CampaignProgress, CampaignVersionBody,
  CreateCampaignBody, ErrorResponse, FieldHouseholds, FieldHouseholdsQuery, FollowUpPage, FollowUpQuery, Id, Job, RegionCode, ResolveConflictBody, RevisitList,
  UpdateCampaignBody, Visit, VisitBody, VisitListQuery, VisitPage,
} from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { ScreeningServices } from './index.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });
const tags = ['screening'];

export function screeningRoutes(app: App, s: ScreeningServices): void {
  const { campaigns, progress, visits, field, reports } = s;

  app.get('/api/screening/campaigns', {
    config: { access: 'screening.read' },
    schema: { tags, summary: 'Campaigns covering my jurisdiction or one of its grids, with my part’s coverage', querystring: CampaignListQuery, response: { 200: CampaignPage, ...errors } },
    handler: (req) => campaigns.list(scopeOf(req), req.query),
  });
  app.post('/api/screening/campaigns', {
    config: { access: 'screening.manage' },
    schema: { tags, summary: 'Draft a campaign on a node: split into its grids, each given to its grid workers', body: CreateCampaignBody, response: { 201: Campaign, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await campaigns.create(scopeOf(req), req.body)),
  });
  app.get('/api/screening/campaigns/:id', {
    config: { access: 'screening.read' },
    schema: { tags, summary: 'One campaign with its questionnaire and my part’s coverage', params, response: { 200: Campaign, ...errors } },
    handler: (req) => campaigns.get(scopeOf(req), req.params.id),
  });
  app.patch('/api/screening/campaigns/:id', {
    config: { access: 'screening.manage' },
    schema: { tags, summary: 'Change name, dates, or (while a draft) the questionnaire; send the version read', params, body: UpdateCampaignBody, response: { 200: Campaign, ...errors } },
    handler: (req) => campaigns.update(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/screening/campaigns/:id/activate', {
    config: { access: 'screening.manage' },
    schema: { tags, summary: 'Start a draft campaign (counts each grid’s households)', params, body: CampaignVersionBody, response: { 200: Campaign, ...errors } },
    handler: (req) => campaigns.activate(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/screening/campaigns/:id/close', {
    config: { access: 'screening.manage' },
    schema: { tags, summary: 'End a campaign: no more visits', params, body: CampaignVersionBody, response: { 200: Campaign, ...errors } },
    handler: (req) => campaigns.close(scopeOf(req), req.params.id, req.body),
  });
  app.get('/api/screening/campaigns/:id/grids', {
    config: { access: 'screening.manage' },
    schema: { tags, summary: 'Grids with their workers and who else could take them', params, response: { 200: Type.Array(CampaignGrid), ...errors } },
    handler: (req) => campaigns.grids(scopeOf(req), req.params.id),
  });
  app.put('/api/screening/campaigns/:id/grids/:grid/workers', {
    config: { access: 'screening.manage' },
    schema: { tags, summary: 'Give a grid to workers (staff who may visit and whose node covers the grid)', params: Type.Object({ id: Id, grid: RegionCode }), body: AssignWorkersBody, response: { 200: CampaignGrid, ...errors } },
    handler: (req) => campaigns.assign(scopeOf(req), req.params.id, req.params.grid, req.body),
  });
  app.get('/api/screening/campaigns/:id/progress', {
    config: { access: 'screening.read' },
    schema: { tags, summary: 'Coverage per grid and overall (households visited / nobody home / not reached, residents, abnormal)', params, response: { 200: CampaignProgress, ...errors } },
    handler: (req) => progress.progress(scopeOf(req), req.params.id),
  });
  app.get('/api/screening/campaigns/:id/map', {
    config: { access: 'screening.read' },
    schema: { tags, summary: 'Grid boundaries as GeoJSON with coverage and its colour band', params, response: { 200: CampaignMap, ...errors } },
    handler: (req) => progress.map(scopeOf(req), req.params.id),
  });
  app.get('/api/screening/campaigns/:id/households', {
    config: { access: 'screening.visit' },
    schema: { tags, summary: 'Households of a grid (default: my assigned grids) with members and visit state, for the offline list', params, querystring: FieldHouseholdsQuery, response: { 200: FieldHouseholds, ...errors } },
    handler: (req) => field.households(scopeOf(req), req.params.id, req.query),
  });
  app.get('/api/screening/campaigns/:id/follow-up', {
    config: { access: 'screening.read' },
    schema: { tags, summary: 'Households not visited yet (never reached, or nobody home)', params, querystring: FollowUpQuery, response: { 200: FollowUpPage, ...errors } },
    handler: (req) => field.followUp(scopeOf(req), req.params.id, req.query),
  });
  app.get('/api/screening/campaigns/:id/abnormal', {
    config: { access: 'screening.read' },
    schema: { tags, summary: 'Residents with abnormal answers (symptoms, special needs, positive test, flagged answers)', params, querystring: AbnormalQuery, response: { 200: AbnormalPage, ...errors } },
    handler: (req) => field.abnormal(scopeOf(req), req.params.id, req.query),
  });
  app.post('/api/screening/campaigns/:id/export', {
    config: { access: 'screening.read' },
    schema: { tags, summary: 'The campaign report (.xlsx: coverage per grid, households not reached, abnormal residents) as a background job', params, response: { 202: Job, ...errors } },
    handler: async (req, reply) => reply.status(202).send(await reports.enqueue(scopeOf(req), req.params.id)),
  });

  app.post('/api/screening/visits', {
    config: { access: 'screening.visit' },
    schema: {
      tags,
      summary: 'Record a household visit (idempotent by clientKey; a colleague’s unseen later visit makes it a conflict to resolve)',
      body: VisitBody,
      response: { 200: Visit, ...errors },
    },
    handler: (req) => visits.record(scopeOf(req), req.body),
  });
  app.get('/api/screening/visits', {
    config: { access: 'screening.visit' },
    schema: { tags, summary: 'My visits, newest first (status=conflict: the ones to resolve)', querystring: VisitListQuery, response: { 200: VisitPage, ...errors } },
    handler: (req) => visits.mine(scopeOf(req), req.query),
  });
  app.post('/api/screening/visits/:id/resolve', {
    config: { access: 'screening.visit' },
    schema: { tags, summary: 'Resolve my conflicting visit: keep the colleague’s, or apply mine over it', params, body: ResolveConflictBody, response: { 200: Visit, ...errors } },
    handler: (req) => visits.resolve(scopeOf(req), req.params.id, req.body),
  });
  app.get('/api/screening/revisits', {
    config: { access: 'screening.visit' },
    schema: { tags, summary: 'Households with nobody home due for a revisit (today or earlier) in my assigned grids', response: { 200: RevisitList, ...errors } },
    handler: (req) => field.revisits(scopeOf(req)),
  });
}
