import { Type } from '@sinclair/typebox';
import { PEOPLE_ROLES } from '../auth/identity.js';

// Request and reply bodies of /api/v1/session (one definition; the console reads the same fields).

export const SigninBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: 'account name' }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    totp: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit code, for an account with TOTP' })),
  },
  { additionalProperties: false },
);

export const SessionView = Type.Object(
  {
    name: Type.String(),
    roles: Type.Array(Type.Union(PEOPLE_ROLES.map((r) => Type.Literal(r)))),
    via: Type.Union([Type.Literal('local'), Type.Literal('oidc')]),
    csrf: Type.String({ description: 'send it back in `x-csrf-token` on every POST/PUT/PATCH/DELETE' }),
    expiresAt: Type.String({ format: 'date-time', description: 'when the session ends unless used before (idle 30 min, at most 12 h)' }),
  },
  { additionalProperties: false },
);

export const SigninMethods = Type.Object(
  {
    local: Type.Boolean({ description: 'local accounts (`reception hub user add`)' }),
    oidc: Type.Boolean({ description: "the province's single sign-on (OpenID Connect) is configured: GET /auth/oidc/start" }),
  },
  { additionalProperties: false },
);
