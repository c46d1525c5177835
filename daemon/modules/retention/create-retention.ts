import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RATE_BASES } from '../../../common/contracts/daemon-api/health.js';
import type { Logger } from '../../../common/log.js';
import type { AlarmEvent, EventBus } from '../events/event-bus.js';
import { readPinnedKey } from '../uploader/receipt-book.js';
import { createReceiptCache } from '../uploader/receipt-cache.js';
import { listHearings, SEGMENT } from '../uploader/scan.js';

// Deletes local segments the hub holds (a receipt that verifies with the pinned hub key, for exactly
// these bytes) once older than keepDays — or sooner, oldest first, when free disk falls below
// minFreeMb. A file without a receipt is never deleted, whatever the disk says: then it alarms.

export type StatFs = (path: string) => Promise<{ bavail: number; bsize: number }>;

export interface RetentionDeps {
  recordings: string;
  stateDir: string;
  keepDays: number;
  minFreeMb: number;
  intervalMs: number;
  bus?: EventBus;
  logger: Logger;
  /** Injected in tests; default fs.statfs of the recordings directory. */
  statfs?: StatFs;
  /** The rate an idle room's disk is counted at before this daemon has seen a recording (bytes/s). */
  designBytesPerSecond?: number;
  now?: () => number;
}

interface Candidate {
  path: string;
  bytes: number;
  mtimeMs: number;
  sha256: string;
}

const RATE_WINDOW_MS = 10 * 60_000;
const MB = 1048576;
/**
 * What a hearing records with a 720p camera transcoded by the worker: H.264 2.5 Mbit/s + Opus 64 and
 * 32 kbit/s in MPEG-TS, measured 2569–2596 kbit/s (docs/PERFORMANCE.md). A passthrough camera records at
 * its own rate: once this daemon has recorded, that measured rate is used instead.
 */
export const DESIGN_RECORDING_KBPS = 2600;

type RateBasis = (typeof RATE_BASES)[number];

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}

