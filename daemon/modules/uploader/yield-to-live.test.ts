import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { applianceKeyOf, startArchiveHub, tmp } from '../../../hub/archive/test/fake-hearing.js';
import { enrollRoomAt } from '../../../hub/test/enroll-room.js';
import { waitFor } from '../../../hub/test/hub-fixture.js';
import type { UploaderDeps } from './create-uploader.js';
import { archived, receiptsOf, startUploader } from './test/fixture.js';

// Uploads yield to live media (issue 12 item 2): while a hearing is recorded here its segments (and any
// other segment) wait — on a poor link a TCP upload shares the queue with the live picture and sound —
// while its manifest still goes; at `close` everything is sent and the archive verifies.

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function liveHearing(extra: Partial<UploaderDeps> = {}) {
  const hubDir = tmp('hub-');
  const hub = await startArchiveHub(hubDir);
  cleanups.push(hub.stop);
  const rec = tmp('rec-');
  const state = tmp('state-');
  await enrollRoomAt({ hubUrl: hub.url, hubStateDir: hubDir, room: 'room-demo', boxStateDir: state });
  const started = startUploader(hub.url, rec, state, { secret: '', ...extra });
  cleanups.push(() => started.u.stop());
  await started.u.start();
  const h = await (await hub.recording(rec, 'room-demo', { key: applianceKeyOf(state) })).open();
  started.bus.emit('recording', { kind: 'open', hearing: h.hearing, dir: join(rec, h.hearing) });
  for (let i = 0; i < 3; i++) {
    await h.segment(100_000);
    started.bus.emit('recording', { kind: 'segment', hearing: h.hearing, file: h.segments[i]!.file, durationMs: 10_000, bytes: 100_000 });
  }
  return { hub, rec, h, ...started };
}

describe('uploader: uploads yield to live media', () => {
  it('while the hearing runs only its manifest goes; its segments follow the close, and the archive verifies', async () => {
    const { hub, rec, h, u, bus } = await liveHearing();
    const H = h.hearing;
    // the manifest (3 segment lines) receipted while live: the queue has run since the segments were entered
    await waitFor(() => receiptsOf(join(rec, H)).some((r) => r.file === 'manifest.jsonl'), 10_000, 'manifest receipted while live');
    await waitFor(() => u.summary().state === 'idle', 10_000, 'uploader idle with segments held');
    expect(receiptsOf(join(rec, H)).filter((r) => r.file.startsWith('seg-'))).toEqual([]);
    expect(u.summary().backlogFiles).toBeGreaterThanOrEqual(3);
    await h.close();
    bus.emit('recording', { kind: 'close', hearing: H, dir: join(rec, H) });
    await waitFor(async () => (await archived(hub.url)).find((x) => x.hearing === H)?.state === 'verified', 15_000, 'verified hearing');
    expect(receiptsOf(join(rec, H)).map((r) => r.file)).toEqual(
      expect.arrayContaining(['seg-00000.mkv', 'seg-00001.mkv', 'seg-00002.mkv']),
    );
  });

  it('yieldToLive false: segments go at once, as before', async () => {
    const { rec, h } = await liveHearing({ yieldToLive: false });
    await waitFor(
      () => receiptsOf(join(rec, h.hearing)).filter((r) => r.file.startsWith('seg-')).length === 3,
      10_000,
      'segments while live',
    );
  });
});
