import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseReceipts, receiptCovering, type ReceiptCover, type SegmentEntry } from '../../common/evidence/index.js';
import { readPinnedKey, RECEIPTS } from '../../daemon/modules/uploader/receipt-book.js';

// `reception verify` on a room directory: a segment retention deleted counts as held by the hub when
// receipts.jsonl has a receipt for exactly its bytes that verifies with the hub key given here
// (`--hub-key`) or pinned by the room (`--state-dir`) — never the key a receipt names itself.

export interface HubKey {
  raw: Buffer;
  source: string;
}

/** `--hub-key BASE64|FILE` or `--state-dir DIR` (the room's pinned key); a string is a usage error. */
export async function loadHubKey(opts: { hubKey?: string; stateDir?: string }): Promise<HubKey | undefined | string> {
  if (opts.hubKey !== undefined && opts.stateDir !== undefined) return 'give --hub-key or --state-dir, not both';
  if (opts.stateDir !== undefined) {
    const file = join(resolve(opts.stateDir), 'keys', 'hub-public.key');
    const raw = await readPinnedKey(resolve(opts.stateDir));
    return raw ? { raw, source: file } : `--state-dir: no hub key pinned in ${file}`;
  }
  if (opts.hubKey === undefined) return undefined;
  const fromFile = await readFile(opts.hubKey, 'utf8').catch(() => undefined);
  const text = (fromFile ?? opts.hubKey).trim();
  const raw = Buffer.from(text, 'base64');
  if (raw.length !== 32 || raw.toString('base64') !== text)
    return "--hub-key must be the base64 of the hub's 32-byte Ed25519 receipt key, or a file holding it";
  return { raw, source: fromFile !== undefined ? resolve(opts.hubKey) : '--hub-key' };
}

/** For each absent segment file: the receipt that covers it, or why none does. */
export async function coverAbsent(dir: string, hearing: string, absent: SegmentEntry[], hubKey: Buffer | undefined) {
  const text = absent.length > 0 ? await readFile(join(dir, RECEIPTS), 'utf8').catch(() => '') : '';
  const { receipts, badLines } = parseReceipts(text);
  const covers = new Map<string, ReceiptCover>();
  for (const s of absent)
    covers.set(s.file, receiptCovering(receipts, { hearing, file: s.file, sha256: s.sha256, bytes: s.bytes }, hubKey));
  return { covers, badLines };
}

const short = (b64: string) => `${b64.slice(0, 12)}…`;

/** Why an absent segment fails, Vietnamese and English. */
export function absentProblem(file: string, cover: Extract<ReceiptCover, { ok: false }>): { vi: string; en: string } {
  const r = cover.receipt;
  const [vi, en] = {
    'no-receipt': ['không có biên nhận của trung tâm', 'no hub receipt for it'],
    'no-hub-key': [
      'có biên nhận nhưng chưa có khoá trung tâm để kiểm tra (--hub-key hoặc --state-dir)',
      'receipts.jsonl has a receipt for it, but no hub key to check it with (--hub-key or --state-dir)',
    ],
    'other-hearing': [`biên nhận thuộc phiên khác ("${r?.hearing}")`, `its receipt is for another hearing ("${r?.hearing}")`],
    'other-bytes': [
      'biên nhận cho dữ liệu khác (SHA-256/kích thước khác manifest)',
      'its receipt is for other bytes (SHA-256/size differs from the manifest)',
    ],
    'other-key': [
      `biên nhận ký bằng khoá khác (${short(String(r?.hubKey))}), không phải khoá trung tâm`,
      `its receipt is signed by another key (${short(String(r?.hubKey))}), not the hub key`,
    ],
    'bad-signature': [
      'chữ ký biên nhận không hợp lệ với khoá trung tâm (giả mạo hoặc bị sửa)',
      "its receipt's signature does not verify with the hub key (forged or altered)",
    ],
  }[cover.why];
  return { vi: `${file}: thiếu tệp, ${vi}`, en: `${file}: missing, ${en}` };
}

export const heldText = (file: string, receivedAt: string) => ({
  vi: `${file}: đã chuyển lên trung tâm và xoá tại phòng (biên nhận ${receivedAt})`,
  en: `${file}: forwarded to the hub and removed locally (receipt ${receivedAt})`,
});
