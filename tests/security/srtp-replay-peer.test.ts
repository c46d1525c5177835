import { afterEach, expect, it } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection, type RTCPeerConnectionConfig, RtpHeader, RtpPacket } from 'werift';
import { hubPeerConfig } from '../../hub/sfu/peer-config.js';
import { until } from '../helpers/until.js';

// Issue 10 (low finding), end to end through two werift peer connections on loopback with the hub's peer
// configuration (NACK without RTX: a lost packet is sent again in place, with its old index). The attacker
// puts packets on the sender's own ICE socket, so replays even come from the right address and port.

const hubConfig = hubPeerConfig({ hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 });
const pcs: RTCPeerConnection[] = [];
afterEach(async () => {
  await Promise.all(pcs.splice(0).map((pc) => pc.close()));
});

/** RTP, not RTCP, STUN or DTLS (RFC 7983 demultiplexing; RTCP packet types 192–223). */
const isRtp = (b: Buffer) => (b[0] ?? 0) >= 128 && (b[0] ?? 0) < 192 && !((b[1] ?? 0) >= 192 && (b[1] ?? 0) <= 223);

async function connectedPair(config: RTCPeerConnectionConfig) {
  const sender = new RTCPeerConnection(config);
  const receiver = new RTCPeerConnection(config);
  pcs.push(sender, receiver);
  const track = new MediaStreamTrack({ kind: 'video' });
  const transceiver = sender.addTransceiver(track, { direction: 'sendonly' });
  const received: string[] = [];
  receiver.onTrack.subscribe((t) => t.onReceiveRtp.subscribe((rtp) => received.push(rtp.payload.toString())));
  await sender.setLocalDescription(await sender.createOffer());
  await receiver.setRemoteDescription(sender.localDescription as NonNullable<typeof sender.localDescription>);
  await receiver.setLocalDescription(await receiver.createAnswer());
  await sender.setRemoteDescription(receiver.localDescription as NonNullable<typeof receiver.localDescription>);
  await until('both peers connected', 15_000, () => sender.connectionState === 'connected' && receiver.connectionState === 'connected');

  // the tap on the wire: every SRTP packet as sent; `withholdNext` keeps the next one (and the sender's
  // NACK retransmissions of it: same sequence number) off the wire, as a loss would
  const wire = transceiver.sender.dtlsTransport.iceTransport.connection;
  const send = wire.send.bind(wire);
  const tap = { captured: [] as Buffer[], withholdNext: false, held: undefined as Buffer | undefined };
  wire.send = (data: Buffer) => {
    if (!isRtp(data)) return send(data);
    if (tap.withholdNext && !tap.held) tap.held = Buffer.from(data);
    if (tap.held && data.readUInt16BE(2) === tap.held.readUInt16BE(2)) return Promise.resolve();
    tap.captured.push(Buffer.from(data));
    return send(data);
  };
  const write = (from: number, to: number) => {
    for (let n = from; n <= to; n++) {
      const header = new RtpHeader({ sequenceNumber: n, timestamp: n * 3000, payloadType: 96 });
      track.writeRtp(new RtpPacket(header, Buffer.from(`frame ${n}`)));
    }
  };
  const arrived = (frame: number) =>
    until(
      () => `frame ${frame} received (have ${received.join(', ')})`,
      10_000,
      () => received.includes(`frame ${frame}`),
    );
  return { send, tap, write, arrived, received };
}

const frames = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `frame ${from + i}`);

it('a replayed SRTP packet reaches the receiving track once; packets after it still arrive', async () => {
  const { send, tap, write, arrived, received } = await connectedPair(hubConfig);
  write(1, 10);
  await arrived(10);
  for (const packet of tap.captured.slice(0, 10)) await send(packet); // the replay, straight onto the socket
  write(11, 15); // datagrams on one loopback socket pair arrive in order: after the replays
  await arrived(15);
  expect(received).toEqual(frames(1, 15));
});

it('a packet arriving 100 packets late (a retransmission in place) still plays; an older one than the window does not', async () => {
  // the peer connection's window is 1024 by default: werift (without RTX) retransmits from 128 packets back
  const late = await connectedPair(hubConfig);
  late.write(1, 5);
  await late.arrived(5);
  late.tap.withholdNext = true;
  late.write(6, 105);
  await late.arrived(105);
  await late.send(late.tap.held as Buffer);
  late.write(106, 106);
  await late.arrived(106);
  expect([...late.received].sort()).toEqual(frames(1, 106).sort());
  expect(late.received.indexOf('frame 6')).toBeGreaterThan(late.received.indexOf('frame 105'));

  // with the RFC's minimum of 64 configured, 100 packets late is too old: dropped
  const strict = await connectedPair({ ...hubConfig, srtpReplayWindowSize: 64 });
  strict.write(1, 5);
  await strict.arrived(5);
  strict.tap.withholdNext = true;
  strict.write(6, 105);
  await strict.arrived(105);
  await strict.send(strict.tap.held as Buffer);
  strict.write(106, 106);
  await strict.arrived(106);
  expect([...strict.received].sort()).toEqual(
    frames(1, 106)
      .filter((f) => f !== 'frame 6')
      .sort(),
  );
});
