import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEnrollment } from '../../../common/contracts/enrollment-file.js';
import { rfcKey } from '../../../common/evidence/test/chain-fixture.js';
import { silentLogger } from '../../../common/log.js';
import { enrollInProcess } from '../../../hub/test/enroll-room.js';
import { OFFICER_TOKEN, startTestHub } from '../../../hub/test/hub-fixture.js';
import { validateConfig } from '../../config/load-config.js';
import { SimDsp } from '../../drivers/dsp/sim-dsp.js';
import { SimPtz } from '../../drivers/ptz/sim-ptz.js';
import { createBookStore } from '../book/book-store.js';
import { assembleDevices } from '../devices/create-devices.js';
import { createManifestWriter } from '../evidence/manifest-file.js';
import { createEventBus } from '../events/event-bus.js';
import { createHealth } from '../health/create-health.js';
import { createFleetReport } from './create-fleet-report.js';

// The reporter speaks as the room its enrollment says: the hub URL and token from
// <state>/keys/enrollment.json win over the config's; not enrolled (and no secret), the hub refuses it.

const recordingsDir = mkdtempSync(join(tmpdir(), 'fleet-enrolled-'));
const bookKey = randomBytes(32);
const manifest = createManifestWriter({ recordingsDir, key: rfcKey, room: 'room-e' });
const book = createBookStore({ recordingsDir, bookKey: () => bookKey, manifest, logger: silentLogger() });
const config = validateConfig({});
const devices = assembleDevices(
  [{ config: config.cameras[0]!, driver: new SimPtz({ id: 'cam1', timeoutMs: 1500 }) }],
  new SimDsp({ channels: [], meterRateMs: 100 }),
  [],
  createEventBus(),
  silentLogger(),
);
const health = createHealth({ devices, room: { id: 'room-e', name: 'Phòng E' }, version: 'test' });

describe('fleet reporter with an enrollment', () => {
  let hub: Awaited<ReturnType<typeof startTestHub>>;
  beforeAll(async () => {
    await devices.start();
    hub = await startTestHub({ rooms: 0, allowLoopbackOfficers: false }); // the test's own calls carry a token
  });
  afterAll(async () => {
    await hub?.stop();
    await devices.stop();
  });
  const reporter = (stateDir: string, hubUrl = 'http://127.0.0.1:9') =>
    createFleetReport({ hubUrl, secret: '', stateDir, room: { id: 'room-e' }, intervalMs: 60_000, health, book, logger: silentLogger() });

  it('reports with the enrollment token to the enrollment URL; the hub shows the room', async () => {
    const { token, fingerprint } = await enrollInProcess(hub.enrollment, 'room-e', 'Phòng E');
    const stateDir = mkdtempSync(join(tmpdir(), 'box-'));
    const receipt = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n';
    await writeEnrollment(stateDir, {
      hubUrl: hub.url,
      room: 'room-e',
      name: 'Phòng E',
      token,
      fingerprint,
      enrolledAt: new Date().toISOString(),
      hubReceiptKeyPem: receipt,
    });
    const r = reporter(stateDir);
    await r.start();
    await r.reportNow();
    expect(r.summary()).toMatchObject({ state: 'reporting', url: `${hub.url}/api/v1/fleet/rooms/room-e/report` });
    const rooms = (await hub.app.inject({ url: '/api/v1/fleet/rooms', headers: { authorization: `Bearer ${OFFICER_TOKEN}` } })).json() as {
      id: string;
      health: unknown;
    }[];
    expect(rooms.find((x) => x.id === 'room-e')?.health).toBeTruthy();
    await r.stop();
  });

  it('not enrolled and no secret: refused (failing, 401 in its error)', async () => {
    const r = reporter(mkdtempSync(join(tmpdir(), 'box-')), hub.url); // the right hub, no credential
    await r.start();
    await r.reportNow();
    expect(r.summary()).toMatchObject({ state: 'failing', lastError: expect.stringMatching(/^hub 401/) });
    await r.stop();
  });
});
