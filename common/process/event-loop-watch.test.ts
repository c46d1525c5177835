import { describe, expect, it } from 'vitest';
import { watchEventLoop } from './event-loop-watch.js';

describe('watchEventLoop', () => {
  it('sees a loop held up for 250 ms, warns about it and reports it', async () => {
    const warnings: unknown[] = [];
    const logger = { warn: (o: unknown) => warnings.push(o) } as never;
    const watch = watchEventLoop({ logger, windowMs: 400, warnMs: 150 });
    try {
      await new Promise((r) => setTimeout(r, 60)); // the monitor's first tick sets its baseline
      const until = Date.now() + 250;
      while (Date.now() < until); // hold the loop for 250 ms
      await new Promise((r) => setTimeout(r, 450));
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      const seen = Math.max(watch.last().maxMs, ...(warnings as { maxMs: number }[]).map((w) => w.maxMs));
      expect(seen).toBeGreaterThanOrEqual(200);
    } finally {
      watch.stop();
    }
  });
});
