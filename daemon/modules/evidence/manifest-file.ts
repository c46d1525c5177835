import { open, mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../../../common/errors.js';
import { segmentRuleProblem } from '../../../common/evidence/segment-rules.js';
import type { Logger } from '../../../common/log.js';
import {
  sealEntry,
  serializeEntry,
  type ApplianceKey,
  type EntryBody,
  type ManifestEntry,
  type ManifestWriter,
} from '../../../common/evidence/index.js';
import { appended, forget, readChain } from './manifest-chain.js';

// The one writer of `<hearing dir>/manifest.jsonl` (used by the recorder and the book module).
// Appends are serialized per file inside the process (a shared queue, however many instances exist);
// across processes the recordings' writer lock (common/storage/writer-lock.ts, held by the daemon)
// keeps any other process out. Each append reads the chain's new bytes from disk (manifest-chain.ts):
// two writers caching their own "last entry" would fork it. A segment that would break the chain's own rules (segment-rules.ts) is refused
// with SegmentRefusedError, so what is written always verifies.

export class HearingClosedError extends AppError {
  constructor(hearing: string) {
    super(`hearing ${hearing} is closed: its manifest ends with "close"`, 409, 'HEARING_CLOSED');
  }
}

/** The segment entry would break the chain's rules; the caller enters a gap instead. */
export class SegmentRefusedError extends AppError {
  constructor(
    readonly file: string,
    readonly rule: string,
  ) {
    super(`segment ${file} not entered: ${rule}`, 409, 'SEGMENT_REFUSED');
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
    last: () => serialized(path, async () => (await readChain(path, opts.logger)).last),
    append: (body) =>
      serialized(path, async () => {
        await mkdir(dirname(path), { recursive: true, mode: 0o750 });
        {
          const at = now().toISOString();
          const chain = await readChain(path, opts.logger);
          let prev = chain.last;
          if (prev?.kind === 'close') throw new HearingClosedError(hearing);
          const broken = body.kind === 'segment' ? segmentRuleProblem(chain.segments, body) : undefined;
          if (broken && body.kind === 'segment') throw new SegmentRefusedError(body.file, broken);
          const lines: ManifestEntry[] = [];
          if (!prev && body.kind !== 'open') {
            prev = sealEntry(
              { kind: 'open', hearing, at, room: opts.room ?? 'unknown', publicKey: key.publicKeyRaw.toString('base64'), start: at },
              null,
              key.privateKeyPem,
            );
            lines.push(prev);
          }
          const entry = sealEntry({ ...body, hearing, at } as Parameters<typeof sealEntry>[0], prev, key.privateKeyPem);
          lines.push(entry);
          const fh = await open(path, 'a', 0o640); // O_APPEND: a line never lands mid-file
          let whole = false;
          try {
            const data = Buffer.from(lines.map(serializeEntry).join(''), 'utf8');
            const before = (await fh.stat()).size;
            const { bytesWritten } = await fh.write(data);
            // A full disk can take part of the line without an error (the rest of the file's last page): the
            // entry must be whole on disk or not there at all — a torn line would be cut off by the next append,
            // and the entry lost after the caller took it as written (chaos disk-full: a segment the hub had
            // receipted vanished from the manifest).
            if (bytesWritten !== data.length) {
              await fh.truncate(before);
              throw Object.assign(new Error(`ENOSPC: no space left for the manifest entry (${bytesWritten} of ${data.length} bytes)`), {
                code: 'ENOSPC',
              });
            }
            await fh.sync();
            whole = true;
            appended(path, data.length, entry);
          } finally {
            if (!whole) forget(path);
            await fh.close();
          }
          return entry;
        }
      }),
  };
}

/** The ManifestWriter for a recordings root: one manifest per `<recordingsDir>/<hearing>/`. */
export function createManifestWriter(deps: {
  recordingsDir: string;
  key: () => ApplianceKey;
  room: string;
  logger?: Logger;
}): ManifestWriter & { file(hearing: string): ManifestFile } {
  const file = (hearing: string) =>
    createManifestFile(join(deps.recordingsDir, hearing), deps.key(), { room: deps.room, hearing, logger: deps.logger });
  return { file, append: async (hearing, entry) => void (await file(hearing).append(entry)) };
}

function serialized<T>(path: string, work: () => Promise<T>): Promise<T> {
  const next = (queues.get(path) ?? Promise.resolve()).catch(() => undefined).then(work);
  queues.set(path, next);
  next.catch(() => undefined).finally(() => queues.get(path) === next && queues.delete(path));
  return next;
}
