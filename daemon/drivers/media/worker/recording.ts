import { gst, type Pipeline } from './gst.js';
import type { Logger } from '../../../../common/log.js';
import { backoffDelay } from '../../../../common/supervise/backoff.js';
import { recordingPipeline, REMOTE_AUDIO_SLOTS, segmentIndex } from '../recording-pipeline.js';
import type { RecordingMessage, RecordRequest } from '../worker-protocol.js';

// The worker's recording pipeline (see recording-pipeline.ts). It reports every segment the
// splitmuxsink opens and closes; an error (disk full) ends only this pipeline, which retries from the
// next index with backoff while the on-air stream goes on.

export interface RecordingOptions {
  ports: { video: number; audio: number };
  remoteAudioRtpPort: number;
  log: Logger;
  send(msg: RecordingMessage): void;
  /** Called once the pipeline plays, so the source on air can send a keyframe (the file starts with one). */
  onStarted(): void;
}

const EOS_TIMEOUT_MS = 1500; // the daemon's stop() kills the worker after 2 s

export function createRecording(o: RecordingOptions) {
  let pipeline: Pipeline | undefined;
  let req: RecordRequest | undefined;
  let generation = 0;
  let nextIndex = 0;
  let openFile: { file: string; start: string } | null = null; // the newest; a disk error truncates this one
  const starts = new Map<string, string>(); // async finalize: N closes after N+1 opened
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;
  let eosWaiter: (() => void) | undefined; // one pollBus per pipeline: finish() waits through this
  const remotePorts = o.remoteAudioRtpPort ? Array.from({ length: REMOTE_AUDIO_SLOTS }, (_, i) => o.remoteAudioRtpPort + i) : [];

  function build(): void {
    if (!req) return;
    const r = req;
    const gen = ++generation;
    let p: Pipeline;
    try {
      p = new gst.Pipeline(
        recordingPipeline({
          videoPort: o.ports.video,
          audioPort: o.ports.audio,
          remotePorts,
          dir: r.dir,
          startIndex: nextIndex,
          segmentSeconds: r.segmentSeconds,
        }),
      );
    } catch (err) {
      return fail(gen, 'pipeline', String(err));
    }
    pipeline = p;
    const playWall = Date.now(); // running time 0 ≈ now: the live pipeline picks its base time on play
    const wall = (rt: unknown) => new Date(playWall + Number(rt) / 1e6).toISOString();
    p.pollBus((msg) => {
      if (msg.type === 'eos') return eosWaiter?.();
      if (gen !== generation && msg.type !== 'element') return;
      if (msg.type === 'element' && msg.name === 'splitmuxsink-fragment-opened') {
        const file = String(msg.location);
        openFile = { file, start: wall(msg['running-time']) };
        starts.set(file, openFile.start);
        nextIndex = (segmentIndex(file) ?? nextIndex) + 1;
        o.send({ type: 'segment-opened', hearing: r.hearing, ...openFile });
      } else if (msg.type === 'element' && msg.name === 'splitmuxsink-fragment-closed') {
        const file = String(msg.location);
        const start = starts.get(file) ?? wall(msg['running-time']);
        starts.delete(file);
        if (openFile?.file === file) openFile = null;
        attempt = 0;
        o.send({ type: 'segment-closed', hearing: r.hearing, file, start, end: wall(msg['running-time']) });
      } else if (msg.type === 'error' && gen === generation) {
        fail(gen, msg._src_element_name, msg.message ?? 'error');
      }
    });
    p.play();
    o.onStarted();
    o.log.info({ hearing: r.hearing, dir: r.dir, startIndex: nextIndex }, 'recording');
  }

  function fail(gen: number, element: string, message: string): void {
    if (gen !== generation || !req) return;
    generation++;
    pipeline?.destroy();
    pipeline = undefined;
    const delay = backoffDelay(attempt++, 1000, 10_000);
    o.log.error(
      { element, message, file: openFile?.file, retryInMs: delay },
      'recording pipeline failed: the stream goes on, recording retries',
    );
    o.send({ type: 'record-error', hearing: req.hearing, file: openFile?.file ?? null, element, message, retryInMs: delay });
    openFile = null; // never reopened: the retry starts at the next index, the daemon sets this file aside
    clearTimeout(retry);
    retry = setTimeout(build, delay);
  }

  /** EOS so splitmuxsink closes (and reports) the last segment, then NULL. */
  async function finish(): Promise<void> {
    clearTimeout(retry);
    const p = pipeline;
    const r = req;
    req = undefined;
    pipeline = undefined;
    if (!p || !r) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, EOS_TIMEOUT_MS);
      eosWaiter = () => (clearTimeout(t), resolve());
      p.sendEOS();
    });
    eosWaiter = undefined;
    generation++;
    p.destroy();
    openFile = null;
    o.send({ type: 'record-stopped', hearing: r.hearing });
  }

  return {
    async record(r: RecordRequest): Promise<void> {
      if (req) await finish();
      req = r;
      nextIndex = r.startIndex;
      attempt = 0;
      build();
    },
    stop: finish,
    get recording() {
      return !!req;
    },
  };
}
