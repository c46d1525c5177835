import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { OnvifPtz } from '../../daemon/drivers/ptz/onvif-ptz.js';
import { createOnvifCameraSim, type OnvifCameraSim } from '../../simulators/onvif-camera/index.js';
import { freePort } from '../../tests/helpers/free-port.js';
import { AnswerError } from './asker.js';
import { logIn } from './camera-credentials.js';
import { tryLogin } from './camera-login.js';
import { testMove } from './camera-ptz.js';
import { hubStep } from './step-hub.js';
import { provisionCtx } from './test/provision-ctx.js';

// The camera and hub steps' faults against the real ONVIF simulator and a port nobody listens on: a camera
// that answers but refuses the credentials is said so and, with an answers file, named after every pair was
// tried; the PTZ test move goes and comes back; an unreachable hub leaves the enrollment pending and the rest set.

const creds = { username: 'admin', password: 'reception-sim' };

describe('provision: cameras and hub faults', () => {
  let cam: OnvifCameraSim;
  const dirs: string[] = [];
  beforeAll(async () => {
    cam = createOnvifCameraSim({ ...creds, port: 0, discovery: null });
    await cam.start();
  });
  afterAll(async () => {
    await cam.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('tells a refused login from an unreachable camera, and reads the profiles on the right one', async () => {
    expect(await tryLogin(cam.xaddr, { username: 'admin', password: 'wrong' })).toMatchObject({ ok: false, refused: true });
    expect(await tryLogin('http://127.0.0.1:1/onvif/device_service', creds, 500)).toMatchObject({ ok: false, refused: false });
    const ok = await tryLogin(cam.xaddr, creds);
    expect(ok.ok && ok.profiles.map((p) => p.token)).toContain(ok.ok && ok.session.profile.token);
  });

  it('answers file: tries each pair in order, says each refusal, names the camera when all are refused', async () => {
    const bad = await provisionCtx({
      cameras: {
        credentials: [
          { username: 'admin', password: 'a' },
          { username: 'operator', password: 'b' },
        ],
      },
    });
    dirs.push(bad.dir);
    const r = await logIn(bad.ctx, 'cam1', cam.xaddr);
    expect(r).toEqual({
      ok: false,
      figure: `camera cam1 at ${cam.xaddr} answers discovery but refused every credential given (admin, operator)`,
    });
    expect(bad.said.join('')).toContain('camera cam1 (' + cam.xaddr + ') refused the credentials of "operator"');
    const good = await provisionCtx({ cameras: { credentials: [{ username: 'admin', password: 'a' }, creds] } });
    dirs.push(good.dir);
    expect(await logIn(good.ctx, 'cam1', cam.xaddr)).toMatchObject({ ok: true, creds });
    const missing = await provisionCtx({});
    dirs.push(missing.dir);
    await expect(logIn(missing.ctx, 'cam1', cam.xaddr)).rejects.toThrow(AnswerError);
    await expect(logIn(missing.ctx, 'cam1', cam.xaddr)).rejects.toThrow(/answer "cameras.credentials" missing in answers.json/);
  });

  it('PTZ test move: goes aside and back, the figure says where', async () => {
    const driver = new OnvifPtz({ id: 'cam1', xaddr: cam.xaddr, ...creds, logger: silentLogger() });
    await driver.start();
    try {
      const move = await testMove(driver);
      expect(move.ok).toBe(true);
      expect(move.figure).toMatch(/^pan 0\.00 tilt 0\.00 zoom 0\.00 → pan 0\.20 /);
      expect((await driver.status()).position.pan).toBeCloseTo(0, 1);
    } finally {
      await driver.stop();
    }
  });

  it('hub unreachable: enrollment left pending and said so, the hub URL still configured', async () => {
    const port = await freePort(); // nothing listens there
    const { ctx, dir, said } = await provisionCtx({ hub: { url: `http://127.0.0.1:${port}`, code: 'AAAA-BBBB-CCCC-DDDD' } });
    dirs.push(dir);
    const r = await hubStep.run(ctx);
    expect(r.checks.map((c) => [c.name, c.result])).toEqual([
      ['Kết nối trung tâm / hub reachable', 'fail'],
      ['Ghi danh / enrollment', 'fail'],
    ]);
    expect(r.checks[1]!.figure).toContain('pending');
    expect(said.join('')).toContain('enrollment left pending');
    expect((await ctx.readConfig()).gateway.hubUrl).toBe(`ws://127.0.0.1:${port}/api/v1/signal`);
  });
});
