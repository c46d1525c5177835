import { verifyReceipt, type Receipt } from './receipt.js';

// Does a hub receipt stand in for a segment file the room has deleted? Only one that names exactly
// the manifest entry's bytes (hearing, file, SHA-256, size) and verifies with the hub key the caller
// trusts — never with the key the receipt names itself. docs/EVIDENCE.md "Verification".

export const RECEIPT_REFUSALS = ['no-receipt', 'no-hub-key', 'other-hearing', 'other-bytes', 'other-key', 'bad-signature'] as const;
export type ReceiptRefusal = (typeof RECEIPT_REFUSALS)[number];

export interface ReceiptWant {
  hearing: string;
  file: string;
  sha256: string;
  bytes: number;
}

export type ReceiptCover =
  | { ok: true; receipt: Receipt }
  /** `receipt`: the candidate the refusal is about (the closest one to a valid receipt). */
  | { ok: false; why: ReceiptRefusal; receipt?: Receipt };

/** receipts.jsonl → receipts in file order; lines that are not JSON objects (a torn last line) by number. */
export function parseReceipts(text: string): { receipts: Receipt[]; badLines: number[] } {
  const receipts: Receipt[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const r = JSON.parse(line) as unknown;
      if (typeof r === 'object' && r !== null && !Array.isArray(r)) receipts.push(r as Receipt);
      else badLines.push(i + 1);
    } catch {
      badLines.push(i + 1);
    }
  });
  return { receipts, badLines };
}

// Lower rank = closer to valid: the refusal reported is the one of the closest candidate.
const RANK: Record<Exclude<ReceiptRefusal, 'no-receipt'>, number> = {
  'no-hub-key': 0,
  'bad-signature': 1,
  'other-key': 2,
  'other-bytes': 3,
  'other-hearing': 4,
};

function refusal(r: Receipt, want: ReceiptWant, hubKey: Buffer | undefined): Exclude<ReceiptRefusal, 'no-receipt'> | undefined {
  if (r.hearing !== want.hearing) return 'other-hearing';
  if (r.sha256 !== want.sha256 || r.bytes !== want.bytes) return 'other-bytes';
  if (!hubKey) return 'no-hub-key';
  if (typeof r.hubKey !== 'string' || !Buffer.from(r.hubKey, 'base64').equals(hubKey)) return 'other-key';
  return verifyReceipt(r, hubKey) ? undefined : 'bad-signature';
}

/** The newest receipt covering `want`, or why none does. */
export function receiptCovering(receipts: readonly Receipt[], want: ReceiptWant, hubKey: Buffer | undefined): ReceiptCover {
  let closest: { why: Exclude<ReceiptRefusal, 'no-receipt'>; receipt: Receipt } | undefined;
  for (const r of [...receipts].reverse()) {
    if (r.file !== want.file) continue;
    const why = refusal(r, want, hubKey);
    if (!why) return { ok: true, receipt: r };
    if (!closest || RANK[why] < RANK[closest.why]) closest = { why, receipt: r };
  }
  return closest ? { ok: false, ...closest } : { ok: false, why: 'no-receipt' };
}
