import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RECEIPTS } from './receipt-book.js';
import { listHearings, type Pending, type Scanner } from './scan.js';

// The periodic rescan at a cost proportional to what changed (review of issue 12): a room keeps hundreds of
// hearings × hundreds of segments, and stat'ing every segment (and re-verifying every receipt) each minute
// cost more than the live hearing. A hearing found done — every file receipted, no young unlisted segment —
// is skipped while its signature is unchanged: the directory (a file added, removed or renamed), manifest,
// receipts and book.json by (dev, inode, size, mtime, ctime), and the pinned key. What the directory does not show —
// a receipted segment rewritten in place — is caught by a deep look (every segment stat'ed, as before) that
// comes to each hearing once per `deepEvery` rescans, spread over them.

/** A signature younger than this may hide a change in the same clock tick ("racy clean"): not trusted yet. */
export const RACY_MS = 2000;
const DEEP_LOOK_MS = 3_600_000;

interface Memo {
  sig: string;
  /** Trusted: nothing pending, nothing deferred, no racy mtime — skipped while `sig` holds. */
  done: boolean;
  dir: string;
  /** While not done and the directory unchanged: the segments already receipted (no stat again). */
  settled?: Map<string, number>;
}

export interface RescanDeps {
  recordings: string;
  scanner: Scanner;
  /** The rescan period: each hearing gets a deep look about once an hour (every 60th rescan at 60 s). */
  rescanMs?: number;
  /** Or: a deep look once per this many full rescans (tests). */
  deepEvery?: number;
  now?: () => number;
}

// ctime too: a write that puts the old mtime back (touch -r, a restore) still moves it.
const part = (s: Awaited<ReturnType<typeof statOf>>) => (s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : '-');
const statOf = (path: string) => stat(path).catch(() => undefined);
/** Where in the deep-look cycle a hearing sits: stable per name, spread over the cycle. */
const spread = (name: string, n: number) => createHash('sha1').update(name).digest().readUInt32BE(0) % n; // even for look-alike names

export function createRescan(deps: RescanDeps) {
  const now = deps.now ?? Date.now;
  const deepEvery = Math.max(1, Math.round(deps.deepEvery ?? DEEP_LOOK_MS / (deps.rescanMs ?? 60_000)));
  const memos = new Map<string, Memo>();
  /** Full rescans, hearings looked at / skipped / looked at deeply (tests, bench). */
  const stats = { scans: 0, looked: 0, skipped: 0, deep: 0 };

  /** Every hearing's files without a receipt, hearing by hearing; `docsOnly`: book and manifest only (a close). */
  async function run(hubKey: Buffer | undefined, each: (hearing: string, pending: Pending[]) => Promise<void> | void, docsOnly = false) {
    const hearings = await listHearings(deps.recordings);
    const present = new Set(hearings);
    for (const h of memos.keys()) if (!present.has(h)) memos.delete(h);
    if (!docsOnly) stats.scans++;
    const key = hubKey?.toString('base64') ?? 'none';
    for (const hearing of hearings) {
      const dir = join(deps.recordings, hearing);
      // Taken before the look: a change during the look makes the next signature differ (looked at again).
      const started = now();
      const st = await Promise.all([dir, join(dir, 'manifest.jsonl'), join(dir, RECEIPTS), join(dir, 'book.json')].map(statOf));
      const sig = [key, ...st.map(part)].join('|');
      const memo = memos.get(hearing);
      const deep = !docsOnly && (stats.scans + spread(hearing, deepEvery)) % deepEvery === 0;
      if (memo?.done && memo.sig === sig && !deep) {
        stats.skipped++;
        continue;
      }
      stats.looked++;
      if (deep) stats.deep++;
      const dirSig = part(st[0]);
      const settled = !deep && memo?.settled && memo.dir === dirSig ? memo.settled : undefined;
      const look = await deps.scanner.lookAt(deps.recordings, hearing, hubKey, { docsOnly, settled });
      if (!docsOnly) {
        const racy = st.some((s) => s && !(started - Math.max(s.mtimeMs, s.ctimeMs) >= RACY_MS)); // a future time too (clock stepped back)
        const done = !racy && look.pending.length === 0 && look.deferred === 0;
        memos.set(hearing, { sig, done, dir: dirSig, ...(done || racy ? {} : { settled: look.settled }) });
      }
      await each(hearing, look.pending);
    }
  }

  return { run, stats };
}
export type Rescan = ReturnType<typeof createRescan>;
