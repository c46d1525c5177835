// Bench helper: a room's media worker (createMedia → worker supervisor → forked dist/ worker), in this
// process, optionally with the recorder and a local hearing, as daemon/modules/recorder/recorder.test.ts
// drives them. Each rig has its own RTP ports; several rigs can share one RTSP camera.
import { acquireWriterLock } from '../../common/storage/writer-lock.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateApplianceKey, parseManifest, type GapEntry, type SegmentEntry } from '../../common/evidence/index.js';
import { silentLogger } from '../../common/log.js';
import { validateConfig } from '../../daemon/config/load-config.js';
import { createEventBus, type RecordingEvent } from '../../daemon/modules/events/event-bus.js';
import { createHearings } from '../../daemon/modules/hearings/create-hearings.js';
import { createMedia } from '../../daemon/modules/media/create-media.js';
import { rtpProbe } from '../../daemon/modules/media/rtp-probe.js';
import { createRecorder } from '../../daemon/modules/recorder/create-recorder.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { until } from '../../tests/helpers/until.js';

/** One remote participant: an Opus tone into remote slot 0, as the gateway would forward it. */
export function remoteTone(port: number): ChildProcess {
  return spawn(
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
      `port=${port}`,
    ],
    { stdio: 'ignore' },
  );
}

export async function mediaRig(o: { rtspUri: string; dir: string; record: boolean; segmentSeconds?: number; name?: string }) {
  const [video, audio] = [await rtpProbe(), await rtpProbe()];
  const remotePort = await freePort();
  const bus = createEventBus();
  const events: RecordingEvent[] = [];
  bus.on('recording', (e) => events.push(e));
  const config = validateConfig({
    media: { rtspUri: o.rtspUri, videoRtpPort: video.port, audioRtpPort: audio.port, remoteAudioRtpPort: remotePort },
  });
  const writerLock = o.record ? await acquireWriterLock(join(o.dir, 'rec')) : undefined;
  const media = createMedia({
    config: config.media,
    writerLock,
    room: { name: o.name ?? 'Bench room' },
    cameras: new Map(),
    bus,
    logger: silentLogger(),
  });
  const key = generateApplianceKey();
  const recorder = o.record
    ? createRecorder({
        config: { enabled: true, segmentSeconds: o.segmentSeconds ?? 2 },
        recordingsDir: join(o.dir, 'rec'),
        room: { id: 'room-bench' },
        key: () => key,
        worker: media.worker,
        onAir: () => media.status().source,
        bus,
        logger: silentLogger(),
      })
    : undefined;
  const gateway = { summary: () => ({ state: 'down' }), detail: () => null }; // no hub: a local hearing
  const hearings = o.record
    ? createHearings({ stateFile: join(o.dir, 'state', 'hearings.json'), gateway, bus, logger: silentLogger() })
    : undefined;
  await media.start();
  await recorder?.start();
  await hearings?.start();
  await until('worker running', 15_000, () => media.status().state === 'running');
  await until('primary on air', 15_000, () => media.status().source === 'primary');
  return {
    media,
    recorder,
    hearings,
    events,
    video,
    audio,
    remotePort,
    hearingDir: (id: string) => join(o.dir, 'rec', `${id}.room-bench`),
    async stop() {
      await hearings?.stop();
      await recorder?.stop();
      await media.stop();
      await video.close();
      await audio.close();
    },
  };
}

/** The hearing's manifest: segments, gaps, wall clock (first segment → close, as recorder.test.ts; and open → close). */
export function manifestSummary(dir: string) {
  const { entries, errors } = parseManifest(readFileSync(join(dir, 'manifest.jsonl'), 'utf8'));
  const segs = entries.filter((e): e is SegmentEntry => e.kind === 'segment');
  const gaps = entries.filter((e): e is GapEntry => e.kind === 'gap');
  const close = entries.find((e) => e.kind === 'close') as { end: string } | undefined;
  const open = entries.find((e) => e.kind === 'open') as { start: string } | undefined;
  const endMs = close ? Date.parse(close.end) : NaN;
  const mediaMs = segs.reduce((a, s) => a + s.durationMs, 0);
  const bytes = segs.reduce((a, s) => a + s.bytes, 0);
  return {
    errors: errors.length,
    segments: segs.length,
    bytes,
    mediaMs,
    wallMs: endMs - Date.parse(segs[0]!.start),
    wallFromOpenMs: open ? endMs - Date.parse(open.start) : NaN,
    gaps: gaps.map((g) => ({ reason: g.reason, ms: Date.parse(g.end) - Date.parse(g.start) })),
    segs,
  };
}
