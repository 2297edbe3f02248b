import { CreateTaskBody, ErrorResponse, Id, Task, TaskAssignees, TaskListQuery, TaskPage, UpdateTaskBody } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { TasksService } from './tasks.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function tasksRoutes(app: App, tasks: TasksService): void {
  app.get('/api/tasks', {
    config: { access: 'task.read' },
    schema: { tags: ['tasks'], summary: 'Follow-up tasks under my node (still to do first, soonest due first) with counts', querystring: TaskListQuery, response: { 200: TaskPage, ...errors } },
    handler: (req) => tasks.list(scopeOf(req), req.query),
  });
  app.get('/api/tasks/:id', {
    config: { access: 'task.read' },
    schema: { tags: ['tasks'], summary: 'One task', params, response: { 200: Task, ...errors } },
    handler: (req) => tasks.get(scopeOf(req), req.params.id),
  });
  app.post('/api/tasks', {
    config: { access: 'task.write' },
    schema: { tags: ['tasks'], summary: 'Write a task by hand for a node or a resident (audited)', body: CreateTaskBody, response: { 201: Task, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await tasks.create(scopeOf(req), req.body)),
  });
  app.patch('/api/tasks/:id', {
    config: { access: 'task.write' },
    schema: { tags: ['tasks'], summary: 'Change status (open → in progress → done/cancelled, with a note), assignee or due time (audited)', params, body: UpdateTaskBody, response: { 200: Task, ...errors } },
    handler: (req) => tasks.update(scopeOf(req), req.params.id, req.body),
  });
  app.get('/api/tasks/:id/assignees', {
    config: { access: 'task.write' },
    schema: { tags: ['tasks'], summary: 'Staff who may take this task', params, response: { 200: TaskAssignees, ...errors } },
    handler: (req) => tasks.assignees(scopeOf(req), req.params.id),
  });
}
