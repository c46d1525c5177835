import { RTCRtpCodecParameters, useTransportWideCC, type RTCPeerConnectionConfig } from 'werift';
import { sameScopePair } from '../../common/webrtc/candidate-pairs.js';
import type { IceConfig } from '../config/schema.js';
import { h264Codec } from '../../common/webrtc/h264-codec.js';

// One werift configuration for every hub connection: H.264 constrained-baseline (what every
// browser decodes) and Opus, with NACK/PLI/FIR feedback so subscribers can ask for keyframes, and
// transport-wide congestion control (TWCC): the hub's receiver (hub/sfu/twcc-reporter.ts) reports every video
// packet's arrival to a publishing room, whose gateway sets its live bitrate from it (gateway/uplink/link-estimator.ts).

export const VIDEO_PT = 96;
export const AUDIO_PT = 111;

export function hubPeerConfig(ice: IceConfig): RTCPeerConnectionConfig {
  return {
    codecs: {
      video: [
        h264Codec(
          [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, { type: 'transport-cc' }],
          VIDEO_PT,
        ),
      ],
      // useinbandfec: the room's Opus carries in-band FEC (daemon/drivers/media/pipelines.ts); receivers use it on loss.
      audio: [
        new RTCRtpCodecParameters({
          mimeType: 'audio/opus',
          clockRate: 48000,
          channels: 2,
          payloadType: AUDIO_PT,
          parameters: 'minptime=10;useinbandfec=1',
        }),
      ],
    },
    headerExtensions: { video: [useTransportWideCC()], audio: [] },
    iceServers: ice.stunUrls.map((urls) => ({ urls })),
    iceAdditionalHostAddresses: ice.hostAddresses,
    iceUseIpv6: ice.useIpv6,
    icePortRange: ice.portMin > 0 && ice.portMax > ice.portMin ? [ice.portMin, ice.portMax] : undefined,
    bundlePolicy: 'max-bundle',
    iceFilterCandidatePair: sameScopePair,
  };
}
