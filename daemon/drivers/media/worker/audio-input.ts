import { gst, type Pipeline } from './gst.js';
import type { Logger } from '../../../../common/log.js';
import { backoffDelay } from '../../../../common/supervise/backoff.js';
import { audioInputPipeline } from '../pipelines.js';
import type { MicrophoneLiveness } from '../worker-protocol.js';

// The microphone (alsa) or a test tone, feeding the audio main pipeline over loopback. A missing or
// failing device is retried in the background; meanwhile the audio main pipeline sends silence. Its
// liveness (sound arriving, or the device's error) goes to the daemon with the stats.

const SILENT_MS = 1000; // no buffer this long (10–20 ms each when healthy): no sound
const STALLED_MS = 5000; // opened but silent this long: rebuild

export function createAudioInput(o: { source: 'alsa' | 'test'; alsaDevice: string; port: number; log: Logger }) {
  let pipeline: Pipeline | undefined;
  let generation = 0;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;
  let running = false;
  let builtAt = 0;
  let lastBufferAt = 0;
  let lastCheckAt = 0;
  let skipped = false;
  let lastError: string | undefined;
  const device = o.source === 'alsa' ? o.alsaDevice : undefined;

  function build(): void {
    const gen = ++generation;
    builtAt = performance.now(); // monotonic, as every time here: a wall-clock step is no silence
    try {
      pipeline = new gst.Pipeline(audioInputPipeline(o.source, o.alsaDevice, o.port));
    } catch (err) {
      return fail(gen, String(err));
    }
    pipeline.pollBus((msg) => {
      if (gen === generation && (msg.type === 'error' || msg.type === 'eos'))
        fail(gen, `${msg._src_element_name}: ${msg.message ?? msg.type}`);
    });
    pipeline.play();
    const sink = pipeline.findChild('mic');
    const pull = () =>
      sink?.pull?.((buf) => {
        if (gen !== generation || !buf) return;
        if (!lastBufferAt) o.log.info({ source: o.source, device }, 'microphone: sound arriving');
        lastBufferAt = performance.now();
        attempt = 0; // healthy: the next failure retries fast again
        lastError = undefined;
        pull();
      });
    pull();
  }

  function fail(gen: number, reason: string): void {
    if (gen !== generation || !running) return;
    generation++;
    pipeline?.destroy();
    pipeline = undefined;
    lastBufferAt = 0;
    lastError = device ? `${device}: ${reason}` : reason;
    clearTimeout(retry);
    const delay = backoffDelay(attempt++, 500, 10_000);
    o.log.warn({ source: o.source, device, reason, retryInMs: delay }, 'audio input failed');
    retry = setTimeout(() => running && build(), delay);
  }

  return {
    start() {
      running = true;
      build();
    },
    /** From the worker's tick: a device that opened but stays silent is rebuilt. */
    check(now = performance.now()): void {
      // The worker held up: its sound may wait unread behind this tick; the next one judges (ingest.ts).
      skipped = now - lastCheckAt > SILENT_MS && !skipped;
      lastCheckAt = now;
      if (!skipped && running && pipeline && now - (lastBufferAt || builtAt) > STALLED_MS)
        // No sound ever: the device did not open (gstreamer-superficial drops an error raised while the
        // pipeline is still NULL, see ingest.ts) or it is silent.
        fail(
          generation,
          lastBufferAt
            ? `no sound for ${Math.round(now - lastBufferAt)} ms`
            : `no sound within ${STALLED_MS / 1000} s of opening (device missing, busy or silent)`,
        );
    },
    liveness(now = performance.now()): MicrophoneLiveness {
      const alive = !!lastBufferAt && now - lastBufferAt < SILENT_MS;
      return {
        source: o.source,
        ...(device ? { device } : {}),
        alive,
        lastBufferAgoMs: lastBufferAt ? Math.round(now - lastBufferAt) : null,
        ...(lastError && !alive ? { lastError } : {}),
      };
    },
    stop() {
      running = false;
      clearTimeout(retry);
      generation++;
      pipeline?.destroy();
      pipeline = undefined;
    },
  };
}
