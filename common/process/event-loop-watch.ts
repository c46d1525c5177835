import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from '../log.js';

// How late this process's event loop runs. The hub and the gateway answer werift's ICE consent
// checks on it, and werift gives an answer 500 ms on loopback: a loop held up longer than that for
// ~30 s fails the WebRTC connection. Measured (docs/PERFORMANCE.md, media path §4): a 2-core box running 3 rooms, the hub
// and a browser at 100 % CPU reaches that. Operators see it in /metrics and /state and in the log.

export interface LoopDelay {
  /** 99th percentile and worst delay in the last closed window, ms. */
  p99Ms: number;
  maxMs: number;
}

export interface EventLoopWatch {
  last(): LoopDelay;
  stop(): void;
}

/** Samples every 20 ms; closes a window every `windowMs`; warns (once per window) past `warnMs`. */
export function watchEventLoop(opts: { logger: Logger; windowMs?: number; warnMs?: number }): EventLoopWatch {
  const histogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  const warnMs = opts.warnMs ?? 400;
  let last: LoopDelay = { p99Ms: 0, maxMs: 0 };
  const timer = setInterval(() => {
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    last = { p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
    histogram.reset();
    if (last.maxMs > warnMs) {
      opts.logger.warn(last, `event loop held up ${last.maxMs} ms: WebRTC consent checks fail past 500 ms; is the machine overloaded?`);
    }
  }, opts.windowMs ?? 10_000);
  timer.unref();
  return {
    last: () => last,
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
