import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import type { Ingest } from './worker/ingest.js';
import type { Outputs } from './worker/outputs.js';
import { createSwitcher } from './worker/switcher.js';
import type { VideoSource } from './worker-protocol.js';

// Issue 12 (clock faults): the switcher waits at most 2.5 s for a passthrough camera's GOP boundary before
// putting it on air anyway. That deadline was on the wall clock: a step back (NTP, RTC, −5 min) held the
// camera off air for minutes, a step forward put it on air at once, mid-GOP. Only Date is stepped here;
// the monotonic clock (performance.now) moves with the fake timers.

afterEach(() => void vi.useRealTimers());

function rig() {
  vi.useFakeTimers({ toFake: ['Date', 'performance'], now: new Date('2026-12-03T08:00:00Z') });
  const onAir: VideoSource[] = [];
  const outputs = { select: (s: VideoSource) => onAir.push(s), slateKeyframe: () => undefined } as unknown as Outputs;
  // A passthrough camera whose GOP is not known yet: it cannot force a keyframe, no IDR is due.
  const primary = { alive: false, forceKeyframe: () => false, idrDue: () => false } as unknown as Ingest & { alive: boolean };
  const switcher = createSwitcher({ outputs, cameras: { primary }, log: silentLogger(), onSwitch: () => undefined });
  primary.alive = true;
  switcher.evaluate(); // pending: the primary waits for its GOP boundary
  expect(switcher.onAir).toBe('slate');
  return { switcher, onAir };
}

describe('switcher deadline and the wall clock', () => {
  it('a step back of 5 min does not hold the camera off air: on air 2.5 s later all the same', () => {
    const { switcher, onAir } = rig();
    const mono = performance.now();
    vi.setSystemTime(Date.now() - 300_000);
    expect(performance.now()).toBe(mono); // only the wall clock stepped
    vi.advanceTimersByTime(2400);
    switcher.evaluate();
    expect(switcher.onAir).toBe('slate');
    vi.advanceTimersByTime(200);
    switcher.evaluate();
    expect(switcher.onAir).toBe('primary');
    expect(onAir).toEqual(['primary']);
  });

  it('a step forward of 1 h does not cut the wait short (no switch mid-GOP)', () => {
    const { switcher, onAir } = rig();
    vi.setSystemTime(Date.now() + 3_600_000);
    switcher.evaluate();
    expect(switcher.onAir).toBe('slate');
    vi.advanceTimersByTime(2600);
    switcher.evaluate();
    expect(onAir).toEqual(['primary']);
  });
});
