// H.264 NAL unit helpers (pure): which NAL types an access unit or an RTP payload carries.
// The worker uses them to see a camera's keyframes; tests use them to check the RTP leaving it.

export const NAL = { IDR: 5, SEI: 6, SPS: 7, PPS: 8, STAP_A: 24, FU_A: 28 } as const;

/** NAL unit types in an Annex-B byte stream (start codes 00 00 01 / 00 00 00 01). */
export function annexBNalTypes(buf: Uint8Array): number[] {
  const types: number[] = [];
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 1) {
      types.push(buf[i + 3] & 0x1f);
      i += 3;
    }
  }
  return types;
}

/** NAL types carried by one RTP H.264 payload (RFC 6184): single NAL, STAP-A, or the start of a FU-A. */
export function rtpH264NalTypes(payload: Uint8Array): number[] {
  if (payload.length < 1) return [];
  const type = payload[0] & 0x1f;
  if (type === NAL.STAP_A) {
    const types: number[] = [];
    for (let i = 1; i + 2 < payload.length; ) {
      const size = (payload[i] << 8) | payload[i + 1];
      if (size === 0 || i + 2 + size > payload.length) break;
      types.push(payload[i + 2] & 0x1f);
      i += 2 + size;
    }
    return types;
  }
  if (type === NAL.FU_A) return payload.length > 1 && payload[1] & 0x80 ? [payload[1] & 0x1f] : [];
  return [type];
}

export const isKeyframeNal = (types: number[]) => types.includes(NAL.IDR) || types.includes(NAL.SPS);

/** The parts of an RTP packet tests and stats need (RFC 3550 fixed header, CSRCs and extension skipped). */
export function parseRtp(
  pkt: Uint8Array,
): { pt: number; seq: number; ts: number; ssrc: number; marker: boolean; payload: Uint8Array } | null {
  if (pkt.length < 12 || pkt[0] >> 6 !== 2) return null;
  const cc = pkt[0] & 0x0f;
  let off = 12 + cc * 4;
  if (pkt[0] & 0x10) {
    if (pkt.length < off + 4) return null;
    off += 4 + ((pkt[off + 2] << 8) | pkt[off + 3]) * 4;
  }
  if (off > pkt.length) return null;
  const view = new DataView(pkt.buffer, pkt.byteOffset, pkt.byteLength);
  return {
    pt: pkt[1] & 0x7f,
    marker: (pkt[1] & 0x80) !== 0,
    seq: view.getUint16(2),
    ts: view.getUint32(4),
    ssrc: view.getUint32(8),
    payload: pkt.subarray(off),
  };
}
