import { describe, expect, it } from 'vitest';
import { createOnvifCameraSim } from '../../simulators/onvif-camera/index.js';
import { discoverCameras } from './discover-cameras.js';

// The Probe / ProbeMatches codec is tested in common/protocols/onvif/ws-discovery.test.ts.
describe('discoverCameras (unicast)', () => {
  it('finds the simulator on a loopback port, once', async () => {
    const sim = createOnvifCameraSim({ username: 'a', password: 'b', port: 0, discovery: { port: 0, address: '127.0.0.1' } });
    await sim.start();
    try {
      const found = await discoverCameras({ timeoutMs: 500, targets: [`127.0.0.1:${sim.discoveryPort}`] });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ xaddrs: [sim.xaddr], address: '127.0.0.1' });
      expect(found[0]!.scopes.length).toBeGreaterThan(0);
    } finally {
      await sim.stop();
    }
  });

  it('nothing listening → empty list, on time', async () => {
    const t0 = Date.now();
    expect(await discoverCameras({ timeoutMs: 300, targets: ['127.0.0.1:9'] })).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});
