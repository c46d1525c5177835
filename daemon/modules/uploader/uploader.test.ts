import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { generateApplianceKey, sha256Hex, signReceipt } from '../../../common/evidence/index.js';
import { applianceKeyOf, FakeHearing, roomTokenAt, sampleBook, startArchiveHub, tmp } from '../../../hub/archive/test/fake-hearing.js';
import { waitFor } from '../../../hub/test/hub-fixture.js';
import type { UploaderDeps } from './create-uploader.js';
import { archived, pinHubKey, receiptsOf, startUploader } from './test/fixture.js';
import { startProxy } from './test/tcp-proxy.js';
import { enrollRoomAt } from '../../../hub/test/enroll-room.js';

// The uploader against a real in-process hub over real HTTP (through a faulty proxy where needed).

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function uploader(hubUrl: string, recordings: string, stateDir: string, extra: Partial<UploaderDeps> = {}) {
  const started = startUploader(hubUrl, recordings, stateDir, extra);
  cleanups.push(() => started.u.stop());
  return started;
}

describe('uploader', () => {
  it('forwards a recorded hearing (startup scan + recording events); the archive verifies it; a restart re-sends nothing', async () => {
    const hubDir = tmp('hub-');
    const hub = await startArchiveHub(hubDir);
    cleanups.push(hub.stop);
    const rec = tmp('rec-');
    const state = tmp('state-');
    await enrollRoomAt({ hubUrl: hub.url, hubStateDir: hubDir, room: 'room-demo', boxStateDir: state }); // token + receipt key
    // the box's recording of a hub hearing it took part in, signed with the key it enrolled
    const h = await (await hub.recording(rec, 'room-demo', { key: applianceKeyOf(state) })).open();
    const H = h.hearing;
    for (let i = 0; i < 3; i++) await h.segment(200_000);
    const { u, bus } = uploader(hub.url, rec, state, { secret: '' }); // no configured secret: the enrollment's token
    await u.start();
    await h.segment(150_000); // live: the recorder tells the bus
    bus.emit('recording', { kind: 'segment', hearing: H, file: h.segments[3]!.file, durationMs: 10_000, bytes: 150_000 });
    await h.book(sampleBook);
    await h.close();
    bus.emit('recording', { kind: 'close', hearing: H, dir: join(rec, H) });
    await waitFor(async () => (await archived(hub.url)).find((x) => x.hearing === H)?.state === 'verified', 15_000, 'verified hearing');
    await waitFor(() => u.summary().backlogFiles === 0, 5000, 'empty backlog');
    const files = receiptsOf(join(rec, H)).map((r) => r.file);
    expect(files).toEqual(expect.arrayContaining(['seg-00000.mkv', 'seg-00003.mkv', 'book.json', 'manifest.jsonl']));
    expect(readFileSync(join(state, 'keys', 'hub-public.key'), 'utf8').trim()).toBe(hub.archive.publicKey());
    await u.stop();
    const again = uploader(hub.url, rec, state);
    await again.u.start();
    expect(again.u.summary().backlogFiles).toBe(0);
  });

  it('without an enrollment nothing is sent and no hub key is pinned on first use: alarm NOT_ENROLLED', async () => {
    const hub = await startArchiveHub(tmp('hub-'));
    cleanups.push(hub.stop);
    const rec = tmp('rec-');
    const state = tmp('state-');
    const h = await new FakeHearing(rec, 'h-no-enrol', 'room-demo').open();
    await h.segment(100_000);
    const { u, alarms } = uploader(hub.url, rec, state);
    await u.start();
    await waitFor(() => alarms.some((a) => a.active && a.hubCode === 'NOT_ENROLLED'), 5000, 'NOT_ENROLLED alarm');
    expect(existsSync(join(state, 'keys', 'hub-public.key'))).toBe(false);
    expect(receiptsOf(join(rec, 'h-no-enrol'))).toEqual([]);
    expect(u.summary().bytesSent).toBe(0);
  });

  it("resumes a transfer cut mid-file from the hub's offset: the second attempt sends only the rest", async () => {
    const hub = await startArchiveHub(tmp('hub-'));
    cleanups.push(hub.stop);
    const proxy = await startProxy(hub.url, { cutAfter: { bytes: 1_200_000 } });
    cleanups.push(proxy.close);
    const rec = tmp('rec-');
    const h = await (await hub.recording(rec)).open(); // a hub hearing room-demo took part in, its enrolled key
    const H = h.hearing;
    await h.segment(3_000_000);
    const starts: { offset: number; sentBefore: number }[] = [];
    const state = tmp('state-');
    pinHubKey(state, hub.archive.publicKey()); // pinned already: the first connection is the upload
    const { u } = uploader(proxy.url, rec, state, {
      secret: roomTokenAt(hub.url), // through the proxy: room-demo's token at the hub behind it
      onResume: (item, offset) => item.kind === 'segment' && starts.push({ offset, sentBefore: u.summary().bytesSent }),
    });
    await u.start();
    await waitFor(() => receiptsOf(join(rec, H)).some((r) => r.file === 'seg-00000.mkv'), 15_000, 'receipt after resume');
    await waitFor(() => u.summary().backlogFiles === 0, 10_000, 'manifest forwarded too');
    expect(starts).toHaveLength(2);
    expect(starts[0]!.offset).toBe(0);
    const resumedAt = starts[1]!.offset;
    expect(resumedAt).toBeGreaterThan(1_000_000); // what got through before the cut was kept
    expect(resumedAt).toBeLessThan(1_200_000);
    const manifest = readFileSync(join(rec, H, 'manifest.jsonl')).length;
    expect(u.summary().bytesSent - starts[1]!.sentBefore).toBe(3_000_000 - resumedAt + manifest); // the rest of the segment, then the manifest
    // on the wire: the connections after the cut carried the remainder plus headers and the manifest, not the whole file again
    const cutAt = proxy.upstreamBytes.findIndex((b) => b >= 1_200_000);
    const later = proxy.upstreamBytes.slice(cutAt + 1).reduce((a, b) => a + b, 0);
    expect(later).toBeLessThan(3_000_000 - resumedAt + 20_000);
  });

  it('a corrupted transfer is discarded by the hub (422 SHA256_MISMATCH): nothing of it accepted, the file is re-read and sent again, no alarm', async () => {
    const hub = await startArchiveHub(tmp('hub-'));
    cleanups.push(hub.stop);
    const proxy = await startProxy(hub.url, { flipAt: { byte: 100_000 } });
    cleanups.push(proxy.close);
    const rec = tmp('rec-');
    const state = tmp('state-');
    pinHubKey(state, hub.archive.publicKey());
    const h = await (await hub.recording(rec)).open(); // a hub hearing room-demo took part in, its enrolled key
    const H = h.hearing;
    await h.segment(400_000);
    const { u, alarms, events } = uploader(proxy.url, rec, state, { secret: roomTokenAt(hub.url) }); // the hub behind the proxy
    await u.start();
    await waitFor(() => receiptsOf(join(rec, H)).some((r) => r.file === 'seg-00000.mkv'), 15_000, 'receipt after the second sending');
    expect(events.some((e) => /422 SHA256_MISMATCH/.test(e.lastError ?? ''))).toBe(true); // the hub did discard the first one
    expect(receiptsOf(join(rec, H)).find((r) => r.file === 'seg-00000.mkv')!.sha256).toBe(sha256Hex(h.segments[0]!.bytes));
    expect(alarms).toEqual([]); // one corrupted transfer is the network's doing, not a refusal: RESEND_LIMIT in a row would be
  });

  it('a forged receipt is not accepted: the file stays in the backlog, alarm', async () => {
    const attacker = generateApplianceKey();
    const pinned = generateApplianceKey().publicKeyRaw.toString('base64');
    const fake = createServer((req, res) => {
      if (req.method === 'HEAD') return res.writeHead(200, { 'upload-offset': '0' }).end();
      req.resume().on('end', () => {
        const url = decodeURIComponent(req.url!);
        const file = url.split('/').pop()!;
        const r = signReceipt(
          {
            hearing: 'h-forged',
            file,
            sha256: String(req.headers['upload-sha256'] ?? '0'.repeat(64)),
            bytes: Number(req.headers['upload-length'] ?? 0),
            receivedAt: new Date().toISOString(),
          },
          attacker.privateKeyPem,
        );
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...r, hubKey: pinned }));
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => fake.close(r)));
    const rec = tmp('rec-');
    const state = tmp('state-');
    pinHubKey(state, pinned);
    const h = await new FakeHearing(rec, 'h-forged', 'room-demo').open();
    await h.segment(10_000);
    const { u, alarms } = uploader(`http://127.0.0.1:${(fake.address() as { port: number }).port}`, rec, state);
    await u.start();
    await waitFor(
      () => alarms.some((a) => a.code === 'RECEIPT_INVALID' && a.file === 'h-forged/seg-00000.mkv'),
      10_000,
      'receipt alarm naming the file',
    );
    expect(receiptsOf(join(rec, 'h-forged'))).toEqual([]);
    expect(u.summary().backlogFiles).toBeGreaterThanOrEqual(1);
    expect(u.summary().refused).toContainEqual(
      expect.objectContaining({ hearing: 'h-forged', file: 'seg-00000.mkv', code: 'RECEIPT_INVALID' }),
    );
  });

  it('while the hub is down the backlog grows; it drains when the hub returns', async () => {
    const stateDir = tmp('hub-');
    let hub = await startArchiveHub(stateDir);
    const port = Number(new URL(hub.url).port);
    const rec = tmp('rec-');
    const h = await (await hub.recording(rec)).open(); // a hub hearing room-demo took part in, its enrolled key
    const H = h.hearing;
    await h.segment(100_000);
    const state = tmp('state-');
    pinHubKey(state, hub.archive.publicKey()); // the hub key as enrollment gives it
    const { u, bus } = uploader(hub.url, rec, state);
    await u.start();
    await waitFor(() => u.summary().backlogFiles === 0, 10_000, 'first drain');
    await hub.stop();
    for (let i = 0; i < 4; i++) {
      const file = await h.segment(100_000);
      bus.emit('recording', { kind: 'segment', hearing: H, file, durationMs: 10_000, bytes: 100_000 });
    }
    await waitFor(() => u.summary().state === 'waiting', 10_000, 'waiting state');
    expect(u.summary().backlogFiles).toBe(5); // 4 segments + the manifest
    expect(u.summary().backlogBytes).toBeGreaterThanOrEqual(400_000);
    hub = await startArchiveHub(stateDir, port);
    cleanups.push(hub.stop);
    await waitFor(() => u.summary().backlogFiles === 0, 15_000, 'drain after the hub returns');
    expect(receiptsOf(join(rec, H)).filter((r) => r.file.startsWith('seg-'))).toHaveLength(5);
  });

  it('a manifest with a torn last line (an append cut by a full disk) is sent up to its last whole line: no refusal, no alarm', async () => {
    const stateDir = tmp('hub-');
    const hub = await startArchiveHub(stateDir);
    cleanups.push(hub.stop);
    const rec = tmp('rec-');
    const h = await (await hub.recording(rec)).open();
    const H = h.hearing;
    const file = await h.segment(100_000);
    const manifest = join(rec, H, 'manifest.jsonl');
    const whole = readFileSync(manifest);
    appendFileSync(manifest, '{"kind":"segment","file":"seg-00001.mkv","sha2'); // ENOSPC mid-line
    const state = tmp('state-');
    pinHubKey(state, hub.archive.publicKey());
    const { u, bus } = uploader(hub.url, rec, state);
    await u.start();
    bus.emit('recording', { kind: 'segment', hearing: H, file, durationMs: 10_000, bytes: 100_000 });
    await waitFor(() => receiptsOf(join(rec, H)).some((r) => r.file === 'manifest.jsonl'), 15_000, 'manifest receipted');
    const receipt = receiptsOf(join(rec, H)).find((r) => r.file === 'manifest.jsonl')!;
    expect(receipt.sha256).toBe(sha256Hex(whole)); // the whole lines, not the torn tail
    expect(u.summary().alarms).toEqual([]);
  });
});
