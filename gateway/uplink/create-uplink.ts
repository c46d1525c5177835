import type { Logger } from '../../common/log.js';
import type { HearingInfo, HubMessage } from '../../common/contracts/signaling/messages.js';
import { createSupervisor, type BuildContext } from '../../common/supervise/supervisor.js';
import type { GatewayStatus } from '../../common/contracts/gateway-state.js';
import { GatewayStateTracker } from '../gateway-state.js';
import { SignalConnection } from '../signaling/signal-connection.js';
import { createHubProbe } from '../signaling/hub-probe.js';
import type { KeyframeRequester } from './keyframe-requester.js';
import { createLiveRate } from './live-rate.js';
import { Publisher } from './publisher.js';
import type { RtpSource } from './rtp-source.js';
import { Subscriptions } from './subscriptions.js';
import { HubIce } from '../peer/peer-config-ice.js';

export interface UplinkDeps {
  hubUrl: string;
  /** STUN servers for the hub link (config gateway.stunUrls). */
  stunUrls?: string[];
  roomId: string;
  roomName: string;
  /** The room's credential: its enrollment's token ('' when not enrolled: the hub refuses it). */
  token: string;
  /** TLS trust of the hub's signaling (the enrollment's CA). */
  wsOptions?: { ca?: string[] };
  source: RtpSource;
  keyframes: KeyframeRequester;
  logger: Logger;
  /** Consecutive failed attempts before the state shows `failed` (retries go on at the capped pace). */
  failAfterAttempts?: number;
  /** Longest pause between two attempts (250 ms doubling up to this, ±20 % jitter); default 2 s. */
  backoffMaxMs?: number;
  /** How long a new publish connection may take to connect before the next recovery step. */
  publishTimeoutMs?: number;
  /** The daemon's live-rate route (congestion control of the live picture, live-rate.ts); absent: never adapted. */
  liveRateUrl?: string;
}

/**
 * The room's link to the hub, and its state machine:
 *   connecting ──(welcome + publish connected)──► connected
 *   connected ──(WS lost / hub restart)──► reconnecting ──► connected
 *   reconnecting ──(N failed attempts)──► failed (still retrying every backoffMaxMs) ──► connected
 * The WS is rebuilt by common/supervise: 250 ms doubling to backoffMaxMs, ±20 % jitter so the rooms a
 * restarted hub dropped together do not all knock at the same instant; only flowing media resets it.
 * While the WS stays up, a failed, disconnected or silent (no RTCP) publish connection is replaced
 * by a fresh one over the same WS; if that one does not connect either, the WS is dropped and rebuilt.
 */
