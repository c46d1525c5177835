import { PEOPLE_ROLES } from '../auth/identity.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { sha256Hex } from '../config/auth.js';
import { buildHub } from '../create-hub.js';
import { enrollRooms, OFFICER_TOKEN } from '../test/hub-fixture.js';

// A room's report reaches the console as the room sent it: fastify's ajv (coerceTypes) turned every
// null of an Integer|Null or String|Null field into 0 or "" — an idle room's disk showed
// "~0 min of recording" in red. The report body is checked by the TypeBox contract itself.

const idleReport = {
  at: new Date().toISOString(),
  version: '0.1.0-test',
  uptimeS: 3,
  status: 'ok',
  reportSeconds: 10,
  devices: [{ id: 'cam1', kind: 'camera', state: 'online' }],
  media: { state: 'online', source: null },
  gateway: { state: 'connected' },
  recording: { state: 'idle', hearing: null, segments: 0, alarm: null },
  uploader: { state: 'idle', backlogFiles: 0, backlogBytes: 0, oldestAgeS: 0 },
  disk: { freeMb: 76_595, minutesLeft: null },
};

describe('fleet report nulls', () => {
  let built: Awaited<ReturnType<typeof buildHub>>;
  let token = '';
  beforeAll(async () => {
    built = await buildHub({
      host: '127.0.0.1',
      port: 0,
      publicUrl: '',
      allowLoopbackOfficers: false,
      tokens: [{ name: 'Cán bộ thử', sha256: sha256Hex(OFFICER_TOKEN), roles: [...PEOPLE_ROLES] }],
      ice: { hostAddresses: ['127.0.0.1'], useIpv6: false, stunUrls: [], portMin: 0, portMax: 0 },
      archive: { enabled: false, dir: '', maxChunkMb: 4 },
      logger: silentLogger(),
    });
    await built.app.ready();
    [token] = (await enrollRooms(built.enrollment, 1)) as [string];
  });
  afterAll(() => built?.app.close());
  const report = (body: object) =>
    built.app.inject({
      method: 'POST',
      url: '/api/v1/fleet/rooms/room-demo/report',
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });

  it('keeps null as null (minutes left, source on air, hearing), not 0 or ""', async () => {
    const res = await report(idleReport);
    expect(res.statusCode, res.body).toBe(200);
    const rooms = (
      await built.app.inject({ method: 'GET', url: '/api/v1/fleet/rooms', headers: { authorization: `Bearer ${OFFICER_TOKEN}` } })
    ).json();
    const health = rooms.find((r: { id: string }) => r.id === 'room-demo').health;
    expect(health.disk).toEqual({ freeMb: 76_595, minutesLeft: null });
    expect(health.media.source).toBeNull();
    expect(health.recording.hearing).toBeNull();
  });

  it("a room's box: no sensor stays null (not 0 °C), an unknown link speed null (not 0 Mbit/s)", async () => {
    const host = {
      sampledAt: new Date().toISOString(),
      cpuPercent: 3.3,
      load1: 0.4,
      cores: 2,
      memTotalMb: 24_105,
      memAvailableMb: 23_600,
      tempC: null,
      tempMaxC: null,
      disks: [{ mount: '/', fs: '/dev/vda', type: 'ext4', sizeMb: 258_020, freeMb: 79_797, holds: ['recordings', 'state'] }],
      net: [{ iface: 'eth0', up: true, state: 'up', type: 'wired', default: true, speedMbps: null, rxKbps: null, txKbps: null }],
    };
    expect((await report({ ...idleReport, host })).statusCode).toBe(200);
    const rooms = (
      await built.app.inject({ method: 'GET', url: '/api/v1/fleet/rooms', headers: { authorization: `Bearer ${OFFICER_TOKEN}` } })
    ).json();
    expect(rooms.find((r: { id: string }) => r.id === 'room-demo').health.host).toEqual(host);
    expect((await report({ ...idleReport, host: null })).statusCode).toBe(200); // not sampled yet
  });

  it('still refuses a malformed report with 400 naming the field, and takes no string for a number', async () => {
    const bad = await report({ ...idleReport, disk: { freeMb: '76595', minutesLeft: null } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_REQUEST', field: 'body.disk.freeMb' });
    const missing = await report({ ...idleReport, devices: undefined });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().field).toMatch(/^body/);
  });
});
