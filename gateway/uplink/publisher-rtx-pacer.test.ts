import { createSocket } from 'node:dgram';
import { afterEach, expect, it } from 'vitest';
import { RtpHeader, RtpPacket, type RTCPeerConnection } from 'werift';
import { silentLogger } from '../../common/log.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { until } from '../../tests/helpers/until.js';
import { closeQuietly, completeLocalSdp, createPeer } from '../peer/peer-config.js';
import { Publisher } from './publisher.js';
import { createRtpSource } from './rtp-source.js';

// Issue 12: werift answers the hub's NACKs itself, outside the pacer. The bytes it resends (its own counters) are
// charged to the pacer (pacer.ts `charge`), so new video waits for them, and told to the link estimate. Real werift peers on loopback; video packets lost on the way.

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

it("the bytes werift resends for the hub's NACKs reach the publisher's pacer", async () => {
  const [videoPort, audioPort] = [await freePort(), await freePort()];
  const source = createRtpSource({ host: '127.0.0.1', videoPort, audioPort, logger: silentLogger() });
  await source.start();
  cleanup.push(() => source.stop());
  const publisher = new Publisher({ source, logger: silentLogger(), onPacketSent: () => {} });
  cleanup.push(() => publisher.close());
  const hub = createPeer();
  cleanup.push(() => closeQuietly(hub));
  hub.onTrack.subscribe(() => {});
  await hub.setRemoteDescription({ type: 'offer', sdp: await publisher.freshOffer() });
  await hub.setLocalDescription(await hub.createAnswer());
  await publisher.applyAnswer(await completeLocalSdp(hub));
  await until('publish connected', 20_000, () => publisher.connectionState === 'connected');

  // Every 10th SRTP video packet (payload type 96) lost as it leaves the gateway: the hub's receiver NACKs it.
  const ice = (publisher as unknown as { pc: RTCPeerConnection }).pc.iceTransports[0]!.connection as unknown as {
    send: (b: Buffer) => Promise<void>;
  };
  const send = ice.send.bind(ice);
  let video = 0;
  ice.send = async (b: Buffer) => {
    if (b[0]! >> 6 === 2 && (b[1]! & 0x7f) === 96 && ++video % 10 === 0) return;
    return send(b);
  };
  let evented = 0;
  publisher.on('retransmitted', (bytes) => (evented += bytes));
  const werift = (publisher as unknown as { senders: { video: Record<string, number> } }).senders.video;
  const udp = createSocket('udp4');
  cleanup.push(() => udp.close());
  let i = 0;
  const stats = await until(
    () => `resent bytes at the pacer (${JSON.stringify(publisher.pacerStats())})`,
    30_000,
    () => {
      for (let k = 0; k < 5; k++, i++) {
        const h = new RtpHeader({ ssrc: 0x1234, sequenceNumber: i & 0xffff, timestamp: Math.floor(i / 5) * 3000, payloadType: 96 });
        udp.send(new RtpPacket(h, Buffer.alloc(1000, i)).serialize(), videoPort, '127.0.0.1');
      }
      const s = publisher.pacerStats();
      // werift's own tally, read in the same turn as the pacer's (no NACK can be handled in between).
      const tally = { bytes: werift.retransmittedBytesSent ?? 0, packets: werift.retransmittedPacketsSent ?? 0 };
      return s && s.resentBytes > 0 && s.nacks && s.nacks.allowed > 0 ? { ...s, tally, evented } : null;
    },
    50,
  );
  // What werift really resent is charged — to the pacer and to the link estimate ('retransmitted'): its payloads,
  // each with its RTP header (12 bytes: this hub negotiated no header extension) and SRTP tag (10).
  expect(stats.tally.packets).toBeGreaterThan(0);
  expect(stats.resentBytes).toBe(stats.tally.bytes + stats.tally.packets * 22);
  expect(stats.evented).toBe(stats.resentBytes);
}, 90_000);