export function createUplink(deps: UplinkDeps) {
  const log = deps.logger;
  const tracker = new GatewayStateTracker();
  const failAfter = deps.failAfterAttempts ?? 5;
  const publishTimeout = deps.publishTimeoutMs ?? 5000; // issue 12: was 10 s; ICE + DTLS take 0.3–1.3 s even loaded
  const ice = new HubIce(deps.stunUrls, deps.wsOptions?.ca); // STUN + the hub's TURN (gateway/peer/peer-config-ice.ts)
  const subscriptions = new Subscriptions(log.child({ part: 'subscriptions' }), Date.now, deps.stunUrls, ice);
  const publisher = new Publisher({
    source: deps.source,
    logger: log.child({ part: 'publisher' }),
    onPacketSent: () => tracker.count('packetsSent'),
    stunUrls: deps.stunUrls,
    ice,
  });
  const liveRate = deps.liveRateUrl
    ? createLiveRate({
        url: deps.liveRateUrl,
        logger: log.child({ part: 'live-rate' }),
        onDecision: (d) => publisher.setVideoTarget(d.mode === 'full' ? null : d.kbps),
        details: () => publisher.pacerStats(),
        onReceived: (kbps) => publisher.setReceivedKbps(kbps),
      })
    : undefined;
  publisher.on('feedback', (packets) => liveRate?.feedback(packets));
  publisher.on('retransmitted', (bytes) => liveRate?.retransmitted(bytes));
  let conn: SignalConnection | undefined;
  let hearing: HearingInfo | null = null;
  let everConnected = false;
  let stopped = true;
  let watchdog: NodeJS.Timeout | undefined;
  const link = createSupervisor<SignalConnection>({
    baseMs: 250,
    maxMs: deps.backoffMaxMs ?? 2000, // issue 12: media back ≤ 3 s after a link returns (was 5 s: 7 s measured)
    jitter: 0.2,
    healthyOnBuild: false,
    probe: createHubProbe({ signalUrl: deps.hubUrl, ca: deps.wsOptions?.ca }), // the hub answering again ends the pause
    probeEveryMs: 500,
    build: connect,
  });

  const notConnected = (reason: string) => {
    const failures = link.stats().consecutiveFailures;
    tracker.set(failures >= failAfter ? 'failed' : everConnected || failures > 0 ? 'reconnecting' : 'connecting', reason);
  };
  const arm = (ms: number, action: () => void) => {
    clearTimeout(watchdog);
    watchdog = setTimeout(action, ms);
  };

  function connect(ctx: BuildContext): SignalConnection {
    const c = new SignalConnection({
      url: deps.hubUrl,
      roomId: deps.roomId,
      roomName: deps.roomName,
      secret: deps.token,
      wsOptions: deps.wsOptions,
      logger: log.child({ part: 'signaling' }),
    });
    conn = c;
    arm(publishTimeout, () => c.close('no publish connection in time'));
    c.on('welcome', (_me, h) => {
      hearing = h;
      void publishFresh(c, false);
    });
    c.on(
      'message',
      (msg) => void onMessage(c, msg).catch((err: Error) => log.warn({ err: err.message, type: msg.type }, 'hub message not applied')),
    );
    c.on('malformed', () => tracker.count('malformedMessages'));
    c.on('rtt', (ms) => tracker.recordRtt(ms));
    c.on('closed', (reason) => onClosed(c, reason, ctx));
    return c;
  }

  async function publishFresh(c: SignalConnection, rebuilt: boolean): Promise<void> {
    if (rebuilt) tracker.count('freshPublishConnections');
    const sdp = await publisher.freshOffer();
    if (c === conn && c.open) c.send({ type: 'publish-offer', sdp });
  }

  async function onMessage(c: SignalConnection, msg: HubMessage): Promise<void> {
    if (c !== conn) return;
    switch (msg.type) {
      case 'publish-answer':
        return publisher.applyAnswer(msg.sdp);
      case 'subscribe-offer': {
        const sdp = await subscriptions.answer(msg.sid, msg.publisher, msg.sdp);
        if (c === conn) c.send({ type: 'subscribe-answer', sid: msg.sid, sdp });
        return;
      }
      case 'unsubscribe':
        return subscriptions.remove(msg.sid);
      case 'hearing':
        hearing = msg.hearing;
        return;
      case 'ice-servers':
        return ice.set(msg.iceServers); // short-lived TURN credentials (hub/turn), before welcome and renewed
      case 'keyframe-request':
        return deps.keyframes.request('hub keyframe-request');
      case 'error':
        log.warn({ code: msg.code, message: msg.message }, 'hub refused a message');
        return;
      default:
        return;
    }
  }

  /**
   * Publish connection trouble while signaling is up: a fresh publish connection (new offer, which
   * the hub takes as a replacement). Not werift's in-place ICE restart: in werift 0.24.4
   * restartIce() + createOffer({iceRestart}) brings ICE back to `completed` on both ends but no
   * RTP flows afterwards (checked with two werift peers), so the flag `iceRestart` is never sent.
   */
  async function recoverPublish(reason: string): Promise<void> {
    const c = conn;
    if (!c?.open || watchdog) return; // a recovery (or the first connect) is already under way
    notConnected(reason);
    log.warn({ reason }, 'publish connection lost, building a fresh one');
    arm(publishTimeout, () => c.close(`publish connection not recovered (${reason})`));
    await publishFresh(c, true);
  }

  publisher.on('state', (s) => {
    if (s === 'connected') {
      clearTimeout(watchdog);
      watchdog = undefined;
      link.healthy();
      everConnected = true;
      tracker.set('connected');
      liveRate?.reset();
      deps.keyframes.request('publish connected'); // the hub needs a keyframe to start forwarding
    } else if (s === 'failed') void recoverPublish('publish connection failed');
    else if (s === 'disconnected')
      setTimeout(() => publisher.connectionState === 'disconnected' && void recoverPublish('publish connection disconnected'), 1500);
  });
  publisher.on('stalled', () => void recoverPublish('no RTCP from the hub for 3 s'));
  publisher.on('keyframe', (why) => deps.keyframes.request(`hub ${why}`));
  subscriptions.on('failed', (sid) => conn?.send({ type: 'resubscribe', sid }));

  function onClosed(c: SignalConnection, reason: string, ctx: BuildContext): void {
    if (c !== conn) return;
    conn = undefined;
    clearTimeout(watchdog);
    watchdog = undefined;
    publisher.close();
    subscriptions.clear();
    hearing = null;
    if (!stopped) ctx.lost(reason);
  }
  link.events.on('life', (reason) => log.info({ reason }, 'hub reachable again: reconnecting now, backoff reset'));
  link.events.on('retry', ({ reason, consecutiveFailures, delayMs }) => {
    tracker.count('reconnects');
    notConnected(reason);
    log.warn({ reason, failures: consecutiveFailures, retryInMs: delayMs }, 'hub link down, reconnecting');
  });

  return {
    tracker,
    subscriptions,
    async start(): Promise<void> {
      stopped = false;
      liveRate?.start();
      await link.start();
    },
    async stop(): Promise<void> {
      stopped = true;
      liveRate?.stop();
      await link.stop();
      conn?.close('gateway stopping');
      publisher.close();
      subscriptions.dispose();
    },
    /** The live picture's state (congestion control): full or adapted at kbps, and the recent switches. */
    liveRate: () => (liveRate ? { decision: liveRate.decision(), history: liveRate.history() } : null),
    /** Operator/test hook: rebuild the publish connection now (no-op unless connected). */
    rebuildPublish: () => recoverPublish('rebuild requested'),
    status(): GatewayStatus {
      // `satisfies`: an optional field spread in is checked against the contract too (a rename fails tsc here).
      return {
        state: tracker.state,
        since: tracker.since,
        ...(tracker.reason ? ({ reason: tracker.reason } satisfies Partial<GatewayStatus>) : {}),
        ...(tracker.state === 'connected' && tracker.rttMs !== undefined
          ? ({ rttMs: tracker.rttMs } satisfies Partial<GatewayStatus>)
          : {}),
        hubUrl: deps.hubUrl,
        room: deps.roomId,
        ...(publisher.connectionState === 'connected' ? { path: ice.pathOf(publisher.selectedLocalCandidate()) } : {}),
        hearing,
        remotes: subscriptions
          .list()
          .map((f) => ({ sid: f.sid, participant: f.participant, packetsReceived: f.packetsReceived, connection: f.pc.connectionState })),
        counters: { ...tracker.counters, packetsFromWorker: Object.values(deps.source.counts()).reduce((a, b) => a + b, 0) },
      };
    },
  };
}
export type Uplink = ReturnType<typeof createUplink>;
