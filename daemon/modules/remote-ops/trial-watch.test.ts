import { describe, expect, it } from 'vitest';
import type { HealthReply } from '../../../common/contracts/daemon-api/health.js';
import { unhealthyParts, watchTrial } from './trial-watch.js';

// What "healthy" means for a config on trial, on health replies shaped as GET /api/v1/health answers.

const since = new Date().toISOString();
const online = { state: 'online' as const, since, reconnects: 0 };
const reply = (over: Partial<HealthReply> = {}): HealthReply =>
  ({
    status: 'ok',
    room: { id: 'r', name: 'r' },
    version: '1',
    uptimeS: 1,
    memoryRssMb: 1,
    devices: [{ id: 'cam1', kind: 'camera', health: online }],
    media: { health: online, source: 'primary', restarts: 0 },
    gateway: { state: 'connected', since },
    ...over,
  }) as HealthReply;

describe('trial health', () => {
  it('ok only with the room ok, a camera on air and the gateway connected; says what is wrong', () => {
    expect(unhealthyParts(reply())).toEqual([]);
    expect(unhealthyParts(reply({ media: { health: online, source: 'slate', restarts: 0 } }))).toEqual(['media: no camera on air (slate)']);
    expect(unhealthyParts(reply({ gateway: { state: 'down', since, reason: 'ECONNREFUSED' } }))).toEqual(['gateway down (ECONNREFUSED)']);
    const off = { state: 'offline' as const, since, reconnects: 2, lastError: 'timeout' };
    expect(unhealthyParts(reply({ status: 'degraded', devices: [{ id: 'cam1', kind: 'camera', health: off }] }))).toEqual([
      'status degraded: cam1 offline (timeout)',
    ]);
  });

  it('watchTrial resolves null once healthy, or with what is wrong at the deadline', async () => {
    let h = reply({ gateway: { state: 'connecting', since } });
    const ok = watchTrial({ snapshot: () => h }, Date.now() + 60_000, 20);
    setTimeout(() => (h = reply()), 50);
    expect(await ok.result).toBeNull();
    const late = watchTrial({ snapshot: () => reply({ gateway: undefined }) }, Date.now() + 60, 20);
    expect(await late.result).toEqual(['gateway absent']);
  });
});
