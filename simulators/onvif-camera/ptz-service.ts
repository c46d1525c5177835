// PTZ service (ver20/ptz/wsdl): node/configuration queries, status and presets; moves in ptz-moves.ts.
import { readProfile, readSpeed, readToken } from './ptz-args.js';
import { goTo, moveOps, runSpecial, type PtzState } from './ptz-moves.js';
import { invalidArg, SoapFault, statusXml, vectorXml, xmlEscape, type XmlNode } from '../../common/protocols/onvif/index.js';
import { configurationXml, MAX_PRESETS, nodeXml, optionsXml, PTZ_CONFIG_TOKEN, PTZ_NODE_TOKEN } from './ptz-xml.js';

export type PtzOp = (s: PtzState, body: XmlNode) => string;

function checkToken(body: XmlNode, name: string, expected: string): void {
  const t = readToken(body, name);
  if (t !== expected) throw invalidArg('NoEntity', `No such ${name}: ${t ?? '(missing)'}`);
}

function existingPreset(s: PtzState, body: XmlNode) {
  const token = readToken(body, 'PresetToken') ?? '';
  const p = s.model.preset(token);
  if (!p) throw invalidArg('NoToken', `No such preset: ${token || '(missing)'}`);
  return p;
}

export const ptzOps: Record<string, PtzOp> = {
  ...moveOps,
  GetServiceCapabilities: () =>
    '<tptz:GetServiceCapabilitiesResponse><tptz:Capabilities EFlip="false" Reverse="false" GetCompatibleConfigurations="false" MoveStatus="true" StatusPosition="true"/></tptz:GetServiceCapabilitiesResponse>',
  GetNodes: () => `<tptz:GetNodesResponse>${nodeXml()}</tptz:GetNodesResponse>`,
  GetNode(_s, body) {
    checkToken(body, 'NodeToken', PTZ_NODE_TOKEN);
    return `<tptz:GetNodeResponse>${nodeXml()}</tptz:GetNodeResponse>`;
  },
  GetConfigurations: (s) =>
    `<tptz:GetConfigurationsResponse>${configurationXml('tptz:PTZConfiguration', s.model.limits())}</tptz:GetConfigurationsResponse>`,
  GetConfiguration(s, body) {
    checkToken(body, 'PTZConfigurationToken', PTZ_CONFIG_TOKEN);
    return `<tptz:GetConfigurationResponse>${configurationXml('tptz:PTZConfiguration', s.model.limits())}</tptz:GetConfigurationResponse>`;
  },
  GetConfigurationOptions(_s, body) {
    checkToken(body, 'ConfigurationToken', PTZ_CONFIG_TOKEN);
    return `<tptz:GetConfigurationOptionsResponse>${optionsXml()}</tptz:GetConfigurationOptionsResponse>`;
  },
  GetStatus(s, body) {
    readProfile(body);
    return `<tptz:GetStatusResponse>${statusXml(s.model.position(), s.model.moving(), new Date())}</tptz:GetStatusResponse>`;
  },
  GetPresets(s, body) {
    readProfile(body);
    const list = s.model
      .presets()
      .map(
        (p) =>
          `<tptz:Preset token="${xmlEscape(p.token)}"><tt:Name>${xmlEscape(p.name)}</tt:Name>${vectorXml('tt:PTZPosition', p.position)}</tptz:Preset>`,
      );
    return `<tptz:GetPresetsResponse>${list.join('')}</tptz:GetPresetsResponse>`;
  },
  SetPreset(s, body) {
    readProfile(body);
    const token = readToken(body, 'PresetToken') || undefined;
    const old = token === undefined ? undefined : existingPreset(s, body);
    // Function slots can be called, not configured (Milesight manual; Hikvision refuses them too).
    if (old?.special) throw new SoapFault('Receiver', ['Action'], `Preset ${old.token} is a function preset and cannot be set`);
    const name = readToken(body, 'PresetName') ?? old?.name ?? '';
    if (name.length > 64) throw invalidArg('InvalidPresetName', 'PresetName longer than 64 characters');
    if (name && s.model.presets().some((p) => p.name === name && p.token !== token)) {
      throw invalidArg('PresetExist', `A preset named "${name}" already exists`);
    }
    if (!old && s.model.presets().length >= MAX_PRESETS)
      throw new SoapFault('Receiver', ['Action', 'TooManyPresets'], 'Preset memory full');
    const t = s.model.setPreset(name, token);
    return `<tptz:SetPresetResponse><tptz:PresetToken>${xmlEscape(t)}</tptz:PresetToken></tptz:SetPresetResponse>`;
  },
  GotoPreset(s, body) {
    readProfile(body);
    const p = existingPreset(s, body);
    if (p.special) runSpecial(s, p.special);
    else goTo(s, p.position, readSpeed(body, true));
    s.moved();
    return '<tptz:GotoPresetResponse/>';
  },
  RemovePreset(s, body) {
    readProfile(body);
    const p = existingPreset(s, body);
    // A Hikvision dome answers OK and keeps its function slot ("preset 99 still exists after deletion", README).
    if (!p.special) s.model.removePreset(p.token);
    return '<tptz:RemovePresetResponse/>';
  },
};
