import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import sensible from '@fastify/sensible';
import { installErrorHandler } from '../../../common/http/error-handler.js';
import { ErrorReply } from '../../../common/http/error-reply.js';
import { strictValidator } from '../../../common/http/strict-validator.js';
import { silentLogger } from '../../../common/log.js';
import type { AuditEntryInput, AuditLog } from '../../audit/audit-contract.js';
import type { PersonRole } from '../../auth/identity.js';
import type { OidcConfig } from '../../oidc/oidc-config.js';
import { ACCOUNTS_FILE, readAccounts, writeAccounts } from '../account-file.js';
import { createSignin } from '../create-signin.js';
import { hashPassword } from '../password.js';

// The sign-in routes on a server built like the hub's (strict validator, the one error handler), with
// a state dir of its own, a clock the test moves, and an audit log kept in a list (the AuditLog contract).

export function memoryAudit(): AuditLog & { entries: AuditEntryInput[] } {
  const entries: AuditEntryInput[] = [];
  return { entries, append: async (e) => void entries.push(e) };
}

/** A cheaper scrypt for the tests' many sign-ins (stored with the hash and verified as it says; the CLI tests use the real cost). */
export const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };

export async function addAccount(stateDir: string, name: string, password: string, roles: PersonRole[], totpSecret?: string) {
  const file = join(stateDir, ACCOUNTS_FILE);
  const doc = readAccounts(file);
  const at = new Date(Date.now() - 60_000).toISOString(); // before the test clock's sign-ins
  doc.accounts.push({
    name,
    roles,
    password: await hashPassword(password, TEST_COST),
    createdAt: at,
    passwordChangedAt: at,
    ...(totpSecret ? { totpSecret } : {}),
  });
  await writeAccounts(file, doc);
}

export async function signinApp(opts: { oidc?: OidcConfig; publicUrl?: string; port?: number } = {}) {
  const stateDir = mkdtempSync(join(tmpdir(), 'signin-'));
  const clock = { t: Date.now() };
  const audit = memoryAudit();
  const app = Fastify();
  app.setValidatorCompiler(strictValidator);
  await app.register(sensible);
  app.addSchema(ErrorReply);
  installErrorHandler(app);
  const signin = createSignin({
    stateDir,
    oidc: opts.oidc,
    publicUrl: opts.publicUrl ?? '',
    audit,
    logger: silentLogger(),
    now: () => clock.t,
  });
  await app.register(signin.routes);
  // A route that needs a session, as the hub's auth plugin would gate it (hub/auth reads the same lookup).
  app.get('/whoami', async (req, reply) => {
    const s = signin.sessions.fromRequest(req);
    return s ? { name: s.user.name, roles: s.user.roles, via: s.user.via } : reply.code(401).send({ message: 'no session' });
  });
  if (opts.port !== undefined) await app.listen({ host: '127.0.0.1', port: opts.port });
  return { app, stateDir, clock, audit, signin, stop: () => app.close() };
}

/** The session cookie's value from a reply's Set-Cookie headers. */
export function sessionCookie(setCookie: string | string[] | undefined): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const c = all.find((h) => h.startsWith('reception_session='));
  return c?.split(';')[0];
}
