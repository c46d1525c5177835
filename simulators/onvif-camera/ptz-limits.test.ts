import { describe, expect, it } from 'vitest';
import { buildRequest, parseConfigurations, parseNodes, parsePresets, parseSoap, parseStatus } from '../../common/protocols/onvif/index.js';
import { PtzModel } from '../ptz-model/ptz-model.js';
import { PROFILE_TOKEN } from './ptz-args.js';
import { seedHikvisionPresets } from './ptz-vendor-presets.js';
import { dispatchSoap, type DispatchDeps } from './soap-dispatch.js';

// The camera's limits and function slots, through its SOAP answers (pure: no sockets, scripted clock).

function camera() {
  const clock = { t: 0 };
  const model = new PtzModel(() => clock.t);
  const deps: DispatchDeps = {
    ctx: {
      info: { name: 'n', manufacturer: 'HIKVISION', model: 'DS-2DE', firmwareVersion: '1', serialNumber: 's', hardwareId: 'h', scopes: [] },
      urls: { device: 'http://h/onvif/device_service', media: 'http://h/onvif/media_service', ptz: 'http://h/onvif/ptz_service' },
      streamUri: () => 'rtsp://h/stream',
      snapshotUri: () => undefined,
    },
    ptz: { model, clock: () => clock.t, home: { pan: 0, tilt: 0, zoom: 0 }, moved: () => undefined },
    credentials: { username: 'admin', password: 'pw' },
    protocolError: () => false,
  };
  const send = (body: string) => {
    const sign = { username: 'admin', password: 'pw', nonce: Buffer.from('0123456789abcdef'), created: new Date().toISOString() };
    const r = dispatchSoap(buildRequest(body, sign), deps);
    return { status: r.status, body: parseSoap(r.xml).body, xml: r.xml };
  };
  const op = (name: string, inner = '') =>
    send(`<tptz:${name}><tptz:ProfileToken>${PROFILE_TOKEN}</tptz:ProfileToken>${inner}</tptz:${name}>`);
  const vec = (tag: string, pan: number, tilt: number, zoom: number) =>
    `<tptz:${tag}><tt:PanTilt x="${pan}" y="${tilt}"/><tt:Zoom x="${zoom}"/></tptz:${tag}>`;
  const position = () => parseStatus(op('GetStatus').body)?.position;
  const settle = () => (clock.t += 60_000);
  return { model, clock, send, op, vec, position, settle };
}

const subcodes = (xml: string) => [...xml.matchAll(/<env:Value>([^<]+)<\/env:Value>/g)].map((m) => m[1]);

describe('ONVIF simulator: a zoom that ends at 0.5', () => {
  it('reports the limit in its PTZ configuration, the node keeps the generic spaces', () => {
    const c = camera();
    c.model.setLimits({ zoom: [0, 0.5] });
    const conf = parseConfigurations(
      c.send('<tptz:GetConfiguration><tptz:PTZConfigurationToken>PTZConfigToken</tptz:PTZConfigurationToken></tptz:GetConfiguration>').body,
    );
    expect(conf[0].zoomLimits?.x).toEqual({ min: 0, max: 0.5 });
    expect(conf[0].panTiltLimits).toMatchObject({ x: { min: -1, max: 1 }, y: { min: -1, max: 1 } });
    const node = parseNodes(c.send('<tptz:GetNodes/>').body)[0];
    expect(node.spaces.AbsoluteZoomPositionSpace?.[0].x).toEqual({ min: 0, max: 1 });
    expect(node.maxPresets).toBe(300);
  });

  it('refuses an absolute move past it with ter:InvalidPosition (what the driver used to turn into 502)', () => {
    const c = camera();
    c.model.setLimits({ zoom: [0, 0.5] });
    const r = c.op('AbsoluteMove', c.vec('Position', 0, 0, 0.8));
    expect(r.status).toBe(400);
    expect(subcodes(r.xml)).toEqual(['env:Sender', 'ter:InvalidArgVal', 'ter:InvalidPosition']);
    expect(c.op('AbsoluteMove', c.vec('Position', 0, 0, 0.5)).status).toBe(200);
  });

  it('stops a relative or continuous zoom at the limit', () => {
    const c = camera();
    c.model.setLimits({ zoom: [0, 0.5] });
    expect(c.op('RelativeMove', c.vec('Translation', 0, 0, 0.9)).status).toBe(200);
    c.settle();
    expect(c.position()?.zoom).toBeCloseTo(0.5, 6);
    c.op('AbsoluteMove', c.vec('Position', 0, 0, 0));
    c.settle();
    c.op('ContinuousMove', `${c.vec('Velocity', 0, 0, 1)}<tptz:Timeout>PT30S</tptz:Timeout>`);
    c.settle();
    expect(c.position()?.zoom).toBeCloseTo(0.5, 6);
  });
});

describe('ONVIF simulator: a Hikvision dome preset table', () => {
  it('lists 280 slots, its function slots named as the camera names them', () => {
    const c = camera();
    seedHikvisionPresets(c.model);
    const list = parsePresets(c.op('GetPresets').body);
    expect(list).toHaveLength(280);
    expect(list.find((p) => p.token === '95')?.name).toBe('Call OSD menu');
    expect(list.find((p) => p.token === '94')?.name).toBe('Remote reboot');
    expect(list.find((p) => p.token === '7')?.name).toBe('Preset 7');
  });

  it('calling 99 starts a scan that pans until 96 stops it', () => {
    const c = camera();
    seedHikvisionPresets(c.model);
    c.op('GotoPreset', '<tptz:PresetToken>99</tptz:PresetToken>');
    c.clock.t += 1000;
    const a = c.position()?.pan ?? 0;
    expect(a).toBeGreaterThan(0.1);
    c.op('GotoPreset', '<tptz:PresetToken>96</tptz:PresetToken>');
    c.clock.t += 1000;
    expect(c.position()?.pan).toBeCloseTo(a, 6);
  });

  it('keeps a function slot on RemovePreset (answers OK) and refuses to overwrite it', () => {
    const c = camera();
    seedHikvisionPresets(c.model);
    expect(c.op('RemovePreset', '<tptz:PresetToken>94</tptz:PresetToken>').status).toBe(200);
    expect(parsePresets(c.op('GetPresets').body).some((p) => p.token === '94')).toBe(true);
    const set = c.op('SetPreset', '<tptz:PresetName>x</tptz:PresetName><tptz:PresetToken>95</tptz:PresetToken>');
    expect(set.status).toBe(500);
    expect(subcodes(set.xml)).toEqual(['env:Receiver', 'ter:Action']);
    expect(c.op('RemovePreset', '<tptz:PresetToken>7</tptz:PresetToken>').status).toBe(200);
    expect(parsePresets(c.op('GetPresets').body).some((p) => p.token === '7')).toBe(false);
  });
});
