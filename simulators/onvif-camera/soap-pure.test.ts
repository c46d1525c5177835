import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../common/protocols/onvif/index.js';
import { PtzModel } from '../ptz-model/ptz-model.js';
import { dispatchSoap, type DispatchDeps } from './soap-dispatch.js';

// The protocol itself (envelopes, WS-Security, durations) is tested in common/protocols/onvif; here the
// camera's answers to it.

describe('dispatch faults', () => {
  let t = 0;
  const deps = (): DispatchDeps => {
    const model = new PtzModel(() => t);
    return {
      ctx: {
        info: { name: 'n', manufacturer: 'm', model: 'x', firmwareVersion: '1', serialNumber: 's', hardwareId: 'h', scopes: [] },
        urls: { device: 'http://h/onvif/device_service', media: 'http://h/onvif/media_service', ptz: 'http://h/onvif/ptz_service' },
        streamUri: () => 'rtsp://h/stream',
        snapshotUri: () => undefined,
      },
      ptz: { model, clock: () => t, home: { pan: 0, tilt: 0, zoom: 0 }, moved: () => undefined },
      credentials: { username: 'admin', password: 'pw' },
      protocolError: () => false,
    };
  };
  const signed = (body: string) =>
    buildRequest(body, { username: 'admin', password: 'pw', nonce: Buffer.from('0123456789abcdef'), created: new Date().toISOString() });
  const subcodes = (xml: string) => [...xml.matchAll(/<env:Value>([^<]+)<\/env:Value>/g)].map((m) => m[1]);

  it('answers GetSystemDateAndTime without auth, refuses the rest', () => {
    const d = deps();
    expect(dispatchSoap(buildRequest('<tds:GetSystemDateAndTime/>'), d).status).toBe(200);
    const r = dispatchSoap(buildRequest('<tds:GetDeviceInformation/>'), d);
    expect(r.status).toBe(400);
    expect(subcodes(r.xml)).toEqual(['env:Sender', 'ter:NotAuthorized']);
  });

  it('NoToken, InvalidArgVal, ActionNotSupported', () => {
    const d = deps();
    const goto = dispatchSoap(
      signed('<tptz:GotoPreset><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:PresetToken>9</tptz:PresetToken></tptz:GotoPreset>'),
      d,
    );
    expect(subcodes(goto.xml)).toEqual(['env:Sender', 'ter:InvalidArgVal', 'ter:NoToken']);
    const far = dispatchSoap(
      signed(
        '<tptz:AbsoluteMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Position><tt:PanTilt x="1.5" y="0"/></tptz:Position></tptz:AbsoluteMove>',
      ),
      d,
    );
    expect(subcodes(far.xml)).toEqual(['env:Sender', 'ter:InvalidArgVal', 'ter:InvalidPosition']);
    const unknown = dispatchSoap(signed('<tptz:Teleport/>'), d);
    expect(unknown.status).toBe(500);
    expect(subcodes(unknown.xml)).toEqual(['env:Receiver', 'ter:ActionNotSupported']);
  });

  it('routes by operation name when the namespace is unknown, like lenient cameras', () => {
    const xml = signed('<GetStatus xmlns="http://example.invalid/ptz"><ProfileToken>Profile_1</ProfileToken></GetStatus>');
    const r = dispatchSoap(xml, deps());
    expect(r.status).toBe(200);
    expect(r.xml).toContain('<tt:MoveStatus><tt:PanTilt>IDLE</tt:PanTilt>');
  });

  it('Stop with PanTilt only keeps zoom going (fake clock)', () => {
    const d = deps();
    t = 0;
    const ok = (body: string) => expect(dispatchSoap(signed(body), d).status).toBe(200);
    ok(
      '<tptz:ContinuousMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Velocity><tt:PanTilt x="1" y="0"/><tt:Zoom x="1"/></tptz:Velocity><tptz:Timeout>PT1S</tptz:Timeout></tptz:ContinuousMove>',
    );
    t = 200;
    ok(
      '<tptz:Stop><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>false</tptz:Zoom></tptz:Stop>',
    );
    t = 600;
    expect(d.ptz.model.moving()).toEqual({ panTilt: false, zoom: true });
    expect(d.ptz.model.position().pan).toBeCloseTo(0.16);
    t = 1200; // the original 1 s timeout still ends the zoom
    expect(d.ptz.model.moving()).toEqual({ panTilt: false, zoom: false });
    expect(d.ptz.model.position().zoom).toBeCloseTo(0.5);
  });
});
