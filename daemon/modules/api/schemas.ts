import { Type, type Static } from '@sinclair/typebox';

// Request and response shapes shared by the routes; they also feed the OpenAPI page. The replies the kiosk
// page reads (health, hearing, kiosk, cameras, presets, channels, gateway) are common/contracts/daemon-api/.

// The one error shape of both servers (common/http/error-reply.ts); `errors(404, 503)` for a route's responses.
export { ErrorReply, errorResponses as errors } from '../../../common/http/error-reply.js';

const Unit = (min: number, max: number, description: string) => Type.Number({ minimum: min, maximum: max, description });

export const Position = Type.Object(
  {
    pan: Unit(-1, 1, 'pan, -1 (left) .. 1 (right)'),
    tilt: Unit(-1, 1, 'tilt, -1 (down) .. 1 (up)'),
    zoom: Unit(0, 1, 'zoom, 0 (wide) .. 1 (tele)'),
  },
  { additionalProperties: false },
);
export const Velocity = Type.Object(
  {
    pan: Unit(-1, 1, 'pan speed'),
    tilt: Unit(-1, 1, 'tilt speed'),
    zoom: Type.Number({ minimum: -1, maximum: 1, default: 0, description: 'zoom speed' }),
  },
  { additionalProperties: false },
);
export const Delta = Type.Object(
  {
    pan: Unit(-2, 2, 'pan change'),
    tilt: Unit(-2, 2, 'tilt change'),
    zoom: Type.Number({ minimum: -1, maximum: 1, default: 0, description: 'zoom change' }),
  },
  { additionalProperties: false },
);
export const Speed = Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'fraction of top speed' }));

export const PtzStatusSchema = Type.Object({
  position: Type.Object({ pan: Type.Number(), tilt: Type.Number(), zoom: Type.Number() }),
  moveStatus: Type.Object({ panTilt: Type.String(), zoom: Type.String() }),
  utcTime: Type.Optional(Type.String()),
});

export const Done = Type.Object({ ok: Type.Literal(true) });
export type Done = Static<typeof Done>;
export const CameraParams = Type.Object({ camera: Type.String({ description: 'camera id' }) });
export const PresetParams = Type.Object({ camera: Type.String(), token: Type.String({ description: 'preset token' }) });
export const ChannelParams = Type.Object({ channel: Type.String({ description: 'audio channel id' }) });
