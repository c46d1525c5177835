import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { createGateway, type Gateway } from '../../gateway/create-gateway.js';
import { startGstSource } from '../../gateway/test/gst-source.js';
import { startTestHub, type TestHub } from '../../gateway/test/test-hub.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/until.js';
import { testLocalBridge } from '../../gateway/test/local-bridge.js';

const SECRET = 'demo-room-secret';

const bridge = testLocalBridge();
describe('gateway uplink to a werift hub side', () => {
  let hub: TestHub;
  let gateway: Gateway;
  let gst: ReturnType<typeof startGstSource>;
  let daemon: Server;
  let hubPort: number;
  let httpUrl: string;
  const keyframePosts: number[] = [];

  beforeAll(async () => {
    const [video, audio, gwPort, daemonPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    hubPort = await freePort();
    // The daemon's keyframe route, as far as the gateway can tell.
    daemon = createServer((req, res) => {
      if (req.url === '/api/v1/media/keyframe' && req.method === 'POST') keyframePosts.push(Date.now());
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => daemon.listen(daemonPort, '127.0.0.1', r));
    hub = await startTestHub({ port: hubPort, secret: SECRET });
    gateway = createGateway({
      room: { id: 'room-demo', name: 'Phòng thử' },
      gateway: { hubUrl: hub.url, host: '127.0.0.1', port: gwPort },
      hubLink: { signalUrl: hub.url, token: SECRET, wsOptions: {} }, // as an enrollment gives it (the fake hub's token)
      media: { videoRtpPort: video, audioRtpPort: audio },
      keyframeUrl: `http://127.0.0.1:${daemonPort}/api/v1/media/keyframe`,
      local: bridge.local,
      logger: silentLogger(),
    });
    await gateway.start();
    httpUrl = gateway.address();
    gst = startGstSource({ video, audio });
  });

  afterAll(async () => {
    await gateway?.stop();
    await gst?.stop();
    await hub?.stop();
    daemon?.close();
  });

  it('publishes the worker RTP: the hub side receives video, /state says connected', async () => {
    await until('video at the hub', 15_000, () => hub.counts.videoPackets > 100);
    const state = await (await fetch(`${httpUrl}/state`, { headers: bridge.stateHeaders() })).json();
    expect(state).toMatchObject({ state: 'connected', room: 'room-demo', hearing: { id: 'hearing-1' } });
    expect(state.counters.packetsSent).toBeGreaterThan(100);
    expect(keyframePosts.length).toBeGreaterThan(0); // asked once the publish connection came up
  });

  it('ignores malformed hub messages and keeps the connection', async () => {
    const before = hub.counts.videoPackets;
    hub.sendRaw('not json at all');
    hub.sendRaw(JSON.stringify({ type: 'subscribe-offer', sid: 1 }));
    hub.sendRaw(JSON.stringify({ type: 'no-such-type' }));
    hub.sendRaw('x'.repeat(70 * 1024));
    hub.send({ type: 'hearing', hearing: { id: 'hearing-2', title: 'Phiên 2', participants: [] } });
    await until(
      'hearing applied',
      15_000,
      async () => (await (await fetch(`${httpUrl}/state`, { headers: bridge.stateHeaders() })).json()).hearing?.id === 'hearing-2',
    );
    const s = gateway.status();
    expect(s.state).toBe('connected');
    expect(s.counters.malformedMessages).toBe(4);
    expect(s.counters.reconnects).toBe(0);
    await until('video still flowing', 15_000, () => hub.counts.videoPackets > before + 30);
  });

  it('forwards keyframe requests to the daemon, at most about one per second', async () => {
    const start = keyframePosts.length;
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) hub.send({ type: 'keyframe-request' });
    await new Promise((r) => setTimeout(r, 1300));
    const posts = keyframePosts.slice(start).filter((t) => t >= t0);
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(posts.length).toBeLessThanOrEqual(2);
  });

  it('reconnects by itself when the hub restarts, and media flows again', async () => {
    const states: string[] = [];
    gateway.uplink.tracker.on('change', (s) => states.push(s));
    await hub.stop();
    await until('reconnecting', 15_000, () => gateway.status().state === 'reconnecting');
    await new Promise((r) => setTimeout(r, 800)); // the hub is away for a while
    hub = await startTestHub({ port: hubPort, secret: SECRET });
    await until('connected again', 15_000, () => gateway.status().state === 'connected');
    await until('video at the new hub', 15_000, () => hub.counts.videoPackets > 50);
    expect(states[0]).toBe('reconnecting');
    expect(states.at(-1)).toBe('connected');
    expect(gateway.status().counters.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('rebuilds the publish connection when the hub loses it while signaling stays up', async () => {
    const offers = hub.counts.publishOffers;
    const { reconnects } = gateway.status().counters;
    // The hub loses its side of the media connection; the WebSocket stays. The gateway notices the
    // missing RTCP (werift's own consent timeout would take 30 s) and builds a fresh connection.
    await hub.publishPc()!.close();
    await until('a new publish offer', 15_000, () => hub.counts.publishOffers > offers);
    await until(
      'connected again',
      20_000,
      () => gateway.status().state === 'connected' && gateway.status().counters.freshPublishConnections > 0,
    );
    const before = hub.counts.videoPackets;
    await until('video flowing again', 10_000, () => hub.counts.videoPackets > before + 30);
    expect(gateway.status().counters.reconnects).toBe(reconnects); // the WebSocket was not rebuilt
    expect(gateway.status().counters.freshPublishConnections).toBe(1);
  }, 30_000);
});
