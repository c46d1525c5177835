// The room's media path as it runs in the daemon, with no stub in it: createMedia forks the real media
// worker (GStreamer), the recorder writes signed MPEG-TS segments of a local hearing, RTP probes listen
// where the gateway would. Cameras are real RTSP servers (simulators/rtsp-picture, gst-rtsp-server) or
// the worker's local sources (v4l2 device node, or the test picture standing in for one).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApplianceKey, parseManifest, verifyChain, type GapEntry, type SegmentEntry } from '../../common/evidence/index.js';
import { silentLogger } from '../../common/log.js';
import { acquireWriterLock } from '../../common/storage/writer-lock.js';
import { validateConfig } from '../../daemon/config/load-config.js';
import { createEventBus, type MediaEvent, type RecordingEvent } from '../../daemon/modules/events/event-bus.js';
import { createHearings } from '../../daemon/modules/hearings/create-hearings.js';
import { createMedia } from '../../daemon/modules/media/create-media.js';
import { ensureWorkerBuilt } from '../../daemon/modules/media/ensure-built.js';
import { rtpProbe } from '../../daemon/modules/media/rtp-probe.js';
import { createRecorder } from '../../daemon/modules/recorder/create-recorder.js';
import { until } from '../helpers/until.js';

export async function mediaRig(media: Record<string, unknown>) {
  ensureWorkerBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'media-devices-'));
  const [video, audio] = [await rtpProbe(), await rtpProbe()];
  const bus = createEventBus();
  const mediaEvents: (MediaEvent & { at: number })[] = [];
  const recEvents: (RecordingEvent & { at: number })[] = [];
  bus.on('media', (e) => mediaEvents.push({ ...e, at: Date.now() }));
  bus.on('recording', (e) => recEvents.push({ ...e, at: Date.now() }));
  const config = validateConfig({ media: { lossTimeoutMs: 400, videoRtpPort: video.port, audioRtpPort: audio.port, ...media } });
  const writerLock = await acquireWriterLock(join(dir, 'rec'));
  const m = createMedia({ config: config.media, writerLock, room: { name: 'Phòng thử' }, cameras: new Map(), bus, logger: silentLogger() });
  const key = generateApplianceKey();
  const recorder = createRecorder({
    config: { enabled: true, segmentSeconds: 2 },
    recordingsDir: join(dir, 'rec'),
    room: { id: 'room-dev' },
    key: () => key,
    worker: m.worker,
    onAir: () => m.status().source,
    bus,
    logger: silentLogger(),
  });
  const gateway = { summary: () => ({ state: 'down' }), detail: () => null }; // no hub: a local hearing
  const hearings = createHearings({ stateFile: join(dir, 'state', 'hearings.json'), gateway, bus, logger: silentLogger() });
  await m.start();
  await recorder.start();
  await hearings.start();
  await until('worker running', 20_000, () => m.status().state === 'running');
  const startedAt = Date.now();
  const onAirSince = (source: string, t: number) => mediaEvents.find((e) => e.kind === 'source' && e.source === source && e.at >= t);
  return {
    dir,
    /** When the worker first ran. */
    startedAt,
    video,
    audio,
    media: m,
    recorder,
    hearings,
    mediaEvents,
    recEvents,
    onAirSince,
    /** The evidence directory of hearing `id`: manifest checked (chain, signatures), segments and gaps. */
    evidence(id: string) {
      const hdir = join(dir, 'rec', `${id}.room-dev`);
      const { entries, errors } = parseManifest(readFileSync(join(hdir, 'manifest.jsonl'), 'utf8'));
      const report = verifyChain(entries, { publicKeyRaw: key.publicKeyRaw });
      const segs = entries.filter((e): e is SegmentEntry => e.kind === 'segment');
      const gaps = entries.filter((e): e is GapEntry => e.kind === 'gap');
      return { hdir, entries, errors, chainOk: report.firstBad === undefined, segs, gaps, path: (s: SegmentEntry) => join(hdir, s.file) };
    },
    async close() {
      await hearings.stop();
      await recorder.stop();
      await m.stop();
      await video.close();
      await audio.close();
    },
  };
}
export type MediaRig = Awaited<ReturnType<typeof mediaRig>>;

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
}

/** ffprobe's view of a recorded segment: it must open it and name every stream. */
export function probeSegment(file: string): ProbedStream[] {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,profile,width,height', '-of', 'json', file],
    {
      encoding: 'utf8',
    },
  );
  return (JSON.parse(out) as { streams: ProbedStream[] }).streams;
}

/** RMS level (dBFS) of audio stream `index` of a segment, decoded by ffmpeg (astats); -Infinity for digital silence. */
export function audioRmsDb(file: string, index: number): number {
  const r = spawnSync(
    'ffmpeg',
    ['-v', 'info', '-nostats', '-i', file, '-map', `0:a:${index}`, '-af', 'astats=measure_perchannel=none', '-f', 'null', '-'],
    {
      encoding: 'utf8',
    },
  );
  const m = [...r.stderr.matchAll(/RMS level dB: (-?inf|-?[\d.]+)/g)].at(-1);
  if (!m) throw new Error(`ffmpeg found no audio stream ${index} in ${file}: ${r.stderr.slice(-400)}`);
  return m[1].endsWith('inf') ? -Infinity : Number(m[1]);
}

/** The first frame of a segment (a keyframe: segments start on one), 64x36 grayscale, to compare with a camera's picture. */
export function segmentGrayFrame(file: string): Buffer {
  const frame = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-frames:v', '1', '-vf', 'scale=64:36', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
    { maxBuffer: 1 << 20 },
  );
  if (frame.length !== 64 * 36) throw new Error(`ffmpeg decoded no frame from ${file} (${frame.length} bytes)`);
  return frame;
}
