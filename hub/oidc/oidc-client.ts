import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as client from 'openid-client';
import { isLoopback } from '../../common/http/credentials.js';
import { createHubTrust, parseCaPem } from '../../common/tls/hub-trust.js';
import type { OidcConfig } from './oidc-config.js';

// The hub as an OpenID Connect relying party (openid-client): discovery (retried on the next sign-in
// when the provider was down), then per sign-in a flow with its own state, nonce and PKCE verifier, kept
// here for 10 minutes under a random id that only the browser's flow cookie carries. Each flow is used once.

const FLOW_MS = 10 * 60_000;
const MAX_FLOWS = 10_000;

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  at: number;
}

/** A bad `oidc` key: `path` is its JSON pointer in the hub config (`/oidc/issuer`). */
export class OidcConfigError extends Error {
  readonly path: string;
  constructor(key: string, message: string) {
    super(`oidc.${key}: ${message}`);
    this.path = `/oidc/${key}`;
  }
}

/** Checks what the hub can check without the provider; throws naming the key. */
export function checkOidcConfig(cfg: OidcConfig, publicUrl: string): { issuer: URL; redirectUri: string } {
  const where = (k: string, m: string) => new OidcConfigError(k, m);
  let issuer: URL;
  try {
    issuer = new URL(cfg.issuer);
  } catch {
    throw where('issuer', `not a URL (got "${cfg.issuer}")`);
  }
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname)))
    throw where('issuer', 'must be https (http only for a provider on this machine)');
  if (!cfg.clientId) throw where('clientId', 'is required');
  if (cfg.caFile) {
    try {
      parseCaPem(readFileSync(cfg.caFile, 'utf8'));
    } catch (err) {
      throw where('caFile', `${cfg.caFile}: ${(err as Error).message}`);
    }
  }
  const redirectUri = cfg.redirectUri || (publicUrl ? `${publicUrl.replace(/\/+$/, '')}/auth/oidc/callback` : '');
  if (!redirectUri) throw where('redirectUri', 'is required when publicUrl is empty');
  if (new URL(redirectUri).pathname !== '/auth/oidc/callback') throw where('redirectUri', 'must end in /auth/oidc/callback');
  return { issuer, redirectUri };
}

const isLoopbackHost = (h: string) => h === 'localhost' || isLoopback(h.replace(/^\[|\]$/g, ''));

export function createOidcClient(cfg: OidcConfig, publicUrl: string, now: () => number = Date.now) {
  const { issuer, redirectUri } = checkOidcConfig(cfg, publicUrl);
  // Every request to the provider (discovery, keys, token, userinfo) trusts caFile's CA, or the system's roots.
  const trust = createHubTrust({ caPem: cfg.caFile ? readFileSync(cfg.caFile, 'utf8') : undefined });
  const requestOptions = {
    [client.customFetch]: trust.fetch as client.CustomFetch,
    ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
  };
  let discovered: Promise<client.Configuration> | undefined;
  const flows = new Map<string, Flow>();
  const configuration = () => {
    discovered ??= client
      .discovery(issuer, cfg.clientId, cfg.clientSecret || undefined, cfg.clientSecret ? undefined : client.None(), requestOptions)
      .catch((err) => {
        discovered = undefined; // try again next time
        throw err;
      });
    return discovered;
  };
  const sweep = () => {
    for (const [id, f] of flows) if (now() - f.at > FLOW_MS) flows.delete(id);
    if (flows.size >= MAX_FLOWS) flows.delete(flows.keys().next().value as string);
  };

  return {
    redirectUri,
    /** Closes the connections to the provider (hub shutdown). */
    close: () => trust.close(),
    /** A new flow: its id (for the cookie) and the provider URL to send the browser to. */
    async start(): Promise<{ flowId: string; url: URL }> {
      const config = await configuration();
      sweep();
      const flow: Flow = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), at: now() };
      const flowId = randomBytes(24).toString('base64url');
      flows.set(flowId, flow);
      const scope = [...new Set(['openid', ...cfg.scopes.split(/\s+/).filter(Boolean)])].join(' ');
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope,
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
      });
      return { flowId, url };
    },
    /** The provider's answer (the callback's query) → the person's claims (ID token + userinfo). Throws on anything wrong. */
    async finish(flowId: string | undefined, query: string): Promise<Record<string, unknown>> {
      const flow = flowId ? flows.get(flowId) : undefined;
      if (flowId) flows.delete(flowId); // one use
      if (!flow || now() - flow.at > FLOW_MS) throw new Error('no sign-in under way in this browser (or it took over 10 minutes)');
      const config = await configuration();
      const current = new URL(redirectUri);
      current.search = query;
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = { ...(tokens.claims() ?? {}) } as Record<string, unknown>;
      if (!(cfg.rolesClaim.split('.')[0]! in claims) && config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        return { ...info, ...claims };
      }
      return claims;
    },
  };
}
export type OidcClient = ReturnType<typeof createOidcClient>;
