import { afterEach, expect, it } from 'vitest';
import { RtpHeader, RtpPacket, type RTCPeerConnection } from 'werift';
import { createSocket } from 'node:dgram';
import { silentLogger } from '../../common/log.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { until } from '../../tests/helpers/until.js';
import { closeQuietly, completeLocalSdp, createPeer } from '../peer/peer-config.js';
import { Publisher } from './publisher.js';
import { createRtpSource } from './rtp-source.js';

// Issue 12: a fresh publish connection sometimes said connected and carried nothing until the 3 s RTCP-silence
// rule replaced it. The gateway (offerer) is the DTLS server: it counts itself connected once it has sent its
// last flight (ChangeCipherSpec + Finished, RFC 6347 flight 6). If that flight is lost, the hub's client sends
// its flight 5 again (§4.2.4) and the server must answer with flight 6 again, or the hub never gets its keys.

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A DTLS record's kind: ChangeCipherSpec, an encrypted (epoch 1) handshake record — a Finished —, or hs<type>. */
function recordKind(b: Buffer): string | null {
  if (b[0] === 20) return 'ccs';
  if (b[0] !== 22) return null;
  return b.readUInt16BE(3) === 1 ? 'fin' : `hs${b[13]}`;
}

/** Drops the first `times` records of each kind named, as they leave one peer's ICE socket. */
function loseOnTheWay(pc: RTCPeerConnection, lose: Record<string, number>) {
  const ice = pc.iceTransports[0]!.connection as unknown as { send: (b: Buffer) => Promise<void> };
  const send = ice.send.bind(ice);
  const seen: Record<string, number> = {};
  ice.send = async (b: Buffer) => {
    const kind = recordKind(b);
    if (kind !== null && (seen[kind] = (seen[kind] ?? 0) + 1) <= (lose[kind] ?? 0)) return;
    return send(b);
  };
  return seen;
}

// The gateway (offerer) is the DTLS server, the hub the client (werift's answerer is `active`).
/** Datagrams to drop by kind (hs<type>, ccs, fin): how many of each, on the way out of the gateway or the hub. */
type Loss = { what: string; gateway?: Record<string, number>; hub?: Record<string, number> };
const losses: Loss[] = [
  { what: "the gateway's flight 6 (ChangeCipherSpec + Finished) lost once", gateway: { ccs: 1, fin: 1 } },
  { what: "the gateway's flight 6 lost twice", gateway: { ccs: 2, fin: 2 } },
  { what: "the gateway's flight 4 (ServerHello…) lost once", gateway: { hs2: 1 } },
  { what: "the hub's flight 5 (ClientKeyExchange, Finished…) lost once", hub: { hs16: 1, ccs: 1, fin: 1 } },
  { what: "the hub's first ClientHello lost", hub: { hs1: 1 } },
  { what: "the hub's ClientKeyExchange lost once", hub: { hs16: 1 } },
  { what: "the hub's Finished lost once", hub: { fin: 1 } },
  { what: "the hub's Certificate lost once", hub: { hs11: 1 } },
  { what: "the hub's CertificateVerify lost once", hub: { hs15: 1 } },
];

it.each(losses)(
  '$what: both ends connect and video reaches the hub',
  async (loss) => {
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

    const offer = await publisher.freshOffer();
    const gatewaySent = loseOnTheWay((publisher as unknown as { pc: RTCPeerConnection }).pc, loss.gateway ?? {});
    await hub.setRemoteDescription({ type: 'offer', sdp: offer });
    await hub.setLocalDescription(await hub.createAnswer());
    const hubSent = loseOnTheWay(hub, loss.hub ?? {});
    await publisher.applyAnswer(await completeLocalSdp(hub));

    const sent = () => `gateway sent ${JSON.stringify(gatewaySent)}, hub sent ${JSON.stringify(hubSent)}`;
    // werift retransmits a flight after 0.5 s, 1 s, 1.5 s…: wide ceilings, well under its 33 s give-up.
    await until(
      () => `gateway connected (${publisher.connectionState}; ${sent()})`,
      30_000,
      () => publisher.connectionState === 'connected',
    );
    await until(
      () => `hub connected (${hub.connectionState}; ${sent()})`,
      30_000,
      () => hub.connectionState === 'connected',
    );
    for (const [kind, n] of Object.entries({ ...loss.gateway, ...loss.hub })) {
      expect((loss.gateway ? gatewaySent : hubSent)[kind] ?? 0, `${kind} sent again after its loss (${sent()})`).toBeGreaterThan(n);
    }

    const udp = createSocket('udp4');
    cleanup.push(() => udp.close());
    let i = 0;
    await until(
      () => `video at the hub (have ${received.length})`,
      15_000,
      () => {
        const h = new RtpHeader({ ssrc: 0x1234, sequenceNumber: 1000 + i, timestamp: i * 3000, payloadType: 96 });
        udp.send(new RtpPacket(h, Buffer.from(`p ${i++}`)).serialize(), videoPort, '127.0.0.1');
        return received.length > 0;
      },
      100,
    );
  },
  120_000,
);
