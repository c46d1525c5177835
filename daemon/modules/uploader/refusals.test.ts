import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startArchiveHub, tmp } from '../../../hub/archive/test/fake-hearing.js';
import { waitFor } from '../../../hub/test/hub-fixture.js';
import { archived, archiveAtHub, holdPatch, hubOffset, pinHubKey, receiptsOf, startUploader } from './test/fixture.js';

// What the hub's refusals mean to the room (hub-answer.ts, refusals.ts), against a real in-process
// hub: UPLOAD_BUSY is only a wait; a refusal the room cannot fix parks that one file with the hub's
// reason (persisted, one alarm per file) while everything else is forwarded.

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function archiveHub() {
  const hub = await startArchiveHub(tmp('hub-'));
  cleanups.push(hub.stop);
  return hub;
}

describe('uploader: hub refusals', () => {
  it('409 UPLOAD_BUSY (another PATCH of the file still running at the hub) is waited out: forwarded, no refusal alarm', async () => {
    const hub = await archiveHub();
    const rec = tmp('rec-');
    const state = tmp('state-');
    pinHubKey(state, hub.archive.publicKey());
    const h = await (await hub.recording(rec)).open(); // a hub hearing room-demo took part in, signed with its enrolled key
    const H = h.hearing;
    await h.segment(300_000);
    const data = h.segments[0]!.bytes;
    // An earlier upload of this segment on a slow link: the hub has 64 KiB of it and is still receiving.
    const held = await holdPatch(hub.url, H, 'seg-00000.mkv', data, 65_536);
    cleanups.push(async () => held.release());
    await waitFor(async () => (await hubOffset(hub.url, H, 'seg-00000.mkv')) === 65_536, 20_000, 'the held PATCH at the hub');
    const starts: number[] = [];
    const { u, alarms, events } = startUploader(hub.url, rec, state, {
      onResume: (item, offset) => item.kind === 'segment' && starts.push(offset),
    });
    cleanups.push(() => u.stop());
    await u.start();
    await waitFor(
      () => events.filter((e) => /409 UPLOAD_BUSY/.test(e.lastError ?? '')).length >= 2,
      30_000,
      'the hub answering busy twice',
    );
    expect(u.summary()).toMatchObject({ refusedFiles: 0, alarms: [] });
    held.release(); // the slow upload breaks off; the hub keeps what arrived
    await waitFor(() => receiptsOf(join(rec, H)).some((r) => r.file === 'seg-00000.mkv'), 30_000, 'the segment receipted');
    await waitFor(() => u.summary().backlogFiles === 0, 30_000, 'an empty backlog');
    expect(alarms).toEqual([]); // never an UPLOAD_REFUSED, not even for a moment
    expect(starts.at(-1)).toBe(65_536); // resumed from what the other PATCH left
    expect(u.summary()).toMatchObject({ refusedFiles: 0, refused: [], alarms: [] });
  }, 90_000);

  it('a file the hub refuses for good is parked with its reason (one alarm per file, kept across a restart); the rest flows; a changed file is sent again', async () => {
    const hub = await archiveHub();
    const rec = tmp('rec-');
    const state = tmp('state-');
    pinHubKey(state, hub.archive.publicKey());
    // A (first in the queue): its segment is archived at the hub with other bytes (changed after
    // upload), its manifest was altered (the chain no longer verifies).
    const [hA, hB] = [hub.hubHearing(), hub.hubHearing()].sort(); // hub hearing ids are random: the bad one first by name
    const bad = await (await hub.recording(rec, 'room-demo', { hearing: hA })).open();
    const A = bad.hearing;
    await bad.segment(50_000);
    await bad.close();
    await archiveAtHub(hub.url, A, 'seg-00000.mkv', randomBytes(50_000));
    const manifestPath = join(rec, A, 'manifest.jsonl');
    const good = bad.manifestText();
    writeFileSync(manifestPath, good.replace('"durationMs":10000', '"durationMs":10001'));
    // B: a hearing like any other, behind it in the queue.
    const ok = await (await hub.recording(rec, 'room-demo', { hearing: hB })).open();
    const B = ok.hearing;
    for (let i = 0; i < 3; i++) await ok.segment(80_000);
    await ok.close();

    const first = startUploader(hub.url, rec, state);
    cleanups.push(() => first.u.stop());
    await first.u.start();
    await waitFor(
      async () => (await archived(hub.url)).find((x) => x.hearing === B)?.state === 'verified',
      30_000,
      'the good hearing verified at the hub',
    );
    // The hub shows 'verified' before the room has stored the manifest's receipt and dropped it from the
    // queue: wait for the room's side too (seen as backlog 3 under load).
    await waitFor(
      () => first.u.summary().refusedFiles === 2 && first.u.summary().backlogFiles === 2,
      30_000,
      'both refusals parked, the rest forwarded',
    );
    const s = first.u.summary();
    expect(s.refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          hearing: A,
          file: 'seg-00000.mkv',
          status: 409,
          code: 'ALREADY_ARCHIVED',
          message: expect.stringMatching(/already archived with SHA-256 [0-9a-f]{64}/),
        }),
        expect.objectContaining({
          hearing: A,
          file: 'manifest.jsonl',
          status: 422,
          code: 'MANIFEST_INVALID',
          message: expect.stringMatching(/^manifest entry 1: /),
        }),
      ]),
    );
    for (const r of s.refused) expect(Date.parse(r.retryAt) - Date.now()).toBeGreaterThan(50 * 60_000); // rarely, not in a loop
    expect(s.backlogFiles).toBe(2); // not forwarded: still counted, and shown apart as refused
    const alarmOf = (file: string) => first.u.summary().alarms.find((a) => a.file === file);
    expect(alarmOf(`${A}/seg-00000.mkv`)).toMatchObject({
      code: 'UPLOAD_REFUSED',
      hubCode: 'ALREADY_ARCHIVED',
      active: true,
      message: expect.stringMatching(new RegExp(`${A}/seg-00000\\.mkv.*409 ALREADY_ARCHIVED.*already archived with SHA-256`)),
    });
    expect(alarmOf(`${A}/manifest.jsonl`)).toMatchObject({
      code: 'UPLOAD_REFUSED',
      hubCode: 'MANIFEST_INVALID',
      active: true,
      message: expect.stringMatching(new RegExp(`${A}/manifest\\.jsonl.*422 MANIFEST_INVALID.*manifest entry 1`)),
    });
    expect(first.u.summary().alarms).toHaveLength(2);
    expect(receiptsOf(join(rec, B)).map((r) => r.file)).toEqual(
      expect.arrayContaining(['seg-00000.mkv', 'seg-00001.mkv', 'seg-00002.mkv', 'manifest.jsonl']),
    );
    await first.u.stop();

    // Restart: the refusals come back from the persisted queue, alarms included, without a new attempt.
    const queued = JSON.parse(readFileSync(join(state, 'upload-queue.json'), 'utf8')) as {
      items: { file: string; refused?: { code: string } }[];
    };
    expect(queued.items.map((i) => [i.file, i.refused?.code]).sort()).toEqual([
      ['manifest.jsonl', 'MANIFEST_INVALID'],
      ['seg-00000.mkv', 'ALREADY_ARCHIVED'],
    ]);
    const again = startUploader(hub.url, rec, state);
    cleanups.push(() => again.u.stop());
    await again.u.start();
    await again.u.rescan();
    expect(again.u.summary()).toMatchObject({ refusedFiles: 2, bytesSent: 0 });
    expect(
      again.u
        .summary()
        .alarms.map((a) => [a.file, a.hubCode])
        .sort(),
    ).toEqual([
      [`${A}/manifest.jsonl`, 'MANIFEST_INVALID'],
      [`${A}/seg-00000.mkv`, 'ALREADY_ARCHIVED'],
    ]);
    expect(again.alarms.filter((a) => a.active)).toHaveLength(2); // told on the bus too

    // The room's copy is put right (here: the manifest as it was sealed): sent again at once, its alarm
    // clears; the other refusal stays.
    writeFileSync(manifestPath, good);
    await again.u.rescan();
    await waitFor(() => receiptsOf(join(rec, A)).some((r) => r.file === 'manifest.jsonl'), 30_000, 'the corrected manifest receipted');
    await waitFor(() => again.u.summary().refusedFiles === 1, 30_000, 'one refusal left');
    expect(again.alarms.at(-1)).toMatchObject({ file: `${A}/manifest.jsonl`, active: false });
    expect(again.u.summary().alarms.map((a) => a.file)).toEqual([`${A}/seg-00000.mkv`]);
  }, 120_000);
});
