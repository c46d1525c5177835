import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateApplianceKey, publicKeyRawFromPem } from '../../common/evidence/index.js';

// The hub's Ed25519 receipt key: made on the first start, kept as PKCS#8 PEM (0600). Losing it only
// means new receipts carry a new key (rooms that pinned the old one refuse them, loudly).

export interface HubKey {
  privateKeyPem: string;
  publicKeyRaw: Buffer;
}

export async function loadOrCreateHubKey(file: string): Promise<HubKey & { created: boolean }> {
  try {
    const privateKeyPem = await readFile(file, 'utf8');
    return { privateKeyPem, publicKeyRaw: publicKeyRawFromPem(privateKeyPem), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // a broken key file must stop the archive, not be replaced
  }
  const key = generateApplianceKey();
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, key.privateKeyPem, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return { ...key, created: true };
}
