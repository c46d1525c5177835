import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import onvif from 'node-onvif';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_FAULTS } from '../faults.js';
import { createOnvifCameraSim, type OnvifCameraSim } from './index.js';
import { buildRequest } from '../../common/protocols/onvif/index.js';

const USER = 'op';
const PASS = 'pass';
const sign = () => ({ username: USER, password: PASS, nonce: randomBytes(16), created: new Date().toISOString() });
const GET_STATUS = '<tptz:GetStatus><tptz:ProfileToken>Profile_1</tptz:ProfileToken></tptz:GetStatus>';

async function post(url: string, body: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml' }, body: buildRequest(body, sign()) });
  return { status: res.status, text: await res.text() };
}

function probe(port: number, waitMs: number): Promise<string | undefined> {
  const xml = readFileSync(new URL('../../common/protocols/onvif/fixtures/node-onvif-probe.xml', import.meta.url), 'utf8');
  const sock = createSocket('udp4');
  return new Promise((resolve) => {
    const done = (v: string | undefined) => {
      clearTimeout(timer);
      sock.close();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), waitMs);
    sock.once('message', (m) => done(m.toString()));
    sock.bind(0, '127.0.0.1', () => sock.send(xml, port, '127.0.0.1'));
  });
}

describe('fault controls', () => {
  let sim: OnvifCameraSim;
  beforeAll(async () => {
    sim = createOnvifCameraSim({ username: USER, password: PASS, discovery: { port: 0, address: '127.0.0.1' } });
    await sim.start();
  });
  afterEach(() => sim.setFaults(NO_FAULTS));
  afterAll(() => sim.stop());

  it('offline: connection refused within 1 s, no discovery answer, back on the same xaddr', async () => {
    const xaddr = sim.xaddr;
    await sim.setFaults({ offline: true });
    expect(sim.health()).toMatchObject({ state: 'running', faults: { offline: true } });
    const t0 = performance.now();
    const err = await post(xaddr, GET_STATUS).then(
      () => undefined,
      (e: Error & { cause?: { code?: string } }) => e,
    );
    expect(err?.cause?.code).toMatch(/ECONNREFUSED|ECONNRESET/);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await probe(sim.discoveryPort!, 300)).toBeUndefined();

    await sim.setFaults({ offline: false });
    expect(sim.xaddr).toBe(xaddr);
    expect((await post(xaddr, GET_STATUS)).status).toBe(200);
  });

  it('offline cuts a request that is already waiting (latency) with a reset, not a hang', async () => {
    await sim.setFaults({ latencyMs: 5000 });
    const pending = post(sim.xaddr, GET_STATUS).then(
      () => 'answered',
      (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message,
    );
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await sim.setFaults({ offline: true });
    expect(await pending).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('latency delays every answer, discovery included', async () => {
    await sim.setFaults({ latencyMs: 400 });
    let t0 = performance.now();
    expect((await post(sim.xaddr, GET_STATUS)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
    t0 = performance.now();
    expect(await probe(sim.discoveryPort!, 2000)).toContain('ProbeMatches');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
  });

  it('garbage: the reply is not XML and node-onvif fails to parse it', async () => {
    await sim.setFaults({ garbage: true });
    const r = await post(sim.xaddr, '<tds:GetDeviceInformation/>');
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('</env:Envelope>');
    const cam = new onvif.OnvifDevice({ xaddr: sim.xaddr, user: USER, pass: PASS });
    await expect(cam.init()).rejects.toThrow();
  });

  it('protocolError: every PTZ call gets a SOAP fault, device/media still answer', async () => {
    const cam = new onvif.OnvifDevice({ xaddr: sim.xaddr, user: USER, pass: PASS });
    await cam.init();
    const ptz = cam.services.ptz;
    if (!ptz) throw new Error('node-onvif found no PTZ service');
    await sim.setFaults({ protocolError: true });
    const r = await post(sim.xaddr, GET_STATUS);
    expect(r.status).toBe(500);
    expect(r.text).toContain('<env:Value>ter:Action</env:Value>');
    await expect(ptz.getStatus({ ProfileToken: 'Profile_1' })).rejects.toThrow(/500.*Simulated PTZ failure/);
    expect((await post(sim.xaddr, '<tds:GetDeviceInformation/>')).status).toBe(200);
    await sim.setFaults({ protocolError: false });
    expect((await ptz.getStatus({ ProfileToken: 'Profile_1' })).data.GetStatusResponse).toBeDefined();
  });
});
