import { readFileSync } from 'node:fs';

// When is a silent media worker dead? The soak (issue 12) saw the daemon kill its worker 9 times for 5 s
// without stats at load 40–85 on 2 cores: the worker was alive, starved of CPU, not hung. A late answer is
// no dead worker while its main thread (the one that sends stats) is running or waiting for a CPU; a hung
// one sleeps (blocked in a native call, a deadlock) and is killed after silenceMs as before. A busy-looping
// one looks starved: it is killed at hardMs. All on the monotonic clock.

/** Linux /proc/<pid>/task/<pid>/schedstat: ns on a CPU, ns waiting on a run queue (the main thread). */
export interface Sched {
  runNs: number;
  waitNs: number;
}

export function readSched(pid: number): Sched | undefined {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return Number.isFinite(run) && Number.isFinite(wait) ? { runNs: run, waitNs: wait } : undefined;
  } catch {
    return undefined; // gone, or no schedstat (another OS): silence alone decides
  }
}

type Verdict = { kind: 'ok' } | { kind: 'late'; silentMs: number; busyShare: number } | { kind: 'dead'; silentMs: number; why: string };

interface SilenceJudgeOptions {
  silenceMs: number;
  /** Silent this long is dead, however busy. */
  hardMs: number;
  /** How often check() is called; a call much later than that means the daemon itself was held up. */
  everyMs: number;
  /** Share of the silent time the main thread ran or waited to run, from which it counts as starved. */
  minBusyShare?: number;
  read?: (pid: number) => Sched | undefined;
  now?: () => number;
}

export function createSilenceJudge(o: SilenceJudgeOptions) {
  const now = o.now ?? (() => performance.now());
  const read = o.read ?? readSched;
  const minBusy = o.minBusyShare ?? 0.25;
  let lastMessageAt = now();
  let lastCheckAt = now();
  let ref: { at: number; sched: Sched } | undefined; // the main thread's counters while it still talked

  return {
    /** A message from the worker (or a new worker): alive. */
    heard(): void {
      lastMessageAt = now();
      ref = undefined;
    },
    check(pid: number): Verdict {
      const t = now();
      const tickGap = t - lastCheckAt;
      lastCheckAt = t;
      const silentMs = t - lastMessageAt;
      if (silentMs < o.silenceMs) {
        if (silentMs >= o.everyMs) ref ??= sampled(pid, t); // silent a while: its counters from here
        return { kind: 'ok' };
      }
      if (silentMs >= o.hardMs) return { kind: 'dead', silentMs, why: `no stats for ${Math.round(silentMs)} ms` };
      // This check itself ran late: the daemon was held up and the worker's messages may wait unread behind it.
      if (tickGap > o.everyMs + 1000) return { kind: 'late', silentMs, busyShare: Number.NaN };
      const cur = read(pid);
      if (!cur) return { kind: 'dead', silentMs, why: `no stats for ${o.silenceMs} ms` };
      if (!ref) {
        ref = { at: t, sched: cur }; // no counters from before: measure from now, judge at the next check
        return { kind: 'late', silentMs, busyShare: Number.NaN };
      }
      const from = ref;
      const busyNs = cur.runNs - from.sched.runNs + (cur.waitNs - from.sched.waitNs);
      const busyShare = busyNs / 1e6 / Math.max(1, t - from.at);
      if (busyShare >= minBusy) return { kind: 'late', silentMs, busyShare };
      return { kind: 'dead', silentMs, why: `no stats for ${o.silenceMs} ms` };
    },
  };

  function sampled(pid: number, at: number): { at: number; sched: Sched } | undefined {
    const sched = read(pid);
    return sched ? { at, sched } : undefined;
  }
}
