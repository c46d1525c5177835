import { PEOPLE_ROLES, type PersonRole } from '../auth/identity.js';
import type { OidcConfig } from './oidc-config.js';

// The hub roles of a person signed in through the province's provider: the values of `rolesClaim`
// (an array or a space/comma-separated string, at a dotted path), through `roleMap`.

export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path]; // a claim whose name has dots ("https://x.gov.vn/roles")
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), claims);
}

export function rolesFrom(claims: Record<string, unknown>, cfg: Pick<OidcConfig, 'rolesClaim' | 'roleMap'>): PersonRole[] {
  const raw = claimAt(claims, cfg.rolesClaim);
  const values = Array.isArray(raw)
    ? raw.filter((v): v is string => typeof v === 'string')
    : typeof raw === 'string'
      ? raw.split(/[\s,]+/)
      : [];
  const mapped = Object.keys(cfg.roleMap).length
    ? values.flatMap((v) => (Object.hasOwn(cfg.roleMap, v) ? (cfg.roleMap[v] ?? []) : []))
    : values.filter((v): v is PersonRole => (PEOPLE_ROLES as readonly string[]).includes(v));
  return PEOPLE_ROLES.filter((r) => mapped.includes(r));
}

/** The name the hub shows and audits: nameClaim, else name, else sub. */
export function nameFrom(claims: Record<string, unknown>, nameClaim: string): string {
  const pick = [claimAt(claims, nameClaim), claims.name, claims.sub].find((v) => typeof v === 'string' && v.trim());
  return String(pick).trim().slice(0, 128);
}
