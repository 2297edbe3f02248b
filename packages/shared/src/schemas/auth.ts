import { Type, type Static } from '@sinclair/typebox';
import { ROLES } from '../roles.js';
import { Id, RegionCode, StringEnum } from './common.js';

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const Me = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  role: StringEnum(ROLES),
  nodeCode: RegionCode,
  nodePath: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() })),
  permissions: Type.Array(Type.String()),
  mustChangePassword: Type.Boolean(),
  sessionExpiresAt: Type.Integer(),
});
export type Me = Static<typeof Me>;

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
    newPassword: Type.String({ minLength: 8, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;
