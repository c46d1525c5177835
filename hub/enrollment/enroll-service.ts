import { AppError } from '../../common/errors.js';
import { answerMac, ed25519KeyInfo, sealToken, type EnrollAnswer, type EnrollRequest } from '../../common/contracts/enrollment.js';
import type { Logger } from '../../common/log.js';
import type { AuditLog } from '../audit/audit-contract.js';
import type { CodeStore } from './codes.js';
import type { Registry } from './registry.js';

// The hub's half of `reception enroll`: a request MACed with a one-time code's key registers the
// appliance key as the room's active key and answers the room's credentials, MACed with the same key.
// A wrong, expired or used code registers nothing, and the reason is said (and audited) — never the code.

export interface EnrollServiceDeps {
  registry: Registry;
  codes: CodeStore;
  /** The hub's receipt key (hub/archive/hub-key.ts), SPKI PEM. */
  receiptKeyPem(): Promise<string>;
  /** The hub's TLS CA (P3's internal CA), when it serves https with one. */
  caPem?(): string | undefined;
  audit?: AuditLog;
  logger: Logger;
}

export class EnrollRefused extends AppError {}

export function createEnrollService(deps: EnrollServiceDeps) {
  const refuse = async (req: EnrollRequest, ip: string, status: number, code: string, reason: string): Promise<never> => {
    await deps.audit?.append({
      actor: `room:${req.room}`,
      action: 'enroll',
      target: req.room,
      outcome: 'refused',
      reason: `${code}: ${reason}`,
      ip,
    });
    deps.logger.warn({ room: req.room, ip, code }, `enrollment refused: ${reason}`);
    throw new EnrollRefused(reason, status, code);
  };

  return {
    async enroll(req: EnrollRequest, ip: string): Promise<EnrollAnswer> {
      const info = ed25519KeyInfo(req.publicKeyPem);
      if (!info || !req.publicKeyPem.includes('BEGIN PUBLIC KEY'))
        return refuse(req, ip, 400, 'INVALID_REQUEST', 'publicKeyPem: not an Ed25519 public key (SPKI PEM)');
      const match = await deps.codes.match(req);
      if (!match.ok) return refuse(req, ip, match.code === 'CODE_WRONG' ? 401 : 403, match.code, match.reason);
      try {
        await deps.codes.use(match.stored.id, info.fingerprint); // claimed before anything is registered: one use only
      } catch (err) {
        return refuse(req, ip, 403, 'CODE_USED', (err as Error).message);
      }
      const by = `${match.stored.issuedBy} (code ${match.stored.id})`;
      const { key, token } = await deps.registry.enroll({ room: req.room, name: match.stored.name, publicKeyPem: info.pem, by });
      const caPem = deps.caPem?.();
      const body: Omit<EnrollAnswer, 'mac'> = {
        room: req.room,
        name: match.stored.name,
        roomTokenSealed: sealToken(match.key, req.nonce, token), // only the box that knows the code can open it
        fingerprint: key.fingerprint,
        validFrom: key.validFrom,
        ...(caPem ? { caPem } : {}),
        hubReceiptKeyPem: await deps.receiptKeyPem(),
      };
      await deps.audit?.append({
        actor: `room:${req.room}`,
        action: 'enroll',
        target: req.room,
        outcome: 'ok',
        reason: `key ${key.fingerprint}, code issued by ${match.stored.issuedBy}`,
        ip,
      });
      deps.logger.info({ room: req.room, fingerprint: key.fingerprint, ip }, 'room enrolled');
      return { ...body, mac: answerMac(match.key, req.nonce, body) };
    },
  };
}
export type EnrollService = ReturnType<typeof createEnrollService>;
