import { Type } from '@sinclair/typebox';

// The sections of the room's config file that both room processes read: the daemon (the whole file,
// daemon/config/schema.ts composes these) and the gateway (only these, gateway/config/). One definition,
// so the two cannot read the same key differently.

export const Port = (def: number, description: string, env?: string) =>
  Type.Integer({ minimum: 0, maximum: 65535, default: def, description, ...(env ? { env } : {}) });
export const Str = (def: string, description: string, extra: object = {}) => Type.String({ default: def, description, ...extra });

export const RoomSection = Type.Object(
  {
    id: Str('room-demo', 'room id, unique in the fleet', { pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
    name: Str('Phòng tiếp công dân (mô phỏng)', 'room name shown on screens'),
  },
  { additionalProperties: false, default: {}, description: 'this reception room' },
);

/**
 * The room's listeners serve plain http (the kiosk and the gateway are on the box): loopback only, so no token,
 * PIN or session crosses a network in clear. A technician reaches the API remotely through `ssh -L 8080:127.0.0.1:8080`.
 */
const LOOPBACK_HOST = { pattern: '^(127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|::1|localhost)$' };

export const ApiSection = Type.Object(
  {
    host: Str('127.0.0.1', 'address the daemon API listens on: loopback only (plain http; remote technicians: ssh -L)', {
      env: 'RECEPTION_API_HOST',
      ...LOOPBACK_HOST,
    }),
    port: Port(8080, 'daemon API port', 'RECEPTION_API_PORT'),
  },
  { additionalProperties: false, default: {}, description: 'daemon HTTP API' },
);

export const GatewaySection = Type.Object(
  {
    hubUrl: Str('ws://127.0.0.1:8090/api/v1/signal', 'hub signaling WebSocket URL'),
    host: Str('127.0.0.1', "address of the gateway's local HTTP (state, kiosk bridge): loopback only (plain http)", LOOPBACK_HOST),
    port: Port(8081, 'gateway local HTTP port', 'RECEPTION_GATEWAY_PORT'),
    stunUrls: Type.Array(Type.String({ pattern: '^stuns?:', description: 'a STUN URL, stun:host:port' }), {
      default: [],
      description:
        'STUN servers for the link to the hub, e.g. "stun:stun.example.gov.vn:3478"; none by default: a hub with a public address needs none, and WebRTC libraries would otherwise ask a public (Google) server',
    }),
  },
  { additionalProperties: false, default: {}, description: "the gateway: the room's WebRTC link to the hub" },
);

/** `paths.state`: the daemon's state directory; the gateway reads the local bridge secret there (common/local-bridge). */
export const statePath = Str('var/state', 'state directory: audit log, queues, keys, the local bridge secret', {
  env: 'RECEPTION_STATE_DIR',
});

/** The `media` fields the gateway reads: where the media worker sends RTP and receives remote audio (loopback UDP). */
export const mediaRtpPorts = {
  videoRtpPort: Port(5004, 'loopback UDP port the worker sends video RTP to (the gateway listens)'),
  audioRtpPort: Port(5006, 'loopback UDP port the worker sends audio RTP to (the gateway listens)'),
  remoteAudioRtpPort: Port(
    5010,
    'first of 4 loopback UDP ports (one per remote participant) where the gateway sends remote Opus RTP for the recording; 0: none',
  ),
};

/** Shared room secrets are gone (issue 10): the room's credential comes from `reception enroll` only. */
export const ROOM_SECRET_RETIRED =
  'mật khẩu phòng dùng chung không còn được hỗ trợ — hãy đăng ký phòng (enroll) / gateway.roomSecret is no longer supported: remove it and enroll the room (reception enroll --hub URL --code CODE, the code from the hub: reception hub enroll-code --room ID); its credential is then in <paths.state>/keys/enrollment.json';

/**
 * A raw room config without `gateway.roomSecret`: an empty one (an older `config init`) is dropped, a set one
 * is a problem naming the field (the loaders throw ConfigError with it: exit 78).
 */
export function withoutRoomSecret(raw: unknown): { raw: unknown; problem?: { path: string; message: string } } {
  const gateway = (raw as { gateway?: unknown } | null)?.gateway;
  if (typeof gateway !== 'object' || gateway === null || !('roomSecret' in gateway)) return { raw };
  if ((gateway as { roomSecret: unknown }).roomSecret !== '')
    return { raw, problem: { path: '/gateway/roomSecret', message: ROOM_SECRET_RETIRED } };
  const { roomSecret: _gone, ...rest } = gateway as Record<string, unknown>;
  return { raw: { ...(raw as object), gateway: rest } };
}
