import { Type, type Static } from '@sinclair/typebox';
import { PEOPLE_ROLES } from '../auth/identity.js';

// The hub config's `oidc` key: the province's single sign-on (OpenID Connect, authorization code + PKCE).

const Role = Type.Union(PEOPLE_ROLES.map((r) => Type.Literal(r)));

export const OidcConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'offer "Đăng nhập bằng SSO / Sign in with SSO" on the sign-in page' }),
    issuer: Type.String({
      default: '',
      description: 'the OpenID provider\'s issuer URL (https; http only on loopback), e.g. "https://sso.tinh.gov.vn/realms/tcd"',
    }),
    caFile: Type.String({
      default: '',
      description:
        "PEM of the CA that issued the provider's certificate, when it is not in the system store (the province's own CA); \"\" = Node's roots + the system store",
    }),
    clientId: Type.String({ default: '', description: "the hub's client id at the provider" }),
    clientSecret: Type.String({ default: '', description: 'its client secret (this file is 0600); "" for a public client (PKCE only)' }),
    redirectUri: Type.String({
      default: '',
      description: 'registered at the provider; "" = publicUrl + "/auth/oidc/callback"',
    }),
    scopes: Type.String({ default: 'openid profile', description: 'scopes asked for (space-separated; "openid" is always added)' }),
    nameClaim: Type.String({
      default: 'preferred_username',
      description: "claim shown as the person's name (falls back to name, then sub)",
    }),
    rolesClaim: Type.String({
      default: 'roles',
      description: 'claim listing the person\'s roles at the provider; a dotted path reaches inside ("realm_access.roles")',
    }),
    roleMap: Type.Record(Type.String(), Type.Array(Role), {
      default: {},
      description:
        'provider role → hub roles, e.g. {"tcd-can-bo": ["officer"]}; empty: a provider role named like a hub role (officer, supervisor…) is that role. No role → 403',
    }),
  },
  { additionalProperties: false, default: {}, description: "officers' single sign-on through the province's OpenID provider" },
);
export type OidcConfig = Static<typeof OidcConfig>;
