import { createHash } from 'node:crypto';
import type { AuditEntryInput } from './audit-contract.js';

// The audit log's hash chain, pure (no I/O): each line is one JSON object
// `{seq, at, prev, actor, action, target?, outcome, reason?, ip?}`; `prev` is the SHA-256 (hex) of the
// previous line's exact text (without its newline), GENESIS for the first line of a segment. Removing,
// reordering or editing any line breaks the chain at the line after it.

export const GENESIS = '0'.repeat(64);

export interface AuditLine extends AuditEntryInput {
  seq: number;
  at: string;
  prev: string;
}

export const hashLine = (line: string): string => createHash('sha256').update(line, 'utf8').digest('hex');

/** The next line's text: fields in a fixed order, undefined fields left out. */
export function formatLine(entry: AuditEntryInput, seq: number, prev: string, at = new Date()): string {
  const line: AuditLine = {
    seq,
    at: at.toISOString(),
    prev,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    reason: entry.reason,
    ip: entry.ip,
  };
  return JSON.stringify(line);
}

export type ChainCheck =
  | { ok: true; count: number; lastSeq: number; lastHash: string }
  | { ok: false; count: number; lastSeq: number; lastHash: string; line: number; reason: string };

const isLine = (v: unknown): v is AuditLine => {
  const o = v as Partial<AuditLine> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    Number.isInteger(o.seq) &&
    typeof o.at === 'string' &&
    typeof o.prev === 'string' &&
    typeof o.actor === 'string' &&
    typeof o.action === 'string' &&
    (o.outcome === 'ok' || o.outcome === 'refused')
  );
};

/** Checks a whole segment (the file's text). A trailing newline is expected after every line. */
export function verifyChain(text: string): ChainCheck {
  let prev = GENESIS;
  let lastSeq = 0;
  let count = 0;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else if (lines.length > 0)
    return { ok: false, count, lastSeq, lastHash: prev, line: lines.length, reason: 'the last line is cut short (no newline)' };
  for (const [i, raw] of lines.entries()) {
    const bad = (reason: string): ChainCheck => ({ ok: false, count, lastSeq, lastHash: prev, line: i + 1, reason });
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return bad('not JSON');
    }
    if (!isLine(parsed)) return bad('not an audit entry');
    if (parsed.prev !== prev) return bad(`prev does not match the line before (a line was removed, changed or reordered)`);
    if (parsed.seq !== lastSeq + 1) return bad(`seq ${parsed.seq} after ${lastSeq}`);
    prev = hashLine(raw);
    lastSeq = parsed.seq;
    count++;
  }
  return { ok: true, count, lastSeq, lastHash: prev };
}
