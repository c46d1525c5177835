import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizationHeader, chooseChallenge, parseChallenges, parseCredentials } from '../../common/protocols/http-digest/index.js';
import { buildRequest, parseFault, parseSoap } from '../../common/protocols/onvif/index.js';
import { parseCapabilities, parseProfiles, parseSystemDateAndTime } from '../../common/protocols/onvif/soap-device.js';
import { createOnvifCameraSim, type OnvifCameraSim, type OnvifCameraSimOptions } from './index.js';

// The field habits of real cameras (issue 11), each as a client sees it on the wire.
const USER = 'admin';
const PASS = 'pw';
let sim: OnvifCameraSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(o: Partial<OnvifCameraSimOptions> = {}) {
  sim = createOnvifCameraSim({ username: USER, password: PASS, discovery: null, ...o });
  await sim.start();
  return sim;
}

const signed = (body: string, createdMs = Date.now()) =>
  buildRequest(body, { username: USER, password: PASS, nonce: randomBytes(16), created: new Date(createdMs).toISOString() });

async function post(url: string, xml: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml', ...headers }, body: xml });
  return { status: res.status, text: await res.text(), wwwAuth: res.headers.get('www-authenticate') };
}

describe('ONVIF simulator field habits', () => {
  it('clock skew: GetSystemDateAndTime tells the skewed time; tokens dated on ours are NotAuthorized until re-dated', async () => {
    const s = await start({ clockOffsetMs: 10 * 60_000 });
    const t = parseSystemDateAndTime(parseSoap((await post(s.xaddr, buildRequest('<tds:GetSystemDateAndTime/>'))).text).body)!;
    expect(Math.abs(t - (Date.now() + 10 * 60_000))).toBeLessThan(3000);
    const refused = await post(s.xaddr, signed('<tds:GetDeviceInformation/>'));
    expect(refused.status).toBe(400);
    expect(parseFault(parseSoap(refused.text).body)?.subcodes).toEqual(['ter:NotAuthorized']);
    expect((await post(s.xaddr, signed('<tds:GetDeviceInformation/>', t))).status).toBe(200);
    s.setClockOffset(-10 * 60_000); // the camera's clock jumps back
    expect((await post(s.xaddr, signed('<tds:GetDeviceInformation/>', t))).status).toBe(400);
  });

  it('digest-only: WS-Security gets 401 + challenges + the HTML page; the answered challenge passes, a wrong uri does not', async () => {
    const s = await start({ auth: 'digest', digestAlgorithms: ['SHA-256', 'MD5'] });
    const refused = await post(s.xaddr, signed('<tds:GetDeviceInformation/>'));
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('Access Error: 401 -- Unauthorized');
    const cs = parseChallenges(refused.wwwAuth!);
    expect(cs.map((c) => c.params.algorithm)).toEqual(['SHA-256', 'MD5']);
    const c = chooseChallenge(cs)!;
    const path = new URL(s.xaddr).pathname;
    const auth = (uri: string, nc: number) =>
      authorizationHeader(c, { method: 'POST', uri, username: USER, password: PASS, cnonce: 'c0ffee', nc });
    expect((await post(s.xaddr, buildRequest('<tds:GetDeviceInformation/>'), { Authorization: auth(path, 1) })).status).toBe(200);
    expect((await post(s.xaddr, buildRequest('<tds:GetDeviceInformation/>'), { Authorization: auth(path, 2) })).status).toBe(200);
    // a replayed nonce count and a uri that is not the request's are refused
    expect((await post(s.xaddr, buildRequest('<tds:GetDeviceInformation/>'), { Authorization: auth(path, 2) })).status).toBe(401);
    expect((await post(s.xaddr, buildRequest('<tds:GetDeviceInformation/>'), { Authorization: auth('/onvif/media', 3) })).status).toBe(401);
    // the clock stays readable without credentials (ONVIF Core: GetSystemDateAndTime is pre-auth)
    expect((await post(s.xaddr, buildRequest('<tds:GetSystemDateAndTime/>'))).status).toBe(200);
    expect(parseCredentials(auth(path, 4))?.algorithm).toBe('SHA-256');
  });

  it('"both": a UsernameToken or a digest passes, nothing at all gets a challenge', async () => {
    const s = await start({ auth: 'both', digestAlgorithms: ['MD5'] });
    expect((await post(s.xaddr, signed('<tds:GetDeviceInformation/>'))).status).toBe(200);
    const bare = await post(s.xaddr, buildRequest('<tds:GetDeviceInformation/>'));
    expect(bare.status).toBe(401);
    expect(chooseChallenge(parseChallenges(bare.wwwAuth!))?.algorithm).toBe('MD5');
  });

  it('multi-profile: three profiles, the first without a PTZ configuration', async () => {
    const s = await start({ multiProfile: true });
    const profiles = parseProfiles(parseSoap((await post(s.xaddr.replace('device', 'media'), signed('<trt:GetProfiles/>'))).text).body);
    expect(profiles.map((p) => [p.token, p.ptzConfigurationToken])).toEqual([
      ['Profile_MJPEG', undefined],
      ['Profile_1', 'PTZConfigToken'],
      ['Profile_2', undefined],
    ]);
  });

  it("NAT: XAddrs name the camera's LAN address while it is reached on another", async () => {
    const s = await start({ advertisedHost: '192.168.1.64:80' });
    expect(s.xaddr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const caps = parseCapabilities(parseSoap((await post(s.xaddr, signed('<tds:GetCapabilities/>'))).text).body);
    expect(caps).toEqual({
      device: 'http://192.168.1.64:80/onvif/device_service',
      media: 'http://192.168.1.64:80/onvif/media_service',
      ptz: 'http://192.168.1.64:80/onvif/ptz_service',
    });
  });

  it('slow answers per operation, and the traffic it saw (in flight at once, abandoned)', async () => {
    const s = await start();
    s.setActionLatency('GetDeviceInformation', 400);
    expect((await post(s.xaddr, signed('<tds:GetSystemDateAndTime/>'))).status).toBe(200);
    const t1 = performance.now();
    await post(s.xaddr, signed('<tds:GetDeviceInformation/>'));
    expect(performance.now() - t1).toBeGreaterThanOrEqual(390);
    const gone = fetch(s.xaddr, { method: 'POST', body: signed('<tds:GetDeviceInformation/>'), signal: AbortSignal.timeout(100) });
    await expect(gone).rejects.toThrow();
    await expect.poll(() => s.traffic.aborted, { timeout: 5000 }).toBe(1);
    expect(s.traffic.requests.map((r) => r.action)).toEqual(['GetSystemDateAndTime', 'GetDeviceInformation', 'GetDeviceInformation']);
    expect(s.traffic.maxInFlight).toBe(1);
  });
});
