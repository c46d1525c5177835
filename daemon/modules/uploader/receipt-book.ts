import { appendFile, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { verifyReceipt, type Receipt } from '../../../common/evidence/index.js';
import { readEnrollment, receiptKeyRaw } from '../../../common/contracts/enrollment-file.js';

// The room's side of receipts: the hub key it trusts — pinned by `reception enroll` from the hub's
// authenticated answer (`<paths.state>/keys/enrollment.json`, copied to `keys/hub-public.key` for
// `reception verify --state-dir`; never taken from whoever answers first) — and each hearing's
// `receipts.jsonl`. A receipt counts only if it verifies with the pinned key — the uploader and
// retention both ask here, so "forwarded" means the same thing to both.

export const RECEIPTS = 'receipts.jsonl';

/** The enrollment's receipt key; without an enrollment, a `hub-public.key` placed by hand (or by an older version). */
export async function readPinnedKey(stateDir: string): Promise<Buffer | undefined> {
  const enrollment = await readEnrollment(stateDir).catch(() => undefined);
  if (enrollment) return receiptKeyRaw(enrollment);
  try {
    const raw = Buffer.from((await readFile(join(stateDir, 'keys', 'hub-public.key'), 'utf8')).trim(), 'base64');
    return raw.length === 32 ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the pin (`reception enroll`, from the hub's authenticated answer). */
export async function pinKey(stateDir: string, keyB64: string): Promise<Buffer> {
  const file = join(stateDir, 'keys', 'hub-public.key');
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, keyB64 + '\n', { mode: 0o600 });
  await chmod(file, 0o600); // an older pin was written 0644
  return Buffer.from(keyB64, 'base64');
}

/** A receipt that verifies with the pinned key AND names exactly this file's bytes. */
export function receiptMatches(r: Receipt, key: Buffer, want: { hearing: string; file: string; sha256?: string; bytes?: number }): boolean {
  if (!verifyReceipt(r, key)) return false;
  if (r.hearing !== want.hearing || r.file !== want.file) return false;
  if (want.sha256 !== undefined && r.sha256 !== want.sha256) return false;
  return want.bytes === undefined || r.bytes === want.bytes;
}

/** Valid receipts of one hearing directory, newest last per file. Junk and forged lines are skipped. */
export async function readReceipts(hearingDir: string, key: Buffer | undefined): Promise<Map<string, Receipt[]>> {
  const out = new Map<string, Receipt[]>();
  if (!key) return out;
  let text = '';
  try {
    text = await readFile(join(hearingDir, RECEIPTS), 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as Receipt;
      if (!verifyReceipt(r, key)) continue;
      out.set(r.file, [...(out.get(r.file) ?? []), r]);
    } catch {
      /* a torn last line after a crash: that file is simply uploaded again */
    }
  }
  return out;
}

export async function appendReceipt(hearingDir: string, r: Receipt): Promise<void> {
  await appendFile(join(hearingDir, RECEIPTS), JSON.stringify(r) + '\n');
}
