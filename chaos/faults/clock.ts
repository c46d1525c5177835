// Wall-clock jumps for the room's processes (issue 12, part Q), with libfaketime (Debian `faketime`).
//
// The room processes start with `env()` in their environment: LD_PRELOAD of libfaketimeMT (Node and
// GStreamer are multi-threaded) reading the offset from a file the scenario rewrites. So the jump
// really moves what the processes read from the wall clock (Date.now(), gettimeofday, clock_gettime
// CLOCK_REALTIME — and so every child they spawn, gst included), while the monotonic clock
// (performance.now(), timers, GStreamer's pipeline clock) runs on untouched, as on a real box whose
// NTP steps the time or whose RTC was wrong at boot. The offset is re-read at most once a second
// (FAKETIME_CACHE_DURATION=1: reading the file on every call costs the media worker CPU).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian 12's `faketime` package puts the library (amd64, arm64). */
const CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/faketime/libfaketimeMT.so.1',
];

export function findLibfaketime(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export interface ClockFault {
  /** Environment for the processes whose clock this fault moves (pass as ScenarioSetup.roomEnv). */
  env(): Record<string, string>;
  /** Moves their wall clock to real time + `offsetS` seconds (0: back to the real time). Seen within ~1 s. */
  jump(offsetS: number): void;
  offsetS(): number;
  /** The offset file (for the scenario log). */
  readonly file: string;
}

/** The offset as libfaketime reads it from FAKETIME_TIMESTAMP_FILE: "+3600" / "-300" (seconds, relative). */
export function offsetSpec(offsetS: number): string {
  if (!Number.isFinite(offsetS)) throw new Error(`clock offset must be a finite number of seconds, not ${offsetS}`);
  const s = Math.round(offsetS);
  return `${s < 0 ? '-' : '+'}${Math.abs(s)}`;
}

export function createClockFault(dir: string, library = findLibfaketime()): ClockFault {
  if (!library) {
    throw new Error(
      'libfaketime not found — install it: apt-get install faketime: without it the clock scenarios cannot move the processes’ clock',
    );
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'faketime-offset');
  let offset = 0;
  const write = () => writeFileSync(file, `${offsetSpec(offset)}\n`);
  write();
  return {
    file,
    env: () => ({
      LD_PRELOAD: library,
      FAKETIME_TIMESTAMP_FILE: file,
      FAKETIME_CACHE_DURATION: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    }),
    jump(offsetS) {
      offset = offsetS;
      write();
    },
    offsetS: () => offset,
  };
}
