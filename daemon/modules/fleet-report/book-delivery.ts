import { Value } from '@sinclair/typebox/value';
import { BookInput } from '../../../common/evidence/index.js';
import { AppError, errorMessage } from '../../../common/errors.js';
import type { Logger } from '../../../common/log.js';
import type { BookAck, BookDelivery } from '../../../common/contracts/fleet.js';
import type { BookStore } from '../book/book-store.js';
import { recordingDirBase } from '../recorder/create-recorder.js';

// Reception book entries an officer made at the hub console, handed over in the answer to a fleet
// report: each is written through the room's own book store (sealed, anchored in the manifest) and
// acknowledged in the next report. A version already handled (its ack got lost) is acknowledged
// again, not written twice — also after a daemon restart, when the book on disk already holds
// exactly that entry (the hub re-delivers what it has no ack for).

export interface BookDeliveryDeps {
  book: Pick<BookStore, 'put' | 'current'>;
  roomId: string;
  /** The recording directory id of the hearing being recorded now (recorder status), if any. */
  recordingDir: () => string | null;
  logger: Logger;
}

/** Where a hub hearing's book goes: the directory being recorded (it may be `<base>-r2` after a reused id), else the base. */
export function bookDirFor(hearing: string, room: string, recording: string | null): string {
  const base = recordingDirBase(hearing, room);
  return recording && (recording === base || new RegExp(`^${base.replace(/[.]/g, '\\.')}-r\\d+$`).test(recording)) ? recording : base;
}

/** The stored record holds exactly this entry (its own `updatedAt` aside). */
function sameEntry(record: object, entry: object): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => k !== 'updatedAt')
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return JSON.stringify(canonical(record)) === JSON.stringify(canonical(entry));
}

export function createBookDelivery(deps: BookDeliveryDeps) {
  const handled = new Map<string, BookAck>();
  const outgoing = new Map<string, BookAck>();
  const keyOf = (a: { hearing: string; version: number }) => `${a.hearing}@${a.version}`;

  async function writeOne(d: BookDelivery): Promise<BookAck> {
    const base = { hearing: d.hearing, version: d.version };
    if (!Value.Check(BookInput, d.entry)) {
      const e = Value.Errors(BookInput, d.entry).First();
      return { ...base, ok: false, error: `400 INVALID_REQUEST: entry${e?.path.replace(/\//g, '.') ?? ''}: ${e?.message ?? 'invalid'}` };
    }
    const dir = bookDirFor(d.hearing, deps.roomId, deps.recordingDir());
    try {
      const stored = await deps.book.current(dir).catch(() => null);
      if (stored && sameEntry(stored.record, d.entry)) {
        deps.logger.info(
          { hearing: d.hearing, dir, version: d.version },
          'reception book entry from the hub already written (re-delivered): acknowledged again',
        );
        return { ...base, ok: true, sha256: stored.sha256 };
      }
      const { sha256 } = await deps.book.put(dir, d.entry);
      deps.logger.info({ hearing: d.hearing, dir, version: d.version, sha256 }, 'reception book entry from the hub written');
      return { ...base, ok: true, sha256 };
    } catch (err) {
      const error = (err instanceof AppError ? `${err.statusCode} ${err.code}: ${err.message}` : errorMessage(err)).slice(0, 500);
      deps.logger.warn({ hearing: d.hearing, dir, version: d.version, error }, 'reception book entry from the hub refused');
      return { ...base, ok: false, error };
    }
  }

  return {
    /** Writes each entry (one at a time, in order) and queues its ack. */
    async deliver(items: BookDelivery[]): Promise<number> {
      for (const d of items) {
        const k = keyOf(d);
        const ack = handled.get(k) ?? (await writeOne(d));
        handled.set(k, ack);
        outgoing.set(k, ack);
        if (handled.size > 1000) handled.delete(handled.keys().next().value!); // oldest first; a re-delivery that old is written again (same content)
      }
      return items.length;
    },
    /** Acks to send with the next report. */
    pendingAcks: (): BookAck[] => [...outgoing.values()],
    /** The hub took these acks (its answer came back). */
    sent(acks: BookAck[]) {
      for (const a of acks) if (outgoing.get(keyOf(a)) === a) outgoing.delete(keyOf(a));
    },
  };
}
