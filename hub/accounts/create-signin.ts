import { join } from 'node:path';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { HUB_API } from '../../common/contracts/route.js';
import type { Logger } from '../../common/log.js';
import type { AuditLog } from '../audit/audit-contract.js';
import { createOidcClient } from '../oidc/oidc-client.js';
import type { OidcConfig } from '../oidc/oidc-config.js';
import { oidcRoutes } from '../oidc/oidc-routes.js';
import { ACCOUNTS_FILE, type AccountsView, watchAccounts } from './account-file.js';
import { localStillValid } from './local-signin.js';
import { sessionRoutes } from './session-routes.js';
import { createSessionStore, type SessionStoreDeps } from './sessions.js';
import { createSigninCounts } from './signin-metrics.js';
import { createSigninThrottle } from './throttle.js';
import { createTotpChecker } from './totp.js';

// People signing in at the hub: local accounts (<stateDir>/accounts.json) and, when configured, the
// province's OpenID provider. `sessions` is the SessionLookup the one auth plugin reads (hub/auth);
// `routes` is the plugin to register: /api/v1/session…, /auth/oidc/….

export interface SigninDeps {
  /** Where accounts.json lives; undefined: no local accounts (in-memory test hubs). */
  stateDir?: string;
  oidc?: OidcConfig;
  publicUrl: string;
  audit?: AuditLog;
  logger: Logger;
  now?: () => number;
  /** The accounts when they are not the stateDir's file (PostgreSQL: hub/accounts/account-store-pg.ts). */
  accounts?: AccountsView;
  /** Sessions shared by every hub node (PostgreSQL: hub/accounts/sessions-pg.ts); absent: this process only. */
  share?: SessionStoreDeps['share'];
}

export function createSignin(deps: SigninDeps) {
  const log = deps.logger;
  let lastProblem = '';
  const accounts =
    deps.accounts ??
    watchAccounts(deps.stateDir ? join(deps.stateDir, ACCOUNTS_FILE) : '/nonexistent/accounts.json', (message) => {
      if (message !== lastProblem) log.error({ problem: message }, 'ACCOUNTS FILE UNREADABLE: the last good copy is used');
      lastProblem = message;
    });
  const sessions = createSessionStore({ now: deps.now, stillValid: localStillValid(accounts), share: deps.share });
  const throttle = createSigninThrottle(deps.now);
  const totp = createTotpChecker(deps.now);
  const counts = createSigninCounts(); // reception_hub_signins_total (signin-metrics.ts)
  const oidc = deps.oidc?.enabled ? createOidcClient(deps.oidc, deps.publicUrl, deps.now) : undefined; // throws OidcConfigError
  if ((deps.stateDir || deps.accounts) && !accounts.current().accounts.length && !oidc)
    log.warn('no people can sign in yet: add an account with `reception hub user add NAME --role officer`');

  async function routes(app: FastifyInstance) {
    // @fastify/cookie loads its cookie parser when registered: sessions.ts and the OIDC routes use it.
    if (!app.hasDecorator('serializeCookie')) await app.register(fastifyCookie);
    await app.register(sessionRoutes, {
      prefix: HUB_API,
      sessions,
      accounts,
      throttle,
      totp,
      counts,
      audit: deps.audit,
      oidcEnabled: !!oidc,
    });
    if (oidc && deps.oidc) await app.register(oidcRoutes, { oidc, config: deps.oidc, sessions, counts, audit: deps.audit });
    app.addHook('onClose', async () => {
      await sessions.stop();
      await oidc?.close();
    });
  }
  return { sessions, routes, accounts, counts };
}
export type Signin = ReturnType<typeof createSignin>;
