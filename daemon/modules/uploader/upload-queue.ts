import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';

// The persistent upload queue, `<paths.state>/upload-queue.json` (lowdb: temp file + rename).
// Writes are coalesced (at most one per `flushMs`): a crash may lose the last second of changes,
// which is harmless — the startup scan re-queues every file without a receipt, and uploading a
// file the hub already has just returns its receipt again.

export const ITEM_KINDS = ['segment', 'manifest', 'book'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export interface QueueItem {
  hearing: string;
  file: string;
  kind: ItemKind;
  /** When the file was recorded / queued (ISO): the backlog's age. */
  since: string;
  bytes: number;
  attempts: number;
  /** epoch ms before which the item is not retried (busy hub, discarded attempt, refusal). */
  notBefore?: number;
  lastError?: string;
  /** Attempts in a row the hub discarded (SHA256_MISMATCH…); parked as refused at RESEND_LIMIT. */
  resends?: number;
  /** Parked: the hub refused this file for a reason the room cannot fix by sending again. */
  refused?: Refusal;
}

/** A hub refusal, in the hub's words, and the file as it was then (a change retries it at once). */
export interface Refusal {
  /** HTTP status; 0 for a receipt that does not verify with the pinned key. */
  status: number;
  /** The hub's error code (ALREADY_ARCHIVED, MANIFEST_INVALID…) or RECEIPT_INVALID. */
  code: string;
  message: string;
  /** When it was (last) refused, ISO. */
  at: string;
  size: number;
  mtimeMs: number;
}

interface QueueDoc {
  v: 1;
  items: QueueItem[];
}

export async function openUploadQueue(file: string, flushMs = 1000) {
  await mkdir(dirname(file), { recursive: true });
  const db = new Low<QueueDoc>(new JSONFile<QueueDoc>(file), { v: 1, items: [] });
  try {
    await db.read();
  } catch {
    db.data = { v: 1, items: [] }; // unreadable: the startup scan rebuilds it from the files
  }
  if (!Array.isArray(db.data?.items)) db.data = { v: 1, items: [] };
  const items = db.data.items;
  const key = (h: string, f: string) => `${h}/${f}`;
  const byKey = new Map(items.map((i) => [key(i.hearing, i.file), i]));
  let timer: NodeJS.Timeout | undefined;
  let writing = Promise.resolve();
  const flush = () => {
    timer = undefined;
    writing = writing.then(() => db.write()).catch(() => {});
    return writing;
  };
  const changed = () => void (timer ??= setTimeout(flush, flushMs));

  return {
    items: () => items as readonly QueueItem[],
    has: (hearing: string, file: string) => byKey.has(key(hearing, file)),
    get: (hearing: string, file: string) => byKey.get(key(hearing, file)),
    /** Adds unless already queued (a later version of a manifest rides on the queued item). */
    add(item: Omit<QueueItem, 'attempts'>): boolean {
      const k = key(item.hearing, item.file);
      const known = byKey.get(k);
      if (known) {
        known.bytes = item.bytes;
        return false;
      }
      const full = { ...item, attempts: 0 };
      items.push(full);
      byKey.set(k, full);
      changed();
      return true;
    },
    remove(hearing: string, file: string): void {
      const k = key(hearing, file);
      const i = items.findIndex((x) => key(x.hearing, x.file) === k);
      if (i >= 0) items.splice(i, 1);
      byKey.delete(k);
      changed();
    },
    touch: changed,
    /** Files parked after a refusal (they stay queued, retried rarely). */
    refused: () => items.filter((i) => i.refused),
    /** Next item in order whose retry time has come. */
    /** The first item due at `now`, skipping those `held` says must wait (segments while a hearing is live). */
    next(now = Date.now(), held?: (i: QueueItem) => boolean): QueueItem | undefined {
      return items.find((i) => (!i.notBefore || i.notBefore <= now) && !held?.(i));
    },
    async close(): Promise<void> {
      if (timer) clearTimeout(timer);
      await flush();
    },
  };
}
export type UploadQueue = Awaited<ReturnType<typeof openUploadQueue>>;
