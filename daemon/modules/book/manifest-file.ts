import { open, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import { sealEntry, serializeEntry, type ApplianceKey, type EntryBody, type ManifestEntry, type ManifestWriter } from '../../../common/evidence/index.js';

// The one writer of `<hearing dir>/manifest.jsonl` (used by the book module and the recorder).
// Appends are serialized per file inside the process (a shared queue, however many instances exist)
// and across processes (an O_EXCL lock file), and each append re-reads the last line to chain:
// two writers caching their own "last entry" would fork the chain.

export class HearingClosedError extends AppError {
  constructor(hearing: string) {
    super(`hearing ${hearing} is closed: its manifest ends with "close"`, 409, 'HEARING_CLOSED');
  }
}

export interface ManifestFileOptions {
  /** Room id written into the `open` entry (config `room.id`). */
  room?: string;
  /** Hearing id; the directory name by default. */
  hearing?: string;
  now?: () => Date;
  logger?: Logger;
}

export interface ManifestFile {
  readonly path: string;
  /** Seals and appends one entry (after an `open` entry when the file is new); resolves after fsync. */
  append(body: EntryBody): Promise<ManifestEntry>;
  /** The last entry on disk, or null for a missing/empty manifest. */
  last(): Promise<ManifestEntry | null>;
}

const queues = new Map<string, Promise<unknown>>();

export function createManifestFile(dir: string, key: ApplianceKey, opts: ManifestFileOptions = {}): ManifestFile {
  const path = join(resolve(dir), 'manifest.jsonl');
  const hearing = opts.hearing ?? basename(resolve(dir));
  const now = opts.now ?? (() => new Date());
  return {
    path,
    last: () => serialized(path, () => readLast(path, opts.logger)),
    append: (body) =>
      serialized(path, async () => {
        await mkdir(dirname(path), { recursive: true, mode: 0o750 }); // before the lock file, which lives there
        return withLock(`${path}.lock`, async () => {
          const at = now().toISOString();
          let prev = await readLast(path, opts.logger);
          if (prev?.kind === 'close') throw new HearingClosedError(hearing);
          const lines: ManifestEntry[] = [];
          if (!prev && body.kind !== 'open') {
            prev = sealEntry({ kind: 'open', hearing, at, room: opts.room ?? 'unknown', publicKey: key.publicKeyRaw.toString('base64'), start: at }, null, key.privateKeyPem);
            lines.push(prev);
          }
          const entry = sealEntry({ ...body, hearing, at } as Parameters<typeof sealEntry>[0], prev, key.privateKeyPem);
          lines.push(entry);
          const fh = await open(path, 'a', 0o640); // O_APPEND: a line never lands mid-file
          try {
            await fh.write(lines.map(serializeEntry).join(''));
            await fh.sync();
          } finally {
            await fh.close();
          }
          return entry;
        });
      }),
  };
}

/** The ManifestWriter for a recordings root: one manifest per `<recordingsDir>/<hearing>/`. */
export function createManifestWriter(deps: { recordingsDir: string; key: () => ApplianceKey; room: string; logger?: Logger }): ManifestWriter & { file(hearing: string): ManifestFile } {
  const file = (hearing: string) => createManifestFile(join(deps.recordingsDir, hearing), deps.key(), { room: deps.room, hearing, logger: deps.logger });
  return { file, append: async (hearing, entry) => void (await file(hearing).append(entry)) };
}

function serialized<T>(path: string, work: () => Promise<T>): Promise<T> {
  const next = (queues.get(path) ?? Promise.resolve()).catch(() => undefined).then(work);
  queues.set(path, next);
  next.catch(() => undefined).finally(() => queues.get(path) === next && queues.delete(path));
  return next;
}

/** Reads the last complete line; a torn final line (crash mid-write, never fsynced) is cut off. */
async function readLast(path: string, logger?: Logger): Promise<ManifestEntry | null> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err)));
  if (text === '') return null;
  let body = text;
  if (!text.endsWith('\n')) {
    const cut = text.lastIndexOf('\n') + 1;
    logger?.error({ path, bytes: text.length - cut }, 'manifest ends with a torn line; cutting it off before appending');
    const fh = await open(path, 'r+');
    await fh.truncate(Buffer.byteLength(text.slice(0, cut), 'utf8')).finally(() => fh.close());
    body = text.slice(0, cut);
    if (body === '') return null;
  }
  const line = body.slice(body.lastIndexOf('\n', body.length - 2) + 1, -1);
  try {
    return JSON.parse(line) as ManifestEntry;
  } catch {
    throw new Error(`${path}: last line is not JSON; refusing to extend a damaged chain`);
  }
}

/** Cross-process mutual exclusion; a lock left by a dead process is taken over. */
async function withLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      const fh = await open(lockPath, 'wx', 0o600);
      await fh.writeFile(String(process.pid)).finally(() => fh.close());
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await isStale(lockPath)) await rm(lockPath, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lockPath}: held by another writer for more than 5 s`);
      else await delay(5);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  const pid = Number(await readFile(lockPath, 'utf8').catch(() => ''));
  if (pid > 0) {
    try {
      process.kill(pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  // No pid yet: the holder is between create and write, unless it died there long ago.
  const st = await stat(lockPath).catch(() => null);
  return !!st && Date.now() - st.mtimeMs > 10_000;
}
