import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { HUB_API } from '../../../common/contracts/route.js';
import { SELF_TEST_HEARING_ROUTE } from '../../../common/contracts/commissioning.js';
import { openHubLink } from '../../../common/enrollment/hub-link.js';
import { readPinnedKey, readReceipts } from '../uploader/receipt-book.js';

// The self-test's upload half: the hub is told the local hearing is this room's self-test (so the archive
// takes it), then the uploader does its ordinary work; we only watch receipts.jsonl for a receipt, verified
// with the pinned hub key, for every segment the manifest lists.

/** This box's self-test hearings, newest last (the hub keeps as many per room). */
const KEEP = 20;
const listFile = (stateDir: string) => join(stateDir, 'self-test', 'hearings.json');

/**
 * Declares the hearing at the hub — and the earlier self-tests too: one recorded before the room was enrolled
 * would otherwise be refused by the archive as a hearing the room did not take part in, and stay parked with an
 * alarm. Without `hearing`, only the earlier ones (provisioning, right after enrolling: before the daemon's
 * uploader scans them). False when the room is not enrolled (nothing will be uploaded).
 */
export async function declareSelfTest(stateDir: string, room: string, hearing?: string): Promise<boolean> {
  const known = JSON.parse(await readFile(listFile(stateDir), 'utf8').catch(() => '[]')) as string[];
  const hearings = [...known.filter((h) => h !== hearing), ...(hearing ? [hearing] : [])].slice(-KEEP);
  await mkdir(dirname(listFile(stateDir)), { recursive: true, mode: 0o700 });
  await writeFile(listFile(stateDir), JSON.stringify(hearings));
  const link = await openHubLink(stateDir, { hubUrl: 'http://127.0.0.1:1' });
  try {
    if (!link.enrolled) return false;
    const url = `${link.baseUrl}${HUB_API}${SELF_TEST_HEARING_ROUTE.replace(':room', encodeURIComponent(room))}`;
    for (const h of hearings) {
      const res = await link.fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${link.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ hearing: h }),
        signal: AbortSignal.timeout(15_000),
      });
      if (res.status !== 201) throw new Error(`hub answered ${res.status} for ${h}: ${(await res.text()).slice(0, 300)}`);
    }
    return true;
  } finally {
    await link.close();
  }
}

/** Waits until every segment (by file name and bytes) has a valid receipt; the count, or null at the deadline. */
export async function awaitReceipts(opts: {
  stateDir: string;
  dir: string;
  segments: { file: string; sha256: string }[];
  deadlineMs: number;
  signal?: AbortSignal;
}): Promise<number | null> {
  const key = await readPinnedKey(opts.stateDir);
  if (!key) return null;
  const until = Date.now() + opts.deadlineMs;
  for (;;) {
    const receipts = await readReceipts(opts.dir, key);
    const covered = opts.segments.filter((s) => receipts.get(s.file)?.some((r) => r.sha256 === s.sha256)).length;
    if (covered === opts.segments.length) return covered;
    if (Date.now() > until || opts.signal?.aborted) return null;
    await delay(500);
  }
}
