import { createSocket, type Socket } from 'node:dgram';
import { isKeyframeNal, parseRtp, rtpH264NalTypes } from '../../drivers/media/h264-nal.js';

// Test and bench helper: listens where the gateway would and records what the worker sends.

export interface RtpProbe {
  port: number;
  /** Arrival times (ms) of every packet. */
  times: number[];
  payloadTypes: Set<number>;
  /** Arrival time of the first H.264 packet carrying an IDR or SPS. */
  firstKeyframeAt: number | null;
  keyframes: number;
  /** Arrival times of every such packet. */
  keyframeTimes: number[];
  /** Largest gap between packets in [from, to]. */
  maxGap(from: number, to?: number): number;
  countSince(t: number): number;
  close(): Promise<void>;
}

export async function rtpProbe(): Promise<RtpProbe> {
  const sock: Socket = createSocket('udp4');
  const probe = {
    port: 0,
    times: [] as number[],
    payloadTypes: new Set<number>(),
    firstKeyframeAt: null as number | null,
    keyframes: 0,
    keyframeTimes: [] as number[],
    maxGap(from: number, to = Date.now()) {
      const ts = [from, ...this.times.filter((t) => t > from && t <= to), to];
      return Math.max(...ts.slice(1).map((t, i) => t - ts[i]));
    },
    countSince(t: number) {
      return this.times.filter((x) => x >= t).length;
    },
    close: () => new Promise<void>((r) => sock.close(() => r())),
  };
  sock.on('message', (buf) => {
    const now = Date.now();
    probe.times.push(now);
    const rtp = parseRtp(buf);
    if (!rtp) return;
    probe.payloadTypes.add(rtp.pt);
    if (rtp.pt === 96 && isKeyframeNal(rtpH264NalTypes(rtp.payload))) {
      probe.keyframes++;
      probe.keyframeTimes.push(now);
      probe.firstKeyframeAt ??= now;
    }
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  probe.port = sock.address().port;
  return probe;
}
