import { afterEach, describe, expect, it } from 'vitest';
import { createOnvifCameraSim, type OnvifCameraSim, type OnvifCameraSimOptions } from '../../../../simulators/onvif-camera/index.js';
import { describePtzContract } from '../../../../tests/contract/ptz-contract.js';
import { until } from '../../../../tests/helpers/until.js';
import { OnvifPtz, type OnvifPtzOptions } from '../onvif-ptz.js';

// Field behaviours of issue 11 (part A), driver against the simulator with the camera's habit switched on.
const creds = { username: 'admin', password: 'reception' };
const TEN_MIN = 10 * 60_000;
let pairs: { sim: OnvifCameraSim; driver: OnvifPtz }[] = [];
afterEach(async () => {
  for (const p of pairs) {
    await p.driver.stop();
    await p.sim.stop();
  }
  pairs = [];
});

async function pair(sim: Partial<OnvifCameraSimOptions>, drv: Partial<OnvifPtzOptions> = {}, before?: (s: OnvifCameraSim) => void) {
  const s = createOnvifCameraSim({ ...creds, port: 0, discovery: null, ...sim });
  await s.start();
  before?.(s);
  const driver = new OnvifPtz({ id: 'cam-field', xaddr: s.xaddr, ...creds, timeoutMs: 1500, ...drv });
  pairs.push({ sim: s, driver });
  await driver.start();
  return { sim: s, driver };
}

const online = (d: OnvifPtz, ms = 20_000) =>
  until(
    () => `camera online (health: ${JSON.stringify(d.health())})`,
    ms,
    () => d.health().state === 'online',
  );
const lastError = (d: OnvifPtz) => until('a connect error', 20_000, () => d.health().lastError);
const since = (s: OnvifCameraSim, n: number) => s.traffic.requests.slice(n).map((r) => `${r.action} ${r.status}`);

describe('OnvifPtz in the field', () => {
  it('camera clock jumps ±10 min: healed within one retry (clock re-read, call sent again), never offline', async () => {
    const { sim, driver } = await pair({});
    await online(driver);
    for (const jump of [TEN_MIN, -TEN_MIN]) {
      sim.setClockOffset(jump);
      const n = sim.traffic.requests.length;
      const t0 = performance.now();
      await expect(driver.status()).resolves.toBeDefined();
      const healMs = performance.now() - t0;
      expect(since(sim, n)).toEqual(['GetStatus 400', 'GetSystemDateAndTime 200', 'GetStatus 200']);
      expect(Math.abs(driver.transport.clockOffsetMs - jump)).toBeLessThan(3000);
      expect(driver.health().state).toBe('online');
      console.info(`clock jump ${jump / 60_000} min healed in ${healMs.toFixed(0)} ms (one retry)`);
    }
  });

  it('a wrong password is sent once, not again and again: cameras lock the account after a few failed logins', async () => {
    const { sim, driver } = await pair({}, { password: 'wrong', credentialsHoldMs: 600_000 });
    await lastError(driver);
    const refused = () => sim.traffic.requests.filter((r) => r.status !== 200 && r.action !== 'GetSystemDateAndTime').length;
    await until('the refusal counted', 20_000, () => refused() >= 1);
    for (let i = 0; i < 5; i++) await expect(driver.status()).rejects.toThrow(/cam-field/);
    // The clock did not move, so the refused call was not sent again; callers asking meanwhile fail fast.
    expect(refused()).toBe(1);
    expect(driver.health().state).toBe('offline');
  });

  it('a camera 10 min off at connect signs on its clock from the first call', async () => {
    const { sim, driver } = await pair({ clockOffsetMs: -TEN_MIN });
    await online(driver);
    expect(sim.traffic.requests.filter((r) => r.status !== 200)).toEqual([]);
  });

  it('3 profiles at ~300 ms per request connect (no total deadline), one request at a time, first PTZ profile', async () => {
    const t0 = performance.now();
    // timeoutMs 1500 (the default): the old fixed deadline was 4.5 s for node-onvif's 16 requests × 300 ms
    const { sim, driver } = await pair({ multiProfile: true }, { timeoutMs: 1500 }, (s) => s.setActionLatency('*', 300));
    await online(driver);
    const connectMs = performance.now() - t0;
    expect(driver.transport.profile).toBe('Profile_1');
    expect(sim.traffic.maxInFlight).toBe(1);
    const requests = sim.traffic.requests.length;
    expect(requests).toBeLessThanOrEqual(8); // node-onvif: 4 + 4 × profiles = 16
    expect(sim.traffic.requests.every((r) => r.status === 200)).toBe(true);
    await expect(driver.status()).resolves.toBeDefined();
    console.info(`3-profile camera at 300 ms/request connected in ${connectMs.toFixed(0)} ms with ${requests} requests`);
  });

  it('a request past its deadline ends the attempt: the next attempt starts only then, never overlapping', async () => {
    const { sim, driver } = await pair({}, { timeoutMs: 1000 }, (s) => s.setActionLatency('GetProfiles', 60_000));
    expect(await lastError(driver)).toMatch(/cam-field unavailable: GetProfiles timed out after 1000 ms/);
    await until('a third attempt', 30_000, () => sim.traffic.requests.filter((r) => r.action === 'GetSystemDateAndTime').length >= 3);
    expect(sim.traffic.maxInFlight).toBe(1);
    expect(sim.traffic.aborted).toBeGreaterThanOrEqual(2);
  });

  it('stop() abandons the request in flight at once, not at its deadline', async () => {
    const { sim, driver } = await pair({}, { timeoutMs: 1900 }, (s) => s.setActionLatency('GetProfiles', 60_000));
    await until(
      'GetProfiles in flight',
      20_000,
      () => sim.traffic.inFlight === 1 && sim.traffic.requests.at(-1)?.action === 'GetProfiles',
      10,
    );
    const t0 = performance.now();
    await driver.stop();
    await until('the request abandoned', 5000, () => sim.traffic.inFlight === 0, 10);
    const abandonMs = performance.now() - t0;
    expect(abandonMs).toBeLessThan(1000); // its own deadline was ~1.9 s away
    const n = sim.traffic.requests.length;
    sim.setActionLatency('GetProfiles', 0);
    await expect(driver.status()).rejects.toThrow(/unavailable/);
    expect(sim.traffic.requests.length).toBe(n); // stopped: nothing sent, no attempt behind our back
    console.info(`stop() abandoned the request in flight after ${abandonMs.toFixed(0)} ms`);
  });

  it('profileToken honoured; a non-PTZ or unknown one is refused naming the profiles', async () => {
    const ok = await pair({ multiProfile: true }, { profileToken: 'Profile_1' });
    await online(ok.driver);
    expect(ok.driver.transport.profile).toBe('Profile_1');
    const jpeg = await pair({ multiProfile: true }, { profileToken: 'Profile_MJPEG' });
    expect(await lastError(jpeg.driver)).toMatch(
      /media profile Profile_MJPEG has no PTZ configuration \(camera has: Profile_MJPEG, Profile_1 \(PTZ\), Profile_2\)/,
    );
    const none = await pair({ multiProfile: true }, { profileToken: 'Nope' });
    expect(await lastError(none.driver)).toMatch(/cam-field .*no media profile Nope/);
  });

  for (const algorithms of [['SHA-256', 'MD5'], ['MD5']] as const) {
    it(`digest-only camera (${algorithms.join(', ')}): chosen automatically, calls answered`, async () => {
      const { sim, driver } = await pair({ auth: 'digest', digestAlgorithms: [...algorithms] });
      await online(driver);
      expect(driver.transport.auth).toBe('digest');
      await driver.absoluteMove({ pan: 0.2, tilt: 0, zoom: 0.1 });
      await expect(driver.status()).resolves.toBeDefined();
      // one 401 to learn the challenge, then the nonce is reused with a growing count
      expect(sim.traffic.requests.filter((r) => r.status === 401)).toHaveLength(1);
    });
  }

  it('auth override: ws-security against a digest-only camera is refused by name; digest forced works on "both"', async () => {
    const wsse = await pair({ auth: 'digest' }, { auth: 'ws-security' });
    expect(await lastError(wsse.driver)).toMatch(/cam-field rejected .*NotAuthorized.*HTTP 401 with ws-security/);
    const forced = await pair({ auth: 'both' }, { auth: 'digest' });
    await online(forced.driver);
    expect(forced.driver.transport.auth).toBe('digest');
  });

  it("NAT'd XAddrs: services and stream URI put back on the configured host", async () => {
    const { sim, driver } = await pair({ advertisedHost: '192.168.1.64:80' });
    await online(driver);
    const origin = new URL(sim.xaddr).origin;
    expect(driver.transport.urls).toEqual({
      device: sim.xaddr,
      media: `${origin}/onvif/media_service`,
      ptz: `${origin}/onvif/ptz_service`,
    });
    expect(await driver.streamUri()).toBe('rtsp://127.0.0.1:554/stream');
  });
});

