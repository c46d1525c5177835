import { accessSync, constants, statSync } from 'node:fs';
import { gst, type Pipeline } from './gst.js';
import { backoffDelay } from '../../../../common/supervise/backoff.js';
import { annexBNalTypes, NAL } from '../h264-nal.js';
import { parseCameraUri, redactCameraUri } from '../camera-source.js';
import { ingestPipeline } from '../pipelines.js';
import type { SourceLiveness } from '../worker-protocol.js';
import type { Logger } from '../../../../common/log.js';
import { createLivenessJudge, type WaitReading } from './liveness-judge.js';
import { createGopClock } from './gop-clock.js';

// One camera's ingest pipeline. A camera fault only ever destroys this pipeline: it is rebuilt in
// the background with backoff (a stopped pipeline cannot relink rtspsrc's new pads, so no reuse), and the
// old one is freed at once (destroy(): its sockets and eventfds, 4 per attempt, were kept for good before).

export interface IngestOptions {
  name: 'primary' | 'backup';
  uri: string;
  port: number;
  audioPort?: number;
  transcode: 'auto' | 'always' | 'never';
  lossTimeoutMs: number;
  /** The worker's tick period (default 50 ms): a tick much later than this means the worker was not running. */
  tickMs?: number;
  /** This process's run-queue wait per thread (thread-waits.ts); read only while the camera is quiet. */
  threadWaits?: () => WaitReading | undefined;
  log: Logger;
  /** Every access unit, after the counters are updated. */
  onFrame(keyframe: boolean): void;
  /** The camera went silent or came back. */
  onAlive(alive: boolean, reason: string): void;
}

const FIRST_FRAME_TIMEOUT_MS = 5000; // RTSP connect + SETUP + first access unit
const REASON_WAIT_MS = 200;
const RETRY_MAX_MS = 5000;

