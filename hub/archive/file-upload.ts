import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArchiveErrorCode } from '../../common/contracts/archive.js';
import { signReceipt, type Receipt } from '../../common/evidence/index.js';
import { ChunkTooLargeError, type ArchiveStore } from './archive-store.js';
import type { HearingIndex, Indexes } from './hearing-index.js';
import type { HubKey } from './hub-key.js';

// The resumable upload of one file (docs/UPLOAD.md): HEAD tells the offset, PATCH appends at exactly
// that offset. The last chunk triggers the size + SHA-256 check: a receipt, or the partial is dropped.

export type PatchOutcome =
  | { kind: 'progress'; offset: number }
  | { kind: 'done'; receipt: Receipt }
  | {
      kind: 'conflict';
      code: Extract<ArchiveErrorCode, 'OFFSET_MISMATCH' | 'UPLOAD_BUSY' | 'ALREADY_ARCHIVED' | 'UPLOAD_RESTARTED'>;
      offset: number;
      message: string;
    }
  | { kind: 'refused'; code: Extract<ArchiveErrorCode, 'SIZE_MISMATCH' | 'SHA256_MISMATCH'>; message: string }
  | { kind: 'too-large'; offset: number; message: string }
  | { kind: 'over-quota'; message: string };

export interface Declared {
  offset: number;
  length: number;
  sha256: string;
}

async function sha256Of(stream: Readable): Promise<string> {
  const h = createHash('sha256');
  await pipeline(stream, h);
  return h.digest('hex');
}

export function createFileUploads(deps: {
  store: ArchiveStore;
  indexes: Indexes;
  key: HubKey;
  maxChunkBytes: number;
  /** Per room: archived + declared bytes of all its hearings (`archive.roomQuotaMb`). */
  roomQuotaBytes: number;
}) {
  const { store, indexes } = deps;
  const busy = new Set<string>();

  const update = (hearing: string, fn: (idx: HearingIndex) => void) =>
    indexes.locked(hearing, async () => {
      const idx = (await indexes.load(hearing))!;
      fn(idx);
      await indexes.save(idx);
    });

  /** What HEAD answers: committed size, else the partial's size. */
  async function offsetOf(hearing: string, name: string): Promise<{ offset: number; length?: number; complete: boolean }> {
    const idx = await indexes.load(hearing);
    const done = idx?.files[name];
    if (done) return { offset: done.bytes, length: done.bytes, complete: true };
    return { offset: await store.partialSize(hearing, name), length: idx?.uploads[name]?.length, complete: false };
  }

  /** Bytes the room holds in the archive: files received whole, plus what its uploads in progress declared (but `except`). */
  async function roomBytes(room: string, except: { hearing: string; name: string }): Promise<number> {
    let total = 0;
    for (const hearing of await store.list()) {
      const idx = await indexes.load(hearing);
      if (idx?.room !== room) continue;
      for (const f of Object.values(idx.files)) total += f.bytes;
      for (const [name, u] of Object.entries(idx.uploads)) if (hearing !== except.hearing || name !== except.name) total += u.length;
    }
    return total;
  }

  async function patch(hearing: string, name: string, d: Declared, body: Readable): Promise<PatchOutcome> {
    const idx = (await indexes.load(hearing))!; // the route made it (and checked the room)
    const done = idx.files[name];
    if (done) {
      body.resume(); // evidence is never overwritten; the same file again just gets its receipt again
      if (done.sha256 === d.sha256 && done.bytes === d.length) return { kind: 'done', receipt: done.receipt };
      return {
        kind: 'conflict',
        code: 'ALREADY_ARCHIVED',
        offset: done.bytes,
        message: `${name} is already archived with SHA-256 ${done.sha256}`,
      };
    }
    const key = `${hearing}/${name}`;
    if (busy.has(key)) {
      body.resume();
      return {
        kind: 'conflict',
        code: 'UPLOAD_BUSY',
        offset: await store.partialSize(hearing, name),
        message: `another PATCH of ${name} is still running`,
      };
    }
    busy.add(key);
    try {
      const decl = idx.uploads[name];
      if (!decl || decl.length !== d.length || decl.sha256 !== d.sha256) {
        // A new declaration counts against the room's quota from now on (archived + declared bytes).
        const used = await roomBytes(idx.room, { hearing, name });
        if (used + d.length > deps.roomQuotaBytes) {
          body.resume();
          return {
            kind: 'over-quota',
            message: `room ${idx.room} holds ${used} bytes in the archive; ${name} (${d.length} bytes) would pass its quota of ${deps.roomQuotaBytes} bytes (archive.roomQuotaMb)`,
          };
        }
        // A different file under the same name (re-read after a refusal): start it over from 0.
        if (decl) await store.discardPartial(hearing, name);
        await update(hearing, (i) => void (i.uploads[name] = { length: d.length, sha256: d.sha256, startedAt: new Date().toISOString() }));
        if (decl && d.offset !== 0) {
          body.resume();
          return {
            kind: 'conflict',
            code: 'UPLOAD_RESTARTED',
            offset: 0,
            message: `${name} was declared with another length or SHA-256: the upload starts again at 0`,
          };
        }
      }
      const current = await store.partialSize(hearing, name);
      if (d.offset !== current) {
        body.resume();
        return {
          kind: 'conflict',
          code: 'OFFSET_MISMATCH',
          offset: current,
          message: `${name} has ${current} bytes, the chunk starts at ${d.offset}`,
        };
      }
      let size: number;
      try {
        size = await store.append(hearing, name, d.offset, body, Math.min(deps.maxChunkBytes, d.length - d.offset));
      } catch (err) {
        if (err instanceof ChunkTooLargeError) return { kind: 'too-large', offset: current, message: err.message };
        throw err;
      }
      if (size < d.length) return { kind: 'progress', offset: size };
      return await finish(hearing, name, d, size);
    } finally {
      busy.delete(key);
    }
  }

  async function finish(hearing: string, name: string, d: Declared, size: number): Promise<PatchOutcome> {
    const sha256 = await sha256Of(store.readPartial(hearing, name));
    const wrong =
      size !== d.length
        ? { code: 'SIZE_MISMATCH' as const, message: `${name}: received ${size} bytes, Upload-Length is ${d.length}` }
        : sha256 !== d.sha256
          ? {
              code: 'SHA256_MISMATCH' as const,
              message: `${name}: SHA-256 of the received bytes is ${sha256}, Upload-Sha256 is ${d.sha256}`,
            }
          : undefined;
    if (wrong) {
      await store.discardPartial(hearing, name); // nothing of a refused file is kept
      await update(hearing, (i) => void delete i.uploads[name]);
      return { kind: 'refused', ...wrong };
    }
    await store.commit(hearing, name);
    const receivedAt = new Date().toISOString();
    const receipt = signReceipt({ hearing, file: name, sha256, bytes: size, receivedAt }, deps.key.privateKeyPem);
    await update(hearing, (i) => {
      i.files[name] = { sha256, bytes: size, receivedAt, receipt };
      delete i.uploads[name];
    });
    return { kind: 'done', receipt };
  }

  return { offsetOf, patch };
}
export type FileUploads = ReturnType<typeof createFileUploads>;
