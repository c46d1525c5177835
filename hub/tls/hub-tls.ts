import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { ensureInternalCa, ensureServerCertificate, type InternalCa } from '../../common/tls/internal-ca.js';
import { TlsSetupError } from '../../common/tls/pem-files.js';
import type { Logger } from '../../common/log.js';
import type { TlsConfig } from '../config/schema.js';
import { loadCertificateFiles } from './cert-files.js';
import { certificateNamesFor, isLoopbackHost } from './listen-names.js';

// What the hub listens with: plain http (loopback only) or https with the province's files or its own CA.
// Decided once at start (main.ts); `refresh()` is called by the hub's daily check (watch-tls.ts) and answers a
// new key + certificate when the internal CA re-issued one (near expiry) or the files changed on disk.

export interface HubTls {
  /** The mode in force ('auto' resolved). */
  mode: 'off' | 'files' | 'internal-ca';
  /** Key and certificate (PEM) to serve; undefined when mode is off. */
  key?: string;
  cert?: string;
  /** The CA rooms get at enrollment and browsers at GET /api/v1/tls/ca; undefined: the system store's. */
  caPem?: string;
  /** The names the certificate covers: the Host check answers them too (create-hub). */
  names: string[];
  refresh(now?: Date): Promise<{ key: string; cert: string } | undefined>;
  /** When the certificate being served and the CA handed out expire (metrics, alerts). */
  expiry(): { server?: Date; ca?: Date };
}

export interface HubTlsDeps {
  tls: TlsConfig;
  host: string;
  publicUrl: string;
  stateDir: string;
  logger?: Logger;
  now?: Date;
  /** internal-ca: the names to cover, asked at start and at every refresh (an address DHCP gave the hub since
   * is covered within a check, no restart). Default: certificateNamesFor(host, publicUrl, tls.hostnames). */
  names?: () => string[];
}

const off = (): HubTls => ({ mode: 'off', names: [], refresh: async () => undefined, expiry: () => ({}) });

/** Resolves `tls.mode`, refusing plain http on a non-loopback address (TlsSetupError → exit 78). */
export async function resolveHubTls(deps: HubTlsDeps): Promise<HubTls> {
  const { tls } = deps;
  const loopback = isLoopbackHost(deps.host);
  const mode = tls.mode === 'auto' ? (loopback ? 'off' : tls.certFile ? 'files' : 'internal-ca') : tls.mode;
  if (mode === 'off') {
    if (!loopback)
      throw new TlsSetupError(
        `tls.mode "off" on ${deps.host}: plain http would expose the API, console and recordings to the network — listen on 127.0.0.1 (behind a TLS proxy) or use tls.mode "auto", "files" or "internal-ca"`,
      );
    return off();
  }
  if (mode === 'files') return loadCertificateFiles(tls, deps.logger);
  const dir = join(deps.stateDir, 'tls');
  const ca: InternalCa = await ensureInternalCa(dir);
  const namesNow = deps.names ?? (() => certificateNamesFor(deps.host, deps.publicUrl, tls.hostnames));
  const names = namesNow();
  const issue = (now?: Date, want = namesNow()) =>
    ensureServerCertificate(dir, ca, want, {
      now,
      onIssue: (reason) => deps.logger?.info({ reason, names: want }, 'hub TLS certificate issued by the internal CA'),
    });
  const first = await issue(deps.now, names);
  let served = first.cert;
  const caLeft = new Date(ca.cert.validTo).getTime() - Date.now();
  if (caLeft < 365 * 86_400_000)
    deps.logger?.error(
      { caValidTo: ca.cert.validTo },
      'THE INTERNAL CA EXPIRES WITHIN A YEAR: plan a new CA and enroll every room again (docs/SECURITY.md)',
    );
  return {
    mode,
    key: first.keyPem,
    cert: first.certPem,
    caPem: ca.caPem,
    names,
    async refresh(now?: Date) {
      const s = await issue(now);
      served = s.cert;
      return s.issued ? { key: s.keyPem, cert: s.certPem } : undefined;
    },
    expiry: () => ({ server: new Date(served.validTo), ca: new Date(ca.cert.validTo) }),
  };
}

/** `tls.certFile` → `/tls/certFile` (the HubConfigError path of a TlsSetupError's field). */
export const tlsFieldPath = (field: string) => `/${field.replace(/\./g, '/')}`;

/** SHA-256 fingerprint of the (first) CA certificate, as browsers show it (AB:CD:…). */
export const caFingerprint = (caPem: string) => new X509Certificate(caPem).fingerprint256;
