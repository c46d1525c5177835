// Is this H.264 RTP packet (RFC 6184) the start of a keyframe? Pure: used by the pacer (pacer.ts) to
// know where a dropped stream can start again.

const IDR = 5;
const SPS = 7;
const STAP_A = 24;
const FU_A = 28;

/** The RTP payload's offset (after CSRCs and a header extension), or -1 for a malformed packet. */
function rtpPayloadOffset(packet: Buffer): number {
  if (packet.length < 12) return -1;
  let off = 12 + 4 * (packet[0]! & 0x0f);
  if (packet[0]! & 0x10) {
    if (packet.length < off + 4) return -1;
    off += 4 + 4 * packet.readUInt16BE(off + 2);
  }
  return off < packet.length ? off : -1;
}

const isKeyNal = (type: number) => type === IDR || type === SPS;

/** True when the packet carries an SPS or an IDR slice (whole, aggregated, or the first fragment). */
export function startsKeyframe(packet: Buffer): boolean {
  const off = rtpPayloadOffset(packet);
  if (off < 0) return false;
  const type = packet[off]! & 0x1f;
  if (isKeyNal(type)) return true;
  if (type === FU_A) return off + 1 < packet.length && (packet[off + 1]! & 0x80) !== 0 && isKeyNal(packet[off + 1]! & 0x1f);
  if (type === STAP_A) {
    for (let i = off + 1; i + 2 < packet.length; ) {
      const size = packet.readUInt16BE(i);
      if (isKeyNal(packet[i + 2]! & 0x1f)) return true;
      i += 2 + size;
    }
  }
  return false;
}

/** The RTP timestamp (one per video frame). */
export const rtpTimestamp = (packet: Buffer): number => packet.readUInt32BE(4);
