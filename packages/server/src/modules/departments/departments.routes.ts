import { CreateDepartmentBody, CreateRoutingRuleBody, DeadlineSettings, Department, DepartmentList, ErrorResponse, Id, RegionCode, RoutingRuleList, SetDeadlinesBody, UpdateDepartmentBody } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { DepartmentsService } from './departments.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function departmentsRoutes(app: App, departments: DepartmentsService): void {
  app.get('/api/departments', {
    config: { access: 'department.read' },
    schema: { tags: ['departments'], summary: 'Departments serving my jurisdiction (at my node, below it, or above it on my path)', response: { 200: DepartmentList, ...errors } },
    handler: (req) => departments.list(scopeOf(req)),
  });
  app.post('/api/departments', {
    config: { access: 'department.manage' },
    schema: { tags: ['departments'], summary: 'Register a department at a node (audited)', body: CreateDepartmentBody, response: { 201: Department, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await departments.create(scopeOf(req), req.body)),
  });
  app.patch('/api/departments/:id', {
    config: { access: 'department.manage' },
    schema: { tags: ['departments'], summary: 'Change a department: duty contact, categories, active (audited)', params, body: UpdateDepartmentBody, response: { 200: Department, ...errors } },
    handler: (req) => departments.update(scopeOf(req), req.params.id, req.body),
  });
  app.get('/api/departments/routes', {
    config: { access: 'department.read' },
    schema: { tags: ['departments'], summary: 'Routing rules: category × jurisdiction node → department (lead first)', response: { 200: RoutingRuleList, ...errors } },
    handler: (req) => departments.routes(scopeOf(req)),
  });
  app.post('/api/departments/routes', {
    config: { access: 'department.manage' },
    schema: { tags: ['departments'], summary: 'Add a routing rule (audited); the first department for a category and node leads', body: CreateRoutingRuleBody, response: { 201: RoutingRuleList, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await departments.addRoute(scopeOf(req), req.body)),
  });
  app.delete('/api/departments/routes/:id', {
    config: { access: 'department.manage' },
    schema: { tags: ['departments'], summary: 'Remove a routing rule (audited)', params, response: { 200: RoutingRuleList, ...errors } },
    handler: (req) => departments.removeRoute(scopeOf(req), req.params.id),
  });
  app.get('/api/departments/deadlines', {
    config: { access: 'department.read' },
    schema: {
      tags: ['departments'], summary: 'Acknowledgement and resolution deadlines in force per urgency at a node (mine by default)',
      querystring: Type.Object({ node: Type.Optional(RegionCode) }, { additionalProperties: false }), response: { 200: DeadlineSettings, ...errors },
    },
    handler: (req) => departments.deadlines(scopeOf(req), req.query.node),
  });
  app.put('/api/departments/deadlines', {
    config: { access: 'department.manage' },
    schema: { tags: ['departments'], summary: 'Set my node’s deadlines per urgency (audited; applies to whistles raised from now on)', body: SetDeadlinesBody, response: { 200: DeadlineSettings, ...errors } },
    handler: (req) => departments.setDeadlines(scopeOf(req), req.body),
  });
}
