import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { createGateway, type Gateway } from '../../gateway/create-gateway.js';
import { startGstSource } from '../../gateway/test/gst-source.js';
import { loadHubConfig } from '../../hub/config/load-config.js';
import { openHubLink } from '../../common/enrollment/hub-link.js';
import { createHub } from '../../hub/create-hub.js';
import { enrollRoomAt } from '../../hub/test/enroll-room.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/until.js';
import { testLocalBridge } from '../../gateway/test/local-bridge.js';

/** RTP packets the hub received from room-demo (its Prometheus exposition). */
async function hubReceived(hubUrl: string): Promise<number> {
  const text = await (await fetch(`${hubUrl}/metrics`)).text().catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.startsWith('reception_hub_received_packets_total') && l.includes('room-demo'))
    .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
}

const bridge = testLocalBridge();
describe('gateway against the real hub (in process)', () => {
  let hub: ReturnType<typeof createHub>;
  let gateway: Gateway;
  let gst: ReturnType<typeof startGstSource>;
  let hubUrl: string;
  let port: number;
  const stateDir = mkdtempSync(join(tmpdir(), 'gw-hub-'));
  const startHub = async () => {
    const config = await loadHubConfig(
      undefined,
      { port },
      { RECEPTION_HUB_STATE_DIR: stateDir, RECEPTION_HUB_ALLOW_LOOPBACK_OFFICERS: '1' },
    ); // /metrics from loopback
    hub = createHub({ ...config, store: undefined, tls: undefined, host: '127.0.0.1', logger: silentLogger() }); // files (no --store); loopback: plain http (config.tls is the unresolved config)
    await hub.start();
  };

  beforeAll(async () => {
    const [video, audio, gwPort] = await Promise.all([freePort(), freePort(), freePort()]);
    port = await freePort();
    hubUrl = `http://127.0.0.1:${port}`;
    await startHub();
    const box = mkdtempSync(join(tmpdir(), 'gw-box-')); // the room enrolls by one-time code; its credential is the enrollment's
    await enrollRoomAt({ hubUrl, hubStateDir: stateDir, room: 'room-demo', boxStateDir: box });
    gateway = createGateway({
      room: { id: 'room-demo', name: 'Phòng thử' },
      gateway: { hubUrl: `ws://127.0.0.1:${port}/api/v1/signal`, host: '127.0.0.1', port: gwPort },
      hubLink: await openHubLink(box, { hubUrl }),
      media: { videoRtpPort: video, audioRtpPort: audio },
      keyframeUrl: 'http://127.0.0.1:1/none',
      local: bridge.local,
      logger: silentLogger(),
    });
    await gateway.start();
    gst = startGstSource({ video, audio });
  });

  afterAll(async () => {
    await gateway?.stop();
    await gst?.stop();
    await hub?.stop();
  });

  it('publishes to the hub, and comes back by itself after a hub restart', async () => {
    await until('connected', 15_000, () => gateway.status().state === 'connected');
    await until('packets at the hub', 15_000, async () => (await hubReceived(hubUrl)) > 100);
    // The signaling round trip (what the kiosk words as link quality) is measured from the first ping.
    const rtt = gateway.status().rttMs;
    expect(rtt).toBeTypeOf('number');
    expect(rtt!).toBeGreaterThanOrEqual(0);
    expect(rtt!).toBeLessThan(1000);
    await hub.stop();
    await until('reconnecting', 15_000, () => gateway.status().state === 'reconnecting');
    expect(gateway.status().rttMs).toBeUndefined(); // no link, no figure
    await startHub();
    await until('connected again', 15_000, () => gateway.status().state === 'connected');
    await until('packets at the restarted hub', 15_000, async () => (await hubReceived(hubUrl)) > 100);
    expect(gateway.status().counters.reconnects).toBeGreaterThanOrEqual(1);
  }, 45_000);
});
