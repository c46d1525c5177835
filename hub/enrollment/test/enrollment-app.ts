import Fastify from 'fastify';
import sensible from '@fastify/sensible';
import { authPlugin, type Caller } from '../../../common/http/auth-plugin.js';
import { installErrorHandler } from '../../../common/http/error-handler.js';
import { ErrorReply } from '../../../common/http/error-reply.js';
import { strictValidator } from '../../../common/http/strict-validator.js';
import { silentLogger } from '../../../common/log.js';
import { HUB_API } from '../../../common/contracts/route.js';
import type { AuditEntryInput } from '../../audit/audit-contract.js';
import { createEnrollment } from '../create-enrollment.js';

// The enrollment module on its own fastify server, as the hub mounts it (strict validation, the one
// error shape, the one auth plugin), with three API tokens: 'tech-token' (technician), 'mon-token' (monitor), 'off-token' (officer).
// The audit entries are kept in `audited`.

export async function startEnrollmentApp(
  opts: { stateDir?: string; receiptKeyFile?: string; maxAttempts?: number; now?: () => Date } = {},
) {
  const audited: AuditEntryInput[] = [];
  const enrollment = await createEnrollment({
    stateDir: opts.stateDir,
    receiptKeyFile: opts.receiptKeyFile,
    audit: { append: async (e) => void audited.push(e) },
    logger: silentLogger(),
    now: opts.now,
    maxAttempts: opts.maxAttempts,
  });
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(strictValidator);
  await app.register(sensible);
  app.addSchema(ErrorReply);
  installErrorHandler(app);
  const people: Record<string, string> = { 'tech-token': 'technician', 'mon-token': 'monitor', 'off-token': 'officer' };
  await app.register(authPlugin, {
    roles: ['technician', 'monitor', 'officer'],
    identify: (req, token): Caller => ({
      name: token ? `token:${people[token] ?? '?'}` : 'anonymous',
      role: (token && people[token]) || 'none',
      ip: req.ip,
      viaToken: !!token,
    }),
    allows: (caller, needs) => needs.includes(caller.role),
  });
  await enrollment.routes(app, HUB_API);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  const url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  return { app, url, enrollment, registry: enrollment.registry, audited, stop: () => app.close() };
}
