import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSoap, responseEnvelope } from './envelope.js';
import { parsePresets, parseSetPreset, parseStatus, parseStreamUri } from './ptz-read.js';
import { setPresetBody, statusXml, vectorXml, xmlNumber } from './ptz-xml.js';
import { text, child } from './xml-tree.js';

/** A recorded file of fixtures/ (provenance in fixtures/README.md). */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const body = (name: string) => parseSoap(fixture(name)).body;
const answer = (inner: string) => parseSoap(responseEnvelope(inner)).body;

describe('PTZ and media answers from real cameras', () => {
  it('Dahua GetStreamUri: un-escapes &amp; and trims the pretty-printed URI', () => {
    const want = 'rtsp://192.168.1.123:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif';
    expect(parseStreamUri(body('dahua-get-stream-uri.xml'))).toBe(want);
    expect(parseStreamUri(body('dahua-get-stream-uri-formatted.xml'))).toBe(want);
  });

  it('GetStatus: position in generic space, move status and camera clock', () => {
    expect(parseStatus(body('agsh-get-status.xml'))).toEqual({
      position: { pan: -0.864665985, tilt: 0.267444015, zoom: 0.211861998 },
      moveStatus: { panTilt: 'IDLE', zoom: 'IDLE' },
      utcTime: '2014-12-29T20:01:31Z',
    });
  });

  it('GetPresets: tokens and names, no positions (this camera sends none)', () => {
    const presets = parsePresets(body('agsh-get-presets.xml'));
    expect(presets).toHaveLength(45);
    expect(presets[0]).toEqual({ token: 'P001', name: 'P001' });
    expect(presets.at(-1)).toEqual({ token: 'Home', name: 'Home' });
    expect(presets.every((p) => p.position === undefined)).toBe(true);
  });
});

describe('PTZ shapes the recordings do not cover', () => {
  it('a single preset with a position', () => {
    const b = answer(
      '<tptz:GetPresetsResponse><tptz:Preset token="1"><tt:Name>Bàn công dân</tt:Name><tt:PTZPosition><tt:PanTilt x="-0.5" y="0.25"/><tt:Zoom x="0.3"/></tt:PTZPosition></tptz:Preset></tptz:GetPresetsResponse>',
    );
    expect(parsePresets(b)).toEqual([{ token: '1', name: 'Bàn công dân', position: { pan: -0.5, tilt: 0.25, zoom: 0.3 } }]);
  });

  it('empty preset list; presets without a token are skipped', () => {
    expect(parsePresets(answer('<tptz:GetPresetsResponse/>'))).toEqual([]);
    expect(
      parsePresets(answer('<tptz:GetPresetsResponse><tptz:Preset><tt:Name>x</tt:Name></tptz:Preset></tptz:GetPresetsResponse>')),
    ).toEqual([]);
  });

  it('flat MoveStatus, no Zoom, no UtcTime; unknown states read UNKNOWN', () => {
    const b = answer(
      '<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="0.1" y="-0.2"/></tt:Position><tt:MoveStatus>MOVING</tt:MoveStatus></tptz:PTZStatus></tptz:GetStatusResponse>',
    );
    expect(parseStatus(b)).toEqual({ position: { pan: 0.1, tilt: -0.2, zoom: 0 }, moveStatus: { panTilt: 'MOVING', zoom: 'MOVING' } });
    const odd = answer(
      '<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="0" y="0"/></tt:Position><tt:MoveStatus><tt:PanTilt>spinning</tt:PanTilt></tt:MoveStatus></tptz:PTZStatus></tptz:GetStatusResponse>',
    );
    expect(parseStatus(odd)?.moveStatus).toEqual({ panTilt: 'UNKNOWN', zoom: 'UNKNOWN' });
  });

  it('status without a position, or with a non-number, is undefined', () => {
    expect(parseStatus(answer('<tptz:GetStatusResponse><tptz:PTZStatus/></tptz:GetStatusResponse>'))).toBeUndefined();
    expect(
      parseStatus(
        answer(
          '<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="left" y="0"/></tt:Position></tptz:PTZStatus></tptz:GetStatusResponse>',
        ),
      ),
    ).toBeUndefined();
  });

  it('SetPreset token', () => {
    expect(parseSetPreset(answer('<tptz:SetPresetResponse><tptz:PresetToken>7</tptz:PresetToken></tptz:SetPresetResponse>'))).toBe('7');
    expect(parseSetPreset(answer('<tptz:SetPresetResponse><tptz:PresetToken/></tptz:SetPresetResponse>'))).toBeUndefined();
  });
});

describe('PTZ writers read back by the readers', () => {
  it('status written by a camera reads back', () => {
    const p = { pan: -0.25, tilt: 1 / 3, zoom: 0.5 };
    const b = answer(
      `<tptz:GetStatusResponse>${statusXml(p, { panTilt: true, zoom: false }, new Date('2026-01-02T03:04:05.678Z'))}</tptz:GetStatusResponse>`,
    );
    expect(parseStatus(b)).toEqual({
      position: { pan: -0.25, tilt: 0.333333, zoom: 0.5 },
      moveStatus: { panTilt: 'MOVING', zoom: 'IDLE' },
      utcTime: '2026-01-02T03:04:05Z',
    });
  });

  it('numbers without exponent or negative zero', () => {
    expect(xmlNumber(-0.0000001)).toBe('0');
    expect(xmlNumber(1e-7 + 0.1)).toBe('0.1');
    expect(vectorXml('tt:Speed', { pan: 1, tilt: 1, zoom: 1 }, 'speed')).toContain('GenericSpeedSpace');
  });

  it('SetPreset body escapes what node-onvif would not', () => {
    const op = parseSoap(responseEnvelope(setPresetBody('prof', 'Bàn & ghế <1>', '3'))).operation;
    expect([text(child(op, 'ProfileToken')), text(child(op, 'PresetName')), text(child(op, 'PresetToken'))]).toEqual([
      'prof',
      'Bàn & ghế <1>',
      '3',
    ]);
    expect(setPresetBody('p', 'n')).not.toContain('PresetToken');
  });
});
