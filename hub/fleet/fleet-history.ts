import type { ReportSummary } from '../../common/contracts/fleet.js';
import { STALE_MIN_MS } from './fleet-store.js';
import { mergePoint, newPoint, type PointView, pointView, sampleOf, type StoredPoint } from './fleet-history-point.js';

// Each room's reports of the last 24 h as one point per minute (fleet-history-point.ts), for the
// console's charts. Bounded: points older than the window are dropped at every report and read, at most
// `maxRooms` rooms (the one silent longest goes). Kept in memory and, with `persist`, saved at most every
// `saveEveryMs` and at `flush()` (hub close): a restart loses at most that much history.

export const HISTORY_WINDOW_MS = 24 * 3600_000;
export const BUCKET_MS = 60_000;

export interface RoomHistory {
  /** The room's report period when it last reported: how long a silence is a gap (offline). */
  reportSeconds: number;
  points: StoredPoint[];
}
export type HistoryDocument = { version: 1; bucketMs: number; rooms: Record<string, RoomHistory> };

export interface FleetHistoryDeps {
  /** Clock (tests inject one; the hub's `HubDeps.now`). */
  now?: () => number;
  bucketMs?: number;
  windowMs?: number;
  maxRooms?: number;
  initial?: HistoryDocument;
  persist?: (doc: HistoryDocument) => Promise<void>;
  saveEveryMs?: number;
  onPersistError?: (err: unknown) => void;
}

export interface HistoryView {
  room: string;
  from: number;
  to: number;
  bucketS: number;
  /** A silence longer than this between two points is drawn as a gap: the room was offline. */
  gapS: number;
  points: PointView[];
  offline: { from: number; to: number }[];
}

/** The history of every backend (this one in memory + file, fleet-history-pg.ts): what the routes and the hub use. */
export interface FleetHistoryStore {
  /** Folds a room's report into its minute (hub clock); never throws (a failed save is logged). */
  record(room: string, summary: ReportSummary): void;
  series(room: string, hours: number): HistoryView | Promise<HistoryView>;
  /** Resolves once what was recorded so far is stored. */
  flush(): Promise<void>;
}

export type FleetHistory = ReturnType<typeof createFleetHistory>;

/** The last `hours` (≤ the window) of a room from its points; no report in it: no points, the whole span offline. */
export function seriesOf(
  room: string,
  h: RoomHistory | undefined,
  hours: number,
  o: { now: number; bucketMs: number; windowMs: number },
): HistoryView {
  const { bucketMs } = o;
  const to = o.now;
  const from = to - Math.min(hours * 3600_000, o.windowMs);
  const reportSeconds = h?.reportSeconds ?? 10;
  const gapMs = Math.max(3 * reportSeconds * 1000, STALE_MIN_MS); // as the fleet store's staleness
  const points = (h?.points ?? []).filter((p) => (p[0] ?? 0) + bucketMs > from);
  const offline: HistoryView['offline'] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]![0]! + bucketMs;
    const b = points[i]![0]!;
    if (b - a > gapMs) offline.push({ from: a, to: b });
  }
  const end = points.length ? points.at(-1)![0]! + bucketMs : from;
  if (to - end > gapMs) offline.push({ from: end, to });
  return { room, from, to, bucketS: bucketMs / 1000, gapS: gapMs / 1000, points: points.map(pointView), offline };
}

export function createFleetHistory(deps: FleetHistoryDeps = {}) {
  const now = deps.now ?? Date.now;
  const windowMs = deps.windowMs ?? HISTORY_WINDOW_MS;
  const maxRooms = deps.maxRooms ?? 1000;
  const maxPoints = Math.ceil(windowMs / (deps.bucketMs ?? BUCKET_MS)) + 1;
  // A file written with another bucket size is kept as it is (its t are times, not indexes).
  const bucketMs = deps.bucketMs ?? deps.initial?.bucketMs ?? BUCKET_MS;
  const rooms = new Map<string, RoomHistory>(Object.entries(structuredClone(deps.initial?.rooms ?? {})));
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();

  function prune(h: RoomHistory) {
    const oldest = now() - windowMs;
    const first = h.points.findIndex((p) => (p[0] ?? 0) + bucketMs > oldest);
    if (first !== 0) h.points.splice(0, first === -1 ? h.points.length : first);
    if (h.points.length > maxPoints) h.points.splice(0, h.points.length - maxPoints);
  }
  const lastT = (h: RoomHistory) => h.points.at(-1)?.[0] ?? Number.NEGATIVE_INFINITY;
  function evictBeyondMax() {
    while (rooms.size > maxRooms) {
      const [silent] = [...rooms].sort((a, b) => lastT(a[1]) - lastT(b[1]))[0]!;
      rooms.delete(silent);
    }
  }
  for (const h of rooms.values()) prune(h);
  evictBeyondMax();

  function snapshot(): HistoryDocument {
    return { version: 1, bucketMs, rooms: structuredClone(Object.fromEntries(rooms)) };
  }
  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (!dirty || !deps.persist) return saving;
    dirty = false;
    const doc = snapshot();
    saving = saving.then(() => deps.persist!(doc)).catch((err) => deps.onPersistError?.(err));
    return saving;
  }
  function changed() {
    dirty = true;
    if (!timer && deps.persist) timer = setTimeout(() => void flush(), deps.saveEveryMs ?? 60_000).unref();
  }

  return {
    /** Folds a room's report into its minute (hub clock). */
    record(room: string, summary: ReportSummary) {
      const t = Math.floor(now() / bucketMs) * bucketMs;
      const h = rooms.get(room) ?? { reportSeconds: summary.reportSeconds, points: [] };
      rooms.set(room, h);
      h.reportSeconds = summary.reportSeconds;
      const s = sampleOf(summary);
      const last = h.points.at(-1);
      if (last && last[0] === t) mergePoint(last, s);
      else if (!last || (last[0] ?? 0) < t) h.points.push(newPoint(t, s));
      // else: the injected clock went back (tests) — the report is not history.
      prune(h);
      evictBeyondMax();
      changed();
    },
    /** The last `hours` (≤ the window) of a room; no report in it: no points, the whole span offline. */
    series(room: string, hours: number): HistoryView {
      const h = rooms.get(room);
      if (h) prune(h);
      return seriesOf(room, h, hours, { now: now(), bucketMs, windowMs });
    },
    /** Saves now what changed (the hub's close); resolves once written or its failure reported. */
    flush,
    /** Rooms with history (tests, bounds). */
    rooms: () => [...rooms.keys()],
  };
}
