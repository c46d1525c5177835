import type { Logger } from '../../common/log.js';
import { LinkEstimator } from './link-estimator.js';
import { mediaTarget, RateController, type LiveDecision, type RateControllerOptions } from './rate-controller.js';

export interface LiveRateDeps {
  /** e.g. http://127.0.0.1:8080/api/v1/media/live-rate (the daemon tells its media worker). */
  url: string;
  logger: Logger;
  controller?: RateControllerOptions;
  tickMs?: number;
  /** Samples of a new publish connection ignored this long (default 5 s). */
  warmupMs?: number;
  /** While adapted, the decision is sent again this often (a restarted worker starts in passthrough). */
  repeatMs?: number;
  /** Every new decision: the link's rate for video, retransmissions included (the publisher paces video at it). */
  onDecision?: (d: LiveDecision) => void;
  /** Extra figures for the periodic "live link" line (the pacer's). */
  details?: () => unknown;
  /** Every tick's kbit/s the hub received over the last second (the retransmission budget on the full picture). */
  onReceived?: (kbps: number) => void;
}

/**
 * The publish connection's congestion loop: TWCC feedback in (`feedback`), every tick a decision from
 * `RateController`, sent to the daemon when it changes (and repeated while adapted). Never throws: a
 * daemon that is down or older (404) just leaves the picture as it is.
 */
export function createLiveRate(deps: LiveRateDeps) {
  const tickMs = deps.tickMs ?? 500;
  const repeatMs = deps.repeatMs ?? 3000;
  let estimator = new LinkEstimator();
  const warmupMs = deps.warmupMs ?? 5000;
  let since = Date.now();
  let controller = new RateController(deps.controller);
  let sent: { key: string; at: number } = { key: 'full', at: 0 }; // what the daemon was told (the encoder's share)
  let linkKey = 'full'; // what the pacer was told (the link's rate)
  let timer: NodeJS.Timeout | undefined;
  let loggedAt = 0;
  const stallGuard = new StallGuard(tickMs);
  const fed = { reports: 0, packets: 0 };
  const history: { at: number; decision: LiveDecision }[] = [];

  async function post(d: LiveDecision): Promise<void> {
    try {
      const res = await fetch(deps.url, {
        method: 'POST',
        signal: AbortSignal.timeout(1000),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kbps: d.mode === 'full' ? null : d.kbps }),
      });
      if (!res.ok && res.status !== 404) deps.logger.warn({ status: res.status }, 'daemon refused the live rate');
    } catch (err) {
      deps.logger.debug({ err: (err as Error).message }, 'live rate not delivered');
    }
  }

  function tick(): void {
    const now = Date.now();
    if (!stallGuard.judge(performance.now())) return;
    // A fresh connection's first seconds (DTLS done, the hub's first keyframe requests, its event loop
    // busy setting up the leg) show queues and losses that say nothing about the link.
    if (now - since < warmupMs) return;
    const sample = estimator.sample(now);
    if (sample.packets >= 5) deps.onReceived?.(sample.recvKbps);
    const d = controller.tick(sample, now);
    // The encoder gets the link's rate less the retransmissions werift is sending meanwhile.
    const media = mediaTarget(d, sample.rtxKbps, deps.controller?.minKbps);
    // One line every 5 s while adapted, queueing or losing (every minute otherwise): what the controller sees.
    const notable = d.mode === 'adapted' || sample.queueMs > 50 || sample.loss > 0.05;
    if (now - loggedAt >= (notable ? 5000 : 60_000)) {
      loggedAt = now;
      deps.logger.info(
        { decision: d, encoder: media, sample: roundSample(sample), feedback: { ...fed }, pacer: deps.details?.() },
        'live link',
      );
      fed.reports = fed.packets = 0;
    }
    const link = d.mode === 'full' ? 'full' : `${d.kbps}`;
    if (link !== linkKey) deps.onDecision?.(d);
    linkKey = link;
    const key = media.mode === 'full' ? 'full' : `${media.kbps}`;
    if (key === sent.key && (media.mode === 'full' || now - sent.at < repeatMs)) return;
    if ((d.mode === 'full') !== (sent.key === 'full')) {
      deps.logger[d.mode === 'full' ? 'info' : 'warn'](
        { decision: d, sample: roundSample(sample) },
        d.mode === 'full' ? 'link carries the full picture' : 'poor link: live picture adapted',
      );
      history.push({ at: now, decision: d });
      if (history.length > 50) history.shift();
    }
    sent = { key, at: now };
    void post(media);
  }

  return {
    feedback: (packets: Parameters<LinkEstimator['add']>[0]) => {
      fed.reports++;
      fed.packets += packets.length;
      estimator.add(packets, Date.now());
    },
    /** Bytes werift resent for the hub's NACKs (not in the feedback: link-estimator.ts). */
    retransmitted: (bytes: number) => estimator.addRetransmitted(bytes, Date.now()),
    start(): void {
      timer ??= setInterval(tick, tickMs);
    },
    /** A new publish connection: a fresh estimate (the old one's delays and rates say nothing of it); the decision stays. */
    reset(): void {
      estimator = new LinkEstimator();
      since = Date.now();
    },
    stop(): void {
      clearInterval(timer);
      timer = undefined;
      // Leave the worker as a fresh one would be: the full picture.
      if (sent.key !== 'full') void post({ mode: 'full' });
      if (linkKey !== 'full') deps.onDecision?.({ mode: 'full' });
      controller = new RateController(deps.controller);
      sent = { key: 'full', at: 0 };
      linkKey = 'full';
    },
    decision: () => controller.decision,
    history: () => [...history],
  };
}

const roundSample = (s: ReturnType<LinkEstimator['sample']>) => ({
  recvKbps: Math.round(s.recvKbps),
  sendKbps: Math.round(s.sendKbps),
  rtxKbps: Math.round(s.rtxKbps),
  queueMs: Math.round(s.queueMs),
  lossPct: Math.round(s.loss * 1000) / 10,
});
export type LiveRate = ReturnType<typeof createLiveRate>;

/**
 * A tick that fires late means this process's event loop was held up (a loaded box: 0.5–2 s seen in the chaos
 * runs at load 30). Packets it sent meanwhile were stamped before the stall and left after it, so their one-way
 * delay reads as a queue that no link built (seen: a 2230 ms "queue", the picture cut to 124 kbit/s on an
 * uncapped link). No judgement until the feedback window (1 s) holds only packets sent after the stall.
 */
export class StallGuard {
  private last: number | null = null;
  private quietUntil = 0;
  constructor(
    private readonly tickMs: number,
    private readonly lateMs = 300,
    private readonly quietMs = 2000,
  ) {}
  /** Called every tick with a monotonic time: may the sample be judged? */
  judge(nowMs: number): boolean {
    if (this.last !== null && nowMs - this.last > this.tickMs + this.lateMs) this.quietUntil = nowMs + this.quietMs;
    this.last = nowMs;
    return nowMs >= this.quietUntil;
  }
}
