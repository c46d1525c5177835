import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../common/log.js';
import type { AuditLog } from '../audit/audit-contract.js';
import { loadOrCreateHubKey } from '../archive/hub-key.js';
import { CODES_FILE, createCodeStore } from './codes.js';
import { createEnrollService } from './enroll-service.js';
import { enrollmentRoutes } from './enrollment-routes.js';
import { openRegistry } from './registry.js';
import { openPgRegistry } from './registry-pg.js';
import { createPgCodeStore } from './codes-pg.js';
import type { HubStore } from '../store/hub-store.js';

// The enrollment module of the hub: the registry (read by the auth plugin, the signaling socket and the
// archive), the one-time codes, and their routes. With the hub's PostgreSQL store both are there (shared
// by every hub node); else with a stateDir in files there (registry.json, enrollment-codes.json, 0600);
// without either (tests) in memory.

export const REGISTRY_FILE = 'registry.json';

export interface EnrollmentDeps {
  stateDir?: string;
  /** The hub's receipt key file (the archive's, hub/archive/create-archive.ts defaultKeyFile). */
  receiptKeyFile?: string;
  /** The hub's TLS CA PEM when it has one (hub/main: tls internal-ca). */
  caPem?: () => string | undefined;
  audit?: AuditLog;
  logger: Logger;
  now?: () => Date;
  /** Enrollment attempts per address per 10 minutes (default 20). */
  maxAttempts?: number;
  /** The hub's PostgreSQL store (hub/store); absent: the files above. */
  store?: Pick<HubStore, 'pool' | 'url'>;
}

export async function createEnrollment(deps: EnrollmentDeps) {
  const pg = deps.store && (await openPgRegistry({ ...deps.store, logger: deps.logger, now: deps.now }));
  const registry =
    pg ??
    (await openRegistry({
      file: deps.stateDir ? join(deps.stateDir, REGISTRY_FILE) : undefined,
      logger: deps.logger,
      now: deps.now,
    }));
  const codes = deps.store
    ? createPgCodeStore({ pool: deps.store.pool, now: deps.now })
    : createCodeStore({ file: deps.stateDir ? join(deps.stateDir, CODES_FILE) : undefined, now: deps.now });
  let receiptPem: string | undefined;
  const receiptKeyPem = async () => {
    if (receiptPem) return receiptPem;
    // Read when first needed, so the archive (which creates the key at its start) has run first.
    const priv = deps.receiptKeyFile
      ? (await loadOrCreateHubKey(deps.receiptKeyFile)).privateKeyPem
      : generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(); // no archive: no receipts
    receiptPem = createPublicKey(priv).export({ type: 'spki', format: 'pem' }).toString();
    return receiptPem;
  };
  const service = createEnrollService({ registry, codes, receiptKeyPem, caPem: deps.caPem, audit: deps.audit, logger: deps.logger });
  return {
    registry,
    codes,
    service,
    /** POST /enroll, codes, registry list, revoke — under the API prefix. */
    routes: (app: FastifyInstance, prefix: string) => {
      if (pg) app.addHook('onClose', pg.close); // the registry's LISTEN connection
      return app.register(enrollmentRoutes, { prefix, registry, codes, service, audit: deps.audit, maxAttempts: deps.maxAttempts });
    },
  };
}
export type Enrollment = Awaited<ReturnType<typeof createEnrollment>>;
