import type { BookInput } from '../../common/evidence/index.js';
import type { BookAck, RecordingAlarm, ReportAnswer, ReportSummary, RoomReport } from '../../common/contracts/fleet.js';
import type { BookEntryView, RoomHealthView } from './schemas.js';
import type { KioskLock } from '../../common/contracts/kiosk-lock.js';

// The fleet as the hub sees it: each room's last report (memory only — a restarted hub knows again
// after one report period) and the reception book entries officers made for a room, waiting to be
// handed to it in the answer to its next report, until the room acknowledges them (persisted when
// `persistBook` is given: an entry must survive a hub restart while its room is offline).

export const STALE_MIN_MS = 30_000;
/**
 * How long an entry the room refused keeps the citizen's identity (the officer sees the reason and may
 * submit a correction); then the identity is purged, the refusal and its reason stay.
 */
export const REFUSED_KEEP_MS = 72 * 3600_000;

export interface FleetStoreDeps {
  /** Clock (tests inject one). */
  now?: () => number;
  initialBook?: BookEntryView[];
  /** Saves every book entry; called after each change, one call at a time. */
  persistBook?: (entries: BookEntryView[]) => Promise<void>;
  onPersistError?: (err: unknown) => void;
  /** Identity of a refused entry kept this long after the refusal (default REFUSED_KEEP_MS). */
  refusedKeepMs?: number;
}

type Awaitable<T> = T | Promise<T>;

/**
 * The fleet store as routes and metrics use it; two backends pass test/fleet-suite.ts: this file's
 * (reports in memory, the book outbox in memory + book-outbox.json) and fleet-store-pg.ts (PostgreSQL,
 * several hub nodes). Writes may be async (await them); reads for /metrics stay synchronous.
 */
export interface FleetStore {
  /** Stores the report (minus acks), applies the acks, answers with this room's pending book entries. */
  report(room: string, body: RoomReport): Awaitable<ReportAnswer & { applied: number }>;
  health(room: string): RoomHealthView | null;
  ages(): [string, number][];
  recordingAlarms(): [string, RecordingAlarm | null][];
  kioskLocks(): [string, KioskLock | null][];
  putBook(hearing: string, room: string, entry: BookInput): Awaitable<BookEntryView>;
  getBook(hearing: string, room: string): Awaitable<BookEntryView | undefined>;
  saved(): Promise<void>;
}

/** Whether a report is stale: none for max(3 × the room's period, 30 s). */
export const isStale = (ageMs: number, reportSeconds: number) => ageMs > Math.max(3 * reportSeconds * 1000, STALE_MIN_MS);

type LastReports = Map<string, { summary: ReportSummary; receivedAt: number }>;

/** The reads over each room's last report (both backends keep these in memory: /metrics reads them synchronously). */
export function reportReads(reports: LastReports, now: () => number) {
  return {
    health(room: string): RoomHealthView | null {
      const r = reports.get(room);
      if (!r) return null;
      const age = now() - r.receivedAt;
      return {
        ...r.summary,
        receivedAt: new Date(r.receivedAt).toISOString(),
        ageS: Math.max(0, Math.floor(age / 1000)),
        stale: isStale(age, r.summary.reportSeconds),
      };
    },
    /** Seconds since each reporting room's last report (for /metrics). */
    ages: (): [string, number][] => [...reports].map(([room, r]) => [room, Math.max(0, (now() - r.receivedAt) / 1000)]),
    /** Each reporting room's recording alarm as last reported (null: none; for /metrics). */
    recordingAlarms: (): [string, RecordingAlarm | null][] => [...reports].map(([room, r]) => [room, r.summary.recording?.alarm ?? null]),
    /** Each reporting room's kiosk PIN lockout as last reported (null: an older room that does not report it; for /metrics). */
    kioskLocks: (): [string, KioskLock | null][] => [...reports].map(([room, r]) => [room, r.summary.kiosk ?? null]),
  };
}

