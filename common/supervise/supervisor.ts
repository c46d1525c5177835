import { errorMessage } from '../errors.js';
import { TypedEmitter } from './emitter.js';
import { type RetryDecision, Retries, type RetryPolicy } from './retries.js';

// Supervise by replacing (ARCHITECTURE.md): build a link, use it until it is lost, then build a fresh
// one after a backoff pause, never more than maxRestartsPerMinute. Counters and typed events tell the
// owner what happened; the owner logs, maps to its own health and decides what "healthy" means.
// No Node imports: the kiosk page uses it in the browser.

export const SUPERVISOR_STATES = ['stopped', 'building', 'up', 'waiting'] as const;
export type SupervisorState = (typeof SUPERVISOR_STATES)[number];

export interface BuildContext {
  /** Builds started so far, this one included (1 = the first). */
  attempt: number;
  /** The built link is gone (socket closed, port unplugged): rebuild after the backoff. Stale calls are ignored. */
  lost(reason: string): void;
}

export interface SupervisorOptions<R> extends RetryPolicy {
  /** Opens the link; throwing (or rejecting) counts as a failed attempt. */
  build(ctx: BuildContext): R | Promise<R>;
  /** Closes a link on stop, or one that was built after stop. */
  dispose?(link: R): void | Promise<void>;
  /** A successful build resets the consecutive failures (default). False: only healthy() does. */
  healthyOnBuild?: boolean;
  /**
   * A cheap look at the far end while waiting (e.g. one HTTP request to the hub): true = it answers.
   * Probed every `probeEveryMs` during the backoff pause; the far end answering after it did not (a link
   * back after a blackout, a restarted server listening again) is a sign of life: signOfLife().
   * Only a change counts, so a server that answers yet refuses the link does not make retries spin.
   */
  probe?: () => Promise<boolean>;
  /** Default 500 ms. A new probe starts every probeEveryMs even while earlier ones wait for their answer. */
  probeEveryMs?: number;
}

/**
 * Probes in flight at once. Overlapping, not one after the other: a probe whose SYN was lost in a blackout, or
 * a freshly restarted hub slow to answer on a loaded box (seen: 1.5–3 s), must not hold up the next one.
 */
const PROBES_IN_FLIGHT = 4;

export interface SupervisorStats {
  state: SupervisorState;
  /** Epoch ms of the last state change. */
  since: number;
  attempts: number;
  /** Rebuilds scheduled after a failure or a lost link. */
  restarts: number;
  /** Failures since the last healthy moment (drives the backoff). */
  consecutiveFailures: number;
  lastReason?: string;
  /** Epoch ms of the next attempt while waiting. */
  nextAttemptAt?: number;
}

export interface SupervisorEvents<R> {
  state: [state: SupervisorState, reason: string | undefined];
  up: [link: R, attempt: number];
  /** A failure or a lost link; the next attempt is due in delayMs. */
  retry: [info: RetryDecision & { attempt: number }];
  /** signOfLife(): the backoff was reset (and a pending pause cut short). */
  life: [reason: string];
}

export type Supervisor<R> = ReturnType<typeof createSupervisor<R>>;

