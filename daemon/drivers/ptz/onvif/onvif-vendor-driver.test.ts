import { afterEach, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../common/errors.js';
import { until } from '../../../../tests/helpers/until.js';
import { OnvifPtz } from '../onvif-ptz.js';
import { replayCamera } from './test/replayed-camera.js';

// The ONVIF driver itself on cameras replayed from their recorded answers (common/protocols/onvif/fixtures/
// README.md): what a room with one of these domes would get from limits(), presets(), status() and
// streamUri(). Only recorded operations are served; a move the driver refuses never reaches the camera.
let camera: Awaited<ReturnType<typeof replayCamera>> | undefined;
let driver: OnvifPtz | undefined;
afterEach(async () => {
  await driver?.stop();
  await camera?.close();
});

async function drive(name: string) {
  camera = await replayCamera(name);
  const { ops, xaddr } = camera;
  driver = new OnvifPtz({ id: `cam-${name}`, xaddr, username: 'admin', password: 'pw', timeoutMs: 5000 });
  await driver.start();
  await until(
    () => `${name} online (health ${JSON.stringify(driver!.health())})`,
    20_000,
    () => driver!.health().state === 'online',
  );
  return { ops, driver };
}

describe('OnvifPtz on a replayed Pelco D6230L (zoom ends at 0.08)', () => {
  it("limits() is the camera's; an absolute zoom beyond 0.08 is refused with 400 before anything is sent", async () => {
    const { ops, driver } = await drive('pelco-d6230l');
    expect(driver.limits().zoom).toEqual({ min: 0, max: 0.08 });
    const sent = ops.length;
    const err = await driver.absoluteMove({ pan: 0, tilt: 0, zoom: 0.5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as InvalidRequestError).statusCode).toBe(400);
    expect((err as Error).message).toMatch(/zoom/);
    expect((err as Error).message).toMatch(/0\.08/);
    expect(ops).toHaveLength(sent);
  });

  it('presets with UUID tokens and positions, none flagged; status and a NAT-rewritten stream URI', async () => {
    const { driver } = await drive('pelco-d6230l');
    const presets = await driver.presets();
    expect(presets.map((p) => p.name)).toEqual(["Shane's Room", "Ashiq's Room", 'The Real Lab', 'Door Sign', 'Bottom of Door', 'Dev Room']);
    expect(presets.filter((p) => p.function)).toEqual([]);
    expect((await driver.status()).position).toEqual({ pan: -0.39, tilt: 0.81, zoom: 0 });
    expect(await driver.streamUri()).toBe('rtsp://127.0.0.1/stream2_v');
  });
});

describe('OnvifPtz on a replayed Hikvision DS-2DF7276-AEL (2014 firmware)', () => {
  it('255 presets: the function-named slots flagged (Vietnamese first), the site views not', async () => {
    const { driver } = await drive('hikvision-ds2df7276');
    const presets = await driver.presets();
    expect(presets).toHaveLength(255);
    const byToken = new Map(presets.map((p) => [p.token, p]));
    expect(byToken.get('94')?.function).toBe('Khởi động lại camera — Remote reboot');
    expect(byToken.get('95')?.function).toBe('Mở menu OSD của camera — Call OSD menu');
    expect(['1', '2', '3', '4', '5'].map((t) => byToken.get(t)?.function)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(await driver.info()).toMatchObject({ manufacturer: 'HIKVISION', model: 'DS-2DF7276-AEL' });
  });
});
