// @peculiar/x509 needs a Reflect polyfill (tsyringe), imported before it.
import 'reflect-metadata';
import { KeyObject, webcrypto, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { keyMatches, parseCertificates, parsePrivateKey, readIfExists, TlsSetupError, writeAtomic } from './pem-files.js';

// The hub's own CA, for a province without one: created on first start in <stateDir>/tls/ (ca.key 0600,
// ca.pem), ECDSA P-256. It signs the hub's server certificate (server.key 0600, server.pem) for the
// hub's names and addresses, re-issued when a name is missing or it nears expiry. Rooms get ca.pem at
// enrollment; the CA itself is never replaced automatically (that would cut every enrolled room off).

const crypto = webcrypto as unknown as Crypto;
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
export const CA_VALIDITY_DAYS = 3650;
export const SERVER_VALIDITY_DAYS = 365;
/** A server certificate with less than this left is re-issued (at start, or by the hub's daily check). */
export const RENEW_BEFORE_DAYS = 30;

export interface InternalCa {
  caPem: string;
  cert: X509Certificate;
  key: KeyObject;
}

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
  cert: X509Certificate;
  /** True when this call issued it (first start, a new name, near expiry). */
  issued: boolean;
}

const files = (dir: string) => ({
  caKey: join(dir, 'ca.key'),
  caCert: join(dir, 'ca.pem'),
  key: join(dir, 'server.key'),
  cert: join(dir, 'server.pem'),
});

const pkcs8Pem = (k: CryptoKey) => KeyObject.from(k).export({ type: 'pkcs8', format: 'pem' }) as string;

/** Loads the CA of `dir`, or creates it when neither file exists (a half-present CA is an error, not replaced). */
export async function ensureInternalCa(dir: string, opts: { now?: Date; commonName?: string } = {}): Promise<InternalCa> {
  const f = files(dir);
  const [keyPem, caPem] = await Promise.all([readIfExists(f.caKey), readIfExists(f.caCert)]);
  if (keyPem !== undefined && caPem !== undefined) {
    const cert = parseCertificates(caPem, f.caCert, 'tls.mode')[0]!;
    const key = parsePrivateKey(keyPem, f.caKey, 'tls.mode');
    if (!cert.ca) throw new TlsSetupError(`${f.caCert} is not a CA certificate`);
    if (!keyMatches(cert, key)) throw new TlsSetupError(`${f.caKey} is not the key of ${f.caCert}`);
    return { caPem, cert, key };
  }
  if (keyPem !== undefined || caPem !== undefined)
    throw new TlsSetupError(
      `internal CA incomplete in ${dir}: ${keyPem === undefined ? f.caKey : f.caCert} is missing (restore it from a backup; a new CA would need every room enrolled again)`,
    );
  const now = opts.now ?? new Date();
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const created = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: `CN=${opts.commonName ?? 'Reception hub internal CA'}, O=Reception hub`,
      keys,
      notBefore: new Date(now.getTime() - 3600_000),
      notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY),
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const pem = `${created.toString('pem')}\n`;
  await writeAtomic(f.caKey, pkcs8Pem(keys.privateKey), 0o600); // the key first: a crash leaves no CA without its key
  await writeAtomic(f.caCert, pem, 0o644);
  return { caPem: pem, cert: new X509Certificate(pem), key: KeyObject.from(keys.privateKey) };
}

/** The names a certificate covers, from its subjectAltName ("DNS:a, IP Address:1.2.3.4"). */
export function certificateNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .map((s) => s.replace(/^(DNS|IP Address):/, '').toLowerCase())
    .filter(Boolean);
}

/** True when `cert` names `name` (a DNS name, no wildcard, or an IP address in any notation). */
export function certificateCovers(cert: X509Certificate, name: string): boolean {
  return isIP(name) ? cert.checkIP(name) !== undefined : cert.checkHost(name, { wildcards: false, subject: 'never' }) !== undefined;
}

/** Why `cert` must be re-issued, or undefined if it is fine for `names` at `now`. */
export function renewReason(cert: X509Certificate, ca: InternalCa, names: string[], now: Date): string | undefined {
  if (!cert.checkIssued(ca.cert) || !cert.verify(ca.cert.publicKey)) return 'not issued by the current internal CA';
  const missing = names.filter((n) => !certificateCovers(cert, n));
  if (missing.length) return `does not name ${missing.join(', ')}`;
  const left = new Date(cert.validTo).getTime() - now.getTime();
  if (left < RENEW_BEFORE_DAYS * DAY) return `expires ${new Date(cert.validTo).toISOString()} (renewed ${RENEW_BEFORE_DAYS} days ahead)`;
  return undefined;
}

/** The hub's server certificate for `names` (host names and addresses), kept or re-issued by `ca`. */
export async function ensureServerCertificate(
  dir: string,
  ca: InternalCa,
  names: string[],
  opts: { now?: Date; onIssue?: (reason: string) => void } = {},
): Promise<ServerCertificate> {
  const f = files(dir);
  const now = opts.now ?? new Date();
  const [keyPem, certPem] = await Promise.all([readIfExists(f.key), readIfExists(f.cert)]);
  let reason = 'first start';
  if (keyPem !== undefined && certPem !== undefined) {
    const cert = parseCertificates(certPem, f.cert, 'tls.mode')[0]!;
    const ok = keyMatches(cert, parsePrivateKey(keyPem, f.key, 'tls.mode'));
    reason = ok ? (renewReason(cert, ca, names, now) ?? '') : `${f.key} is not the key of ${f.cert}`;
    if (!reason) return { certPem, keyPem, cert, issued: false };
  }
  opts.onIssue?.(reason);
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const signingKey = (await ca.key.toCryptoKey(EC, false, ['sign'])) as unknown as CryptoKey;
  const caCert = new x509.X509Certificate(ca.caPem);
  const first = names.find((n) => !isIP(n)) ?? names[0] ?? 'reception-hub';
  const created = await x509.X509CertificateGenerator.create(
    {
      subject: `CN=${first}, O=Reception hub`,
      issuer: caCert.subjectName, // the CA's name, byte for byte
      publicKey: keys.publicKey,
      signingKey,
      notBefore: new Date(now.getTime() - 3600_000),
      notAfter: new Date(Math.min(now.getTime() + SERVER_VALIDITY_DAYS * DAY, new Date(ca.cert.validTo).getTime())),
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: isIP(n) ? 'ip' : 'dns', value: n }) as const)),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto),
      ],
    },
    crypto,
  );
  const newKeyPem = pkcs8Pem(keys.privateKey);
  const newCertPem = `${created.toString('pem')}\n`;
  await writeAtomic(f.key, newKeyPem, 0o600);
  await writeAtomic(f.cert, newCertPem, 0o644);
  return { certPem: newCertPem, keyPem: newKeyPem, cert: new X509Certificate(newCertPem), issued: true };
}
