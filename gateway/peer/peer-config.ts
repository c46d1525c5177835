import { sameScopePair } from '../../common/webrtc/candidate-pairs.js';
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  useFIR,
  useNACK,
  usePLI,
  type RTCPeerConnectionConfig,
  type RTCSessionDescription,
} from 'werift';
import { h264Codec } from '../../common/webrtc/h264-codec.js';

// Codecs of the room's own stream, as the media worker sends it (fixed payload types: the RTP from
// the worker is forwarded without rewriting the payload).
export const H264_CODEC = () => h264Codec([useFIR(), useNACK(), usePLI()]);
export const OPUS_CODEC = () => new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 });
const VP8_CODEC = () =>
  new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 97, rtcpFeedback: [useFIR(), useNACK(), usePLI()] });

/**
 * One place for werift's options. Loopback must be added explicitly: werift leaves 127.0.0.1 out
 * of its host candidates, and the hub (in tests, the demo) and the kiosk are on this box.
 * `receiveAnyVideo`: subscribe connections also accept VP8, since officers' browsers may publish it.
 */
export function createPeer(
  opts: {
    receiveAnyVideo?: boolean;
    video?: RTCRtpCodecParameters[];
    stunUrls?: string[];
    /** RTP header extensions offered (the publisher: transport-wide-cc, for congestion control — gateway/uplink/link-estimator.ts). */
    headerExtensions?: RTCPeerConnectionConfig['headerExtensions'];
    /** STUN + the hub's TURN (peer-config-ice.ts); replaces stunUrls when given. */
    ice?: Pick<RTCPeerConnectionConfig, 'iceServers' | 'turnTlsOptions'>;
  } = {},
): RTCPeerConnection {
  return new RTCPeerConnection({
    ...(opts.headerExtensions ? { headerExtensions: opts.headerExtensions } : {}),
    codecs: {
      video: opts.video ?? (opts.receiveAnyVideo ? [H264_CODEC(), VP8_CODEC()] : [H264_CODEC()]),
      audio: [OPUS_CODEC()],
    },
    // Never werift's default (stun.l.google.com): only the STUN servers the config names.
    iceServers: (opts.stunUrls ?? []).map((urls) => ({ urls })),
    ...(opts.ice ?? {}),
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceUseIpv6: false,
    iceFilterCandidatePair: sameScopePair,
  });
}

/** Non-trickle signaling: the SDP sent must hold every candidate, so wait for gathering to finish. */
export async function completeLocalSdp(pc: RTCPeerConnection, timeoutMs = 5000): Promise<string> {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const { unSubscribe } = pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && done());
      function done() {
        clearTimeout(timer);
        unSubscribe();
        resolve();
      }
    });
  }
  const sdp = (pc.localDescription as RTCSessionDescription | null)?.sdp;
  if (!sdp) throw new Error('no local description');
  return sdp;
}

/** Closing a werift PC can throw on half-built transports; a close must never take the gateway down. */
export async function closeQuietly(pc: RTCPeerConnection | undefined): Promise<void> {
  if (!pc) return;
  try {
    await pc.close();
  } catch {
    /* already closed or never connected */
  }
}
