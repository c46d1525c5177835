import { readFile, stat } from 'node:fs/promises';
import type { X509Certificate } from 'node:crypto';
import type { Logger } from '../../common/log.js';
import { certificateNames } from '../../common/tls/internal-ca.js';
import { keyMatches, parseCertificates, parsePrivateKey, TlsSetupError } from '../../common/tls/pem-files.js';
import type { TlsConfig } from '../config/schema.js';
import type { HubTls } from './hub-tls.js';

// tls.mode "files": the province's certificate (certFile: leaf first, then intermediates), its key and the
// CA rooms should trust (caFile). Checked at start — a key that is not the certificate's, or a certificate
// that caFile did not issue, is a config error naming the field (exit 78), not a surprise at the first room.
// Replaced files (a renewal) are picked up by refresh() when their modification time changes.

async function read(file: string, field: string): Promise<string> {
  if (!file) throw new TlsSetupError(`tls.mode "files" needs ${field}`, field);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new TlsSetupError(`${field}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, field);
  }
}

/** True when one of `cas` signed `cert`. */
const issuedBy = (cert: X509Certificate, cas: X509Certificate[]) => cas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey));

async function load(tls: TlsConfig) {
  const [cert, key] = [await read(tls.certFile, 'tls.certFile'), await read(tls.keyFile, 'tls.keyFile')];
  const chain = parseCertificates(cert, tls.certFile, 'tls.certFile');
  const leaf = chain[0]!;
  if (!keyMatches(leaf, parsePrivateKey(key, tls.keyFile, 'tls.keyFile')))
    throw new TlsSetupError(`tls.keyFile ${tls.keyFile} is not the key of tls.certFile ${tls.certFile}`, 'tls.keyFile');
  let caPem: string | undefined;
  let caValidTo: Date | undefined;
  if (tls.caFile) {
    caPem = await read(tls.caFile, 'tls.caFile');
    const cas = parseCertificates(caPem, tls.caFile, 'tls.caFile');
    caValidTo = new Date(Math.min(...cas.map((c) => new Date(c.validTo).getTime())));
    if (cas.some((c) => !c.ca)) throw new TlsSetupError(`tls.caFile ${tls.caFile} holds a certificate that is not a CA`, 'tls.caFile');
    const top = chain.at(-1)!;
    if (!issuedBy(top, [...cas, ...chain.slice(1)]) && !cas.some((c) => c.fingerprint256 === top.fingerprint256))
      throw new TlsSetupError(
        `tls.certFile ${tls.certFile} was not issued by tls.caFile ${tls.caFile}: rooms would refuse the hub`,
        'tls.caFile',
      );
  }
  return { key, cert, caPem, leaf, caValidTo };
}

const mtimes = async (tls: TlsConfig) =>
  (
    await Promise.all(
      [tls.certFile, tls.keyFile].map((f) =>
        stat(f).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    )
  ).join();

function warnExpiry(leaf: X509Certificate, logger: Logger | undefined, now = Date.now()) {
  const left = new Date(leaf.validTo).getTime() - now;
  if (left <= 0) logger?.error({ validTo: leaf.validTo }, 'THE HUB CERTIFICATE (tls.certFile) HAS EXPIRED: rooms and browsers refuse it');
  else if (left < 30 * 86_400_000)
    logger?.warn({ validTo: leaf.validTo }, 'the hub certificate (tls.certFile) expires within 30 days: renew it');
}

export async function loadCertificateFiles(tls: TlsConfig, logger?: Logger): Promise<HubTls> {
  const first = await load(tls);
  warnExpiry(first.leaf, logger);
  let seen = await mtimes(tls);
  return {
    mode: 'files',
    key: first.key,
    cert: first.cert,
    caPem: first.caPem,
    names: certificateNames(first.leaf), // the Host check answers these names (create-hub)
    async refresh(now?: Date) {
      const m = await mtimes(tls);
      if (m === seen) {
        warnExpiry(first.leaf, logger, now?.getTime());
        return undefined;
      }
      try {
        const next = await load(tls);
        seen = m;
        first.leaf = next.leaf;
        logger?.info({ validTo: next.leaf.validTo }, 'hub certificate files changed: now serving the new certificate');
        return { key: next.key, cert: next.cert };
      } catch (err) {
        logger?.error({ err }, 'hub certificate files changed but cannot be used: still serving the previous certificate');
        return undefined;
      }
    },
    expiry: () => ({ server: new Date(first.leaf.validTo), ca: first.caValidTo }),
  };
}