export function createIngest(o: IngestOptions) {
  let pipeline: Pipeline | undefined;
  let generation = 0; // callbacks of a destroyed pipeline see a stale generation and do nothing
  let uriProblem: string | undefined; // a URI the worker cannot use: a config error, never retried
  let local = false; // v4l2 / test picture: raw or MJPEG frames, always encoded here
  let device: string | undefined;
  try {
    const source = parseCameraUri(o.uri);
    local = source.kind !== 'rtsp';
    if (source.kind === 'v4l2') device = source.device;
  } catch (err) {
    uriProblem = err instanceof Error ? err.message : String(err);
  }
  const uri = redactCameraUri(o.uri);
  let transcoding = o.transcode === 'always' || local;
  let lastError: string | undefined;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;
  let startedAt = 0;
  let lastFrameAt = 0;
  const tickMs = o.tickMs ?? 50;
  const judge = createLivenessJudge({ lossTimeoutMs: o.lossTimeoutMs, tickMs });
  let alive = false;
  let running = false;
  let profile: string | undefined; // the camera's own (kept when auto switches to transcoding)
  const fpsWindow: number[] = []; // frame times of the last second
  let bytes = 0;
  const gop = createGopClock();

  function build(): void {
    const gen = ++generation;
    const missing = deviceProblem();
    if (missing) return void fail(gen, missing);
    startedAt = performance.now();
    lastFrameAt = 0;
    gop.restart();
    try {
      pipeline = new gst.Pipeline(ingestPipeline({ uri: o.uri, port: o.port, audioPort: o.audioPort, transcode: transcoding }));
    } catch (err) {
      return fail(gen, `pipeline: ${String(err)}`);
    }
    const p = pipeline;
    p.pollBus((msg) => {
      if (gen !== generation) return;
      if (msg.type === 'error') fail(gen, `${msg._src_element_name}: ${msg.message ?? 'error'}`);
      else if (msg.type === 'eos') fail(gen, 'end of stream');
    });
    p.play();
    const sink = p.findChild('frames');
    const pull = () =>
      sink?.pull?.((buf, caps) => {
        if (gen !== generation) return;
        // The sink empties as the pipeline errors: give the bus a moment to say why.
        if (!buf) return void setTimeout(() => fail(gen, 'stream ended'), REASON_WAIT_MS);
        onSample(gen, buf, caps);
        pull();
      });
    pull();
  }

  // gstreamer-superficial stops polling the bus while the pipeline is in NULL, so a device that fails to
  // open (NULL → READY) is never reported there: look at the node first, say what is wrong with it.
  function deviceProblem(): string | undefined {
    if (!local || !device) return undefined;
    try {
      if (!statSync(device).isCharacterDevice()) return `${device} is not a video device`;
      accessSync(device, constants.R_OK | constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return `${device} does not exist (camera unplugged?)`;
      if (code === 'EACCES') return `${device}: permission denied (the daemon's user needs the video group)`;
      return `${device}: ${String(err)}`;
    }
    return undefined;
  }

  function onSample(gen: number, buf: Buffer, caps: Record<string, unknown>): void {
    const now = performance.now();
    if (!lastFrameAt) {
      if (profile === undefined || !transcoding || local) profile = typeof caps.profile === 'string' ? caps.profile : undefined;
      o.log.info({ camera: o.name, uri, profile, width: caps.width, height: caps.height, transcoding }, 'first frame');
      // Passthrough is only safe for what every WebRTC receiver decodes: constrained-baseline.
      if (o.transcode === 'auto' && !transcoding && profile !== 'constrained-baseline') {
        transcoding = true;
        o.log.warn({ camera: o.name, profile }, 'camera profile is not constrained-baseline: transcoding');
        return void rebuildNow(gen);
      }
      attempt = 0;
      lastError = undefined;
    }
    lastFrameAt = now;
    bytes += buf.length;
    fpsWindow.push(now);
    while (fpsWindow.length && fpsWindow[0] < now - 1000) fpsWindow.shift();
    const key = annexBNalTypes(buf).includes(NAL.IDR);
    gop.frame(key);
    if (!alive) setAlive(true, 'frames arriving');
    o.onFrame(key);
  }

  function setAlive(v: boolean, reason: string): void {
    if (alive === v) return;
    alive = v;
    o.onAlive(v, reason);
  }

  function teardown(): void {
    generation++;
    pipeline?.destroy(); // NULL, ends its bus poll and pending pull, frees it
    pipeline = undefined;
  }

  function fail(gen: number, reason: string): void {
    if (gen !== generation || !running) return;
    teardown();
    lastError = `${uri}: ${reason}`;
    setAlive(false, reason);
    const delay = backoffDelay(attempt++, 250, RETRY_MAX_MS);
    o.log.warn({ camera: o.name, uri, reason, retryInMs: delay, attempt }, 'camera ingest failed');
    retry = setTimeout(() => running && build(), delay);
  }

  function rebuildNow(gen: number): void {
    if (gen !== generation) return;
    teardown();
    build();
  }

  /**
   * Called by the worker's tick: silence past lossTimeoutMs means lost, not counting the time the worker itself
   * was not running (liveness-judge.ts); plain silence past the stall cap means lost and rebuild. Monotonic
   * clock (performance.now), as every time here: a wall-clock step (NTP, RTC) is neither silence nor frames.
   */
  function check(now = performance.now()): void {
    // Frames flowing: no need to read the scheduler's figures (a quiet gap this short excuses nothing anyway).
    const quiet = running && !!pipeline && lastFrameAt > 0 && now - lastFrameAt > 2 * tickMs;
    const v = judge.tick(now, lastFrameAt, quiet ? o.threadWaits?.() : undefined);
    if (!running || !pipeline || !v.judged) return;
    if (!lastFrameAt) return void (now - startedAt > FIRST_FRAME_TIMEOUT_MS && fail(generation, 'no first frame'));
    if (v.lost && alive) {
      const excused = v.excusedMs >= 1 ? ` (${Math.round(v.excusedMs)} ms of it the worker was not running)` : '';
      setAlive(false, `no frames for ${Math.round(v.silentMs)} ms${excused}`);
    }
    if (v.stalled) fail(generation, 'stalled');
  }

  return {
    name: o.name,
    start() {
      running = true;
      if (!uriProblem) return build();
      lastError = uriProblem;
      o.log.error({ camera: o.name, problem: uriProblem }, 'camera not started');
    },
    stop() {
      running = false;
      clearTimeout(retry);
      teardown();
      alive = false;
    },
    check,
    get alive() {
      return alive;
    },
    get transcoding() {
      return transcoding;
    },
    /** True when, going by the measured GOP, the next access unit should be an IDR. */
    idrDue(): boolean {
      return gop.idrDue();
    },
    /** Transcode only: the camera's own GOP decides in passthrough. */
    forceKeyframe(): boolean {
      if (!transcoding || !pipeline) return false;
      pipeline.forceKeyUnit('enckey', 1);
      return true;
    },
    /** bytes since the last call, for the bitrate. */
    takeBytes(): number {
      const b = bytes;
      bytes = 0;
      return b;
    },
    liveness(now = performance.now()): SourceLiveness {
      while (fpsWindow.length && fpsWindow[0] < now - 1000) fpsWindow.shift();
      return {
        alive,
        lastFrameAgoMs: lastFrameAt ? Math.round(now - lastFrameAt) : null,
        fps: fpsWindow.length,
        mode: profile === undefined && !transcoding ? undefined : transcoding ? 'transcode' : 'passthrough',
        profile,
        ...(lastError && !alive ? { lastError } : {}),
      };
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;
