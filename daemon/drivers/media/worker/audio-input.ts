import { gst, type Pipeline } from './gst.js';
import type { Logger } from '../../../../common/log.js';
import { backoffDelay } from '../../../../common/supervise/backoff.js';
import { audioInputPipeline } from '../pipelines.js';

// The microphone (alsa) or a test tone, feeding the audio main pipeline over loopback. A missing or
// failing device is retried in the background; meanwhile the audio main pipeline sends silence.

export function createAudioInput(o: { source: 'alsa' | 'test'; alsaDevice: string; port: number; log: Logger }) {
  let pipeline: Pipeline | undefined;
  let generation = 0;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;
  let running = false;

  function build(): void {
    const gen = ++generation;
    try {
      pipeline = new gst.Pipeline(audioInputPipeline(o.source, o.alsaDevice, o.port));
    } catch (err) {
      return fail(gen, String(err));
    }
    pipeline.pollBus((msg) => {
      if (gen === generation && (msg.type === 'error' || msg.type === 'eos')) fail(gen, msg.message ?? msg.type);
    });
    pipeline.play();
    retry = setTimeout(() => (attempt = 0), 10_000); // healthy for a while: next failure retries fast again
  }

  function fail(gen: number, reason: string): void {
    if (gen !== generation || !running) return;
    generation++;
    pipeline?.stop();
    pipeline = undefined;
    clearTimeout(retry);
    const delay = backoffDelay(attempt++, 500, 10_000);
    o.log.warn({ source: o.source, reason, retryInMs: delay }, 'audio input failed');
    retry = setTimeout(() => running && build(), delay);
  }

  return {
    start() {
      running = true;
      build();
    },
    stop() {
      running = false;
      clearTimeout(retry);
      generation++;
      pipeline?.stop();
      pipeline = undefined;
    },
  };
}
