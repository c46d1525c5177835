import { chmod, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseManifest, type EntryBody, type GapReason, type ManifestEntry } from '../../../common/evidence/index.js';
import type { Logger } from '../../../common/log.js';
import type { EntryClock } from '../../../common/evidence/entry-clock.js';
import { segmentIndex } from '../../drivers/media/recording-pipeline.js';
import { SegmentRefusedError, type ManifestFile } from '../evidence/manifest-file.js';
import type { EventBus } from '../events/event-bus.js';
import { hashFile, listSegments, mtimeMs, probeSegment, salvage, setAside } from './segment-files.js';

// One hearing's recording directory and manifest. All manifest work runs through one queue, in the
// order things happened: a gap is entered before the segment after it; salvage before the next worker's.

const HOLE_MS = 100; // segments of one worker are back to back; a larger hole gets a gap entry

export interface SessionDeps {
  hearing: string;
  dir: string;
  manifest: ManifestFile;
  open: EntryBody & { kind: 'open' };
  /** The room's clock offset for the close entry (`{}`: not measured). */
  clock?: () => { clock?: EntryClock };
  bus: EventBus;
  log: Logger;
}

export async function openSession(d: SessionDeps) {
  const entered = new Set<string>();
  const opened = new Map<string, number>(); // file name → wall start (ms), from segment-opened
  const openedBy = new Map<string, number>(); // file name → the worker generation that opened it
  let generation = 0; // this session's workers: a file the current one writes is never a leftover
  let lastEnd: number | null = null;
  let lastStart: number | null = null;
  let lastFile: string | null = null;
  let pending: GapReason | null = null; // why the next hole is there
  let slateSince: number | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const stats = {
    segments: 0,
    bytes: 0,
    durationMs: 0,
    gaps: 0,
    lastSegment: null as null | { file: string; end: string; durationMs: number },
  };

  const text = await readFile(join(d.dir, 'manifest.jsonl'), 'utf8').catch(() => '');
  const { entries } = parseManifest(text);
  for (const e of entries)
    if (e.kind === 'segment')
      entered.add(e.file),
        (lastEnd = Date.parse(e.end)),
        (lastStart = Date.parse(e.start)),
        (lastFile = e.file),
        stats.segments++,
        (stats.bytes += e.bytes),
        (stats.durationMs += e.durationMs);
  const resumed = entries.length > 0;

  /** Retries (disk full, lock held) rather than dropping an entry: a lost line would be a silent hole. */
  async function append(body: EntryBody): Promise<ManifestEntry | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await d.manifest.append(body);
      } catch (err) {
        if (err instanceof SegmentRefusedError) throw err; // the chain's own rules: retrying cannot help
        if (attempt >= 30 || (err as { code?: string }).code === 'HEARING_CLOSED')
          return (d.log.error({ err, body }, 'manifest entry NOT written'), null);
        d.log.error({ err: (err as Error).message, kind: body.kind }, 'manifest append failed: retrying');
        await delay(2000);
      }
    }
  }

  const enqueue = (work: () => Promise<unknown>) => (queue = queue.then(work).catch((err) => d.log.error({ err }, 'recorder step failed')));

  async function gap(start: number, end: number, reason: GapReason, aside?: { file: string; detail: string }): Promise<void> {
    if (end - start <= HOLE_MS && !aside) return;
    const g = { start: new Date(start).toISOString(), end: new Date(Math.max(start, end)).toISOString(), reason };
    if (await append({ kind: 'gap', ...g, ...aside })) stats.gaps++;
    d.bus.emit('recording', { kind: 'gap', hearing: d.hearing, ...g });
  }

  /** A file kept in the directory but not evidence (`.partial`) is explained by a gap entry naming it. */
  async function explainAside(name: string, reason: GapReason, detail: string): Promise<void> {
    const from = opened.get(name) ?? lastEnd ?? Date.now();
    d.log.warn({ file: `${name}.partial`, reason, detail }, 'segment set aside');
    await gap(from, Math.max(from, lastEnd ?? from), reason, { file: `${name}.partial`, detail });
  }

  async function enter(name: string, startMs: number, endMs: number | null, durationMs: number): Promise<void> {
    const path = join(d.dir, name);
    const { sha256, bytes } = await hashFile(path);
    const end = endMs ?? startMs + durationMs;
    const body = {
      kind: 'segment' as const,
      file: name,
      sha256,
      bytes,
      durationMs,
      start: new Date(startMs).toISOString(),
      end: new Date(end).toISOString(),
    };
    if (lastEnd !== null) await gap(lastEnd, startMs, pending ?? 'recorder-stopped');
    pending = null;
    let e: ManifestEntry | null;
    try {
      e = await append(body);
    } catch (err) {
      if (!(err instanceof SegmentRefusedError)) throw err;
      // Never a broken chain, whatever the processes did: the file is kept aside and the hole explained.
      await setAside(path);
      pending = 'segment-refused';
      return explainAside(name, 'segment-refused', err.rule);
    }
    if (!e) return;
    await chmod(path, 0o440).catch(() => undefined); // sealed: nobody opens it for writing again
    entered.add(name);
    lastEnd = end;
    lastStart = startMs;
    lastFile = name;
    Object.assign(stats, {
      segments: stats.segments + 1,
      bytes: stats.bytes + bytes,
      durationMs: stats.durationMs + durationMs,
      lastSegment: { file: name, end: new Date(end).toISOString(), durationMs },
    });
    d.bus.emit('recording', { kind: 'segment', hearing: d.hearing, file: name, durationMs, bytes });
  }

  /** Every seg file not in the manifest (left open by a dead worker): complete or remuxed, or set aside. */
  /** `upTo`: only files numbered up to it (a failed pipeline's; the next one's first file may be on disk before its report). */
  /** `current`: the running pipeline's files too (closing: nothing will report them any more). */
  async function salvageAll(upTo = Number.POSITIVE_INFINITY, current?: { writerMayRun: boolean }): Promise<void> {
    const leftover = (f: string) =>
      !entered.has(f) && (current || openedBy.get(f) !== generation) && (segmentIndex(f) ?? Number.POSITIVE_INFINITY) <= upTo;
    for (const name of (await listSegments(d.dir)).files.filter(leftover)) {
      const mine = openedBy.get(name) === generation;
      const p = await salvage(join(d.dir, name), { writerMayRun: mine && !!current?.writerMayRun });
      if (!p?.durationMs) {
        await explainAside(
          name,
          pending ?? 'recorder-stopped',
          'unfinished segment left by a stopped recorder, unreadable: kept aside, not evidence',
        );
        continue;
      }
      const start = opened.get(name) ?? (follows(name) ? lastEnd! : (await mtimeMs(join(d.dir, name))) - p.durationMs);
      d.log.warn({ file: name, durationMs: p.durationMs }, 'unfinished segment salvaged');
      await enter(name, start, null, p.durationMs);
    }
  }

  /**
   * The file the same pipeline opened right after the last entered one: it starts where that one ended.
   * (Its mtime is when the writer died, later than its last media by the muxer's buffering: mtime −
   * duration put a false 0.1–0.3 s hole before it, seen as a recorder-stopped gap before a power cut.)
   */
  const follows = (name: string) => lastEnd !== null && lastFile !== null && segmentIndex(name) === (segmentIndex(lastFile) ?? -2) + 1;

  if (!resumed) await append(d.open);
  else enqueue(async () => ((pending = 'recorder-stopped'), await salvageAll()));

  return {
    hearing: d.hearing,
    dir: d.dir,
    resumed,
    stats,
    opened(file: string, start: string): void {
      opened.set(basename(file), Date.parse(start));
      openedBy.set(basename(file), generation);
    },
    closed(file: string, start: string, end: string): void {
      const name = basename(file);
      enqueue(async () => {
        if (entered.has(name)) return; // already salvaged (its report came late)
        const p = await probeSegment(join(d.dir, name));
        if (p.durationMs === null)
          return void (await setAside(join(d.dir, name)),
          await explainAside(name, 'recorder-stopped', 'closed segment unreadable: kept aside, not evidence'));
        // The first fragment of a pipeline opens late (after its first GOP): end − duration is the truer start —
        // but never before the previous segment's start: a starved muxer takes its input in bursts, a segment's
        // media can outlast its wall-clock span, and end − duration then fell before it (refused as "times go
        // backwards" and kept aside: 3 segments lost as evidence in a soak at load 25–50).
        // (A file whose end is before the previous one's is another writer's: left as reported, and refused.)
        const [truer, endMs] = [Math.min(Date.parse(start), Date.parse(end) - p.durationMs), Date.parse(end)];
        const after = lastStart !== null && lastEnd !== null && endMs >= lastEnd;
        await enter(name, after ? Math.max(truer, lastStart!) : truer, endMs, p.durationMs);
      });
    },
    /** The worker died: what it left open is salvaged; the hole up to the next segment is a worker-restart gap. */
    workerRestarted(): void {
      generation++; // now: the next worker's files are its own, whatever the queue does meanwhile
      enqueue(async () => (await salvageAll(), (pending = 'worker-restart')));
    },
    /**
     * The recording pipeline failed and the worker starts a new one: the failed pipeline's files are written no
     * more, so they are leftovers now — a finished segment whose `closed` report the failure swallowed is entered
     * (chaos disk-full: seg-00012 stayed on disk, outside the manifest). Disk full: the open file is truncated,
     * set aside and explained, never entered. Other errors: what was written is salvaged.
     */
    writeFailed(file: string | null, diskFull: boolean): void {
      const upTo = file === null ? null : segmentIndex(basename(file));
      if (upTo === null) return void enqueue(async () => (await salvageAll(), (pending = diskFull ? 'disk-full' : 'recorder-stopped')));
      generation++;
      enqueue(async () => {
        const aside = diskFull && (await setAside(file!));
        await salvageAll(upTo);
        if (aside) await explainAside(basename(file!), 'disk-full', 'truncated by a full disk: kept aside, not evidence');
        pending = diskFull ? 'disk-full' : 'recorder-stopped';
      });
    },
    /** Slate periods are recorded, and marked: camera-slate gap entries. */
    source(onAir: string, at = Date.now()): void {
      if (onAir === 'slate') slateSince ??= at;
      else if (slateSince !== null) {
        const since = slateSince;
        slateSince = null;
        enqueue(() => gap(since, at, 'camera-slate'));
      }
    },
    /**
     * The close entry, after every file in the directory is entered or set aside and explained. `writerStopped`:
     * the worker confirmed its recording stopped; if not (a starved or wedged worker — seen: closed while the
     * last segment was still open, which then stayed outside the manifest), its open files are entered as copies.
     */
    async close(end = Date.now(), o: { writerStopped?: boolean } = {}): Promise<void> {
      enqueue(async () => {
        await salvageAll(Number.POSITIVE_INFINITY, { writerMayRun: !(o.writerStopped ?? true) });
        if (lastEnd !== null && pending) await gap(lastEnd, end, pending);
        if (slateSince !== null) await gap(slateSince, end, 'camera-slate');
        await append({ kind: 'close', end: new Date(end).toISOString(), ...d.clock?.() });
      });
      await queue;
    },
    idle: () => queue,
  };
}
export type RecordingSession = Awaited<ReturnType<typeof openSession>>;
