// Two verdicts on a hearing's recording directory (room copy or archive copy): the project's verifier
// (`reception verify`, against the hub-signed registry export) and an independent one that shares no
// code with it: ffprobe on every segment file, sha256 and size of every file against manifest.jsonl, no
// segment file the manifest does not name. Also the manifest's gap entries, for the table.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

export interface GapEntry {
  reason: string;
  ms: number;
}

export interface Verdict {
  dir: string;
  project: { ok: boolean; detail: string };
  independent: { ok: boolean; segments: number; problems: string[] };
  gaps: GapEntry[];
  closed: boolean;
  mediaMs: number;
}

/** The manifest's lines, parsed (a line that is not JSON is reported by `problems`). */
export function readManifest(dir: string): { entries: Record<string, unknown>[]; problems: string[] } {
  const problems: string[] = [];
  const entries: Record<string, unknown>[] = [];
  const file = join(dir, 'manifest.jsonl');
  if (!existsSync(file)) return { entries, problems: ['no manifest.jsonl'] };
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      if (!l.trim()) return;
      try {
        entries.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        problems.push(`manifest line ${i + 1} is not JSON`);
      }
    });
  return { entries, problems };
}

export function gapsOf(entries: Record<string, unknown>[]): GapEntry[] {
  return entries
    .filter((e) => e.kind === 'gap')
    .map((e) => ({ reason: String(e.reason), ms: Date.parse(String(e.end)) - Date.parse(String(e.start)) }));
}

// Asynchronous throughout: the runner runs a long scenario beside the others, and a synchronous check of a
// 10-min recording (hundreds of ffprobes) froze the other lane's viewer reading for minutes (flapping: "no media
// at the viewer" while the viewer logged 30 fps).
const run = promisify(execFile);
type Ran = { status: number; stdout: string; stderr: string };
const ran = (cmd: string, args: string[]): Promise<Ran> =>
  run(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => ({ status: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      status: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(e),
    }),
  );

/** ffprobe's container duration of a file (ms), or an error. */
export async function ffprobe(file: string): Promise<{ ok: true; ms: number } | { ok: false; error: string }> {
  const r = await ran('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'json', file]);
  if (r.status !== 0) return { ok: false, error: (r.stderr || `exit ${r.status}`).trim().split('\n')[0]! };
  const d = Number((JSON.parse(r.stdout) as { format?: { duration?: string } }).format?.duration);
  if (!Number.isFinite(d) || d <= 0) return { ok: false, error: `duration ${d}` };
  return { ok: true, ms: Math.round(d * 1000) };
}

export async function independentCheck(dir: string) {
  const { entries, problems } = readManifest(dir);
  let segments = 0;
  let mediaMs = 0;
  const named = new Set<string>();
  // Receipts are read once and again only on a miss (one may have been written since, before a retention delete).
  let receipts: Set<string> | undefined;
  const hasReceipt = (key: string) => receipts?.has(key) || (receipts = readReceipts(dir)).has(key);
  for (const e of entries) {
    if (e.kind === 'gap' && typeof e.file === 'string') named.add(e.file);
    if (e.kind !== 'segment' && e.kind !== 'book') continue;
    const f = String(e.file);
    named.add(f);
    const path = join(dir, f);
    // A segment the room's retention deleted after a receipt (before or during this check): the receipt must be there.
    const receipted = () => e.kind === 'segment' && hasReceipt(`${f}:${String(e.sha256)}`);
    const bytes = await readFile(path).catch(() => undefined);
    if (!bytes) {
      if (!receipted()) problems.push(`${f}: missing`);
      continue;
    }
    if (e.kind === 'segment' && bytes.length !== e.bytes) problems.push(`${f}: ${bytes.length} bytes, manifest says ${String(e.bytes)}`);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (e.kind === 'segment' && sha !== e.sha256) problems.push(`${f}: sha256 differs from the manifest`);
    if (e.kind !== 'segment') continue;
    segments++;
    const p = await ffprobe(path);
    if (!p.ok && !existsSync(path) && receipted()) continue; // deleted meanwhile: its bytes were read and hashed above
    if (!p.ok) problems.push(`${f}: ffprobe: ${p.error}`);
    else mediaMs += p.ms;
  }
  for (const f of existsSync(dir) ? readdirSync(dir) : [])
    if (/^seg-\d+\./.test(f) && !named.has(f)) problems.push(`${f}: on disk, not in the manifest`);
  const last = entries.at(-1);
  return { ok: problems.length === 0 && segments > 0, segments, problems, gaps: gapsOf(entries), closed: last?.kind === 'close', mediaMs };
}

function readReceipts(dir: string): Set<string> {
  const file = join(dir, 'receipts.jsonl');
  const out = new Set<string>();
  if (!existsSync(file)) return out;
  for (const l of readFileSync(file, 'utf8').split('\n'))
    if (l.trim())
      try {
        const r = JSON.parse(l) as { file: string; sha256: string };
        out.add(`${r.file}:${r.sha256}`);
      } catch {
        /* the project's verifier names it */
      }
  return out;
}

/** `reception verify DIR --registry EXPORT --state-dir ROOM_STATE --json`. */
export async function projectVerify(cli: string, dir: string, registryFile: string, roomState: string) {
  const r = await ran(process.execPath, [cli, 'verify', dir, '--registry', registryFile, '--state-dir', roomState, '--json']);
  let detail = (r.stdout || r.stderr).trim();
  try {
    const j = JSON.parse(r.stdout) as { ok?: boolean; firstProblem?: unknown; segments?: unknown };
    detail = j.ok ? 'intact' : String(j.firstProblem).slice(0, 300);
  } catch {
    detail = detail.split('\n')[0]!.slice(0, 300);
  }
  return { ok: r.status === 0, detail };
}

export async function verifyDir(cli: string, dir: string, registryFile: string, roomState: string): Promise<Verdict> {
  const ind = await independentCheck(dir);
  return {
    dir,
    project: await projectVerify(cli, dir, registryFile, roomState),
    independent: { ok: ind.ok, segments: ind.segments, problems: ind.problems },
    gaps: ind.gaps,
    closed: ind.closed,
    mediaMs: ind.mediaMs,
  };
}
