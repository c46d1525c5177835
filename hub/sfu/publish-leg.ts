import { PictureLossIndication, RTCPeerConnection, RtcpPayloadSpecificFeedback, type RTCPeerConnectionConfig } from 'werift';
import { AppError } from '../../common/errors.js';
import type { PublishLeg } from './media-plane.js';
import { mediaPathOf } from '../turn/media-path.js';
import { acceptBundleOnly, keepBaselineH264, sdpProblem } from './sdp-filter.js';
import type { Source } from './source.js';
import { TwccReporter } from './twcc-reporter.js';

// A participant's publish connection: the hub answers its offer (recvonly audio + video) and feeds
// what arrives into the participant's Source. A new offer builds a new leg; the old one is closed.

export class BadSdpError extends AppError {
  constructor(message: string) {
    super(message, 400, 'BAD_SDP');
  }
}

export interface WeriftPublishLeg extends PublishLeg {
  readonly pc: RTCPeerConnection;
}

export async function createPublishLeg(offerSdp: string, source: Source, peerConfig: RTCPeerConnectionConfig): Promise<WeriftPublishLeg> {
  const problem = sdpProblem(offerSdp);
  if (problem) throw new BadSdpError(`publish offer refused: ${problem}`);
  const pc = new RTCPeerConnection(peerConfig);
  const detach: (() => void)[] = [];
  pc.onTrack.subscribe((track) => detach.push(source.attach(track)));
  try {
    await pc.setRemoteDescription({ type: 'offer', sdp: keepBaselineH264(acceptBundleOnly(offerSdp)) });
    await pc.setLocalDescription(await pc.createAnswer());
  } catch (err) {
    await pc.close().catch(() => {});
    throw new BadSdpError(`publish offer refused: ${(err as Error).message}`);
  }
  const twcc = reportTwcc(pc);
  return {
    pc,
    answer: pc.localDescription!.sdp,
    get state() {
      return pc.connectionState;
    },
    get path() {
      return mediaPathOf(pc); // its selected ICE pair: direct or TURN (hub/turn/media-path.ts)
    },
    addIceCandidate: (c) => pc.addIceCandidate(c),
    requestKeyframe() {
      const receiver = pc.getTransceivers().find((t) => t.kind === 'video')?.receiver;
      const mediaSsrc = receiver?.tracks[0]?.ssrc;
      if (!receiver || mediaSsrc === undefined || receiver.dtlsTransport?.state !== 'connected') return;
      // Sent directly: receiver.sendRtcpPLI() stays silent when the offer did not list "nack pli".
      const pli = new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication({ senderSsrc: receiver.rtcpSsrc, mediaSsrc }) });
      receiver.dtlsTransport.sendRtcp([pli]).catch(() => {});
    },
    async close() {
      twcc?.stop();
      detach.forEach((d) => d());
      await pc.close().catch(() => {});
    },
  };
}

/**
 * Our transport-wide feedback on the room's video instead of werift's (common/webrtc/twcc.ts says why): set
 * before the first packet, werift's receiver then never builds its own (rtpReceiver.setupTWCC keeps ours).
 */
function reportTwcc(pc: RTCPeerConnection): TwccReporter | undefined {
  const receiver = pc.getTransceivers().find((t) => t.kind === 'video')?.receiver;
  if (!receiver) return undefined;
  const reporter = new TwccReporter({
    senderSsrc: receiver.rtcpSsrc,
    mediaSsrc: () => receiver.tracks[0]?.ssrc,
    send: (rtcp) => {
      if (receiver.dtlsTransport?.state !== 'connected') return;
      receiver.dtlsTransport.sendRtcp([{ serialize: () => rtcp } as never]).catch(() => {});
    },
  });
  if (receiver.receiverTWCC) receiver.receiverTWCC.twccRunning = false;
  receiver.receiverTWCC = reporter as never;
  return reporter;
}
