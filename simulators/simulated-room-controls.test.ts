// The simulated room's fault actions over the control API (issue 12, part Q): the camera's password
// changed, its power flapping, the DSP unplugged / rebooted / sent a configuration. Real simulators (no
// picture: no GStreamer), real socat cable for the DSP.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANNER } from '../common/protocols/tesira-ttp/index.js';
import { buildRequest } from '../common/protocols/onvif/envelope.js';
import { deviceRequests } from '../common/protocols/onvif/soap-requests.js';
import { until } from '../tests/helpers/until.js';
import { startSimulatedRoom } from './simulated-room.js';

let room: Awaited<ReturnType<typeof startSimulatedRoom>>;
const dir = mkdtempSync(join(tmpdir(), 'simroom-q-'));

beforeAll(async () => {
  room = await startSimulatedRoom({
    host: '127.0.0.1',
    onvifPort: 0,
    rtspPort: 0,
    discoveryPort: null,
    controlPort: 0,
    dir,
    username: 'admin',
    password: 'old-pass',
    name: 'Q',
    picture: false,
  });
});
afterAll(async () => {
  await room?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (path: string, body: unknown = {}) => {
  const r = await fetch(`${room.endpoints.control}${path}`, { method: 'POST', body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};
const sims = async () =>
  (await (await fetch(`${room.endpoints.control}/sims`)).json()) as Record<string, { state: Record<string, unknown>; actions: string[] }>;

/** GetDeviceInformation signed with `password`: the camera's answer status. */
const onvifWith = async (password: string) => {
  const xml = buildRequest(deviceRequests.getDeviceInformation(), {
    username: 'admin',
    password,
    nonce: randomBytes(16),
    created: new Date().toISOString(),
  });
  const r = await fetch(room.endpoints.onvif.xaddr, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body: xml });
  const text = await r.text();
  return { status: r.status, fault: /NotAuthorized/.test(text) };
};

const tcpOpen = (url: string) =>
  new Promise<boolean>((resolve) => {
    const u = new URL(url);
    const s = connect(Number(u.port), u.hostname);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

describe('simulated room fault actions', () => {
  it('lists its actions', async () => {
    const s = await sims();
    expect(s.onvif.actions).toEqual(expect.arrayContaining(['password', 'flap', 'flap-stop', 'power-off', 'power-on', 'clock', 'auth']));
    expect(s.tesira.actions).toEqual(expect.arrayContaining(['unplug', 'plug', 'reboot', 'push-config']));
    expect((await post('/sims/onvif/nope')).status).toBe(404);
  });

  it('camera password changed: the old password is refused, the new one taken', async () => {
    expect(await onvifWith('old-pass')).toEqual({ status: 200, fault: false });
    expect((await post('/sims/onvif/password', { password: '' })).status).toBe(400);
    expect((await post('/sims/onvif/password', { password: 'new-pass' })).status).toBe(200);
    expect((await onvifWith('old-pass')).fault).toBe(true);
    expect(await onvifWith('new-pass')).toEqual({ status: 200, fault: false });
    await post('/sims/onvif/password', { password: 'old-pass' });
    expect((await onvifWith('old-pass')).fault).toBe(false);
  });

  it('camera power flapping: down then up, cycle after cycle, and flap-stop leaves it on', async () => {
    expect((await post('/sims/onvif/flap', { downMs: 10 })).status).toBe(400);
    expect((await post('/sims/onvif/flap', { downMs: 300, upMs: 300 })).status).toBe(200);
    const xaddr = room.endpoints.onvif.xaddr;
    await until('camera off', 5000, async () => !(await tcpOpen(xaddr)));
    await until('two flap cycles', 10_000, async () => ((await sims()).onvif.state.flapCycles as number) >= 2);
    const stopped = await post('/sims/onvif/flap-stop');
    expect(stopped.status).toBe(200);
    expect((stopped.body.result as { cycles: number }).cycles).toBeGreaterThanOrEqual(2);
    expect((await sims()).onvif.state).toMatchObject({ powered: true, flapping: false });
    expect(await tcpOpen(xaddr)).toBe(true);
    expect((await post('/sims/onvif/power-off')).status).toBe(200);
    expect(await tcpOpen(xaddr)).toBe(false);
    expect((await post('/sims/onvif/power-on')).status).toBe(200);
    expect(await tcpOpen(xaddr)).toBe(true);
  });

  it('DSP unplugged and plugged back, rebooted, sent a configuration', async () => {
    const port = new SerialPort({ path: room.endpoints.tesira.device, baudRate: 115200, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    let heard = '';
    port.on('data', (d: Buffer) => (heard += d.toString('latin1')));
    try {
      expect((await post('/sims/tesira/unplug')).body.health).toMatchObject({ faults: { offline: true } });
      heard = '';
      expect((await post('/sims/tesira/plug')).body.health).toMatchObject({ faults: { offline: false } });
      await until('banner after plug', 5000, () => heard.includes(BANNER));
      heard = '';
      expect((await post('/sims/tesira/reboot', { bootMs: 50 })).status).toBe(200);
      await until('banner after reboot', 5000, () => heard.includes(BANNER));
      expect((await post('/sims/tesira/reboot', { bootMs: -1 })).status).toBe(400);
      expect((await post('/sims/tesira/push-config')).status).toBe(200);
    } finally {
      await new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r()));
    }
  });
});