export function createSupervisor<R>(o: SupervisorOptions<R>) {
  const events = new TypedEmitter<SupervisorEvents<R>>();
  const retries = new Retries(o);
  const s = { state: 'stopped' as SupervisorState, since: Date.now(), attempts: 0, nextAttemptAt: undefined as number | undefined };
  let link: R | undefined;
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let rateUntil = 0;
  let firstSettled: (() => void) | undefined;
  let probeTimer: ReturnType<typeof setTimeout> | undefined;
  let probesInFlight = 0;
  let probeSeq = 0;
  /** The newest probe that got an answer: an older one failing later says nothing new. */
  let lastAnsweredSeq = 0;
  /** The probe failed since the link last worked: its next success is a sign of life. */
  let unreachableSeen = false;

  const setState = (state: SupervisorState, reason?: string) => {
    if (state === s.state) return;
    s.state = state;
    s.since = Date.now();
    if (state === 'waiting') scheduleProbe(0);
    else clearTimeout(probeTimer);
    events.emit('state', state, reason);
  };

  function scheduleProbe(ms: number): void {
    clearTimeout(probeTimer);
    if (!o.probe || s.state !== 'waiting') return;
    probeTimer = setTimeout(() => {
      void probeOnce();
      scheduleProbe(o.probeEveryMs ?? 500);
    }, ms);
  }

  async function probeOnce(): Promise<void> {
    if (!o.probe || probesInFlight >= PROBES_IN_FLIGHT) return;
    probesInFlight++;
    const seq = ++probeSeq;
    let answers = false;
    try {
      answers = await o.probe();
    } catch {
      answers = false;
    }
    probesInFlight--;
    if (!answers) {
      if (seq > lastAnsweredSeq) unreachableSeen = true;
      return;
    }
    lastAnsweredSeq = Math.max(lastAnsweredSeq, seq);
    if (unreachableSeen) {
      unreachableSeen = false;
      signOfLife('the far end answers again');
    }
  }

  /** Reachable again: the backoff starts afresh and a pending pause ends now (never the rate limit). */
  function signOfLife(reason = 'sign of life'): void {
    retries.healthy();
    events.emit('life', reason);
    if (s.state === 'waiting') retryNow();
  }

  function retryNow(): void {
    if (s.state !== 'waiting') return;
    const ms = Math.max(0, rateUntil - Date.now());
    s.nextAttemptAt = Date.now() + ms;
    schedule(ms);
  }

  async function attempt(): Promise<void> {
    timer = undefined;
    s.nextAttemptAt = undefined;
    const gen = ++generation;
    const n = ++s.attempts;
    let lostEarly: string | undefined;
    const ctx: BuildContext = {
      attempt: n,
      lost: (reason) => {
        if (gen !== generation || s.state === 'stopped') return;
        if (s.state === 'building') lostEarly ??= reason;
        else if (s.state === 'up') fail(reason);
      },
    };
    setState('building');
    if (gen !== generation) return settleFirst(); // a state listener stopped it
    let built: R;
    try {
      built = await o.build(ctx);
    } catch (err) {
      if (gen === generation && s.state === 'building') fail(errorMessage(err));
      return settleFirst();
    }
    if (gen !== generation || s.state !== 'building') {
      await o.dispose?.(built); // stopped (or restarted) meanwhile
      return settleFirst();
    }
    link = built;
    if (o.healthyOnBuild !== false) retries.healthy();
    setState('up');
    events.emit('up', built, n);
    if (lostEarly !== undefined) fail(lostEarly);
    settleFirst();
  }

  function settleFirst(): void {
    firstSettled?.();
    firstSettled = undefined;
  }

  function fail(reason: string): void {
    link = undefined;
    generation++; // the lost link's late calls are ignored from now on
    const now = Date.now();
    const d = retries.failed(reason, now);
    rateUntil = now + d.floorMs;
    s.nextAttemptAt = now + d.delayMs;
    setState('waiting', reason);
    events.emit('retry', { ...d, attempt: s.attempts });
    schedule(d.delayMs);
  }

  function schedule(ms: number): void {
    clearTimeout(timer);
    if (s.state !== 'waiting') return;
    timer = setTimeout(() => void attempt(), ms);
  }

  return {
    events,
    /** Starts building; resolves once the first attempt succeeded or failed (retries go on). */
    start(): Promise<void> {
      if (s.state !== 'stopped') return Promise.resolve();
      const settled = new Promise<void>((r) => (firstSettled = r));
      void attempt();
      return settled;
    },
    async stop(): Promise<void> {
      clearTimeout(timer);
      clearTimeout(probeTimer);
      timer = undefined;
      generation++;
      s.nextAttemptAt = undefined;
      const old = link;
      link = undefined;
      setState('stopped');
      settleFirst();
      if (old !== undefined) await o.dispose?.(old);
    },
    /** The current link is gone; same as the lost() its build was given. */
    lost(reason: string): void {
      if (s.state === 'up') fail(reason);
    },
    /** The link works (e.g. media flows, or up long enough): the next failure starts the backoff afresh. */
    healthy(): void {
      if (s.state !== 'up') return;
      retries.healthy();
      unreachableSeen = false;
    },
    /** Someone needs the link now: skip the rest of the backoff pause (never the rate limit). */
    retryNow,
    /**
     * Any sign that the far end is there again (an HTTP answer, an ICE consent answer, the probe):
     * the consecutive failures are forgotten (the next pause is baseMs) and a pending pause ends now.
     */
    signOfLife,
    /** The built link while up. */
    get link(): R | undefined {
      return link;
    },
    get state(): SupervisorState {
      return s.state;
    },
    stats(): SupervisorStats {
      const { restarts, consecutiveFailures, lastReason } = retries;
      return { ...s, restarts, consecutiveFailures, ...(lastReason === undefined ? {} : { lastReason }) };
    },
  };
}
