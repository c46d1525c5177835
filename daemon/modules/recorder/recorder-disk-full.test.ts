import { acquireWriterLock } from '../../../common/storage/writer-lock.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApplianceKey, parseManifest, verifyChain, type SegmentEntry } from '../../../common/evidence/index.js';
import { silentLogger } from '../../../common/log.js';
import { validateConfig } from '../../config/load-config.js';
import { freePort } from '../../../tests/helpers/free-port.js';
import { until } from '../../../tests/helpers/until.js';
import { createEventBus, type RecordingEvent } from '../events/event-bus.js';
import { createMedia } from '../media/create-media.js';
import { ensureWorkerBuilt } from '../media/ensure-built.js';
import { rtpProbe } from '../media/rtp-probe.js';
import { createRecorder } from './create-recorder.js';

// Disk full for real: the recordings on a 700 KB tmpfs (needs root + mount; skipped otherwise), slate only.

const base = mkdtempSync(join(tmpdir(), 'recorder-full-'));
const mnt = join(base, 'disk');
mkdirSync(mnt);
const canMount = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=700k', 'tmpfs', mnt], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!canMount)('recorder, disk full', () => {
  afterAll(() => execFileSync('umount', ['-l', mnt], { stdio: 'ignore' }));

  it('raises an alarm, keeps the stream on air, claims no truncated file, and resumes with a disk-full gap', {
    timeout: 180_000, // generous ceilings below: a loaded CI box (load 37–50 seen) is slow, not wrong
  }, async () => {
    ensureWorkerBuilt();
    const [video, audio] = [await rtpProbe(), await rtpProbe()];
    const bus = createEventBus();
    const events: RecordingEvent[] = [];
    bus.on('recording', (e) => events.push(e));
    const config = validateConfig({
      media: { primaryCamera: 'none', videoRtpPort: video.port, audioRtpPort: audio.port, remoteAudioRtpPort: await freePort() },
    });
    const writerLock = await acquireWriterLock(mnt);
    const media = createMedia({
      config: config.media,
      writerLock,
      room: { name: 'Phòng thử' },
      cameras: new Map(),
      bus,
      logger: silentLogger(),
      silenceMs: 3000,
    });
    const key = generateApplianceKey();
    const recorder = createRecorder({
      config: { enabled: true, segmentSeconds: 2 },
      recordingsDir: mnt,
      room: { id: 'room-test' },
      key: () => key,
      worker: media.worker,
      onAir: () => media.status().source,
      bus,
      logger: silentLogger(),
    });
    await media.start();
    await recorder.start();
    const hearing = { id: 'h-full', title: 't', source: 'local' as const, startedAt: new Date().toISOString() };
    bus.emit('hearing', { kind: 'started', hearing, reason: 'test' });
    try {
      const alarm = await until('the disk-full alarm', 60_000, () => events.find((e) => e.kind === 'alarm'), 100);
      expect(alarm).toMatchObject({ reason: 'disk-full' });
      expect(recorder.status().alarm?.reason).toBe('disk-full');
      const t0 = Date.now();
      await until('the on-air stream going on', 20_000, () => video.countSince(t0) > 20, 100); // it never noticed
      execFileSync('mount', ['-o', 'remount,size=8m', mnt]); // the technician frees space
      await until('the alarm cleared', 60_000, () => events.some((e) => e.kind === 'alarm-cleared'), 100);
      bus.emit('hearing', { kind: 'ended', hearing, reason: 'test' });
      await until('the recording closed', 60_000, () => events.some((e) => e.kind === 'close'), 100);
      await recorder.idle();
      const dir = join(mnt, 'h-full.room-test'); // one evidence directory per room
      const { entries } = parseManifest(readFileSync(join(dir, 'manifest.jsonl'), 'utf8'));
      const report = verifyChain(entries, { publicKeyRaw: key.publicKeyRaw });
      if (report.firstBad)
        console.log(
          JSON.stringify(report.firstBad),
          entries
            .map(
              (e) =>
                `${e.seq} ${e.kind} ${'file' in e ? e.file : ''} ${'start' in e ? e.start.slice(11, 23) : ''} ${'end' in e ? e.end.slice(11, 23) : ''}`,
            )
            .join('\n'),
        );
      expect(report.firstBad).toBeUndefined();
      const claimed = entries.filter((e): e is SegmentEntry => e.kind === 'segment').map((e) => e.file);
      const partial = readdirSync(dir).filter((f) => f.endsWith('.partial'));
      console.log(
        `disk full: segments ${claimed.join(' ')}; set aside ${partial.join(' ')}; gaps ${entries
          .filter((e) => e.kind === 'gap')
          .map((e) => (e as { reason: string }).reason)
          .join(', ')}`,
      );
      expect(partial.length).toBeGreaterThanOrEqual(1);
      expect(claimed.some((f) => partial.includes(`${f}.partial`))).toBe(false);
      expect(entries.some((e) => e.kind === 'gap' && e.reason === 'disk-full')).toBe(true);
      expect(entries.at(-1)?.kind).toBe('close');
    } finally {
      await recorder.stop();
      await media.stop();
      await video.close();
      await audio.close();
    }
  });
});
