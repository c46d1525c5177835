// Request Bodies (client side) of the device, media and PTZ operations the driver sends. Vectors carry no
// `space` attribute: the profile's PTZ configuration's default (generic) spaces apply (ONVIF PTZ §5.3).
import { formatDuration } from './duration.js';
import type { PtzVector } from './ptz-read.js';
import { xmlNumber } from './ptz-xml.js';
import { xmlEscape } from './xml-escape.js';

const tok = (tag: string, v: string) => `<${tag}>${xmlEscape(v)}</${tag}>`;
const vector = (tag: string, v: PtzVector) =>
  `<${tag}><tt:PanTilt x="${xmlNumber(v.pan)}" y="${xmlNumber(v.tilt)}"/><tt:Zoom x="${xmlNumber(v.zoom)}"/></${tag}>`;
const speed = (s: number | undefined) => (s === undefined ? '' : vector('tptz:Speed', { pan: s, tilt: s, zoom: s }));
const profile = (p: string) => tok('tptz:ProfileToken', p);

export const deviceRequests = {
  getSystemDateAndTime: () => '<tds:GetSystemDateAndTime/>',
  getCapabilities: () => '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>',
  getDeviceInformation: () => '<tds:GetDeviceInformation/>',
};

export const mediaRequests = {
  getProfiles: () => '<trt:GetProfiles/>',
  getStreamUri: (p: string) =>
    '<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport>' +
    `</trt:StreamSetup>${tok('trt:ProfileToken', p)}</trt:GetStreamUri>`,
};

export const ptzRequests = {
  getStatus: (p: string) => `<tptz:GetStatus>${profile(p)}</tptz:GetStatus>`,
  continuousMove: (p: string, v: PtzVector, timeoutMs?: number) =>
    `<tptz:ContinuousMove>${profile(p)}${vector('tptz:Velocity', v)}${timeoutMs === undefined ? '' : tok('tptz:Timeout', formatDuration(timeoutMs))}</tptz:ContinuousMove>`,
  stop: (p: string) => `<tptz:Stop>${profile(p)}<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom></tptz:Stop>`,
  absoluteMove: (p: string, v: PtzVector, s?: number) =>
    `<tptz:AbsoluteMove>${profile(p)}${vector('tptz:Position', v)}${speed(s)}</tptz:AbsoluteMove>`,
  relativeMove: (p: string, v: PtzVector, s?: number) =>
    `<tptz:RelativeMove>${profile(p)}${vector('tptz:Translation', v)}${speed(s)}</tptz:RelativeMove>`,
  /** No Speed: the one GotoHomePosition Speed node-onvif sent was not schema-valid, and the default is fine. */
  gotoHome: (p: string) => `<tptz:GotoHomePosition>${profile(p)}</tptz:GotoHomePosition>`,
  getPresets: (p: string) => `<tptz:GetPresets>${profile(p)}</tptz:GetPresets>`,
  gotoPreset: (p: string, token: string, s?: number) =>
    `<tptz:GotoPreset>${profile(p)}${tok('tptz:PresetToken', token)}${speed(s)}</tptz:GotoPreset>`,
  removePreset: (p: string, token: string) => `<tptz:RemovePreset>${profile(p)}${tok('tptz:PresetToken', token)}</tptz:RemovePreset>`,
};