// The whole contract against a camera with every habit at once.
describePtzContract('onvif (digest-only, 3 profiles non-PTZ first, NAT, clock 10 min ahead)', async () => {
  const sim = createOnvifCameraSim({
    ...creds,
    port: 0,
    discovery: null,
    auth: 'digest',
    multiProfile: true,
    advertisedHost: '192.168.1.64:80',
    clockOffsetMs: TEN_MIN,
  });
  await sim.start();
  const driver = new OnvifPtz({ id: 'cam-habits', xaddr: sim.xaddr, ...creds, timeoutMs: 1500 });
  await driver.start();
  return {
    driver,
    tolerance: 0.01,
    setOffline: (offline) => sim.setFaults({ offline }),
    setLatency: (latencyMs) => sim.setFaults({ latencyMs }),
    teardown: async () => {
      await driver.stop();
      await sim.stop();
    },
  };
});

describe('OnvifPtz after a camera reboot', () => {
  it('the first call after the camera restarts is answered (a stale keep-alive socket is not a failure)', async () => {
    const { sim, driver } = await pair({});
    await online(driver);
    await driver.status();
    await sim.stop();
    await sim.start();
    const n = sim.traffic.requests.length;
    await expect(driver.status()).resolves.toBeDefined();
    expect(since(sim, n)).toEqual(['GetStatus 200']);
    expect(driver.health().state).toBe('online');
  });
});

describe('OnvifPtz when the camera changes its auth setting', () => {
  it('auto: a camera switched to Digest only at runtime is followed on the next call', async () => {
    const { sim, driver } = await pair({});
    await online(driver);
    sim.setAuth('digest');
    await expect(driver.status()).resolves.toBeDefined();
    expect(driver.transport.auth).toBe('digest');
  });

  it('forced ws-security: the refusal is a rejection naming the camera, and health says offline until it is fixed', async () => {
    // No login hold here (its own test above): the point is the recovery once the camera takes WS-Security again.
    const { sim, driver } = await pair({}, { auth: 'ws-security', credentialsHoldMs: 0 });
    await online(driver);
    sim.setAuth('digest');
    await expect(driver.status()).rejects.toThrow(/cam-field rejected the command: .*NotAuthorized/);
    expect(driver.health()).toMatchObject({ state: 'offline', lastError: expect.stringMatching(/cam-field .*NotAuthorized/) });
    sim.setAuth('both');
    await expect(driver.status()).resolves.toBeDefined();
    expect(driver.health().state).toBe('online');
  });
});
