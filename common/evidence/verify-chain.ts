import { verifyHashSig } from './keys.js';
import type { GapEntry, ManifestEntry, SegmentEntry } from './entry-schema.js';
import { entryHash, GENESIS_PREV } from './manifest.js';
import { shapeProblem } from './entry-shape.js';
import { emptySegmentHistory, rememberSegment, segmentRuleProblem } from './segment-rules.js';
import { clockReadings, type EntryClock } from './entry-clock.js';

export interface VerifyOptions {
  /** The enrolled appliance key (the hub passes it); otherwise the `open` entry's key is trusted. */
  publicKeyRaw?: Buffer;
  /** A hole between consecutive segments longer than this needs a `gap` entry covering it. */
  maxSilentGapMs?: number;
}

export interface ChainReport {
  ok: boolean;
  firstBad?: { seq: number; reason: string };
  /** base64 raw public key the chain was checked against ('' when unknown). */
  publicKey: string;
  gaps: GapEntry[];
  segments: SegmentEntry[];
  totalDurationMs: number;
  /** The room's clock offsets the chain records (open, close), from the entries verified. */
  clocks: (EntryClock & { seq: number; kind: 'open' | 'close' })[];
}

const ms = (iso: string) => Date.parse(iso);

/** Walks the chain in order and stops at the first bad entry; `seq` is the entry's position. */
export function verifyChain(entries: ManifestEntry[], opts: VerifyOptions = {}): ChainReport {
  const maxSilent = opts.maxSilentGapMs ?? 2000;
  const gaps: GapEntry[] = [];
  const segments: SegmentEntry[] = [];
  const history = emptySegmentHistory();
  let publicKey = opts.publicKeyRaw;
  const report = (firstBad?: { seq: number; reason: string }): ChainReport => ({
    ok: !firstBad,
    firstBad,
    publicKey: publicKey?.toString('base64') ?? '',
    gaps,
    segments,
    totalDurationMs: segments.reduce((sum, s) => sum + s.durationMs, 0),
    clocks: clockReadings(entries.slice(0, firstBad ? firstBad.seq : entries.length)),
  });
  if (entries.length === 0) return report({ seq: 0, reason: 'empty manifest (no open entry)' });
  // Gaps may be written after the segment that ends them, so collect them all before checking holes.
  const allGaps = entries.filter((e): e is GapEntry => e?.kind === 'gap' && !shapeProblem(e as unknown as Record<string, unknown>));

  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const bad = (reason: string) => report({ seq: i, reason });
    const shape = shapeProblem(e as unknown as Record<string, unknown>);
    if (shape) return bad(shape);
    if (e.seq !== i) return bad(`seq is ${e.seq}, expected ${i}`);
    if (e.prev !== (i === 0 ? GENESIS_PREV : entries[i - 1].hash)) return bad("prev does not match the previous entry's hash");
    let hash: string;
    try {
      hash = entryHash(e);
    } catch (err) {
      return bad(`not canonical JSON (RFC 8785): ${(err as Error).message}`); // e.g. a lone surrogate in "hearing"
    }
    if (hash !== e.hash) return bad("hash does not match the entry's content");
    if (i === 0) {
      if (e.kind !== 'open') return bad('first entry must be "open"');
      const own = Buffer.from(e.publicKey, 'base64');
      if (publicKey && !publicKey.equals(own)) return bad('open.publicKey is not the enrolled appliance key');
      publicKey = own;
    } else if (e.kind === 'open') return bad('"open" after seq 0');
    if (e.hearing !== entries[0].hearing) return bad(`hearing "${e.hearing}" differs from "${entries[0].hearing}"`);
    if (!verifyHashSig(e.hash, e.sig, publicKey!)) return bad('signature does not verify');
    if (i > 0 && entries[i - 1].kind === 'close') return bad('entry after "close"');
    if (e.kind === 'gap') {
      if (ms(e.end) < ms(e.start)) return bad('gap ends before it starts');
      gaps.push(e);
    }
    if (e.kind === 'segment') {
      const broken = segmentRuleProblem(history, e);
      if (broken) return bad(broken);
      rememberSegment(history, e);
      const last = segments[segments.length - 1];
      if (last) {
        const hole = uncovered(ms(last.end), ms(e.start), allGaps, maxSilent);
        if (hole) return bad(`${Math.round(hole / 100) / 10} s of time between ${last.file} and ${e.file} without a gap entry`);
      }
      segments.push(e);
    }
  }
  return report();
}

/** The longest part of [from, to] not covered by gap entries, when it exceeds `allowed`; else 0. */
function uncovered(from: number, to: number, gaps: GapEntry[], allowed: number): number {
  if (to - from <= allowed) return 0;
  const spans = gaps
    .map((g) => [ms(g.start), ms(g.end)] as const)
    .filter(([s, e]) => e > from && s < to)
    .sort((a, b) => a[0] - b[0]);
  let cursor = from;
  let longest = 0;
  for (const [s, e] of spans) {
    if (s > cursor) longest = Math.max(longest, s - cursor);
    cursor = Math.max(cursor, e);
  }
  longest = Math.max(longest, to - cursor);
  return longest > allowed ? longest : 0;
}
