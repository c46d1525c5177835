import { Value } from '@sinclair/typebox/value';
import { OidcConfig } from '../oidc-config.js';

/** An enabled `oidc` config: the schema's defaults under the given keys (tests). */
export const oidcConfigOf = (keys: Partial<OidcConfig>): OidcConfig =>
  Value.Default(OidcConfig, { enabled: true, ...structuredClone(keys) }) as OidcConfig;
