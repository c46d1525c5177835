import { Type, type Static } from '@sinclair/typebox';

// The hub's one config schema (a default and a description on every field, no unknown keys).
// main.ts hands each module its own slice; nothing else reads this object whole. A field with `env` can be
// set from that environment variable (common/config/env-overrides.ts).

const Sha256 = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', default: '0'.repeat(64), description });
const Id = (def: string, description: string) => Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', default: def, description });

/** SHA-256 of "demo-room-secret": the embedded demo room's credential. */
export const DEMO_ROOM_SECRET = 'demo-room-secret';
export const DEMO_ROOM_SECRET_SHA256 = 'b21ac897507b06409fe88ecd3a0ead9ee1b362eaf1d446c80945f69d92386ffe';

export const RoomEntry = Type.Object(
  {
    id: Id('room-demo', "room id; the room's gateway says it in `hello`"),
    name: Type.String({ default: 'Phòng tiếp công dân', description: 'name shown to officers' }),
    secretSha256: Sha256("hex SHA-256 of the room's signaling secret (Bearer token or ?token=)"),
  },
  { additionalProperties: false, description: 'one reception room allowed to connect' },
);
export type RoomEntry = Static<typeof RoomEntry>;

export const OfficerEntry = Type.Object(
  {
    name: Type.String({ minLength: 1, default: 'officer', description: 'who holds the token (shown as participant name)' }),
    sha256: Sha256("hex SHA-256 of the officer's token; the token itself is never stored"),
  },
  { additionalProperties: false, description: 'one officer token (console, WHIP, WHEP, REST)' },
);
export type OfficerEntry = Static<typeof OfficerEntry>;

export const IceConfig = Type.Object(
  {
    hostAddresses: Type.Array(Type.String(), {
      default: ['127.0.0.1'],
      description: 'extra host candidate addresses (werift skips loopback unless listed here)',
    }),
    useIpv6: Type.Boolean({ default: false, description: 'gather IPv6 candidates too' }),
    stunUrls: Type.Array(Type.String(), { default: [], description: 'STUN servers, e.g. "stun:stun.example.org:3478" (none on a LAN)' }),
    portMin: Type.Integer({ minimum: 0, maximum: 65535, default: 0, description: 'lowest UDP port for media (0 with portMax 0: any)' }),
    portMax: Type.Integer({ minimum: 0, maximum: 65535, default: 0, description: 'highest UDP port for media' }),
  },
  { additionalProperties: false, default: {}, description: "ICE settings of the hub's werift peer connections" },
);
export type IceConfig = Static<typeof IceConfig>;

export const ArchiveConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: "receive, verify and keep the rooms' recordings (needs stateDir or archive.dir)" }),
    dir: Type.String({
      default: '',
      description: 'where archived hearings are stored ("" = <stateDir>/archive); the hub key stays in <stateDir>/keys',
    }),
    maxChunkMb: Type.Integer({ minimum: 1, maximum: 64, default: 4, description: 'largest PATCH chunk accepted (MiB)' }),
    maxFileMb: Type.Integer({
      minimum: 1,
      maximum: 1048576,
      default: 4096,
      description: 'largest file a room may declare (Upload-Length, MiB); past it: 413 FILE_TOO_LARGE',
    }),
    roomQuotaMb: Type.Integer({
      minimum: 1,
      default: 2097152,
      description: 'per room: archived + declared bytes of all its hearings (MiB, default 2 TiB); past it: 413 QUOTA_EXCEEDED',
    }),
    maxRemux: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 2,
      description: 'ffmpeg remuxes (`?format=mp4` playback) running at once; past it: 503 REMUX_BUSY with Retry-After',
    }),
  },
  { additionalProperties: false, default: {}, description: 'the recordings archive (docs/UPLOAD.md)' },
);
export type ArchiveConfig = Static<typeof ArchiveConfig>;

export const HubConfigSchema = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1', description: 'address the hub listens on', env: 'RECEPTION_HUB_HOST' }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 8090,
      description: 'hub HTTP/WebSocket port (also `--port`)',
      env: 'RECEPTION_HUB_PORT',
    }),
    publicUrl: Type.String({ default: '', description: 'base URL used in WHIP/WHEP Location headers when behind a proxy ("" = relative)' }),
    rooms: Type.Array(RoomEntry, {
      default: [{ id: 'room-demo', name: 'Phòng tiếp công dân (mô phỏng)', secretSha256: DEMO_ROOM_SECRET_SHA256 }],
      description: 'rooms allowed to connect; `reception hub --rooms N` generates room-demo + room-2..room-N',
    }),
    officers: Type.Array(OfficerEntry, { default: [], description: 'officer tokens' }),
    allowLoopbackOfficers: Type.Boolean({
      default: true,
      description: 'an officer on the hub machine itself (127.0.0.0/8) needs no token (the demo)',
    }),
    ice: IceConfig,
    stateDir: Type.String({
      minLength: 1,
      default: 'var/hub',
      description: 'where the hub keeps its state (hearings.json, written atomically); relative to the working directory',
      env: 'RECEPTION_HUB_STATE_DIR',
    }),
    archive: ArchiveConfig,
  },
  { additionalProperties: false },
);
export type HubConfig = Static<typeof HubConfigSchema>;
