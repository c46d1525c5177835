// Tests: where IDRs fall in an H.264 RTP stream, counted in frames (one frame = one RTP timestamp), so a
// forced IDR is told from the camera's own GOP by position, not by wall time (a busy box stretches time).
import { createSocket } from 'node:dgram';
import { isKeyframeNal, parseRtp, rtpH264NalTypes } from '../../../daemon/drivers/media/h264-nal.js';

export async function gopWatch(pt = 96) {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  let frames = 0;
  let ts: number | undefined;
  const idrAt: number[] = []; // frame numbers that began with SPS/IDR
  sock.on('message', (m) => {
    const rtp = parseRtp(m);
    if (!rtp || rtp.pt !== pt) return;
    if (rtp.ts !== ts) (ts = rtp.ts), frames++;
    if (isKeyframeNal(rtpH264NalTypes(rtp.payload)) && idrAt.at(-1) !== frames) idrAt.push(frames);
  });
  return {
    port: sock.address().port,
    idrAt,
    get frames() {
      return frames;
    },
    /** Frames since the last IDR (0 = the IDR itself); undefined before the first. */
    sinceIdr: () => (idrAt.length ? frames - idrAt.at(-1)! : undefined),
    /** The last two IDRs' distance, in frames. */
    gop: () => (idrAt.length >= 2 ? idrAt.at(-1)! - idrAt.at(-2)! : undefined),
    close: () => new Promise<void>((r) => sock.close(() => r())),
  };
}
export type GopWatch = Awaited<ReturnType<typeof gopWatch>>;
