import { EventEmitter } from 'node:events';
import {
  MediaStreamTrack,
  type RTCPeerConnection,
  type RTCRtpSender,
  RtcpTransportLayerFeedback,
  RtpHeader,
  TransportWideCC,
  useTransportWideCC,
  useTWCC,
} from 'werift';
import type { FeedbackPacket } from './link-estimator.js';
import { decodeTwcc, type ParsedTwcc } from '../../common/webrtc/twcc.js';
import type { Logger } from '../../common/log.js';
import { closeQuietly, completeLocalSdp, createPeer, H264_CODEC } from '../peer/peer-config.js';
import type { HubIce } from '../peer/peer-config-ice.js';
import { isKeyframeRequest } from '../peer/rtcp-keyframe.js';
import type { MediaKind, RtpSource } from './rtp-source.js';
import { RtcpSilence } from './rtcp-silence.js';
import { VideoPacer } from './pacer.js';
import { limitRetransmissions, RtxBudget } from './rtx-budget.js';

export type PublishConnectionState = RTCPeerConnection['connectionState'];

interface PublisherEvents {
  state: [PublishConnectionState];
  keyframe: [string];
  /** Connected and sending, but the hub's RTCP stopped (rtcp-silence.ts). */
  stalled: [];
  /** The hub's transport-wide feedback on our video packets (link-estimator.ts). */
  feedback: [FeedbackPacket[]];
  /** Bytes werift resent for the hub's NACKs (outside the feedback: link-estimator.ts `addRetransmitted`). */
  retransmitted: [number];
}

/**
 * What we sent per transport-wide sequence number. Not werift's own record (SenderBandwidthEstimator's
 * sentInfos): werift 0.25.2 reads the sequence number after `await dtlsTransport.sendRtp`, so in a burst
 * (every packet of a frame arrives at once) many packets are filed under a later number and the rest are
 * missing. werift stamps the number synchronously inside `writeRtp`, so it is read right after it here.
 */
export class SentLog {
  private readonly size = new Int32Array(65536);
  private readonly at = new Float64Array(65536);
  record(wideSeq: number, bytes: number, atMs: number): void {
    this.size[wideSeq & 0xffff] = bytes;
    this.at[wideSeq & 0xffff] = atMs;
  }
  get(wideSeq: number): { size: number; sendingAtMs: number } | undefined {
    const i = wideSeq & 0xffff;
    return this.size[i] ? { size: this.size[i]!, sendingAtMs: this.at[i]! } : undefined;
  }
}

/** TWCC times are the 24-bit reference time (64 ms units) plus deltas: wall-clock ms modulo 2^30. */
const TWCC_WRAP_MS = 2 ** 24 * 64;
/** A TWCC arrival time moved into the wall-clock ms of the send time it is nearest to. */
export function nearEpoch(twccMs: number, sentAtMs: number): number {
  const t = sentAtMs - (sentAtMs % TWCC_WRAP_MS) + twccMs;
  return t - sentAtMs > TWCC_WRAP_MS / 2 ? t - TWCC_WRAP_MS : sentAtMs - t > TWCC_WRAP_MS / 2 ? t + TWCC_WRAP_MS : t;
}

/**
 * The hub's TWCC feedback as our packets: size and send time from our log, arrival from the hub. Decoded with
 * common/webrtc/twcc.ts, not werift's `packetResults` (wrong sequence numbers past the first chunk, see there).
 */
