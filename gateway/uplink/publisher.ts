import { EventEmitter } from 'node:events';
import { MediaStreamTrack, type RTCPeerConnection, type RTCRtpSender, RtpHeader } from 'werift';
import type { Logger } from '../../common/log.js';
import { closeQuietly, completeLocalSdp, createPeer } from '../peer/peer-config.js';
import { isKeyframeRequest } from '../peer/rtcp-keyframe.js';
import type { MediaKind, RtpSource } from './rtp-source.js';
import { RtcpSilence } from './rtcp-silence.js';

export type PublishConnectionState = RTCPeerConnection['connectionState'];

interface PublisherEvents {
  state: [PublishConnectionState];
  keyframe: [string];
  /** Connected and sending, but the hub's RTCP stopped (rtcp-silence.ts). */
  stalled: [];
}

/**
 * The publish connection: the worker's H.264 + Opus up to the hub (sendonly). One at a time; a
 * fresh one replaces the old (new signaling session, or recovery while signaling stays up).
 */
export class Publisher extends EventEmitter<PublisherEvents> {
  private pc: RTCPeerConnection | undefined;
  private tracks: Record<MediaKind, MediaStreamTrack> | undefined;
  private unsink: (() => void) | undefined;
  private generation = 0;
  private silence = new RtcpSilence();
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { source: RtpSource; logger: Logger; onPacketSent: () => void; stunUrls?: string[] }) {
    super();
  }

  get connectionState(): PublishConnectionState {
    return this.pc?.connectionState ?? 'closed';
  }

  /** Closes any previous connection and returns the offer SDP of a new one. */
  async freshOffer(): Promise<string> {
    this.close();
    const gen = ++this.generation;
    this.silence = new RtcpSilence();
    const pc = createPeer({ stunUrls: this.deps.stunUrls });
    // One track per connection, fed from its own sink: werift rewrites ssrc/seq on the parsed packet.
    const tracks = { video: new MediaStreamTrack({ kind: 'video' }), audio: new MediaStreamTrack({ kind: 'audio' }) };
    const senders = {} as Record<MediaKind, RTCRtpSender>;
    for (const kind of ['video', 'audio'] as const) {
      const t = pc.addTransceiver(tracks[kind], { direction: 'sendonly' });
      senders[kind] = t.sender;
      // PLI/FIR from the hub (a subscriber lost a picture) → a forced keyframe at the encoder.
      t.sender.onRtcp.subscribe((packet) => {
        this.silence.heard();
        if (kind === 'video' && isKeyframeRequest(packet)) this.emit('keyframe', 'rtcp');
      });
    }
    pc.connectionStateChange.subscribe((s) => {
      if (gen !== this.generation) return;
      if (s === 'connected') this.silence.heard();
      this.emit('state', s);
    });
    this.stallTimer = setInterval(() => {
      if (pc.connectionState === 'connected' && this.silence.silent()) this.emit('stalled');
    }, 1000);
    this.pc = pc;
    this.tracks = tracks;
    // A restarted media worker is a new RTP stream (GStreamer picks a new SSRC, sequence numbers and
    // timestamps): werift continues its own numbering across the jump, or a jump back would be taken
    // for old, replayed packets by the hub's SRTP replay window (patches/README.md) and dropped.
    const workerSsrc: Partial<Record<MediaKind, number>> = {};
    this.unsink = this.deps.source.addSink((kind, packet) => {
      if (pc.connectionState !== 'connected') return;
      const ssrc = packet.readUInt32BE(8);
      if (workerSsrc[kind] !== undefined && workerSsrc[kind] !== ssrc) senders[kind].replaceRTP(RtpHeader.deSerialize(packet), true);
      workerSsrc[kind] = ssrc;
      this.tracks?.[kind].writeRtp(packet);
      this.silence.packetSent();
      this.deps.onPacketSent();
    });
    await pc.setLocalDescription(await pc.createOffer());
    return completeLocalSdp(pc);
  }

  async applyAnswer(sdp: string): Promise<void> {
    if (!this.pc || this.pc.signalingState !== 'have-local-offer') {
      this.deps.logger.warn({ signalingState: this.pc?.signalingState }, 'publish-answer without a pending offer ignored');
      return;
    }
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
  }

  close(): void {
    this.generation++;
    clearInterval(this.stallTimer);
    this.unsink?.();
    this.unsink = undefined;
    this.tracks?.video.stop();
    this.tracks?.audio.stop();
    this.tracks = undefined;
    void closeQuietly(this.pc);
    this.pc = undefined;
  }
}
