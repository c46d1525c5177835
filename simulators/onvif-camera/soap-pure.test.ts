import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PtzModel } from '../ptz-model/ptz-model.js';
import { formatDuration, parseDuration } from './duration.js';
import { buildRequest } from './soap-client.js';
import { dispatchSoap, type DispatchDeps } from './soap-dispatch.js';
import { attr, child, parseSoapRequest, text } from './soap-request.js';
import { NS } from './soap-xml.js';
import { checkUsernameToken, passwordDigest, readUsernameToken } from './ws-security.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('WS-Security digest', () => {
  it('matches the ONVIF programmer guide vector', () => {
    expect(passwordDigest('LKqI6G/AikKCQrN0zqZFlg==', '2010-09-16T07:50:45Z', 'userpassword')).toBe('tuOSpGlFlIXsozq4HFNeeGeFLEI=');
  });

  it('accepts the wsse-prefixed vector at its Created time, rejects it later or with another password', () => {
    const req = parseSoapRequest(fixture('wsse-prefixed-get-status.xml'));
    const tok = readUsernameToken(req.header);
    const created = Date.parse('2010-09-16T07:50:45Z');
    expect(checkUsernameToken(tok, { username: 'user', password: 'userpassword' }, created)).toEqual({ ok: true });
    expect(checkUsernameToken(tok, { username: 'user', password: 'nope' }, created).ok).toBe(false);
    expect(checkUsernameToken(tok, { username: 'user', password: 'userpassword' }, created + 10 * 60_000).ok).toBe(false);
    expect(checkUsernameToken(tok, { username: 'other', password: 'userpassword' }, created).ok).toBe(false);
  });

  it('verifies a digest node-onvif produced (default-namespace Security header)', () => {
    const req = parseSoapRequest(fixture('node-onvif-continuous-move.xml'));
    const tok = readUsernameToken(req.header)!;
    expect(tok).toMatchObject({ username: 'admin', digest: true });
    expect(checkUsernameToken(tok, { username: 'admin', password: 'pw' }, Date.parse(tok.created))).toEqual({ ok: true });
  });

  it('accepts PasswordText and treats a missing Type as text', () => {
    const now = Date.now();
    const xml = buildRequest('<tds:GetDeviceInformation/>', { username: 'a', password: 'p w', nonce: Buffer.alloc(16), created: new Date(now).toISOString(), plain: true });
    const tok = readUsernameToken(parseSoapRequest(xml).header);
    expect(checkUsernameToken(tok, { username: 'a', password: 'p w' }, now)).toEqual({ ok: true });
    expect(checkUsernameToken(undefined, { username: 'a', password: 'p w' }, now).ok).toBe(false);
  });
});

describe('request parsing (recorded node-onvif XML)', () => {
  it('finds namespace, action and the prefix-free body', () => {
    const req = parseSoapRequest(fixture('node-onvif-absolute-move.xml'));
    expect(req).toMatchObject({ ns: NS.tptz, action: 'AbsoluteMove' });
    expect(text(child(req.body, 'ProfileToken'))).toBe('Profile_1');
    expect(attr(child(child(req.body, 'Position'), 'PanTilt'), 'x')).toBe('0.5');
    expect(attr(child(child(req.body, 'Speed'), 'Zoom'), 'x')).toBe('1');
  });

  it('reads empty operations and operations declaring their own namespace', () => {
    expect(parseSoapRequest(fixture('node-onvif-get-system-date-and-time.xml'))).toMatchObject({ ns: NS.tds, action: 'GetSystemDateAndTime' });
    expect(parseSoapRequest(fixture('wsse-prefixed-get-status.xml'))).toMatchObject({ ns: NS.tptz, action: 'GetStatus' });
    expect(text(child(parseSoapRequest(fixture('node-onvif-stop.xml')).body, 'PanTilt'))).toBe('true');
  });

  it('rejects non-XML with a WellFormed fault', () => {
    expect(() => parseSoapRequest('<s:Envelope><oops')).toThrow(/Malformed|Envelope/);
  });
});

describe('ISO 8601 durations', () => {
  it.each([
    ['PT5S', 5000],
    ['PT0.5S', 500],
    ['PT1M30S', 90_000],
    ['PT1H', 3_600_000],
    ['P1DT2H', 93_600_000],
    ['PT0S', 0],
  ])('%s = %d ms', (s, ms) => expect(parseDuration(s)).toBe(ms));

  it.each(['', 'P', 'PT', '5S', 'P1Y', 'PT-1S', 'PTS'])('rejects %j', (s) => expect(parseDuration(s)).toBeUndefined());

  it('formats back', () => expect(parseDuration(formatDuration(1500))).toBe(1500));
});

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
  const signed = (body: string) => buildRequest(body, { username: 'admin', password: 'pw', nonce: Buffer.from('0123456789abcdef'), created: new Date().toISOString() });
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
    const goto = dispatchSoap(signed('<tptz:GotoPreset><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:PresetToken>9</tptz:PresetToken></tptz:GotoPreset>'), d);
    expect(subcodes(goto.xml)).toEqual(['env:Sender', 'ter:InvalidArgVal', 'ter:NoToken']);
    const far = dispatchSoap(signed('<tptz:AbsoluteMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Position><tt:PanTilt x="1.5" y="0"/></tptz:Position></tptz:AbsoluteMove>'), d);
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
    ok('<tptz:ContinuousMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Velocity><tt:PanTilt x="1" y="0"/><tt:Zoom x="1"/></tptz:Velocity><tptz:Timeout>PT1S</tptz:Timeout></tptz:ContinuousMove>');
    t = 200;
    ok('<tptz:Stop><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>false</tptz:Zoom></tptz:Stop>');
    t = 600;
    expect(d.ptz.model.moving()).toEqual({ panTilt: false, zoom: true });
    expect(d.ptz.model.position().pan).toBeCloseTo(0.16);
    t = 1200; // the original 1 s timeout still ends the zoom
    expect(d.ptz.model.moving()).toEqual({ panTilt: false, zoom: false });
    expect(d.ptz.model.position().zoom).toBeCloseTo(0.5);
  });
});
