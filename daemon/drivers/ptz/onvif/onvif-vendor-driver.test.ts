import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../common/errors.js';
import { parseSoap } from '../../../../common/protocols/onvif/index.js';
import { until } from '../../../../tests/helpers/until.js';
import { OnvifPtz } from '../onvif-ptz.js';

// The ONVIF driver itself on cameras replayed from their recorded answers (common/protocols/onvif/fixtures/
// README.md): what a room with one of these domes would get from limits(), presets(), status() and
// streamUri(). Only recorded operations are served; a move the driver refuses never reaches the camera.
const fixture = (name: string) => readFileSync(new URL(`../../../../common/protocols/onvif/fixtures/${name}`, import.meta.url), 'utf8');
const FILE: Record<string, string> = { GetConfiguration: 'get-configurations', GetNode: 'get-nodes' };
const kebab = (op: string) => FILE[op] ?? op.replace(/[A-Z]/g, (c, i) => `${i ? '-' : ''}${c.toLowerCase()}`);

let server: Server | undefined;
let driver: OnvifPtz | undefined;
afterEach(async () => {
  await driver?.stop();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
});

async function drive(camera: string) {
  const ops: string[] = [];
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const op = parseSoap(raw).action;
      ops.push(op);
      res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' }).end(fixture(`${camera}-${kebab(op)}.xml`));
    });
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  const xaddr = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/onvif/device_service`;
  driver = new OnvifPtz({ id: `cam-${camera}`, xaddr, username: 'admin', password: 'pw', timeoutMs: 5000 });
  await driver.start();
  await until(
    () => `${camera} online (health ${JSON.stringify(driver!.health())})`,
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
