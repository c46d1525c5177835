import { describe, expect, it } from 'vitest';
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { generateApplianceKey, sha256Hex, signReceipt, type ApplianceKey } from '../../../common/evidence/index.js';
import { FakeHearing } from '../../../hub/archive/test/fake-hearing.js';
import { until } from '../../../tests/helpers/until.js';
import { createRescan, RACY_MS } from './rescan.js';
import { createScanner, listHearings, type Pending } from './scan.js';
import { pinHubKey, startUploader, testDirs } from './test/fixture.js';

// Review of issue 12: the 60 s rescan stat'ed every segment of every hearing, done or not. Real files: a done
// hearing (every file receipted) must cost a few stats, not one per segment — and every change the full scan
// noticed must still be noticed (the same answer as a fresh full scan of every hearing).

const { dir, cleanups } = testDirs();
const DAY_AGO = new Date(Date.now() - 86_400_000);

/** N closed hearings of S segments, every file receipted by `hub`, all of it last touched a day ago. */
async function closedHearings(rec: string, hub: ApplianceKey, n: number, s: number) {
  const hearings: FakeHearing[] = [];
  for (let i = 0; i < n; i++) {
    const h = await new FakeHearing(rec, `h-${String(i).padStart(3, '0')}`, 'room-demo').open();
    for (let k = 0; k < s; k++) await h.segment(64, 2000);
    await h.book({ n: i });
    await h.close();
    for (const file of readdirSync(join(rec, h.hearing))) receipt(rec, hub, h.hearing, file);
    hearings.push(h);
  }
  age(rec);
  return hearings;
}
function receipt(rec: string, hub: ApplianceKey, hearing: string, file: string) {
  const bytes = statSync(join(rec, hearing, file)).size;
  const sha256 = sha256Hex(readFileSync(join(rec, hearing, file)));
  const r = signReceipt({ hearing, file, sha256, bytes, receivedAt: new Date().toISOString() }, hub.privateKeyPem);
  appendFileSync(join(rec, hearing, 'receipts.jsonl'), JSON.stringify(r) + '\n');
}
/** Every file and directory under `rec` dated a day back (ctime stays: it cannot be set). */
function age(rec: string) {
  for (const h of readdirSync(rec)) {
    for (const f of readdirSync(join(rec, h))) utimesSync(join(rec, h, f), DAY_AGO, DAY_AGO);
    utimesSync(join(rec, h), DAY_AGO, DAY_AGO);
  }
}

/** Calls into node:fs/promises while `f` runs (the ESM bindings the uploader imported included). */
async function fsCalls(f: () => Promise<unknown>) {
  const counts: Record<string, number> = { stat: 0, readFile: 0, open: 0, readdir: 0 };
  const orig = Object.fromEntries(Object.keys(counts).map((k) => [k, (fsp as unknown as Record<string, unknown>)[k]]));
  for (const k of Object.keys(counts))
    (fsp as unknown as Record<string, unknown>)[k] = (...a: unknown[]) => (counts[k]!++, (orig[k] as (...x: unknown[]) => unknown)(...a));
  syncBuiltinESMExports();
  try {
    await f();
  } finally {
    Object.assign(fsp, orig);
    syncBuiltinESMExports();
  }
  return counts;
}

