// The chain's own rules for segment entries, shared by the writer (which refuses an entry that breaks
// them and enters a gap instead) and every verifier (which fails a chain that breaks them): a chain
// the room writes is always one the hub and `reception verify` accept.

/** What the rules need to know of the segments entered so far. */
export interface SegmentHistory {
  files: Set<string>;
  last: { file: string; start: number; end: number } | null;
}

/** A media duration may exceed its wall-clock span by this much (clock granularity, late open reports). */
export const DURATION_SLACK_MS = 2000;

export const emptySegmentHistory = (): SegmentHistory => ({ files: new Set(), last: null });

/** The first rule the segment would break, or undefined. */
export function segmentRuleProblem(
  h: SegmentHistory,
  s: { file: string; start: string; end: string; durationMs: number },
): string | undefined {
  const start = Date.parse(s.start);
  const end = Date.parse(s.end);
  if (end < start) return 'segment ends before it starts';
  if (h.files.has(s.file)) return `${s.file} is already entered`;
  if (h.last && (start < h.last.start || end < h.last.end)) return `segment times go backwards (after ${h.last.file})`;
  if (s.durationMs > end - start + DURATION_SLACK_MS) return `${s.file}: ${s.durationMs} ms of media in ${end - start} ms of wall clock`;
  return undefined;
}

export function rememberSegment(h: SegmentHistory, s: { file: string; start: string; end: string }): void {
  h.files.add(s.file);
  h.last = { file: s.file, start: Date.parse(s.start), end: Date.parse(s.end) };
}
