// patches/werift+0.25.2.patch, issue 15 (send path): werift's UDP sockets answer an IP literal's lookup at
// once, so a datagram leaves in the send() call instead of one process.nextTick later (one tick per RTP
// packet). Observable: a socket closed right after send() has still sent the datagram (before the patch,
// the deferred send found the socket closed and dropped it).
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { UdpTransport } from 'werift';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

async function receiver() {
  const rx = createSocket('udp4');
  sockets.push(rx);
  await new Promise<void>((r) => rx.bind(0, '127.0.0.1', r));
  const first = new Promise<string>((r) => rx.once('message', (m) => r(m.toString())));
  // a wide ceiling: the datagram is on loopback, it comes at once or never
  const received = Promise.race([first, new Promise<string>((r) => setTimeout(() => r('nothing within 10 s'), 10_000).unref())]);
  return { port: rx.address().port, received };
}

describe('UdpTransport send', () => {
  it('hands a datagram to an IP literal to the kernel within send()', async () => {
    const { port, received } = await receiver();
    const transport = await UdpTransport.init('udp4');
    void transport.send(Buffer.from('rtp'), ['127.0.0.1', port]);
    transport.socket.close();
    expect(await received).toBe('rtp');
  });

  it('still resolves a host name through DNS', async () => {
    const { port, received } = await receiver();
    const transport = await UdpTransport.init('udp4');
    await transport.send(Buffer.from('by name'), ['localhost', port]);
    expect(await received).toBe('by name');
    await transport.close();
  });

  it('binds as before: "listening" after init, the address known', async () => {
    const transport = await UdpTransport.init('udp4');
    expect(transport.port).toBeGreaterThan(0);
    await transport.close();
  });
});
