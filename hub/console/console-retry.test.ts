import { describe, expect, it } from 'vitest';
// @ts-expect-error plain browser JS module, no types
import { reconnectDelayMs } from './console-retry.js';

// Chaos kill-hub: the console waited a fixed 2 s after its socket dropped, up to 2 s more for an officer after
// a hub that was back in 1.5–3.4 s.
describe('console reconnect delay', () => {
  it('asks again soon after a drop, then every 2 s at most', () => {
    expect([0, 1, 2, 3, 4, 10, 50].map((n) => reconnectDelayMs(n))).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000]);
  });
});
