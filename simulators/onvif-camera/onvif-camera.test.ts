import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import onvif from 'node-onvif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnvifCameraSim, type OnvifCameraSim } from './index.js';
import { buildRequest } from '../../common/protocols/onvif/index.js';
import { until } from '../../tests/helpers/until.js';

const USER = 'admin';
const PASS = 'secret';
const RTSP = 'rtsp://127.0.0.1:8554/room1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A picture stand-in that remembers every view it was told to show. */
class RecordingPicture {
  readonly views: { pan: number; tilt: number; zoom: number }[] = [];
  readonly rtspUri = RTSP;
  readonly snapshotUri = 'http://127.0.0.1:8554/snapshot.jpg';
  setView(p: { pan: number; tilt: number; zoom: number }) {
    this.views.push({ ...p });
  }
}

async function post(url: string, body: string, sign = true) {
  const xml = buildRequest(
    body,
    sign ? { username: USER, password: PASS, nonce: randomBytes(16), created: new Date().toISOString() } : undefined,
  );
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' }, body: xml });
  return { status: res.status, text: await res.text() };
}

describe('ONVIF camera sim with node-onvif', () => {
  const picture = new RecordingPicture();
  let sim: OnvifCameraSim;
  let cam: any;
  let ptz: any;
  let token: string;

  beforeAll(async () => {
    sim = createOnvifCameraSim({ username: USER, password: PASS, name: 'Room 1', discovery: { port: 0, address: '127.0.0.1' }, picture });
    await sim.start();
    cam = new onvif.OnvifDevice({ xaddr: sim.xaddr, user: USER, pass: PASS });
    await cam.init();
    ptz = cam.services.ptz;
    token = cam.getCurrentProfile().token;
  });
  afterAll(() => sim.stop());

  const status = async () => {
    const s = (await ptz.getStatus({ ProfileToken: token })).data.GetStatusResponse.PTZStatus;
    return {
      pan: Number(s.Position.PanTilt.$.x),
      tilt: Number(s.Position.PanTilt.$.y),
      zoom: Number(s.Position.Zoom.$.x),
      panTilt: s.MoveStatus.PanTilt as string,
      zoomStatus: s.MoveStatus.Zoom as string,
      space: s.Position.PanTilt.$.space as string,
    };
  };
  const untilIdle = () =>
    until('the camera idle', 10_000, async () => {
      const s = await status();
      return s.panTilt === 'IDLE' && s.zoomStatus === 'IDLE' && s;
    });

  it('initialises: identity, profile, PTZ ranges, stream and snapshot URIs', () => {
    expect(cam.getInformation()).toMatchObject({ Manufacturer: 'ReceptionSim', Model: 'PTZ-SIM-1' });
    const p = cam.getCurrentProfile();
    expect(p.stream.rtsp).toBe(RTSP);
    expect(p.snapshot).toBe(picture.snapshotUri);
    expect(p.ptz.range).toEqual({ x: { min: -1, max: 1 }, y: { min: -1, max: 1 }, z: { min: 0, max: 1 } });
    expect(sim.xaddr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/onvif\/device_service$/);
  });

  it('AbsoluteMove: MOVING, then IDLE at the target; the picture follows', async () => {
    picture.views.length = 0;
    await ptz.absoluteMove({ ProfileToken: token, Position: { x: 0.4, y: -0.2, z: 0.5 }, Speed: { x: 1, y: 1, z: 1 } });
    const mid = await status();
    expect(mid.panTilt).toBe('MOVING');
    expect(mid.space).toBe('http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace');
    const end = await untilIdle();
    expect(end).toMatchObject({ pan: 0.4, tilt: -0.2, zoom: 0.5 });
    await sleep(150);
    expect(picture.views.length).toBeGreaterThan(2); // intermediate views, not just the end
    expect(picture.views.at(-1)).toEqual({ pan: 0.4, tilt: -0.2, zoom: 0.5 });
  });

  it('Speed scales the move time', async () => {
    await ptz.absoluteMove({ ProfileToken: token, Position: { x: 0, y: 0, z: 0.5 }, Speed: { x: 1, y: 1, z: 1 } });
    await untilIdle();
    const t0 = performance.now();
    await ptz.absoluteMove({ ProfileToken: token, Position: { x: 0.2, y: 0, z: 0.5 }, Speed: { x: 0.25, y: 0.25, z: 1 } });
    await untilIdle();
    // 0.2 units at 0.25 × 0.8 units/s = 1 s (full speed would be 0.25 s).
    expect(performance.now() - t0).toBeGreaterThan(800);
  });

  it('ContinuousMove honours Timeout; Stop flags stop one axis group', async () => {
    await post(
      sim.xaddr.replace('device', 'ptz'),
      `<tptz:ContinuousMove><tptz:ProfileToken>${token}</tptz:ProfileToken><tptz:Velocity><tt:PanTilt x="-0.5" y="0"/></tptz:Velocity><tptz:Timeout>PT0.3S</tptz:Timeout></tptz:ContinuousMove>`,
    );
    expect((await status()).panTilt).toBe('MOVING');
    await sleep(450);
    expect((await status()).panTilt).toBe('IDLE');

    await cam.ptzMove({ speed: { x: 0.3, y: 0, z: 0.3 }, timeout: 5 });
    await ptz.stop({ ProfileToken: token, PanTilt: true, Zoom: false });
    const s = await status();
    expect(s).toMatchObject({ panTilt: 'IDLE', zoomStatus: 'MOVING' });
    await cam.ptzStop();
    expect(await status()).toMatchObject({ panTilt: 'IDLE', zoomStatus: 'IDLE' });
  });

  it('RelativeMove adds to the position', async () => {
    await ptz.absoluteMove({ ProfileToken: token, Position: { x: 0.1, y: 0.1, z: 0.2 }, Speed: { x: 1, y: 1, z: 1 } });
    await untilIdle();
    await ptz.relativeMove({ ProfileToken: token, Translation: { x: 0.2, y: -0.3, z: 0.1 } });
    expect(await untilIdle()).toMatchObject({ pan: 0.3, tilt: -0.2, zoom: 0.3 });
  });

  it('presets: set, list, overwrite, goto, remove; unknown token is a fault', async () => {
    const set = await ptz.setPreset({ ProfileToken: token, PresetName: 'door' });
    const t = set.data.SetPresetResponse.PresetToken as string;
    const list = (await ptz.getPresets({ ProfileToken: token })).data.GetPresetsResponse.Preset;
    expect([].concat(list).map((p: any) => [p.$.token, p.Name])).toContainEqual([t, 'door']);

    await ptz.absoluteMove({ ProfileToken: token, Position: { x: -0.5, y: 0.5, z: 0 }, Speed: { x: 1, y: 1, z: 1 } });
    await untilIdle();
    const again = await ptz.setPreset({ ProfileToken: token, PresetToken: t, PresetName: 'door' });
    expect(again.data.SetPresetResponse.PresetToken).toBe(t);

    await ptz.gotoHomePosition({ ProfileToken: token });
    expect(await untilIdle()).toMatchObject({ pan: 0, tilt: 0, zoom: 0 });
    await ptz.gotoPreset({ ProfileToken: token, PresetToken: t, Speed: { x: 1, y: 1, z: 1 } });
    expect(await untilIdle()).toMatchObject({ pan: -0.5, tilt: 0.5, zoom: 0 });

    await ptz.removePreset({ ProfileToken: token, PresetToken: t });
    await expect(ptz.gotoPreset({ ProfileToken: token, PresetToken: t })).rejects.toThrow(/400.*No such preset/);
    const r = await post(
      sim.xaddr,
      `<tptz:RemovePreset><tptz:ProfileToken>${token}</tptz:ProfileToken><tptz:PresetToken>${t}</tptz:PresetToken></tptz:RemovePreset>`,
    );
    expect(r.text).toContain('<env:Value>ter:NoToken</env:Value>');
  });

  it('out-of-range values are InvalidArgVal; node-onvif config calls work', async () => {
    await expect(ptz.absoluteMove({ ProfileToken: token, Position: { x: 2, y: 0, z: 0 } })).rejects.toThrow(/400/);
    const r = await post(
      sim.xaddr,
      `<tptz:AbsoluteMove><tptz:ProfileToken>${token}</tptz:ProfileToken><tptz:Position><tt:Zoom x="-0.1"/></tptz:Position></tptz:AbsoluteMove>`,
    );
    expect(r.text).toContain('ter:InvalidArgVal');
    expect((await ptz.getNodes()).data.GetNodesResponse.PTZNode.HomeSupported).toBe('true');
    const cfg = (await ptz.getConfigurations()).data.GetConfigurationsResponse.PTZConfiguration;
    const opts = await ptz.getConfigurationOptions({ ConfigurationToken: cfg.$.token });
    expect(opts.data.GetConfigurationOptionsResponse.PTZConfigurationOptions.PTZTimeout).toEqual({ Min: 'PT1S', Max: 'PT1M' });
  });

  it('any service on any path; GetSystemDateAndTime needs no auth; GetServices lists all three', async () => {
    const info = await post(sim.xaddr.replace('device_service', 'ptz_service'), '<tds:GetDeviceInformation/>');
    expect(info.status).toBe(200);
    expect((await post(sim.xaddr, '<tds:GetSystemDateAndTime/>', false)).text).toContain('<tt:UTCDateTime>');
    const svc = await post(sim.xaddr, '<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>');
    expect(svc.text.match(/<tds:XAddr>/g)).toHaveLength(3);
    const unknown = await post(sim.xaddr, '<tds:GetZeroConfiguration/>');
    expect(unknown.text).toContain('ter:ActionNotSupported');
  });

  it('rejects a wrong password with NotAuthorized', async () => {
    const bad = new onvif.OnvifDevice({ xaddr: sim.xaddr, user: USER, pass: 'wrong' });
    await expect(bad.init()).rejects.toThrow(/400.*not authorized/i);
    const none = await post(sim.xaddr, '<tds:GetDeviceInformation/>', false);
    expect(none.status).toBe(400);
    expect(none.text).toContain('ter:NotAuthorized');
  });

  it('answers a unicast WS-Discovery Probe with the xaddr', async () => {
    const probe = readFileSync(new URL('../../common/protocols/onvif/fixtures/node-onvif-probe.xml', import.meta.url), 'utf8').replace(
      /uuid:[0-9a-f-]+/,
      'uuid:test-probe-1',
    );
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const reply = new Promise<string>((resolve, reject) => {
      sock.once('message', (m) => resolve(m.toString()));
      setTimeout(() => reject(new Error('no ProbeMatch')), 2000);
    });
    sock.send(probe, sim.discoveryPort!, '127.0.0.1');
    const xml = await reply.finally(() => sock.close());
    expect(xml).toContain('<wsa:RelatesTo>uuid:test-probe-1</wsa:RelatesTo>');
    expect(xml).toContain(`<d:XAddrs>${sim.xaddr}</d:XAddrs>`);
    expect(xml).toContain('dn:NetworkVideoTransmitter');
    expect(xml).toContain('onvif://www.onvif.org/name/Room%201');
  });
});

describe('without a picture', () => {
  it('returns the configured rtspUri and refuses snapshots', async () => {
    const sim = createOnvifCameraSim({ username: USER, password: PASS, discovery: null, rtspUri: 'rtsp://10.0.0.9:554/stream' });
    await sim.start();
    try {
      const cam: any = new onvif.OnvifDevice({ xaddr: sim.xaddr, user: USER, pass: PASS }); // node-onvif beyond the driver's typed slice
      await cam.init();
      expect(cam.getCurrentProfile().stream.rtsp).toBe('rtsp://10.0.0.9:554/stream');
      expect(cam.getCurrentProfile().snapshot).toBe('');
      expect(sim.health().state).toBe('running');
    } finally {
      await sim.stop();
    }
    expect(sim.health().state).toBe('stopped');
  });
});
