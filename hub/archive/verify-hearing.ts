import {
  CLASSIFICATIONS,
  parseManifest,
  sha256Hex,
  verifyChain,
  type Classification,
  type GapEntry,
  type ManifestEntry,
} from '../../common/evidence/index.js';
import type { RoomRegistry } from '../enrollment/registry-contract.js';
import type { HearingIndex } from './hearing-index.js';
import { checkOpenKey } from './key-binding.js';

// The verification state of one archived hearing, recomputed from what is stored (the chain is
// re-verified on every look: a file changed on the hub's disk shows up as `failed`).

export const VERIFICATION_STATES = ['verified', 'incomplete', 'failed'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];
export const SEGMENT_STATES = ['verified', 'missing', 'mismatch', 'unlisted'] as const;

export interface SegmentView {
  file: string;
  seq?: number;
  state: (typeof SEGMENT_STATES)[number];
  bytes: number;
  durationMs?: number;
  start?: string;
  end?: string;
}

export interface BookSummary {
  classification?: string;
  classificationVi?: string;
  summary?: string;
  officer?: string;
  receivedAt?: string;
}

export interface HearingVerification {
  state: VerificationState;
  reasons: string[];
  entries: ManifestEntry[];
  segments: SegmentView[];
  gaps: Pick<GapEntry, 'start' | 'end' | 'reason'>[];
  durationMs: number;
  start?: string;
  end?: string;
  closed: boolean;
  /** Fingerprint (hex SHA-256 of the SPKI DER) of the key that signed the chain, once there is one. */
  keyFingerprint?: string;
  /** The room's clock offset to the hub at open and close, as the chain records it (issue 13). */
  clocks: ReturnType<typeof verifyChain>['clocks'];
}

/** `registry`: the hub's registry of rooms and keys; without one no hearing verifies (its key cannot be checked). */
export function verifyHearing(
  index: HearingIndex,
  manifest: Buffer | undefined,
  book: Buffer | undefined,
  registry: RoomRegistry | undefined,
): HearingVerification {
  const failed: string[] = [];
  const incomplete: string[] = [];
  const { entries, errors } = manifest ? parseManifest(manifest.toString('utf8')) : { entries: [], errors: [] };
  const chain = verifyChain(entries);
  if (!manifest) incomplete.push('chưa có manifest / no manifest yet');
  else if (errors.length > 0) failed.push(`manifest line ${errors[0]!.line}: ${errors[0]!.message}`);
  else if (!chain.ok) failed.push(`manifest entry ${chain.firstBad!.seq}: ${chain.firstBad!.reason}`);
  const key = manifest && errors.length === 0 && chain.ok ? checkOpenKey(entries, registry) : undefined;
  if (key && !key.ok) failed.push(key.reason);

  const segments: SegmentView[] = chain.segments.map((s) => {
    const got = index.files[s.file];
    const state = !got ? 'missing' : got.sha256 === s.sha256 && got.bytes === s.bytes ? 'verified' : 'mismatch';
    if (state === 'mismatch') failed.push(`${s.file}: SHA-256/size differs from the manifest entry ${s.seq}`);
    return { file: s.file, seq: s.seq, state, bytes: s.bytes, durationMs: s.durationMs, start: s.start, end: s.end };
  });
  const missing = segments.filter((s) => s.state === 'missing').length;
  if (missing > 0) incomplete.push(`${missing} đoạn chưa nhận / segment(s) not received yet`);
  const listed = new Set([...segments.map((s) => s.file), 'manifest.jsonl', 'book.json']);
  const unlisted = Object.entries(index.files).filter(([f]) => !listed.has(f));
  for (const [file, f] of unlisted) segments.push({ file, state: 'unlisted', bytes: f.bytes });
  if (unlisted.length > 0) incomplete.push(`${unlisted.length} tệp chờ manifest / file(s) held unverified until the manifest lists them`);

  const bookEntries = entries.filter((e) => e.kind === 'book');
  const newestBook = bookEntries[bookEntries.length - 1];
  if (newestBook && !book) incomplete.push('chưa nhận sổ / book.json not received yet');
  if (newestBook && book && sha256Hex(book) !== newestBook.sha256)
    incomplete.push('book.json differs from the newest book entry (newer manifest expected)');
  const close = entries.find((e) => e.kind === 'close');
  if (manifest && chain.ok && !close) incomplete.push('phiên chưa đóng / hearing not closed yet');

  return {
    state: failed.length > 0 ? 'failed' : incomplete.length > 0 ? 'incomplete' : 'verified',
    reasons: [...failed, ...incomplete],
    entries,
    segments,
    gaps: chain.gaps.map(({ start, end, reason }) => ({ start, end, reason })),
    durationMs: chain.totalDurationMs,
    start: entries[0]?.kind === 'open' ? entries[0].start : undefined,
    end: close?.kind === 'close' ? close.end : chain.segments[chain.segments.length - 1]?.end,
    closed: !!close,
    keyFingerprint: key?.fingerprint,
    clocks: chain.clocks,
  };
}

/** What the list shows of the reception book: never the citizen (identity stays off the list). */
export function bookSummary(book: Buffer | undefined): BookSummary | undefined {
  if (!book) return undefined;
  try {
    const b = JSON.parse(book.toString('utf8')) as {
      classification?: string;
      summary?: string;
      officer?: { name?: string; unit?: string };
      receivedAt?: string;
    };
    const c = b.classification;
    return {
      classification: c,
      classificationVi: c && Object.hasOwn(CLASSIFICATIONS, c) ? CLASSIFICATIONS[c as Classification] : undefined,
      summary: typeof b.summary === 'string' ? b.summary.slice(0, 500) : undefined,
      officer: b.officer?.name ? `${b.officer.name}${b.officer.unit ? ` — ${b.officer.unit}` : ''}` : undefined,
      receivedAt: b.receivedAt,
    };
  } catch {
    return undefined;
  }
}
