import { acquireWriterLock } from '../../../common/storage/writer-lock.js';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateApplianceKey,
  parseManifest,
  sha256Hex,
  verifyChain,
  type GapEntry,
  type SegmentEntry,
} from '../../../common/evidence/index.js';
import { silentLogger } from '../../../common/log.js';
import { sleep } from '../../../common/timeout.js';
import { validateConfig } from '../../config/load-config.js';
import { createRtspPicture } from '../../../simulators/rtsp-picture/index.js';
import { freePort } from '../../../tests/helpers/free-port.js';
import { until } from '../../../tests/helpers/until.js';
import { createEventBus, type RecordingEvent } from '../events/event-bus.js';
import { createHearings } from '../hearings/create-hearings.js';
import { createMedia } from '../media/create-media.js';
import { ensureWorkerBuilt } from '../media/ensure-built.js';
import { rtpProbe } from '../media/rtp-probe.js';
import { createRecorder } from './create-recorder.js';

// Real GStreamer, real files: a local hearing of ~16 s with a kill -9 of the worker and a camera loss.

describe('recorder (real worker, real files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recorder-test-'));
  let r: Awaited<ReturnType<typeof rig>>;

  async function rig() {
    ensureWorkerBuilt();
    const picture = createRtspPicture({ port: await freePort(), name: 'CAM-REC' });
    await picture.start();
    const [video, audio] = [await rtpProbe(), await rtpProbe()];
    const remotePort = await freePort();
    const bus = createEventBus();
    const events: RecordingEvent[] = [];
    bus.on('recording', (e) => events.push(e));
    const config = validateConfig({
      media: {
        rtspUri: picture.rtspUri,
        lossTimeoutMs: 300,
        videoRtpPort: video.port,
        audioRtpPort: audio.port,
        remoteAudioRtpPort: remotePort,
      },
    });
    const writerLock = await acquireWriterLock(join(dir, 'rec'));
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
      recordingsDir: join(dir, 'rec'),
      room: { id: 'room-test' },
      key: () => key,
      worker: media.worker,
      onAir: () => media.status().source,
      bus,
      logger: silentLogger(),
    });
    const gateway = { summary: () => ({ state: 'down' }), detail: () => null }; // no hub: a local hearing
    const hearings = createHearings({ stateFile: join(dir, 'state', 'hearings.json'), gateway, bus, logger: silentLogger() });
    // One remote participant: an Opus tone into slot 0, as the gateway would forward it.
    const remote = spawn(
      'gst-launch-1.0',
      [
        '-q',
        'audiotestsrc',
        'is-live=true',
        'freq=880',
        '!',
        'audio/x-raw,rate=48000,channels=1',
        '!',
        'opusenc',
        '!',
        'rtpopuspay',
        'pt=111',
        '!',
        'udpsink',
        'host=127.0.0.1',
        `port=${remotePort}`,
      ],
      { stdio: 'ignore' },
    );
    await media.start();
    await recorder.start();
    await hearings.start();
    await until('worker running', 10_000, () => media.status().state === 'running');
    return { picture, video, audio, media, recorder, hearings, bus, events, key, remote };
  }

  beforeAll(async () => {
    r = await rig();
  }, 30_000);
  afterAll(async () => {
    r?.remote.kill();
    await r?.hearings.stop();
    await r?.recorder.stop();
    await r?.media.stop();
    await r?.picture.stop();
  });

  it('records a hearing through a kill -9 and a camera loss; every segment plays and is in the signed manifest', {
    timeout: 60_000,
  }, async () => {
    await until('primary on air', 10_000, () => r.media.status().source === 'primary');
    const h = await r.hearings.startLocal('Phiên thử ghi hình');
    expect(h.id).toMatch(/^local-/);
    await until('first segments', 8000, () => r.recorder.status().segments >= 2);
    const pid = r.media.status().workerPid!;
    const before = r.recorder.status().lastSegment!.file;
    const killedAt = Date.now();
    execFileSync('kill', ['-9', String(pid)]);
    await until('a new worker', 8000, () => r.media.status().state === 'running' && r.media.status().workerPid !== pid);
    const runningAt = Date.now();
    await until('segments from the new worker', 10_000, () =>
      r.events.some((e) => e.kind === 'gap' && e.reason === 'worker-restart'),
    ).catch((err) => {
      console.log(JSON.stringify({ status: r.recorder.status(), media: r.media.status().state, events: r.events.slice(-8) }));
      throw err;
    });
    console.log(`kill -9 at ${new Date(killedAt).toISOString()}; new worker running after ${runningAt - killedAt} ms`);
    await until('primary back', 10_000, () => r.media.status().source === 'primary');
    await r.picture.stop(); // camera lost: the slate is recorded
    await until('slate', 3000, () => r.media.status().source === 'slate');
    await sleep(2500);
    await r.picture.start();
    await until('primary after the loss', 12_000, () => r.media.status().source === 'primary');
    await sleep(1500);
    await r.hearings.endCurrent('test');
    await until('closed', 8000, () => r.events.some((e) => e.kind === 'close'));
    await r.recorder.idle();

    const hdir = join(dir, 'rec', `${h.id}.room-test`); // one evidence directory per room
    const { entries, errors } = parseManifest(readFileSync(join(hdir, 'manifest.jsonl'), 'utf8'));
    expect(errors).toEqual([]);
    const report = verifyChain(entries, { publicKeyRaw: r.key.publicKeyRaw });
    expect(report.firstBad).toBeUndefined();
    expect(entries[0].kind).toBe('open');
    expect(entries.at(-1)!.kind).toBe('close');
    const segs = entries.filter((e): e is SegmentEntry => e.kind === 'segment');
    const gaps = entries.filter((e): e is GapEntry => e.kind === 'gap');
    for (const s of segs) {
      const file = join(hdir, s.file);
      expect(sha256Hex(readFileSync(file))).toBe(s.sha256);
      const probe = JSON.parse(
        execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'json', file], { encoding: 'utf8' }),
      ) as { streams: { codec_type: string }[] };
      expect(probe.streams.map((st) => st.codec_type).sort()).toEqual(['audio', 'audio', 'video']);
    }
    const idx = segs.map((s) => Number(/\d+/.exec(s.file)![0]));
    expect(idx).toEqual([...idx].sort((a, b) => a - b)); // numbering continues after the restart
    expect(new Set(idx).size).toBe(idx.length);
    expect(idx.some((i) => i > Number(/\d+/.exec(before)![0]) + 1)).toBe(true);
    const wallMs = Date.parse(entries.at(-1)!.kind === 'close' ? (entries.at(-1) as { end: string }).end : '') - Date.parse(segs[0].start);
    const mediaMs = segs.reduce((a, s) => a + s.durationMs, 0);
    const restart = gaps.filter((g) => g.reason === 'worker-restart');
    const restartMs = restart.reduce((a, g) => a + Date.parse(g.end) - Date.parse(g.start), 0);
    const slate = gaps.filter((g) => g.reason === 'camera-slate');
    console.log(
      `hearing ${(wallMs / 1000).toFixed(1)} s wall, ${segs.length} segments, ${(mediaMs / 1000).toFixed(1)} s media; missing ${wallMs - mediaMs} ms (worker-restart gap ${restartMs} ms); slate gaps ${slate.map((g) => Date.parse(g.end) - Date.parse(g.start)).join(', ')} ms`,
    );
    expect(gaps.filter((g) => g.reason === 'disk-full' || g.reason === 'recorder-stopped')).toEqual([]);
    expect(restart.length).toBe(1);
    expect(slate.length).toBeGreaterThanOrEqual(1);
    expect(Math.abs(wallMs - mediaMs - restartMs)).toBeLessThan(2000); // durations add up to the hearing, less the gap
    expect(wallMs - mediaMs).toBeLessThanOrEqual(2500);
  });
});
