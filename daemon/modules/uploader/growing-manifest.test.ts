import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../../common/evidence/index.js';
import { startArchiveHub } from '../../../hub/archive/test/fake-hearing.js';
import { waitFor } from '../../../hub/test/hub-fixture.js';
import { archived, pinHubKey, receiptsOf, startUploader, testDirs } from './test/fixture.js';

// Issue 12 soak, against a real in-process hub: a live hearing's manifest goes up again and again as it grows.
// Each receipt must name the whole file's SHA-256 (the hub checks it), while the room hashes only what was
// appended — and the last version, at the close, is hashed whole again.

const { dir, cleanups } = testDirs();

describe('uploader: a growing manifest', () => {
  it('30 uploads of a growing manifest: every receipt names the sha256 of the file, hashed ≈ once; whole again at the close; verified', async () => {
    const hub = await startArchiveHub(dir('hub-'));
    cleanups.push(hub.stop);
    const rec = dir('rec-');
    const state = dir('state-');
    pinHubKey(state, hub.archive.publicKey());
    const h = await (await hub.recording(rec)).open();
    const H = h.hearing;
    const manifest = join(rec, H, 'manifest.jsonl');
    const { u, bus } = startUploader(hub.url, rec, state);
    cleanups.push(() => u.stop());
    await u.start();
    const manifestReceiptFor = (sha: string) => receiptsOf(join(rec, H)).some((r) => r.file === 'manifest.jsonl' && r.sha256 === sha);
    for (let i = 0; i < 30; i++) {
      await h.segment(2000, 2000);
      const seg = h.segments.at(-1)!;
      bus.emit('recording', { kind: 'segment', hearing: H, file: seg.file, durationMs: 2000, bytes: seg.bytes.length });
      const sha = sha256Hex(readFileSync(manifest));
      await waitFor(() => manifestReceiptFor(sha), 15_000, `manifest receipt ${i}`);
    }
    const size = readFileSync(manifest).length;
    const { digests } = u.scanCosts;
    expect(digests.bytesHashed).toBeLessThanOrEqual(size); // whole re-hashes would be ~15× the file
    const fullBefore = digests.fullHashes;
    await h.close();
    bus.emit('recording', { kind: 'close', hearing: H, dir: join(rec, H) });
    const last = sha256Hex(readFileSync(manifest));
    await waitFor(() => manifestReceiptFor(last), 15_000, 'last manifest receipt');
    expect(digests.fullHashes).toBe(fullBefore + 1); // the closed hearing's manifest hashed from its first byte
    await waitFor(async () => (await archived(hub.url)).find((x) => x.hearing === H)?.state === 'verified', 15_000, 'verified hearing');
  }, 60_000); // a ceiling: 2.8 s at load 3, over 20 s at load 20
});
