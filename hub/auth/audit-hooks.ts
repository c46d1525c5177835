import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../../common/http/auth-plugin.js';
import type { AuditEntryInput, AuditLog } from '../audit/audit-contract.js';
import { createRefusalBudget, type RefusalBudget } from './refusal-budget.js';

// What the auth layer writes to the audit log: every refusal (401, 403, 421 — who, what, why, from
// where) and every guard refusal (a credential in the URL, a foreign Origin or Host, on any route), and
// auditAction() for the routes' own actions (hearing changes, book reads, downloads). Public routes
// (sign-in, enroll) audit their own refusals. Refusals of nobody (no or an unknown
// credential) are written up to a budget a minute per address (refusal-budget.ts): a scanner is summarised,
// not logged line by line; a known caller's refusals are all written.

/** How the audit log names a caller: an account name, `token:<name>`, `room:<id>`, 'loopback' or 'anonymous'. */
export const actorOf = (c: Caller | undefined): string =>
  !c || c.role === 'none' ? 'anonymous' : c.role === 'room' ? `room:${c.name}` : c.name;

const pathOf = (req: FastifyRequest) => req.url.split('?')[0] ?? req.url;
const REFUSALS = new Set([401, 403, 421]);
/** Refusals of the guards (guards.ts): audited on every route, public ones included. */
const GUARD_CODES = new Set(['MISDIRECTED', 'FORBIDDEN_ORIGIN', 'CREDENTIAL_IN_URL']);

/** Appends an action the caller took (awaited: an action the log cannot record is not answered as done). */
export function auditAction(audit: AuditLog | undefined, req: FastifyRequest, action: string, target?: string, reason?: string) {
  if (!audit) return Promise.resolve();
  const entry: AuditEntryInput = { actor: actorOf(req.caller), action, target, outcome: 'ok', reason, ip: req.ip };
  return audit.append(entry);
}

export const auditRefusals = fp(
  async (app: FastifyInstance, opts: { audit: AuditLog; budget?: RefusalBudget }) => {
    const budget = opts.budget ?? createRefusalBudget();
    const reasons = new WeakMap<FastifyRequest, { message: string; code?: string }>();
    app.addHook('onError', async (req, _reply, err: FastifyError) => {
      reasons.set(req, { message: err.message, code: err.code });
    });
    app.addHook('onResponse', async (req, reply) => {
      const why = reasons.get(req);
      const guard = GUARD_CODES.has(why?.code ?? '');
      if (!guard && !REFUSALS.has(reply.statusCode)) return;
      // Public routes answer their own 401s (sign-in: "no session", a wrong password) and audit what matters.
      if (!guard && req.routeOptions.config?.role === 'public') return;
      const actor = actorOf(req.caller);
      const turn = actor === 'anonymous' ? budget.take(req.ip) : 'write'; // a known caller's refusals are always written
      if (turn === 'skip') return;
      if (typeof turn === 'number')
        await opts.audit
          .append({
            actor: 'anonymous',
            action: 'refused',
            outcome: 'refused',
            reason: `${turn} more refusals from this address were not written (over the budget a minute)`,
            ip: req.ip,
          })
          .catch(() => {});
      await opts.audit
        .append({
          actor,
          action: 'refused',
          target: `${req.method} ${pathOf(req)}`,
          outcome: 'refused',
          reason: `${reply.statusCode} ${why?.message ?? ''}`.trim(),
          ip: req.ip,
        })
        .catch(() => {}); // logged by the audit log itself
    });
  },
  { name: 'reception-hub-audit-refusals' },
);
