import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gatewayStatus } from '../../common/contracts/test/samples.js';
import type { GatewayStatus } from '../../common/contracts/gateway-state.js';
import { issueTicket, KIOSK_PROTOCOL, TICKET_PREFIX } from '../../common/local-bridge/bridge-ticket.js';
import { silentLogger } from '../../common/log.js';
import { buildLocalApi } from '../../gateway/local-api.js';
import { testLocalBridge } from '../../gateway/test/local-bridge.js';
import { createRtpSource } from '../../gateway/uplink/rtp-source.js';
import { Subscriptions } from '../../gateway/uplink/subscriptions.js';
import { freePort } from '../helpers/free-port.js';

// Issue 10 (medium): the gateway's kiosk bridge (/kiosk/signal) and /state answered anyone on the box
// and any web page (no auth, no Origin check, no cap). Now: a ticket the daemon issued, the kiosk's
// origin, at most 4 peers; /state only with the token derived from the room's local secret.

const KIOSK_ORIGIN = 'http://127.0.0.1:8080';
type Outcome = { opened: WebSocket } | { status: number; body: { code?: string; message?: string } };

function open(url: string, protocols: string[], origin?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, origin ? { origin } : {});
    ws.once('open', () => resolve({ opened: ws }));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
    });
    ws.once('error', (err) => reject(err));
  });
}

describe('kiosk bridge and /state on the gateway', () => {
  const bridge = testLocalBridge([KIOSK_ORIGIN]);
  let app: FastifyInstance;
  let base: string;
  const sockets: WebSocket[] = [];
  const subscriptions = new Subscriptions(silentLogger());

  beforeAll(async () => {
    const [video, audio] = await Promise.all([freePort(), freePort()]);
    app = await buildLocalApi({
      host: '127.0.0.1',
      port: 0,
      status: () => gatewayStatus as GatewayStatus,
      local: bridge.local,
      kiosk: {
        room: { id: 'room-test', name: 'Phòng thử' },
        source: createRtpSource({ host: '127.0.0.1', videoPort: video, audioPort: audio, logger: silentLogger() }),
        subscriptions,
        requestSelfKeyframe: () => undefined,
        logger: silentLogger(),
      },
      logger: silentLogger(),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/kiosk/signal`;
  });

  afterAll(async () => {
    for (const s of sockets) s.terminate();
    subscriptions.dispose();
    await app.close();
  });

  it('/state: 401 without the local token or with another one, 200 with it', async () => {
    expect((await app.inject({ url: '/state' })).statusCode).toBe(401);
    const wrong = await app.inject({ url: '/state', headers: { authorization: `Bearer ${testLocalBridge().stateToken}` } });
    expect(wrong.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    expect((await app.inject({ url: '/state?token=x' })).statusCode).toBe(401);
    const ok = await app.inject({ url: '/state', headers: bridge.stateHeaders() });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'connected' });
  });

  it("no ticket → 401 naming what is needed; a forged, another secret's or a reused ticket → 401 with the reason", async () => {
    const none = await open(base, [KIOSK_PROTOCOL], KIOSK_ORIGIN);
    expect(none).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    expect((none as { body: { message: string } }).body.message).toMatch(/ticket/);

    const forged = `${issueTicket(Buffer.alloc(32, 7)).ticket}`;
    expect(await open(base, [KIOSK_PROTOCOL, `${TICKET_PREFIX}${forged}`], KIOSK_ORIGIN)).toMatchObject({
      status: 401,
      body: { message: expect.stringMatching(/bad-signature/) },
    });
    expect(await open(base, [KIOSK_PROTOCOL, `${TICKET_PREFIX}garbage`], KIOSK_ORIGIN)).toMatchObject({
      status: 401,
      body: { message: expect.stringMatching(/malformed/) },
    });

    const protocols = bridge.protocols();
    const first = await open(base, protocols, KIOSK_ORIGIN);
    expect('opened' in first && first.opened.protocol).toBe(KIOSK_PROTOCOL);
    if ('opened' in first) first.opened.close();
    expect(await open(base, protocols, KIOSK_ORIGIN)).toMatchObject({ status: 401, body: { message: expect.stringMatching(/reused/) } });
  });

  it('a ticket in the URL is no ticket (credentials never ride in URLs: logs, history)', async () => {
    const inUrl = `${base}?ticket=${encodeURIComponent(bridge.ticket())}`;
    expect(await open(inUrl, [KIOSK_PROTOCOL], KIOSK_ORIGIN)).toMatchObject({ status: 401 });
  });

  it('a page of another origin is refused (403), even with a valid ticket', async () => {
    for (const origin of ['http://evil.example', 'http://127.0.0.1:8081.evil.example', 'null', 'http://127.0.0.1:9999'])
      expect(await open(base, bridge.protocols(), origin)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('four kiosk peers at once; the fifth is refused with the reason (429), and a slot frees when one leaves', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await open(base, bridge.protocols(), KIOSK_ORIGIN);
      if (!('opened' in r)) throw new Error(`peer ${i + 1} refused: ${JSON.stringify(r)}`);
      sockets.push(r.opened);
    }
    const fifth = await open(base, bridge.protocols(), KIOSK_ORIGIN);
    expect(fifth).toMatchObject({ status: 429, body: { code: 'TOO_MANY_PEERS' } });
    expect((fifth as { body: { message: string } }).body.message).toMatch(/4 kiosk connections already open/);

    const leaving = sockets.pop()!;
    const closed = new Promise((r) => leaving.once('close', r));
    leaving.close();
    await closed;
    // The server counts the peer gone when its side of the socket closes; poll with fresh tickets.
    let again: Outcome | undefined;
    for (let i = 0; i < 100 && !(again && 'opened' in again); i++) again = await open(base, bridge.protocols(), KIOSK_ORIGIN);
    expect(again && 'opened' in again).toBe(true);
    if (again && 'opened' in again) sockets.push(again.opened);
  });
});
