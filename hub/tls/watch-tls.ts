import type { SecureContextOptions } from 'node:tls';
import type { Logger } from '../../common/log.js';
import type { HubTls } from './hub-tls.js';

// The running hub keeps its certificate current without a restart: twice a day it asks `refresh()` (the
// internal CA re-issues 30 days before expiry; changed province files are re-read) and swaps the server's
// secure context — connections already open keep theirs, new ones get the new certificate.

export const TLS_CHECK_MS = 12 * 3600_000;

export interface SecureServer {
  setSecureContext(options: SecureContextOptions): void;
}

export function watchHubTls(server: SecureServer, tls: HubTls, logger: Logger, everyMs = TLS_CHECK_MS) {
  let running: Promise<void> | undefined;
  const check = async (now?: Date) => {
    try {
      const next = await tls.refresh(now);
      if (next) {
        server.setSecureContext({ key: next.key, cert: next.cert });
        logger.info('hub TLS certificate replaced in the running server');
      }
    } catch (err) {
      logger.error({ err }, 'hub TLS certificate check failed: still serving the previous certificate');
    }
  };
  const timer = tls.mode === 'off' ? undefined : setInterval(() => (running ??= check().finally(() => (running = undefined))), everyMs);
  timer?.unref();
  return {
    /** One check now (tests pass a future `now`); the same as the timer's. */
    check,
    stop: () => clearInterval(timer),
  };
}
