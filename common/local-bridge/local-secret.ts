import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

// The secret the room's two processes share (daemon and gateway, one system user): the daemon issues
// kiosk-bridge tickets with it and reads the gateway's /state with a token derived from it; the gateway
// checks both. It lives in `<stateDir>/local-bridge.key` (0600, 32 random bytes as hex), which the kiosk
// browser's user (reception-kiosk) cannot read. Whichever process starts first creates it; the other reads
// it. The file appears whole or not at all (written beside it, then hard-linked into place: link() fails
// if another process won the race, and that one's secret is read).

export const LOCAL_SECRET_FILE = 'local-bridge.key';
const HEX = /^[0-9a-f]{64}$/;

export async function loadLocalSecret(stateDir: string): Promise<Buffer> {
  const path = join(stateDir, LOCAL_SECRET_FILE);
  const existing = await readSecret(path);
  if (existing) return existing;
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
  try {
    await fh.writeFile(`${randomBytes(32).toString('hex')}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(tmp, 0o600); // whatever the umask said
  try {
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  const secret = await readSecret(path);
  if (!secret) throw new Error(`${path}: not a local bridge secret (64 hex digits); delete it and restart the room services`);
  return secret;
}

async function readSecret(path: string): Promise<Buffer | null> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text === null) return null;
  const hex = text.trim();
  if (!HEX.test(hex)) throw new Error(`${path}: not a local bridge secret (64 hex digits); delete it and restart the room services`);
  return Buffer.from(hex, 'hex');
}
