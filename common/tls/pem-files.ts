import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writePrivateFile } from '../storage/private-file.js';

// Reading and writing the certificate and key files of common/tls: keys 0600 from their first byte (a fresh
// O_EXCL temp file created with the mode, fsync, rename), certificates 0644; errors name the file.

export class TlsSetupError extends Error {
  constructor(
    message: string,
    /** The config field the technician should look at (tls.certFile…), when one is to blame. */
    readonly field = 'tls.mode',
  ) {
    super(message);
    this.name = 'TlsSetupError';
  }
}

/** Writes `text` to `file` atomically with `mode`; the directory is created 0700 if missing. A failure is a
 * TlsSetupError naming `stateDir` (where the hub keeps its TLS files): the hub exits 78 saying which file. */
export async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  try {
    await writePrivateFile(file, text, mode);
  } catch (err) {
    throw new TlsSetupError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'stateDir');
  }
}

/** The file's text, or undefined when it does not exist; other errors name the file (field `stateDir`). */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TlsSetupError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'stateDir');
  }
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM file, leaf first; a file with none or a broken one → TlsSetupError. */
export function parseCertificates(pem: string, file: string, field: string): X509Certificate[] {
  const blocks = pem.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) throw new TlsSetupError(`${file} holds no PEM certificate`, field);
  return blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch (err) {
      throw new TlsSetupError(`${file}: certificate ${i + 1} is not valid X.509 (${(err as Error).message})`, field);
    }
  });
}

export function parsePrivateKey(pem: string, file: string, field: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw new TlsSetupError(`${file} is not a PEM private key (${(err as Error).message})`, field);
  }
}

/** True when `key` is the private half of `cert`'s public key. */
export function keyMatches(cert: X509Certificate, key: KeyObject): boolean {
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  return spki(cert.publicKey).equals(spki(createPublicKey(key)));
}