export function feedbackPackets(feedback: ParsedTwcc, sent: Pick<SentLog, 'get'>): FeedbackPacket[] {
  const out: FeedbackPacket[] = [];
  for (const r of decodeTwcc(feedback)) {
    const info = sent.get(r.seq);
    if (!info) continue;
    out.push({
      size: info.size,
      sentAtMs: info.sendingAtMs,
      receivedAtMs: r.arrivalMs === null ? null : nearEpoch(r.arrivalMs, info.sendingAtMs),
    });
  }
  return out;
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
  private pacer: VideoPacer | undefined;
  private rtx: RtxBudget | undefined;
  private receivedKbps: number | null = null;
  private senders: Partial<Record<MediaKind, RTCRtpSender>> = {};
  /** The live-rate decision (null: full picture): the pacer's rate (pacer.ts). */
  private videoTargetKbps: number | null = null;

  constructor(private readonly deps: { source: RtpSource; logger: Logger; onPacketSent: () => void; stunUrls?: string[]; ice?: HubIce }) {
    super();
  }

  /** The local candidate of the publish connection's selected pair (SDP `candidate:` line), if any. */
  selectedLocalCandidate(): string | undefined {
    return this.pc?.iceTransports[0]?.getSelectedCandidatePair()?.local.candidate;
  }

  get connectionState(): PublishConnectionState {
    return this.pc?.connectionState ?? 'closed';
  }

  /** Closes any previous connection and returns the offer SDP of a new one. */
  async freshOffer(): Promise<string> {
    this.close();
    const gen = ++this.generation;
    this.silence = new RtcpSilence();
    this.receivedKbps = null; // the old connection's rate says nothing of the new one
    // Video with transport-wide congestion control: the hub reports each packet's arrival (link-estimator.ts).
    const h264 = H264_CODEC();
    h264.rtcpFeedback = [...h264.rtcpFeedback, useTWCC()];
    const pc = createPeer({
      stunUrls: this.deps.stunUrls,
      ice: this.deps.ice?.forPublish(), // the hub's TURN: the next url after one that never connected (peer-config-ice.ts)
      video: [h264],
      headerExtensions: { video: [useTransportWideCC()], audio: [] },
    });
    // One track per connection, fed from its own sink: werift rewrites ssrc/seq on the parsed packet.
    const tracks = { video: new MediaStreamTrack({ kind: 'video' }), audio: new MediaStreamTrack({ kind: 'audio' }) };
    const senders = {} as Record<MediaKind, RTCRtpSender>;
    this.senders = senders;
    const sentLog = new SentLog();
    const rtx = new RtxBudget();
    this.rtx = rtx;
    for (const kind of ['video', 'audio'] as const) {
      const t = pc.addTransceiver(tracks[kind], { direction: 'sendonly' });
      senders[kind] = t.sender;
      // PLI/FIR from the hub (a subscriber lost a picture) → a forced keyframe at the encoder.
      t.sender.onRtcp.subscribe((packet) => {
        this.silence.heard();
        if (kind === 'video' && isKeyframeRequest(packet)) this.emit('keyframe', 'rtcp');
        if (kind === 'video' && packet instanceof RtcpTransportLayerFeedback && packet.feedback instanceof TransportWideCC) {
          const fb = feedbackPackets(packet.feedback, sentLog);
          this.emit('feedback', fb);
        }
      });
    }
    pc.connectionStateChange.subscribe((s) => {
      if (gen !== this.generation) return;
      if (s === 'connected') this.silence.heard();
      if (s === 'connected') this.deps.ice?.connected();
      this.emit('state', s);
    });
    this.stallTimer = setInterval(() => {
      if (pc.connectionState === 'connected' && this.silence.silent()) this.emit('stalled');
    }, 1000);
    this.pc = pc;
    this.tracks = tracks;
    // Adapted: a share of the target; full: a share of what the hub last received (a sudden cap: every lost packet NACKed).
    limitRetransmissions(
      senders.video,
      rtx,
      () => this.videoTargetKbps ?? this.receivedKbps,
      (bytes) => {
        this.pacer?.charge(bytes); // resent video counts against the paced rate
        this.emit('retransmitted', bytes); // and against the encoder's share of the link (rate-controller.ts mediaTarget)
      },
    );
    // A restarted media worker is a new RTP stream (GStreamer picks a new SSRC, sequence numbers and
    // timestamps): werift continues its own numbering across the jump, or a jump back would be taken
    // for old, replayed packets by the hub's SRTP replay window (patches/README.md) and dropped.
    const workerSsrc: Partial<Record<MediaKind, number>> = {};
    const write = (kind: MediaKind, packet: Buffer) => {
      if (pc.connectionState !== 'connected') return;
      const ssrc = packet.readUInt32BE(8);
      if (workerSsrc[kind] !== undefined && workerSsrc[kind] !== ssrc) senders[kind].replaceRTP(RtpHeader.deSerialize(packet), true);
      workerSsrc[kind] = ssrc;
      const before = kind === 'video' ? senders.video.dtlsTransport?.transportSequenceNumber : undefined;
      this.tracks?.[kind].writeRtp(packet);
      if (kind === 'video') {
        const wideSeq = senders.video.dtlsTransport?.transportSequenceNumber;
        // + SRTP tag (10) and the transport-cc extension (8): the bytes on the wire, IP/UDP apart.
        if (wideSeq !== undefined && wideSeq !== before) sentLog.record(wideSeq, packet.length + 18, Date.now());
        const seq = (senders.video as unknown as { sequenceNumber?: number }).sequenceNumber; // werift's outgoing number
        if (seq !== undefined) rtx.record(seq, packet.length, Date.now());
      }
      this.silence.packetSent();
      this.deps.onPacketSent();
    };
    // Audio goes out at once; video through the pacer, so a keyframe burst never queues ahead of audio.
    const pacer = new VideoPacer({ send: (p) => write('video', p), onOverflow: () => this.emit('keyframe', 'pacer dropped frames') });
    pacer.setTarget(this.videoTargetKbps);
    this.pacer = pacer;
    this.unsink = this.deps.source.addSink((kind, packet) => {
      if (pc.connectionState !== 'connected') return;
      if (kind === 'audio') write(kind, packet);
      else pacer.push(packet);
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

  /** What the hub received over the last second (live-rate.ts); null = not known yet. */
  setReceivedKbps(kbps: number | null): void {
    this.receivedKbps = kbps;
  }

  /** The live picture's target (live-rate.ts): null = full, else kbit/s. */
  setVideoTarget(kbps: number | null): void {
    this.videoTargetKbps = kbps;
    this.pacer?.setTarget(kbps);
  }

  /** The pacer's figures for /state and logs. */
  pacerStats() {
    if (!this.pacer) return null;
    // Retransmissions (werift answers the hub's NACKs itself) are outside the TWCC log: rtx-budget.ts limits and counts them.
    const rtx = (this.senders.video as unknown as { retransmittedBytesSent?: number } | undefined)?.retransmittedBytesSent ?? 0; // private in werift's types
    const rtxKB = Math.round(rtx / 1000);
    return {
      ...this.pacer.stats,
      rateKbps: Math.round(this.pacer.rateKbps()),
      queueMs: Math.round(this.pacer.queueMs()),
      rtxKB,
      nacks: this.rtx ? { ...this.rtx.stats } : undefined,
    };
  }

  close(): void {
    this.generation++;
    this.pacer?.close();
    this.pacer = undefined;
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
