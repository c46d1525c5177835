import { RTCRtpCodecParameters } from 'werift';

// H.264 as every party here sends and receives it: constrained baseline (what every browser decodes, and what
// the media worker pins), payload type 96. One definition for the gateway, the hub, the chaos viewer and benches.

export const H264_FMTP = 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1';
export const H264_PT = 96;

type Feedback = RTCRtpCodecParameters['rtcpFeedback'];

export const h264Codec = (rtcpFeedback: Feedback, payloadType = H264_PT) =>
  new RTCRtpCodecParameters({ mimeType: 'video/H264', clockRate: 90000, payloadType, parameters: H264_FMTP, rtcpFeedback });