export function createRetention(deps: RetentionDeps) {
  const now = deps.now ?? Date.now;
  const fsStat: StatFs = deps.statfs ?? ((p) => statfs(p));
  let timer: NodeJS.Timeout | undefined;
  let last = {
    freeMb: 0,
    minutesLeft: null as number | null,
    bytesPerSecond: 0,
    deletedFiles: 0,
    unforwardedFiles: 0,
    alarm: undefined as AlarmEvent | undefined,
    at: '',
    minutesAtRate: null as number | null,
    rateKbps: 0,
    rateBasis: 'design' as RateBasis,
  };
  let deletedTotal = 0;
  let lastRecordingRate = 0; // bytes/s of the last 10-minute window that saw recording, this run
  const designRate = deps.designBytesPerSecond ?? (DESIGN_RECORDING_KBPS * 1000) / 8;
  /** A live hearing's receipts.jsonl read from where the last sweep stopped, not whole each minute (issue 12 soak). */
  const receiptCache = createReceiptCache(now);

  async function freeBytes() {
    const s = await fsStat(deps.recordings);
    return s.bavail * s.bsize;
  }

  async function sweep() {
    const key = await readPinnedKey(deps.stateDir);
    const forwarded: Candidate[] = [];
    let unforwarded = 0;
    let recentBytes = 0;
    for (const hearing of await listHearings(deps.recordings)) {
      const dir = join(deps.recordings, hearing);
      const receipts = await receiptCache.read(dir, key);
      for (const file of (await readdir(dir).catch(() => [])).filter((f) => SEGMENT.test(f))) {
        const st = await stat(join(dir, file)).catch(() => undefined);
        if (!st) continue;
        if (now() - st.mtimeMs < RATE_WINDOW_MS) recentBytes += st.size;
        const r = [...(receipts.get(file) ?? [])].reverse().find((x) => x.bytes === st.size);
        if (r) forwarded.push({ path: join(dir, file), bytes: st.size, mtimeMs: st.mtimeMs, sha256: r.sha256 });
        else unforwarded++;
      }
    }
    forwarded.sort((a, b) => a.mtimeMs - b.mtimeMs); // oldest first
    let free = await freeBytes();
    let deleted = 0;
    const remove = async (c: Candidate, why: string) => {
      if ((await sha256File(c.path).catch(() => '')) !== c.sha256) return false; // changed since the receipt: keep it
      await rm(c.path);
      deleted++;
      free += c.bytes;
      deps.logger.info({ file: c.path, bytes: c.bytes, why }, 'retention: deleted forwarded segment');
      return true;
    };
    const cutoff = now() - deps.keepDays * 86_400_000;
    const rest: Candidate[] = [];
    for (const c of forwarded) if (!(c.mtimeMs < cutoff && (await remove(c, 'older than keepDays')))) rest.push(c);
    for (const c of rest) {
      if (free >= deps.minFreeMb * MB) break;
      await remove(c, 'disk pressure');
    }
    if (deleted > 0) free = await freeBytes();
    deletedTotal += deleted;
    const bytesPerSecond = recentBytes / (RATE_WINDOW_MS / 1000);
    const minutesLeft = bytesPerSecond > 0 ? Math.floor(free / bytesPerSecond / 60) : null;
    // An idle room records nothing, so "minutes left at the recent rate" has no value (null, never 0): the
    // free disk is also counted at the last recording's rate, or the design rate, and says which.
    if (bytesPerSecond > 0) lastRecordingRate = bytesPerSecond;
    const rateBasis: RateBasis = bytesPerSecond > 0 ? 'recent' : lastRecordingRate > 0 ? 'last-recording' : 'design';
    const rate = bytesPerSecond || lastRecordingRate || designRate;
    const low = free < deps.minFreeMb * MB;
    const alarm: AlarmEvent | undefined = low
      ? {
          source: 'retention',
          code: 'DISK_LOW',
          active: true,
          message: `free disk ${Math.round(free / MB)} MB < ${deps.minFreeMb} MB; ${unforwarded} segment(s) not yet receipted by the hub cannot be deleted${minutesLeft !== null ? `; about ${minutesLeft} min of recording left` : ''}`,
          ...(minutesLeft !== null ? { minutesLeft } : {}),
        }
      : undefined;
    if (alarm) {
      deps.logger.error({ freeMb: Math.round(free / MB), minutesLeft, unforwarded }, `DISK ALARM: ${alarm.message}`);
      deps.bus?.emit('alarm', alarm);
    } else if (last.alarm) deps.bus?.emit('alarm', { ...last.alarm, active: false, message: 'free disk recovered' });
    last = {
      freeMb: Math.round(free / MB),
      minutesLeft,
      bytesPerSecond: Math.round(bytesPerSecond),
      deletedFiles: deleted,
      unforwardedFiles: unforwarded,
      alarm,
      at: new Date(now()).toISOString(),
      minutesAtRate: Math.floor(free / rate / 60),
      rateKbps: Math.round((rate * 8) / 1000),
      rateBasis,
    };
    return last;
  }

  return {
    sweep,
    /** What the receipt reads cost (tests, bench). */
    receiptStats: receiptCache.stats,
    async start() {
      // A fresh box has no recordings directory yet: statfs would fail and the free space stay unknown.
      await mkdir(deps.recordings, { recursive: true }).catch(() => undefined);
      await sweep().catch((err) => deps.logger.warn({ err }, 'retention sweep failed'));
      timer = setInterval(() => void sweep().catch((err) => deps.logger.warn({ err }, 'retention sweep failed')), deps.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
    },
    summary: () => ({
      keepDays: deps.keepDays,
      minFreeMb: deps.minFreeMb,
      freeMb: last.freeMb,
      minutesLeft: last.minutesLeft,
      bytesPerSecond: last.bytesPerSecond,
      minutesAtRate: last.at ? last.minutesAtRate : null,
      rateKbps: last.rateKbps,
      rateBasis: last.rateBasis,
      unforwardedFiles: last.unforwardedFiles,
      deletedFiles: deletedTotal,
      lastSweepAt: last.at,
      ...(last.alarm ? { alarm: last.alarm.message } : {}),
    }),
  };
}
export type Retention = ReturnType<typeof createRetention>;
