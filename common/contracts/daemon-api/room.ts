import { Type, type Static } from '@sinclair/typebox';
import { GatewayStatus } from '../gateway-state.js';
import { DeviceHealth, GatewayLinkSummary } from './health.js';

// Daemon → kiosk page: the other replies it reads (hearing, kiosk settings and unlock, cameras, presets,
// audio channels, the gateway). The kiosk imports these types only. Pure TypeBox, no app imports.

export const HEARING_SOURCES = ['hub', 'local'] as const;
/** The room's current hearing (GET /api/v1/hearings/current `hearing`; also what `hearings.json` keeps). */
export const Hearing = Type.Object({
  id: Type.String({ minLength: 1, description: 'hub hearing id, or local-<time> for a hearing started in the room' }),
  title: Type.String(),
  source: Type.Union(
    HEARING_SOURCES.map((s) => Type.Literal(s)),
    { description: 'hub: reported by the connected gateway; local: started in the room' },
  ),
  startedAt: Type.String({ description: 'ISO time the room started it' }),
});
export type Hearing = Static<typeof Hearing>;
export const CurrentHearing = Type.Object({ hearing: Type.Union([Hearing, Type.Null()]) });
export type CurrentHearing = Static<typeof CurrentHearing>;

/** GET /api/v1/kiosk: what the page needs at start. */
export const KioskInfo = Type.Object({
  room: Type.Object({ id: Type.String(), name: Type.String() }),
  gateway: Type.Object({ kioskSignalUrl: Type.String({ description: "the gateway's kiosk bridge WebSocket" }) }),
  pinConfigured: Type.Boolean(),
  autoLockSeconds: Type.Integer(),
  sessionMinutes: Type.Integer(),
});
export type KioskInfo = Static<typeof KioskInfo>;

/** GET /api/v1/kiosk/bridge-ticket: the subprotocols that open the gateway's kiosk bridge (one use, 60 s). */
export const KioskBridgeTicket = Type.Object({
  protocols: Type.Array(Type.String(), { description: "WebSocket subprotocols: 'reception-kiosk.v1' and 'ticket.<ticket>'" }),
  expiresAt: Type.String({ description: 'ISO time the ticket stops opening the bridge' }),
});
export type KioskBridgeTicket = Static<typeof KioskBridgeTicket>;

/** POST /api/v1/kiosk/unlock: a session token for the officer controls. */
export const KioskUnlocked = Type.Object({ token: Type.String(), role: Type.Literal('officer'), expiresAt: Type.String() });
export type KioskUnlocked = Static<typeof KioskUnlocked>;

/** GET /api/v1/cameras (each). */
export const CameraSummary = Type.Object({ id: Type.String(), name: Type.String(), driver: Type.String(), health: DeviceHealth });
export type CameraSummary = Static<typeof CameraSummary>;

/** GET /api/v1/cameras/:camera/presets (each). */
export const Preset = Type.Object({
  token: Type.String(),
  name: Type.String(),
  position: Type.Optional(Type.Object({ pan: Type.Number(), tilt: Type.Number(), zoom: Type.Number() })),
  function: Type.Optional(
    Type.String({ description: 'a vendor function preset (reboot, OSD menu, scan…): what it does; technicians only' }),
  ),
  named: Type.Optional(
    Type.Boolean({ description: "view=all: one of the room's named presets (cameras[].presetNames), the ones officers see" }),
  ),
  missing: Type.Optional(Type.Boolean({ description: 'view=all: named in the config, but the camera holds no such preset' })),
});
export type Preset = Static<typeof Preset>;

/** GET /api/v1/cameras/:camera/limits: what the camera can reach, in the API's units (absolute moves outside → 400). */
const Range = Type.Object({ min: Type.Number(), max: Type.Number() });
export const CameraLimits = Type.Object({ pan: Range, tilt: Range, zoom: Range });
export type CameraLimits = Static<typeof CameraLimits>;

/** GET /api/v1/audio/channels (each); null: the DSP does not answer. */
export const Channel = Type.Object({
  id: Type.String(),
  name: Type.String(),
  muted: Type.Union([Type.Boolean(), Type.Null()]),
  levelDb: Type.Union([Type.Number(), Type.Null()]),
});
export type Channel = Static<typeof Channel>;

/** GET /api/v1/gateway: the link summary plus the gateway's own GET /state (null while it is down). */
export const GatewayReply = Type.Object({
  ...GatewayLinkSummary.properties,
  detail: Type.Union([GatewayStatus, Type.Null()], {
    description: "the gateway's GET /state (common/contracts/gateway-state.ts): hearing, remote participants, counters",
  }),
});
export type GatewayReply = Static<typeof GatewayReply>;
