import { EventEmitter } from 'node:events';
import type { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RTCRtpTransceiver } from 'werift';
import type { Logger } from '../../common/log.js';
import type { ParticipantInfo } from '../../common/contracts/signaling/messages.js';
import { closeQuietly, completeLocalSdp, createPeer } from '../peer/peer-config.js';
import type { HubIce } from '../peer/peer-config-ice.js';

/** Another participant's media, received from the hub on its own recvonly connection. */
export interface RemoteFeed {
  sid: string;
  participant: ParticipantInfo;
  pc: RTCPeerConnection;
  tracks: Partial<Record<'video' | 'audio', { track: MediaStreamTrack; transceiver: RTCRtpTransceiver }>>;
  packetsReceived: number;
}

/** A subscription that receives nothing for this long is asked again (it may never reach 'failed'). */
export const SILENT_FEED_MS = 15_000;

/**
 * Answers every `subscribe-offer` with a recvonly werift connection and keeps the tracks for the
 * kiosk bridge. `changed` fires when a participant comes, goes, or its first track arrives.
 */
export class Subscriptions extends EventEmitter<{ changed: []; failed: [string] }> {
  private readonly feeds = new Map<string, RemoteFeed>();
  private readonly progress = new Map<string, { packets: number; at: number }>();
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly stunUrls: string[] = [],
    /** The hub's TURN (peer-config-ice.ts): the url the publish connection uses. */
    private readonly ice?: HubIce,
  ) {
    super();
    this.watchdog = setInterval(() => this.checkSilent(), 5000);
    this.watchdog.unref();
  }

  /** Seen on a loaded box: a subscribe connection stuck without packets and never 'failed' (a black tile). */
  checkSilent(): void {
    for (const feed of this.feeds.values()) {
      const p = this.progress.get(feed.sid);
      if (!p || feed.packetsReceived !== p.packets) {
        this.progress.set(feed.sid, { packets: feed.packetsReceived, at: this.now() });
      } else if (this.now() - p.at > SILENT_FEED_MS) {
        p.at = this.now(); // once per silent period
        this.logger.warn(
          { sid: feed.sid, participant: feed.participant.id, packets: feed.packetsReceived },
          'subscription silent: asking the hub again',
        );
        this.emit('failed', feed.sid);
      }
    }
  }

  dispose(): void {
    clearInterval(this.watchdog);
    this.clear();
  }

  list(): RemoteFeed[] {
    return [...this.feeds.values()];
  }

  /** Returns the answer SDP. A second offer for the same sid replaces the old connection (hub resubscribe). */
  async answer(sid: string, participant: ParticipantInfo, offer: string): Promise<string> {
    this.remove(sid, false);
    const pc = createPeer({ receiveAnyVideo: true, stunUrls: this.stunUrls, ice: this.ice?.options() });
    const feed: RemoteFeed = { sid, participant, pc, tracks: {}, packetsReceived: 0 };
    this.feeds.set(sid, feed);
    pc.onTrack.subscribe((track) => {
      const transceiver = pc.getTransceivers().find((t) => t.receiver.tracks.includes(track));
      if (!transceiver || (track.kind !== 'video' && track.kind !== 'audio')) return;
      feed.tracks[track.kind] = { track, transceiver };
      track.onReceiveRtp.subscribe(() => feed.packetsReceived++);
      this.emit('changed');
    });
    pc.connectionStateChange.subscribe((s) => {
      if (s === 'failed' && this.feeds.get(sid) === feed) this.emit('failed', sid);
    });
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    await pc.setLocalDescription(await pc.createAnswer());
    const sdp = await completeLocalSdp(pc, this.ice?.gatherTimeoutMs()); // with TURN: room for the relay candidate on a loaded box
    this.emit('changed');
    this.logger.info({ sid, participant: participant.id }, 'subscribed');
    return sdp;
  }

  /** The codec this feed's video arrives in (the kiosk must offer the same one to re-send it untouched). */
  videoCodec(feed: RemoteFeed): RTCRtpCodecParameters | undefined {
    const t = feed.tracks.video;
    return t?.track.codec ?? t?.transceiver.codecs.find((c) => !/rtx|red|ulpfec/i.test(c.mimeType));
  }

  /** Forwards a kiosk's picture-loss to the hub (PLI on the subscribe connection). */
  requestKeyframe(sid: string): void {
    const v = this.feeds.get(sid)?.tracks.video;
    if (v?.track.ssrc !== undefined) void v.transceiver.receiver.sendRtcpPLI(v.track.ssrc).catch(() => undefined);
  }

  remove(sid: string, notify = true): void {
    const feed = this.feeds.get(sid);
    if (!feed) return;
    this.feeds.delete(sid);
    this.progress.delete(sid);
    void closeQuietly(feed.pc);
    this.logger.info({ sid, participant: feed.participant.id }, 'unsubscribed');
    if (notify) this.emit('changed');
  }

  clear(): void {
    const had = this.feeds.size > 0;
    for (const sid of [...this.feeds.keys()]) this.remove(sid, false);
    if (had) this.emit('changed');
  }
}
