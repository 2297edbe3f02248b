import { Type, type Static } from '@sinclair/typebox';
import { ROLES } from '../roles.js';
import { Id, RegionCode, Timestamp, PageQuery, Page, StringEnum } from './common.js';

export const RoleSchema = StringEnum(ROLES);

export const User = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  nodeCode: RegionCode,
  householdId: Type.Union([Id, Type.Null()]),
  residentId: Type.Union([Id, Type.Null()]),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  lastLoginAt: Type.Union([Timestamp, Type.Null()]),
  /** Department staff: the department they work for (whistles routed to it are theirs). */
  departmentId: Type.Optional(Type.Union([Id, Type.Null()])),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type User = Static<typeof User>;

export const Username = Type.String({ pattern: '^[a-zA-Z0-9_.-]{3,32}$', description: '3–32 letters, digits, _ . -' });

export const CreateUserBody = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 50 }),
    role: RoleSchema,
    nodeCode: RegionCode,
    residentId: Type.Optional(Type.String({ format: 'uuid', description: 'For the resident role: the resident this account belongs to' })),
    departmentId: Type.Optional(Type.String({ format: 'uuid', description: 'For department staff: their department' })),
    password: Type.String({ minLength: 8, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    role: Type.Optional(RoleSchema),
    nodeCode: Type.Optional(RegionCode),
    disabled: Type.Optional(Type.Boolean()),
    departmentId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const ResetPasswordResult = Type.Object({ temporaryPassword: Type.String() });

export const UserListQuery = Type.Object(
  { ...PageQuery, q: Type.Optional(Type.String({ maxLength: 64 })), role: Type.Optional(RoleSchema) },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;
export const UserPage = Page(User);
