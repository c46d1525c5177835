// This camera's PTZ node, configuration and options in ONVIF generic spaces (pan/tilt -1..1, zoom 0..1);
// vectors and status are written by common/protocols/onvif (vectorXml, statusXml). The node lists the
// generic spaces whole (as Hikvision/Axis nodes do); what this unit reaches (model.limits(): a zoom ending
// at 0.5, tilt stops) is in the configuration's PanTiltLimits/ZoomLimits, as ONVIF PTZ spec §5.3 puts it.
// Shaped like the recorded Hikvision domes (fixtures hikvision-ds2df7286-get-nodes.xml, hikvision-ds2df7276-
// get-configuration-options.xml): numbers as `-1.000000`, a second pan/tilt velocity space in degrees of field of
// view (VelocitySpaceFOV ±7) and a zoom one in millimetres (VelocitySpaceMillimeter ±7) next to the generic ones,
// a preset-tour extension on the node.
import { SPACE } from '../../common/protocols/onvif/index.js';
import { FULL_LIMITS, type AxisLimits } from '../ptz-model/ptz-model.js';

export const PTZ_NODE_TOKEN = 'PTZNodeToken';
export const PTZ_CONFIG_TOKEN = 'PTZConfigToken';
/** Hikvision PTZ domes list 300 preset slots through ONVIF (see README). */
export const MAX_PRESETS = 300;
export const TIMEOUT_RANGE = { min: 'PT1S', max: 'PT1M' } as const;

const PT = 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/';
const Z = 'http://www.onvif.org/ver10/tptz/ZoomSpaces/';
const f6 = (n: number) => n.toFixed(6);
const range = (x: [number, number], y?: [number, number]) =>
  `<tt:XRange><tt:Min>${f6(x[0])}</tt:Min><tt:Max>${f6(x[1])}</tt:Max></tt:XRange>` +
  (y ? `<tt:YRange><tt:Min>${f6(y[0])}</tt:Min><tt:Max>${f6(y[1])}</tt:Max></tt:YRange>` : '');
const space2 = (tag: string, uri: string, x: [number, number], y: [number, number]) =>
  `<tt:${tag}><tt:URI>${uri}</tt:URI>${range(x, y)}</tt:${tag}>`;
const space1 = (tag: string, uri: string, x: [number, number]) => `<tt:${tag}><tt:URI>${uri}</tt:URI>${range(x)}</tt:${tag}>`;

/** The spaces this camera supports, shared by GetNodes and GetConfigurationOptions. */
export function spacesXml(tag: 'SupportedPTZSpaces' | 'Spaces'): string {
  return (
    `<tt:${tag}>` +
    space2('AbsolutePanTiltPositionSpace', SPACE.ptPosition, [-1, 1], [-1, 1]) +
    space1('AbsoluteZoomPositionSpace', SPACE.zPosition, [0, 1]) +
    space2('RelativePanTiltTranslationSpace', SPACE.ptTranslation, [-1, 1], [-1, 1]) +
    space1('RelativeZoomTranslationSpace', SPACE.zTranslation, [-1, 1]) +
    space2('ContinuousPanTiltVelocitySpace', SPACE.ptVelocity, [-1, 1], [-1, 1]) +
    space2('ContinuousPanTiltVelocitySpace', `${PT}VelocitySpaceFOV`, [-7, 7], [-7, 7]) +
    space1('ContinuousZoomVelocitySpace', SPACE.zVelocity, [-1, 1]) +
    space1('ContinuousZoomVelocitySpace', `${Z}VelocitySpaceMillimeter`, [-7, 7]) +
    space1('PanTiltSpeedSpace', SPACE.ptSpeed, [0, 1]) +
    space1('ZoomSpeedSpace', SPACE.zSpeed, [0, 1]) +
    `</tt:${tag}>`
  );
}

export function nodeXml(tag = 'tptz:PTZNode'): string {
  return (
    `<${tag} token="${PTZ_NODE_TOKEN}" FixedHomePosition="false"><tt:Name>PTZNode</tt:Name>${spacesXml('SupportedPTZSpaces')}` +
    `<tt:MaximumNumberOfPresets>${MAX_PRESETS}</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported>` +
    '<tt:Extension><tt:SupportedPresetTour><tt:MaximumNumberOfPresetTours>8</tt:MaximumNumberOfPresetTours>' +
    '<tt:PTZPresetTourOperation>Start</tt:PTZPresetTourOperation><tt:PTZPresetTourOperation>Stop</tt:PTZPresetTourOperation>' +
    `</tt:SupportedPresetTour></tt:Extension></${tag}>`
  );
}

export function configurationXml(tag: string, l: AxisLimits = FULL_LIMITS): string {
  return (
    `<${tag} token="${PTZ_CONFIG_TOKEN}"><tt:Name>PTZConfig</tt:Name><tt:UseCount>1</tt:UseCount>` +
    `<tt:NodeToken>${PTZ_NODE_TOKEN}</tt:NodeToken>` +
    `<tt:DefaultAbsolutePantTiltPositionSpace>${SPACE.ptPosition}</tt:DefaultAbsolutePantTiltPositionSpace>` +
    `<tt:DefaultAbsoluteZoomPositionSpace>${SPACE.zPosition}</tt:DefaultAbsoluteZoomPositionSpace>` +
    `<tt:DefaultRelativePanTiltTranslationSpace>${SPACE.ptTranslation}</tt:DefaultRelativePanTiltTranslationSpace>` +
    `<tt:DefaultRelativeZoomTranslationSpace>${SPACE.zTranslation}</tt:DefaultRelativeZoomTranslationSpace>` +
    `<tt:DefaultContinuousPanTiltVelocitySpace>${SPACE.ptVelocity}</tt:DefaultContinuousPanTiltVelocitySpace>` +
    `<tt:DefaultContinuousZoomVelocitySpace>${SPACE.zVelocity}</tt:DefaultContinuousZoomVelocitySpace>` +
    `<tt:DefaultPTZSpeed><tt:PanTilt x="1" y="1" space="${SPACE.ptSpeed}"/><tt:Zoom x="1" space="${SPACE.zSpeed}"/></tt:DefaultPTZSpeed>` +
    `<tt:DefaultPTZTimeout>PT5S</tt:DefaultPTZTimeout>` +
    `<tt:PanTiltLimits><tt:Range><tt:URI>${SPACE.ptPosition}</tt:URI>${range(l.pan, l.tilt)}</tt:Range></tt:PanTiltLimits>` +
    `<tt:ZoomLimits><tt:Range><tt:URI>${SPACE.zPosition}</tt:URI>${range(l.zoom)}</tt:Range></tt:ZoomLimits>` +
    `</${tag}>`
  );
}

export function optionsXml(): string {
  return (
    `<tptz:PTZConfigurationOptions>${spacesXml('Spaces')}` +
    `<tt:PTZTimeout><tt:Min>${TIMEOUT_RANGE.min}</tt:Min><tt:Max>${TIMEOUT_RANGE.max}</tt:Max></tt:PTZTimeout>` +
    `</tptz:PTZConfigurationOptions>`
  );
}
