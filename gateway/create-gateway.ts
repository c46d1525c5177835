import type { Logger } from '../common/log.js';
import { watchEventLoop } from '../common/process/event-loop-watch.js';
import type { GatewayStatus } from '../common/contracts/gateway-state.js';
import type { HubLink } from '../common/enrollment/hub-link.js';
import { createLocalApi, type LocalApiDeps } from './local-api.js';
import { createKeyframeRequester } from './uplink/keyframe-requester.js';
import { createRtpSource } from './uplink/rtp-source.js';
import { createUplink } from './uplink/create-uplink.js';
import { REMOTE_AUDIO_SLOTS } from '../common/contracts/media-rtp.js';
import { createRemoteAudioForwarder } from './uplink/remote-audio-forwarder.js';

export interface GatewayDeps {
  room: { id: string; name: string };
  /** The `gateway` config slice. */
  gateway: {
    hubUrl: string;
    host: string;
    port: number;
    stunUrls?: string[];
  };
  /** Where the media worker sends RTP (the `media` config slice). */
  media: { videoRtpPort: number; audioRtpPort: number; remoteAudioRtpPort?: number };
  /** The daemon's keyframe route, e.g. http://127.0.0.1:8080/api/v1/media/keyframe. */
  keyframeUrl: string;
  /** The room's enrollment (common/enrollment/hub-link.ts): hub URL, token and CA; wins over `gateway.hubUrl`. */
  hubLink?: Pick<HubLink, 'signalUrl' | 'token' | 'wsOptions'>;
  /** The room's local secret and the kiosk page's origins (who may read /state and open the kiosk bridge). */
  local: LocalApiDeps['local'];
  logger: Logger;
  /** Tests shorten these. */
  tuning?: { failAfterAttempts?: number; backoffMaxMs?: number; publishTimeoutMs?: number };
}

/** The whole gateway, wired: RTP in → uplink (publish + subscriptions) → local HTTP + kiosk bridge. */
export function createGateway(deps: GatewayDeps) {
  const log = deps.logger;
  const source = createRtpSource({
    host: '127.0.0.1',
    videoPort: deps.media.videoRtpPort,
    audioPort: deps.media.audioRtpPort,
    logger: log.child({ module: 'uplink' }),
  });
  let uplinkRef: { tracker: { count(k: 'keyframeRequests'): void } } | undefined;
  const keyframes = createKeyframeRequester({
    url: deps.keyframeUrl,
    logger: log.child({ module: 'keyframe' }),
    onSent: () => uplinkRef?.tracker.count('keyframeRequests'),
  });
  const uplink = createUplink({
    hubUrl: deps.hubLink?.signalUrl ?? deps.gateway.hubUrl,
    stunUrls: deps.gateway.stunUrls,
    roomId: deps.room.id,
    roomName: deps.room.name,
    token: deps.hubLink?.token ?? '', // the enrollment's token; none: the hub refuses the room (401)
    wsOptions: deps.hubLink?.wsOptions,
    source,
    keyframes,
    liveRateUrl: deps.keyframeUrl.replace(/\/keyframe$/, '/live-rate'), // issue 12 item 2 (part R): congestion control
    logger: log.child({ module: 'uplink' }),
    ...deps.tuning,
  });
  uplinkRef = uplink;
  // Remote participants' audio to the media worker's recording (fixed loopback ports, one slot each).
  const remoteAudio = createRemoteAudioForwarder({
    basePort: deps.media.remoteAudioRtpPort ?? 0,
    slots: REMOTE_AUDIO_SLOTS,
    subscriptions: uplink.subscriptions,
    logger: log.child({ module: 'remote-audio' }),
  });
  let loop: ReturnType<typeof watchEventLoop> | undefined;
  const status = (): GatewayStatus => ({
    ...uplink.status(),
    ...(loop ? ({ eventLoop: loop.last() } satisfies Partial<GatewayStatus>) : {}),
  });
  const api = createLocalApi({
    host: deps.gateway.host,
    port: deps.gateway.port,
    status,
    local: deps.local,
    kiosk: {
      room: deps.room,
      source,
      subscriptions: uplink.subscriptions,
      requestSelfKeyframe: () => keyframes.request('kiosk'),
      logger: log.child({ module: 'kiosk-bridge' }),
    },
    logger: log.child({ module: 'local-api' }),
  });
  uplink.tracker.on('change', (state, reason) => log.info({ state, reason }, 'gateway state'));

  return {
    uplink,
    status,
    address: api.address,
    async start(): Promise<void> {
      loop = watchEventLoop({ logger: log });
      await source.start(); // bind the RTP ports first: a port in use must stop us before anything connects
      await api.start();
      await uplink.start();
      remoteAudio.start();
    },
    async stop(): Promise<void> {
      loop?.stop();
      await uplink.stop();
      remoteAudio.stop();
      keyframes.stop();
      await api.stop();
      await source.stop();
    },
  };
}
export type Gateway = ReturnType<typeof createGateway>;
