import { createSocket } from 'node:dgram';
import { afterEach, expect, it } from 'vitest';
import { RtpHeader, RtpPacket } from 'werift';
import { silentLogger } from '../../common/log.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { until } from '../../tests/helpers/until.js';
import { closeQuietly, completeLocalSdp, createPeer } from '../peer/peer-config.js';
import { Publisher } from './publisher.js';
import { createRtpSource } from './rtp-source.js';

// A media worker that restarts is a new RTP stream: GStreamer picks a new SSRC and random sequence numbers.
// The publish connection stays up, so werift must continue its own numbering across the jump: a jump back
// would otherwise look like old, replayed packets to the hub's SRTP replay window (patches/) and be dropped
// until the new numbers passed the old ones — minutes of black picture after a worker restart.

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

it('video from a restarted worker (new SSRC, sequence numbers 30 000 lower) keeps reaching the hub', async () => {
  const [videoPort, audioPort] = [await freePort(), await freePort()];
  const source = createRtpSource({ host: '127.0.0.1', videoPort, audioPort, logger: silentLogger() });
  await source.start();
  cleanup.push(() => source.stop());
  const publisher = new Publisher({ source, logger: silentLogger(), onPacketSent: () => {} });
  cleanup.push(() => publisher.close());

  const hub = createPeer();
  cleanup.push(() => closeQuietly(hub));
  const received: string[] = [];
  hub.onTrack.subscribe((t) => t.kind === 'video' && t.onReceiveRtp.subscribe((rtp) => received.push(rtp.payload.toString())));
  await hub.setRemoteDescription({ type: 'offer', sdp: await publisher.freshOffer() });
  await hub.setLocalDescription(await hub.createAnswer());
  await publisher.applyAnswer(await completeLocalSdp(hub));
  await until('publish connection up', 15_000, () => publisher.connectionState === 'connected');

  const udp = createSocket('udp4');
  cleanup.push(() => udp.close());
  const worker = (name: string, ssrc: number, firstSeq: number) => (i: number) => {
    const header = new RtpHeader({ ssrc, sequenceNumber: firstSeq + i, timestamp: firstSeq * 7 + i * 3000, payloadType: 96 });
    udp.send(new RtpPacket(header, Buffer.from(`${name} ${i}`)).serialize(), videoPort, '127.0.0.1');
  };
  const first = worker('first', 0x1111, 40_000);
  for (let i = 0; i < 20; i++) first(i);
  await until(
    () => `first worker's 20 packets (have ${received.length})`,
    10_000,
    () => received.includes('first 19'),
  );

  const restarted = worker('restarted', 0x2222, 10_000);
  for (let i = 0; i < 20; i++) restarted(i);
  await until(
    () => `restarted worker's packets at the hub (have ${received.slice(-3).join(', ')})`,
    10_000,
    () => received.includes('restarted 19'),
  );
  expect(received.filter((p) => p.startsWith('restarted')).length).toBe(20);
});
