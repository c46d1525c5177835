import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { validateConfig } from '../../daemon/config/load-config.js';
import { SimDsp } from '../../daemon/drivers/dsp/sim-dsp.js';
import { SimPtz } from '../../daemon/drivers/ptz/sim-ptz.js';
import { buildApi } from '../../daemon/modules/api/create-api.js';
import { createAuditLog } from '../../daemon/modules/audit/audit-log.js';
import { assembleDevices } from '../../daemon/modules/devices/create-devices.js';
import { createEventBus } from '../../daemon/modules/events/event-bus.js';
import type { GatewayLinkSummary } from '../../common/contracts/daemon-api/health.js';
import { createGatewayLink, type GatewayLink } from '../../daemon/modules/gateway-link/gateway-link.js';
import { createGateway, type Gateway } from '../../gateway/create-gateway.js';
import { startTestHub, type TestHub } from '../../gateway/test/test-hub.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/until.js';
import { testLocalBridge } from '../../gateway/test/local-bridge.js';

const bridge = testLocalBridge();
describe("the daemon's view of the gateway", () => {
  let hub: TestHub;
  let gateway: Gateway;
  let link: GatewayLink;
  let app: FastifyInstance;
  const events: GatewayLinkSummary[] = [];
  const health = async () => (await app.inject({ url: '/api/v1/health' })).json();

  beforeAll(async () => {
    const [hubPort, gwPort, video, audio] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    hub = await startTestHub({ port: hubPort, secret: 'demo-room-secret' });
    gateway = createGateway({
      room: { id: 'room-demo', name: 'Phòng thử' },
      gateway: { hubUrl: hub.url, host: '127.0.0.1', port: gwPort },
      hubLink: { signalUrl: hub.url, token: 'demo-room-secret', wsOptions: {} }, // as an enrollment gives it (the fake hub's token)
      media: { videoRtpPort: video, audioRtpPort: audio },
      keyframeUrl: 'http://127.0.0.1:1/none',
      local: bridge.local,
      logger: silentLogger(),
    });
    await gateway.start();
    const config = validateConfig({});
    const bus = createEventBus();
    bus.on('gateway', (s) => events.push(s));
    const dsp = new SimDsp({ channels: config.audio.channels.map((c) => ({ id: c.id, name: c.name })), meterRateMs: 1000 });
    const devices = assembleDevices(
      [{ config: config.cameras[0]!, driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
      dsp,
      config.audio.presets,
      bus,
      silentLogger(),
    );
    link = createGatewayLink({ url: gateway.address(), stateToken: bridge.stateToken, bus, logger: silentLogger(), intervalMs: 200 });
    await link.start();
    app = await buildApi({
      host: '127.0.0.1',
      port: 0,
      room: config.room,
      version: 'test',
      access: { loopbackRole: 'technician', tokens: [] },
      audit: createAuditLog(join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.jsonl')),
      devices,
      bus,
      gateway: link,
      logger: silentLogger(),
    });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await link?.stop();
    await gateway?.stop();
    await hub?.stop();
  });

  it('shows the gateway state in /health and /gateway, and "down" once the gateway stops', async () => {
    await until('connected in /health', 10_000, async () => (await health()).gateway?.state === 'connected');
    const detail = (await app.inject({ url: '/api/v1/gateway' })).json();
    expect(detail).toMatchObject({ state: 'connected', detail: { room: 'room-demo', hearing: { id: 'hearing-1' } } });

    await gateway.stop();
    await until('down in /health', 10_000, async () => (await health()).gateway?.state === 'down');
    const h = await health();
    expect(h.gateway.reason).toMatch(/unreachable/);
    expect((await app.inject({ url: '/api/v1/gateway' })).json()).toMatchObject({ state: 'down', detail: null });
    expect(events.map((e) => e.state)).toContain('connected');
    expect(events.at(-1)!.state).toBe('down');
  });
});
