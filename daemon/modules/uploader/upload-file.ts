import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { archiveErrorCode, type Receipt } from '../../../common/contracts/archive.js';
import { HubError, type HubClient } from './hub-client.js';
import { receiptMatches } from './receipt-book.js';
import type { QueueItem } from './upload-queue.js';
import type { FileDigests } from './file-digest.js';

// One queued file to the hub: segments resumably (HEAD for the offset, PATCH from there), the
// manifest as its new tail when the hub holds the start, book.json whole. Returns a receipt that
// verified with the pinned hub key and names exactly the bytes sent — or throws.

export class ForgedReceiptError extends Error {}
export class FileGoneError extends Error {}

export interface UploadContext {
  client: HubClient;
  hubKey: Buffer;
  recordings: string;
  chunkBytes: number;
  /** Bytes of each hearing's manifest the hub has receipted (so only the tail goes next time). */
  manifestBytes: Map<string, number>;
  /** Told where each file (re)starts: the resume point after a break. */
  onResume?: (item: QueueItem, offset: number) => void;
  /** The manifest's SHA-256 kept up to date from its appended lines (file-digest.ts). */
  digests: FileDigests;
}

/**
 * The manifest's complete lines only: on a full disk an append can leave a torn last line (the recorder cuts it
 * off before its next append), and the hub refuses a manifest with one (MANIFEST_UNREADABLE: parked for an hour,
 * the archive copy incomplete — chaos disk-full). What follows is sent once it is whole. Only the tail after what
 * the hub receipted is read and hashed (issue 12 soak); the receipt must still name the whole file's SHA-256.
 */
async function sendManifest(ctx: UploadContext, hearing: string, path: string): Promise<[Receipt, string, number]> {
  const known = ctx.manifestBytes.get(hearing) ?? 0;
  let d = await ctx.digests.digest(path, known);
  if (!d) throw new FileGoneError(`${path} is gone`);
  if (d.bytes === 0) throw new Error(`${path}: no complete line yet`);
  const from = known > 0 && known <= d.bytes ? known : 0;
  if (from === 0 && d.tail.length < d.bytes) d = (await ctx.digests.digest(path, 0)) ?? d; // the hub holds none of it (or other bytes)
  let r: Receipt;
  try {
    r = await ctx.client.putDocument(hearing, 'manifest', d.tail, from);
  } catch (err) {
    if (!(err instanceof HubError && err.status === 409 && archiveErrorCode(err.code) === 'OFFSET_MISMATCH') || from === 0) throw err;
    d = (await ctx.digests.digest(path, 0)) ?? d; // the hub's copy differs in size: send it whole
    r = await ctx.client.putDocument(hearing, 'manifest', d.tail, 0);
  }
  ctx.manifestBytes.set(hearing, d.bytes);
  return [r, d.sha256, d.bytes];
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}

export async function uploadItem(ctx: UploadContext, item: QueueItem): Promise<Receipt> {
  const path = join(ctx.recordings, item.hearing, item.file);
  const checked = (r: Receipt, sha256: string, bytes: number) => {
    if (!receiptMatches(r, ctx.hubKey, { hearing: item.hearing, file: item.file, sha256, bytes })) {
      throw new ForgedReceiptError(`receipt for ${item.hearing}/${item.file} does not verify with the pinned hub key or names other bytes`);
    }
    return r;
  };
  if (item.kind === 'manifest') return checked(...(await sendManifest(ctx, item.hearing, path)));
  if (item.kind === 'book') {
    const bytes = await readFile(path).catch(() => undefined);
    if (!bytes) throw new FileGoneError(`${path} is gone`);
    if (bytes.length === 0) throw new Error(`${path}: empty`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    return checked(await ctx.client.putDocument(item.hearing, 'book', bytes), sha, bytes.length);
  }

  const size = await stat(path).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined) throw new FileGoneError(`${path} is gone`);
  const sha256 = await sha256File(path); // re-read every attempt: after a refusal the file may have changed
  let { offset } = await ctx.client.offset(item.hearing, item.file);
  ctx.onResume?.(item, offset);
  const fh = await open(path, 'r');
  try {
    for (let conflicts = 0; ; ) {
      const n = Math.max(0, Math.min(ctx.chunkBytes, size - offset));
      const chunk = Buffer.alloc(n);
      if (n > 0) await fh.read(chunk, 0, n, offset);
      try {
        const res = await ctx.client.patch(item.hearing, item.file, { offset, length: size, sha256 }, chunk);
        if (res.kind === 'done') return checked(res.receipt, sha256, size);
        offset = res.offset;
      } catch (err) {
        // The hub is elsewhere (another attempt got further, or a restarted upload): go where it is.
        // UPLOAD_BUSY (another PATCH still running) and ALREADY_ARCHIVED go to the uploader (hub-answer.ts).
        const code = err instanceof HubError ? archiveErrorCode(err.code) : undefined;
        if (
          !(err instanceof HubError && (code === 'OFFSET_MISMATCH' || code === 'UPLOAD_RESTARTED') && err.offset !== undefined) ||
          ++conflicts > 5
        )
          throw err;
        offset = err.offset;
      }
    }
  } finally {
    await fh.close();
  }
}
