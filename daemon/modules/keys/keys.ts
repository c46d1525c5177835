import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HealthTracker, type Health } from '../../../common/lifecycle.js';
import type { Logger } from '../../../common/log.js';
import { generateApplianceKey, publicKeyRawFromPem, type ApplianceKey } from '../../../common/evidence/index.js';

// The appliance's secrets (docs/EVIDENCE.md "Keys"): the Ed25519 signing key of the manifests and the
// AES-256 key of the reception book. Generated once, then only loaded: a new appliance key would orphan
// every chain signed before it and break enrollment at the hub.

export const APPLIANCE_KEY_FILE = 'appliance-ed25519.pem';
export const BOOK_KEY_FILE = 'book.key';

export interface KeysDeps {
  /** `<paths.state>`; the keys live in `<stateDir>/keys/`. */
  stateDir: string;
  logger: Logger;
}

export interface Keys {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): Health;
  applianceKey(): ApplianceKey;
  bookKey(): Buffer;
}

export function createKeys({ stateDir, logger }: KeysDeps): Keys {
  const dir = join(stateDir, 'keys');
  const health = new HealthTracker();
  let appliance: ApplianceKey | undefined;
  let book: Buffer | undefined;

  /** Loads `name`, creating it with `make()` when absent; repairs a mode that lets others read it. */
  async function secret(name: string, make: () => Buffer): Promise<Buffer> {
    const path = join(dir, name);
    const st = await stat(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
    if (!st) {
      const fh = await open(path, 'wx', 0o600); // wx: never overwrite a key another process just made
      try {
        await fh.writeFile(make());
        await fh.sync();
      } finally {
        await fh.close();
      }
      logger.warn({ path }, `generated ${name} (first start)`);
    } else if (!st.isFile()) {
      throw new Error(`${path} is not a regular file`);
    } else if (st.mode & 0o077) {
      // Loud on purpose: someone else may have read the key; the operator must judge whether to rotate it.
      logger.error(
        { path, mode: (st.mode & 0o777).toString(8) },
        `KEY FILE ${name} WAS ACCESSIBLE TO OTHER USERS; mode repaired to 0600 — treat the key as possibly disclosed`,
      );
      await chmod(path, 0o600);
    }
    return readFile(path);
  }

  return {
    async start() {
      health.set('starting');
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const dst = await stat(dir);
        if (dst.mode & 0o077) {
          logger.error({ dir, mode: (dst.mode & 0o777).toString(8) }, 'key directory was accessible to other users; mode repaired to 0700');
          await chmod(dir, 0o700);
        }
        const pem = (await secret(APPLIANCE_KEY_FILE, () => Buffer.from(generateApplianceKey().privateKeyPem))).toString('utf8');
        const ak = { privateKeyPem: pem, publicKeyRaw: publicKeyRawFromPem(pem) }; // throws on a damaged PEM
        const bk = await secret(BOOK_KEY_FILE, () => randomBytes(32));
        if (bk.length !== 32) throw new Error(`${join(dir, BOOK_KEY_FILE)} must hold 32 bytes, has ${bk.length}; refusing to guess`);
        [appliance, book] = [ak, bk]; // both or neither: getters never hand out half a key set
        health.set('online');
        logger.info({ publicKey: ak.publicKeyRaw.toString('base64') }, 'keys loaded');
      } catch (err) {
        health.set('offline', (err as Error).message);
        throw err;
      }
    },
    async stop() {
      health.set('stopped');
    },
    health: () => health.get(),
    applianceKey() {
      if (!appliance) throw new Error('keys not started');
      return appliance;
    },
    bookKey() {
      if (!book) throw new Error('keys not started');
      return book;
    },
  };
}
