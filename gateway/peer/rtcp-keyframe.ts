import type { RtcpPacket } from 'werift';

// RTCP payload-specific feedback (PT 206): FMT 1 = PLI, FMT 4 = FIR (RFC 4585, RFC 5104).
const PSFB = 206;
const PLI_FMT = 1;
const FIR_FMT = 4;

/** Pure: does this RTCP packet ask the sender for a keyframe? */
export function isKeyframeRequest(packet: RtcpPacket): boolean {
  if (packet.type !== PSFB) return false;
  const count = (packet as { feedback?: { count?: number } }).feedback?.count;
  return count === PLI_FMT || count === FIR_FMT;
}
