// PTZ XML writers: the SetPreset request a client sends, and the vectors and status a camera answers
// with, in ONVIF's generic spaces (pan/tilt −1..1, zoom 0..1).
import type { PtzVector } from './ptz-read.js';
import { xmlEscape } from './xml-escape.js';

const PT = 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/';
const Z = 'http://www.onvif.org/ver10/tptz/ZoomSpaces/';
export const SPACE = {
  ptPosition: `${PT}PositionGenericSpace`,
  ptTranslation: `${PT}TranslationGenericSpace`,
  ptVelocity: `${PT}VelocityGenericSpace`,
  ptSpeed: `${PT}GenericSpeedSpace`,
  zPosition: `${Z}PositionGenericSpace`,
  zTranslation: `${Z}TranslationGenericSpace`,
  zVelocity: `${Z}VelocityGenericSpace`,
  zSpeed: `${Z}ZoomGenericSpeedSpace`,
} as const;

/** Numbers as vendors print them: plain decimals, no exponent, no float noise. */
export function xmlNumber(n: number): string {
  const r = Math.round(n * 1e6) / 1e6;
  return String(Object.is(r, -0) ? 0 : r);
}

/** SetPreset body (client side); `token` overwrites that preset, otherwise the camera assigns one. */
export function setPresetBody(profileToken: string, name: string, token?: string): string {
  return (
    '<tptz:SetPreset>' +
    `<tptz:ProfileToken>${xmlEscape(profileToken)}</tptz:ProfileToken>` +
    `<tptz:PresetName>${xmlEscape(name)}</tptz:PresetName>` +
    (token !== undefined ? `<tptz:PresetToken>${xmlEscape(token)}</tptz:PresetToken>` : '') +
    '</tptz:SetPreset>'
  );
}

/** `<tag><tt:PanTilt x y space/><tt:Zoom x space/></tag>` in the position or the speed space. */
export function vectorXml(tag: string, v: PtzVector, kind: 'position' | 'speed' = 'position'): string {
  const [pt, z] = kind === 'position' ? [SPACE.ptPosition, SPACE.zPosition] : [SPACE.ptSpeed, SPACE.zSpeed];
  return `<${tag}><tt:PanTilt x="${xmlNumber(v.pan)}" y="${xmlNumber(v.tilt)}" space="${pt}"/><tt:Zoom x="${xmlNumber(v.zoom)}" space="${z}"/></${tag}>`;
}

/** tptz:PTZStatus (camera side): position, per-axis MoveStatus, UtcTime without milliseconds. */
export function statusXml(p: PtzVector, moving: { panTilt: boolean; zoom: boolean }, utc: Date): string {
  const st = (m: boolean) => (m ? 'MOVING' : 'IDLE');
  return (
    `<tptz:PTZStatus>${vectorXml('tt:Position', p)}` +
    `<tt:MoveStatus><tt:PanTilt>${st(moving.panTilt)}</tt:PanTilt><tt:Zoom>${st(moving.zoom)}</tt:Zoom></tt:MoveStatus>` +
    `<tt:UtcTime>${utc.toISOString().replace(/\.\d{3}Z$/, 'Z')}</tt:UtcTime></tptz:PTZStatus>`
  );
}
