import soap from 'node-onvif/lib/modules/soap.js';
import { describe, expect, it } from 'vitest';
import { parsePresets, parseSetPreset, parseStatus, setPresetBody } from '../../../../common/protocols/onvif/index.js';

// The common readers on the trees node-onvif hands the driver (xml2js: `$` attributes, `_` text), for
// shapes the recorded fixtures do not cover: positions inside presets, ONVIF 1.x flat MoveStatus,
// a single preset (xml2js does not wrap it in an array), missing Zoom on pan/tilt-only heads.
const env = (inner: string) =>
  `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl"><s:Body>${inner}</s:Body></s:Envelope>`;
const body = async (inner: string) => (await soap.parse(env(inner))).Body;

describe('common ONVIF readers on node-onvif trees', () => {
  it('reads a single preset with a position', async () => {
    const b = await body(
      '<tptz:GetPresetsResponse><tptz:Preset token="1"><tt:Name>Bàn công dân</tt:Name><tt:PTZPosition><tt:PanTilt x="-0.5" y="0.25"/><tt:Zoom x="0.3"/></tt:PTZPosition></tptz:Preset></tptz:GetPresetsResponse>',
    );
    expect(parsePresets(b)).toEqual([{ token: '1', name: 'Bàn công dân', position: { pan: -0.5, tilt: 0.25, zoom: 0.3 } }]);
  });

  it('empty preset list', async () => {
    expect(parsePresets(await body('<tptz:GetPresetsResponse/>'))).toEqual([]);
  });

  it('flat MoveStatus, no Zoom, no UtcTime', async () => {
    const b = await body(
      '<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="0.1" y="-0.2"/></tt:Position><tt:MoveStatus>MOVING</tt:MoveStatus></tptz:PTZStatus></tptz:GetStatusResponse>',
    );
    expect(parseStatus(b)).toEqual({ position: { pan: 0.1, tilt: -0.2, zoom: 0 }, moveStatus: { panTilt: 'MOVING', zoom: 'MOVING' } });
  });

  it('status without a position is undefined (the driver rejects it)', async () => {
    expect(parseStatus(await body('<tptz:GetStatusResponse><tptz:PTZStatus/></tptz:GetStatusResponse>'))).toBeUndefined();
  });

  it('SetPreset token, and a body that escapes what node-onvif would not', async () => {
    expect(parseSetPreset(await body('<tptz:SetPresetResponse><tptz:PresetToken>7</tptz:PresetToken></tptz:SetPresetResponse>'))).toBe('7');
    const parsed = await body(setPresetBody('prof', 'Bàn & ghế', '3'));
    expect(parsed.SetPreset).toEqual({ ProfileToken: 'prof', PresetName: 'Bàn & ghế', PresetToken: '3' });
  });
});
