import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../../common/http/auth-plugin.js';
import type { AuditEntryInput, AuditLog } from '../audit/audit-contract.js';

// What the auth layer writes to the audit log: every refusal (401, 403, 421 — who, what, why, from
// where), and auditAction() for the routes' own actions (hearing changes, book reads, downloads).

/** How the audit log names a caller: an account name, `token:<name>`, `room:<id>`, 'loopback' or 'anonymous'. */
export const actorOf = (c: Caller | undefined): string =>
  !c || c.role === 'none' ? 'anonymous' : c.role === 'room' ? `room:${c.name}` : c.name;

const pathOf = (req: FastifyRequest) => req.url.split('?')[0] ?? req.url;
const REFUSALS = new Set([401, 403, 421]);

/** Appends an action the caller took (awaited: an action the log cannot record is not answered as done). */
export function auditAction(audit: AuditLog | undefined, req: FastifyRequest, action: string, target?: string, reason?: string) {
  if (!audit) return Promise.resolve();
  const entry: AuditEntryInput = { actor: actorOf(req.caller), action, target, outcome: 'ok', reason, ip: req.ip };
  return audit.append(entry);
}

export const auditRefusals = fp(
  async (app: FastifyInstance, opts: { audit: AuditLog }) => {
    const reasons = new WeakMap<FastifyRequest, string>();
    app.addHook('onError', async (req, _reply, err: FastifyError) => {
      reasons.set(req, err.message);
    });
    app.addHook('onResponse', async (req, reply) => {
      if (!REFUSALS.has(reply.statusCode)) return;
      await opts.audit
        .append({
          actor: actorOf(req.caller),
          action: 'refused',
          target: `${req.method} ${pathOf(req)}`,
          outcome: 'refused',
          reason: `${reply.statusCode} ${reasons.get(req) ?? ''}`.trim(),
          ip: req.ip,
        })
        .catch(() => {}); // logged by the audit log itself
    });
  },
  { name: 'reception-hub-audit-refusals' },
);
