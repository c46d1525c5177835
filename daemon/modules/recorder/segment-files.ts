import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { probeTs } from './ts-probe.js';

// Segment files on disk: probe, hash, numbering, and what to do with a file a dead writer left open.

const run = promisify(execFile);
const SEG = /^seg-(\d{5,})\.(?:ts|mkv)(\.partial)?$/;

export interface Probe {
  /** Media duration (as ffprobe's format=duration); null when it cannot be told (unfinished file). */
  durationMs: number | null;
  streams: string[];
}

/** MPEG-TS segments are read in-process (ts-probe.ts); anything else, or a TS it cannot read, by ffprobe. */
export async function probeSegment(path: string): Promise<Probe> {
  if (path.endsWith('.ts')) {
    const own = await readFile(path).then(probeTs, () => null);
    if (own && own.durationMs > 0) return own;
  }
  return ffprobeSegment(path);
}

export async function ffprobeSegment(path: string): Promise<Probe> {
  try {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type', '-of', 'json', path], {
      timeout: 10_000,
    });
    const j = JSON.parse(stdout) as { format?: { duration?: string }; streams?: { codec_type: string }[] };
    const d = Number(j.format?.duration);
    return { durationMs: Number.isFinite(d) && d > 0 ? Math.round(d * 1000) : null, streams: (j.streams ?? []).map((s) => s.codec_type) };
  } catch {
    return { durationMs: null, streams: [] };
  }
}

export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/** seg files (closed ones only) sorted by index, and the next free index (set-aside .partial files count). */
export async function listSegments(dir: string): Promise<{ files: string[]; nextIndex: number }> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let next = 0;
  const files: { name: string; i: number }[] = [];
  for (const name of names) {
    const m = SEG.exec(name);
    if (!m) continue;
    next = Math.max(next, Number(m[1]) + 1);
    if (!m[2]) files.push({ name, i: Number(m[1]) });
  }
  return { files: files.sort((a, b) => a.i - b.i).map((f) => f.name), nextIndex: next };
}

/** A truncated file is never entered: it is kept as `<file>.partial` for a human, outside the manifest. */
export async function setAside(path: string): Promise<boolean> {
  return rename(path, `${path}.partial`).then(
    () => true,
    () => false,
  );
}

/**
 * A file a killed worker left open. MPEG-TS plays as written (ffprobe reads its duration); anything
 * ffprobe cannot read is remuxed (ffmpeg -c copy) into a proper file under the same name (the original
 * is removed once the remux reads back). Null: nothing usable (the original is left as .partial).
 * `writerMayRun`: always copied (remux) from the moved-aside original, never entered in place.
 */
export async function salvage(path: string, o: { writerMayRun?: boolean } = {}): Promise<Probe | null> {
  // A writer that may still run (a worker that never confirmed its stop) would change the file after it is
  // sealed: it is moved aside first, so the writer's later bytes go to the .partial (removed below), and what
  // is entered is a copy made from it.
  if (!o.writerMayRun) {
    const first = await probeSegment(path);
    if (first.durationMs !== null && first.streams.includes('video')) return first;
  }
  if (!(await setAside(path))) return null;
  try {
    await run(
      'ffmpeg',
      ['-v', 'error', '-y', '-i', `${path}.partial`, '-map', '0', '-c', 'copy', '-f', path.endsWith('.ts') ? 'mpegts' : 'matroska', path],
      { timeout: 20_000 },
    );
  } catch {
    await rm(path, { force: true });
    return null;
  }
  const p = await probeSegment(path);
  if (p.durationMs !== null && p.durationMs >= 100 && p.streams.includes('video')) {
    await rm(`${path}.partial`, { force: true }); // the remux holds all of it; no unexplained leftovers
    return p;
  }
  await rm(path, { force: true });
  return null;
}

export const mtimeMs = (path: string) =>
  stat(path).then(
    (s) => s.mtimeMs,
    () => Date.now(),
  );
