import { CreateUserBody, ErrorResponse, Id, ResetPasswordResult, UpdateUserBody, User, UserListQuery, UserPage } from '@gridline/shared';
import { Type } from '@sinclair/typebox';
import { scopeOf, type App } from '../../http/types.js';
import type { UsersService } from './users.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const params = Type.Object({ id: Id });

export function usersRoutes(app: App, users: UsersService): void {
  app.get('/api/users', {
    config: { access: 'user.manage' },
    schema: { tags: ['users'], summary: 'Accounts under my node', querystring: UserListQuery, response: { 200: UserPage, ...errors } },
    handler: (req) => users.list(scopeOf(req), req.query),
  });
  app.post('/api/users', {
    config: { access: 'user.manage' },
    schema: { tags: ['users'], summary: 'Create an account (must change its password at first sign-in)', body: CreateUserBody, response: { 201: User, ...errors } },
    handler: async (req, reply) => reply.status(201).send(await users.create(scopeOf(req), req.body)),
  });
  app.patch('/api/users/:id', {
    config: { access: 'user.manage' },
    schema: { tags: ['users'], summary: 'Rename, move, change role, disable or enable', params, body: UpdateUserBody, response: { 200: User, ...errors } },
    handler: (req) => users.update(scopeOf(req), req.params.id, req.body),
  });
  app.post('/api/users/:id/reset-password', {
    config: { access: 'user.manage' },
    schema: { tags: ['users'], summary: 'Reset to a temporary password; ends the user’s sessions', params, response: { 200: ResetPasswordResult, ...errors } },
    handler: (req) => users.resetPassword(scopeOf(req), req.params.id),
  });
}
