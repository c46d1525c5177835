// Was the camera silent, or were we not running? (issue 12: at load 20–60 on 2 cores the worker's threads
// wait hundreds of ms for a CPU; a fixed lossTimeoutMs then read as a lost camera: slate on air, a false gap
// in the recording). Pure: the clock and the scheduler's figures come in as arguments.
//
// Silence is measured as before, minus the time since the last frame that the worker was not running:
// - a late tick (the event loop did not run: starved, blocked, or SIGSTOPped — a stopped process gathers no
//   run-queue wait, so only the tick gap shows it);
// - run-queue wait (schedstat) of the most starved thread: any thread on the frame path (rtspsrc, depay,
//   appsink, the main thread) that waits holds the frames back. Small waits are a box's normal scheduling
//   noise and the timeout's own margin: only an interval where some thread waited ≥ STARVED_SHARE of it counts.
// Never past the stall cap (max(2 s, 3 × lossTimeoutMs) of plain silence): a real loss on a starved box is
// declared there at the latest, as the rebuild rule always did.

/** Cumulative ns each thread waited on a run queue (tid → ns), as /proc/self/task/<tid>/schedstat field 2. */
export type WaitReading = ReadonlyMap<number, number>;

export const STARVED_SHARE = 0.25;

/** Plain silence after which a camera is lost whatever the excuse, and its pipeline rebuilt. */
export const stallCapMs = (lossTimeoutMs: number) => Math.max(2000, 3 * lossTimeoutMs);

export type Verdict =
  | { judged: false } // a late tick: the frames of that time may wait unread behind it; the next tick decides
  | { judged: true; silentMs: number; excusedMs: number; lost: boolean; stalled: boolean };

/** Time in [0, elapsed] the worker was not running, by the tick gap and by run-queue wait. */
export function notRunningMs(elapsedMs: number, tickMs: number, before?: WaitReading, after?: WaitReading): number {
  const lateMs = elapsedMs > 2 * tickMs ? elapsedMs - tickMs : 0; // a timer a few ms late is no evidence
  let waitMs = 0;
  if (before && after)
    for (const [tid, ns] of after) {
      const was = before.get(tid); // a thread first seen now: its wait may predate the interval
      if (was !== undefined && ns > was) waitMs = Math.max(waitMs, (ns - was) / 1e6);
    }
  if (waitMs < STARVED_SHARE * elapsedMs) waitMs = 0;
  return Math.min(elapsedMs, Math.max(lateMs, waitMs));
}

export function createLivenessJudge(o: { lossTimeoutMs: number; tickMs: number }) {
  const cap = stallCapMs(o.lossTimeoutMs);
  let lastTickAt: number | undefined;
  let lastWait: WaitReading | undefined;
  let frameSeen = 0; // lastFrameAt at the previous tick: a new frame starts a new silence
  let excusedMs = 0;
  let skipped = false;

  /** One tick at `now` (monotonic ms); lastFrameAt: the last frame's time, 0 = none yet; wait: undefined where not read. */
  function tick(now: number, lastFrameAt: number, wait?: WaitReading): Verdict {
    const elapsed = lastTickAt === undefined ? 0 : now - lastTickAt;
    const credit = lastTickAt === undefined ? 0 : notRunningMs(elapsed, o.tickMs, lastWait, wait);
    lastTickAt = now;
    lastWait = wait;
    if (lastFrameAt !== frameSeen) {
      frameSeen = lastFrameAt;
      excusedMs = 0;
    }
    // Only the part of this interval after the last frame excuses silence (spread evenly over it).
    const silentMs = lastFrameAt ? now - lastFrameAt : 0;
    excusedMs += elapsed > 0 ? credit * Math.min(1, silentMs / elapsed) : 0;
    // A tick this late judges nothing (never two in a row: a box late on every tick still sees a silent camera).
    skipped = elapsed > o.lossTimeoutMs / 2 && !skipped;
    if (skipped) return { judged: false };
    if (!lastFrameAt) return { judged: true, silentMs: 0, excusedMs: 0, lost: false, stalled: false }; // the first-frame timeout is the caller's
    const stalled = silentMs > cap;
    return { judged: true, silentMs, excusedMs, lost: stalled || silentMs - excusedMs > o.lossTimeoutMs, stalled };
  }
  return { tick };
}
