import { Type, type Static } from '@sinclair/typebox';
import { Str } from './room-config.js';

// `cameras[]`: one PTZ camera, its driver settings and the presets officers may use (preset-names.ts).

const OnvifCamera = Type.Object(
  {
    xaddr: Str('http://127.0.0.1:8000/onvif/device_service', 'ONVIF device service URL (from `reception discover`)', { minLength: 1 }),
    username: Str('admin', 'ONVIF user with PTZ rights'),
    password: Str('', 'ONVIF password (kept in this file only; the file is 0600)'),
    profileToken: Type.Optional(Type.String({ description: 'media profile to use; the first PTZ profile when omitted' })),
    auth: Type.Union([Type.Literal('auto'), Type.Literal('ws-security'), Type.Literal('digest')], {
      default: 'auto',
      description: 'auto: WS-Security, HTTP Digest once the camera asks for it | ws-security | digest (cameras set to Digest only)',
    }),
  },
  { additionalProperties: false, description: 'settings for driver "onvif"' },
);

const ViscaCamera = Type.Object(
  {
    path: Str('/dev/ttyUSB0', 'serial device of the RS-232 VISCA link', { minLength: 1 }),
    baudRate: Type.Integer({ default: 9600, enum: [9600, 19200, 38400], description: 'VISCA baud rate set on the camera' }),
    address: Type.Integer({ minimum: 1, maximum: 7, default: 1, description: 'VISCA camera address on the daisy chain' }),
  },
  { additionalProperties: false, description: 'settings for driver "visca"' },
);

// The room's named presets from commissioning: the only ones officers see and recall (daemon/config/preset-names.ts).
const NamedPreset = Type.Object(
  {
    token: Str('1', "the camera's preset token (`GET /api/v1/cameras/ID/presets?view=all` lists them)", { minLength: 1, maxLength: 64 }),
    name: Str('Toàn cảnh', 'name shown to officers', { minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false, description: 'one named preset' },
);
const PresetNames = Type.Array(NamedPreset, {
  maxItems: 64,
  default: [],
  description:
    'the presets officers see and recall, in this order, with these names; every other camera preset is for technicians only (an older {"token": "name"} map is read as this list)',
});

export const CameraConfig = Type.Object(
  {
    id: Str('cam1', 'short id used in the API and logs', { pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
    name: Str('Camera 1', 'name shown to officers'),
    driver: Type.Union([Type.Literal('onvif'), Type.Literal('visca'), Type.Literal('sim')], {
      default: 'sim',
      description: 'onvif | visca | sim (in-process simulator)',
    }),
    timeoutMs: Type.Integer({
      minimum: 100,
      maximum: 1900,
      default: 1500,
      description: 'longest wait for the camera before answering 503',
    }),
    presetNames: PresetNames,
    onvif: Type.Optional(OnvifCamera),
    visca: Type.Optional(ViscaCamera),
  },
  { additionalProperties: false, description: 'one PTZ camera' },
);
export type CameraConfig = Static<typeof CameraConfig>;