describe('rescan of done hearings (rescan.ts)', () => {
  it('40 closed, receipted hearings × 30 segments: a rescan stats a few files a hearing, not every segment', async () => {
    const rec = dir('rescan-rec-');
    const state = dir('rescan-state-');
    const hub = generateApplianceKey();
    pinHubKey(state, hub.publicKeyRaw.toString('base64'));
    const N = 40;
    const S = 30;
    await closedHearings(rec, hub, N, S);
    // Nothing is due, so nothing is sent: the hub address is never dialled.
    const { u } = startUploader('http://127.0.0.1:9', rec, state, { secret: 'unused' });
    cleanups.push(() => u.stop());
    await u.start();
    expect(u.summary().backlogFiles).toBe(0);
    // A signature is trusted RACY_MS after the last write (the receipts' ctime): wait for the clock, not a guess.
    const lastWrite = Math.max(...readdirSync(rec).map((h) => statSync(join(rec, h, 'receipts.jsonl')).ctimeMs));
    await until('the racy window to pass', 30_000, () => Date.now() - lastWrite > RACY_MS + 100);
    await u.rescan(); // the first look after the window: each hearing found done
    const { hearings } = u.scanCosts as { hearings?: { deep: number } };
    const deepBefore = hearings?.deep ?? 0;
    const rescans = 5;
    const calls = await fsCalls(async () => {
      for (let i = 0; i < rescans; i++) await u.rescan();
    });
    const deep = (hearings?.deep ?? 0) - deepBefore; // hearings given their hourly deep look meanwhile (every segment)
    console.log(`per rescan of ${N} done hearings × ${S} segments: ${JSON.stringify(calls)} / ${rescans}; deep looks ${deep}`);
    // Before: ≥ N × (S + 2) stats every rescan. Now: 4 a hearing (directory, manifest, receipts, book) + the deep looks.
    expect(calls.stat).toBeLessThanOrEqual(rescans * 4 * N + deep * (S + 4));
    expect(calls.stat).toBeLessThan((rescans * N * S) / 3);
    expect(calls.readFile + calls.open).toBeLessThanOrEqual(deep * 4); // nothing read for a done hearing
    expect(u.summary().backlogFiles).toBe(0);
  }, 120_000);

  it('every change the full scan noticed is still noticed: same answer as a fresh full scan (in-place rewrites at the deep look)', async () => {
    const rec = dir('rescan-chg-');
    const hub = generateApplianceKey();
    const hs = await closedHearings(rec, hub, 6, 5);
    const scanner = createScanner();
    const later = () => Date.now() + 60_000; // past the racy window: each case is the worst one, a change long before the rescan
    const rescan = createRescan({ recordings: rec, scanner, deepEvery: 4, now: later });
    const run = async (key: Buffer | undefined = hub.publicKeyRaw) => {
      const got: Pending[] = [];
      await rescan.run(key, (_h, p) => void got.push(...p));
      return got;
    };
    const fresh = async (key: Buffer | undefined = hub.publicKeyRaw) => {
      const s = createScanner();
      const out: Pending[] = [];
      for (const h of await listHearings(rec)) out.push(...(await s.pendingOf(rec, h, key)));
      return out;
    };
    expect(await run()).toEqual([]);
    const looked = rescan.stats.looked;
    for (let i = 0; i < 4; i++) expect(await run()).toEqual([]);
    expect(rescan.stats.looked - looked).toBe(6); // one cycle of 4 rescans: each hearing once, for its deep look; else skipped

    const files = (p: Pending[]) => p.map((x) => `${x.hearing}/${x.file}`).sort();
    const check = async (what: string, want: string[]) => {
      const got = await run();
      expect(files(got), what).toEqual(want);
      expect(files(await fresh()), what).toEqual(want);
    };
    // 1. a done hearing gets a new segment (and manifest line)
    await hs[0]!.segment(64, 2000);
    age(rec);
    await check('new segment', ['h-000/manifest.jsonl', 'h-000/seg-00005.mkv']);
    // 2. a crash leftover (unlisted file) in a done hearing: taken once it is 5 min old
    writeFileSync(join(rec, 'h-001', 'seg-00099.mkv'), 'x'.repeat(10));
    utimesSync(join(rec, 'h-001'), DAY_AGO, DAY_AGO);
    await check('young leftover', ['h-000/manifest.jsonl', 'h-000/seg-00005.mkv']);
    utimesSync(join(rec, 'h-001', 'seg-00099.mkv'), DAY_AGO, DAY_AGO); // no change the directory shows
    await check('old leftover', ['h-000/manifest.jsonl', 'h-000/seg-00005.mkv', 'h-001/seg-00099.mkv']);
    // 3. book.json rewritten in place, its mtime put back
    writeFileSync(join(rec, 'h-002', 'book.json'), JSON.stringify({ n: 'X' }));
    utimesSync(join(rec, 'h-002', 'book.json'), DAY_AGO, DAY_AGO);
    await check('book rewritten', ['h-000/manifest.jsonl', 'h-000/seg-00005.mkv', 'h-001/seg-00099.mkv', 'h-002/book.json']);
    // 4. receipts lost (receipts.jsonl cut short): those files are due again
    const rc = join(rec, 'h-003', 'receipts.jsonl');
    const lost = (JSON.parse(readFileSync(rc, 'utf8').trimEnd().split('\n').at(-1)!) as { file: string }).file;
    truncateSync(rc, statSync(rc).size - 1);
    age(rec);
    const cut = ['h-000/manifest.jsonl', 'h-000/seg-00005.mkv', 'h-001/seg-00099.mkv', 'h-002/book.json', `h-003/${lost}`].sort();
    await check('receipt lost', cut);
    // 5. a receipted segment deleted (retention): nothing due, as before
    rmSync(join(rec, 'h-004', 'seg-00000.mkv'));
    await check('segment deleted', cut);
    // 6. a receipted segment grown in place, every time put back: the directory shows nothing; the deep look finds it
    appendFileSync(join(rec, 'h-005', 'seg-00001.mkv'), 'more');
    age(rec);
    const grown = [...cut, 'h-005/seg-00001.mkv'].sort();
    expect(files(await fresh())).toEqual(grown);
    let seen = false;
    for (let i = 0; i < 4 && !seen; i++) seen = files(await run()).includes('h-005/seg-00001.mkv');
    expect(seen, 'found within one deep-look cycle (4 rescans here, an hour in the daemon)').toBe(true);
    // 7. another pinned key: no receipt counts, everything is due
    const other = generateApplianceKey().publicKeyRaw;
    expect((await run(other)).length).toBe((await fresh(other)).length);
  });
});