export function createFleetStore(deps: FleetStoreDeps = {}) {
  const now = deps.now ?? Date.now;
  const reports: LastReports = new Map();
  const book = new Map<string, BookEntryView>((deps.initialBook ?? []).map((b) => [keyOf(b.hearing, b.room), structuredClone(b)]));
  let saving: Promise<void> = Promise.resolve();
  const iso = () => new Date(now()).toISOString();
  const refusedKeepMs = deps.refusedKeepMs ?? REFUSED_KEEP_MS;

  function save() {
    if (!deps.persistBook) return;
    const snapshot = structuredClone([...book.values()]);
    saving = saving.then(() => deps.persistBook!(snapshot)).catch((err) => deps.onPersistError?.(err));
  }

  /**
   * A refused (`failed`) entry keeps the citizen's identity for refusedKeepMs after the refusal, then it
   * is purged (`citizen: null`, `purgedAt`); state, reason and the rest stay. Runs at start (entries a
   * restarted hub loads), with every report and on every read of an entry: no refused entry outlives
   * the bound by more than one report period while any room reports.
   */
  function purgeRefused() {
    const limit = now() - refusedKeepMs;
    let purged = 0;
    for (const slot of book.values()) {
      if (slot.state !== 'failed' || slot.entry.citizen === null || Date.parse(slot.updatedAt) > limit) continue;
      slot.entry = { ...slot.entry, citizen: null };
      slot.purgedAt = iso();
      purged++;
    }
    if (purged) save();
  }
  purgeRefused();

  /** Applies a room's acknowledgements; an ack for an older version (the officer changed it since) is ignored. */
  function applyAcks(room: string, acks: BookAck[]): number {
    let applied = 0;
    for (const a of acks) {
      const slot = book.get(keyOf(a.hearing, room));
      if (!slot || slot.version !== a.version || slot.state !== 'pending') continue;
      slot.state = a.ok ? 'written' : 'failed';
      slot.error = a.ok ? null : (a.error ?? 'refused by the room');
      slot.sha256 = a.ok ? (a.sha256 ?? null) : null;
      // The room holds the sealed record now: the hub forgets the citizen's identity (denunciations).
      if (a.ok) slot.entry = { ...slot.entry, citizen: null };
      slot.updatedAt = iso();
      applied++;
    }
    if (applied) save();
    return applied;
  }

  return {
    /** Stores the report (minus acks), applies the acks, answers with this room's pending book entries. */
    report(room: string, body: RoomReport): ReportAnswer & { applied: number } {
      const { acks, ...summary } = body;
      reports.set(room, { summary, receivedAt: now() });
      purgeRefused();
      const applied = applyAcks(room, acks ?? []);
      const pending = [...book.values()].filter((b) => b.room === room && b.state === 'pending');
      for (const b of pending) b.deliveredAt = iso();
      // Pending entries always carry the citizen (putBook takes a full BookInput; only written ones lose it).
      return {
        applied,
        book: pending.map((b) => ({ hearing: b.hearing, entry: structuredClone(b.entry) as BookInput, version: b.version })),
      };
    },
    ...reportReads(reports, now),
    /** An officer's entry for a room of a hearing: a new version, pending until the room acknowledges it. */
    putBook(hearing: string, room: string, entry: BookInput): BookEntryView {
      const k = keyOf(hearing, room);
      const prev = book.get(k);
      const slot: BookEntryView = {
        hearing,
        room,
        version: (prev?.version ?? 0) + 1,
        entry: structuredClone(entry),
        state: 'pending',
        updatedAt: iso(),
        deliveredAt: null,
        error: null,
        sha256: null,
      };
      book.set(k, slot);
      save();
      return slot;
    },
    getBook(hearing: string, room: string): BookEntryView | undefined {
      purgeRefused();
      return book.get(keyOf(hearing, room));
    },
    /** Resolves once every change made so far is saved (or its failure reported). */
    saved: () => saving,
  };
}

function keyOf(hearing: string, room: string) {
  return `${hearing}\u0000${room}`;
}
