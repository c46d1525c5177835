import { Type, type Static } from '@sinclair/typebox';
import { ApiSection, RoomSection, Str, statePath } from './room-config.js';
import { AudioFollowConfig } from './room-schema-audio-follow.js';
import { CameraConfig } from './room-schema-cameras.js';
import { RemoteOpsConfig } from './room-schema-remote-ops.js';
import { UpdatesConfig } from './room-schema-updates.js';
import { GatewayConfig, MediaConfig, RecordingConfig, RetentionConfig, UploaderConfig } from './room-schema-media.js';

export { AudioFollowConfig, CameraConfig, GatewayConfig, MediaConfig, RecordingConfig, RetentionConfig, UploaderConfig };

// The one config schema (convention: a default and a description on every field, no unknown keys).
// Modules never see this whole object: main.ts hands each one its own slice. The sections the gateway reads
// too (room, api, gateway, the media RTP ports) are common/config/room-config.ts. A field with `env` can be
// set from that environment variable (common/config/env-overrides.ts).

export const ROLES = ['officer', 'technician', 'monitor'] as const;
export const Role = Type.Union(
  ROLES.map((r) => Type.Literal(r)),
  { default: 'monitor', description: 'officer: hearing controls, camera presets, mute; technician: everything; monitor: read-only health' },
);
export type Role = Static<typeof Role>;

export const AudioChannelConfig = Type.Object(
  {
    id: Str('mic', 'channel id used in the API', { pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
    name: Str('Micro công dân', 'name shown to officers'),
    muteTag: Str('Mute1', 'Tesira instance tag of the mute block'),
    levelTag: Str('Level1', 'Tesira instance tag of the level block'),
    index: Type.Integer({ minimum: 1, maximum: 256, default: 1, description: 'channel index inside the blocks' }),
    meterTag: Type.Optional(Type.String({ description: 'Tesira instance tag of a meter block for live levels' })),
    meterIndex: Type.Optional(Type.Integer({ minimum: 1, maximum: 256, description: 'channel index inside the meter block' })),
  },
  { additionalProperties: false, description: 'one audio channel' },
);

export const AudioConfig = Type.Object(
  {
    driver: Type.Union([Type.Literal('tesira'), Type.Literal('sim')], {
      default: 'sim',
      description: 'tesira | sim (in-process simulator)',
    }),
    path: Str('/dev/ttyUSB1', 'serial device of the DSP (driver tesira)'),
    baudRate: Type.Integer({ default: 115200, description: 'DSP serial baud rate (Tesira default 115200)' }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 1900, default: 1500, description: 'longest wait for the DSP before answering 503' }),
    meterRateMs: Type.Integer({ minimum: 50, maximum: 5000, default: 200, description: 'meter subscription rate' }),
    channels: Type.Array(AudioChannelConfig, {
      default: [
        { id: 'mic', name: 'Micro công dân', muteTag: 'Mute1', levelTag: 'Level1', index: 1, meterTag: 'Meter1', meterIndex: 1 },
        { id: 'speaker', name: 'Loa phòng', muteTag: 'Mute1', levelTag: 'Level1', index: 2, meterTag: 'Meter1', meterIndex: 2 },
      ],
      description: 'audio channels the room exposes',
    }),
    presets: Type.Array(
      Type.Object(
        {
          id: Type.Integer({ default: 1001, description: 'DSP preset number' }),
          name: Type.String({ default: 'Preset', description: 'name shown to officers' }),
        },
        { additionalProperties: false, description: 'one DSP preset' },
      ),
      {
        default: [
          { id: 1001, name: 'Phiên tiếp dân' },
          { id: 1002, name: 'Chờ' },
        ],
        description: 'DSP presets officers may recall',
      },
    ),
  },
  { additionalProperties: false, default: {}, description: 'the audio DSP and its channels' },
);

export const FleetConfig = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description:
        "report this room's health to the hub (POST /api/v1/fleet/rooms/<room>/report, same hub URL and secret as the uploader) and take reception book entries made at the hub console",
    }),
    reportSeconds: Type.Integer({
      minimum: 2,
      maximum: 3600,
      default: 10,
      description: 'how often the room reports; the hub shows a report older than max(3 × this, 30 s) as stale',
    }),
  },
  { additionalProperties: false, default: {}, description: "health reports to the hub's fleet view" },
);

export const KioskConfig = Type.Object(
  {
    pinHash: Str(
      '',
      'hash of the officers\' PIN on the kiosk touch screen: scrypt$<saltHex>$<hashHex> (or a hex SHA-256); set it with `reception kiosk-pin PIN`; "" = no PIN, the controls stay locked',
      { pattern: '^(|[0-9a-f]{64}|scrypt\\$[0-9a-f]{16,128}\\$[0-9a-f]{64})$' },
    ),
    sessionMinutes: Type.Integer({
      minimum: 1,
      maximum: 720,
      default: 10,
      description: 'a PIN unlock is valid this long (the session token is kept in memory only)',
    }),
    lockAfterFailures: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 5,
      description: 'wrong PINs in a row before unlocking is locked out',
    }),
    lockoutSeconds: Type.Integer({
      minimum: 1,
      maximum: 86_400,
      default: 60,
      description:
        'how long unlocking stays locked out after too many wrong PINs; each further lockout before a right PIN lasts twice as long (up to a day)',
    }),
    autoLockSeconds: Type.Integer({
      minimum: 10,
      maximum: 3600,
      default: 120,
      description: 'the page locks the officer controls after this long without a touch',
    }),
  },
  { additionalProperties: false, default: {}, description: "the room's full-screen kiosk page (/kiosk/): officer PIN and locking" },
);

export const TokenConfig = Type.Object(
  {
    name: Str('', 'who holds the token (shown in the audit log)', { minLength: 1 }),
    role: Role,
    sha256: Str('', 'hex SHA-256 of the token; the token itself is never stored', { pattern: '^[0-9a-f]{64}$' }),
  },
  { additionalProperties: false, description: 'one API token' },
);

export const ConfigSchema = Type.Object(
  {
    room: RoomSection,
    api: ApiSection,
    paths: Type.Object(
      {
        state: statePath,
        recordings: Str('var/recordings', 'local recordings', { env: 'RECEPTION_RECORDINGS_DIR' }),
      },
      { additionalProperties: false, default: {}, description: 'where the daemon writes' },
    ),
    access: Type.Object(
      {
        loopbackRole: Type.Union([...ROLES.map((r) => Type.Literal(r)), Type.Literal('none')], {
          default: 'monitor',
          description:
            'role of requests from 127.0.0.0/8 without a token (the kiosk page and local tools): monitor reads only; officer rights come from the kiosk PIN session, technician rights from a token; "none" requires tokens everywhere',
        }),
        tokens: Type.Array(TokenConfig, { default: [], description: 'API tokens; add with `reception token add NAME ROLE`' }),
      },
      { additionalProperties: false, default: {}, description: 'who may do what' },
    ),
    cameras: Type.Array(CameraConfig, {
      default: [
        {
          id: 'cam1',
          name: 'Camera chính',
          driver: 'sim',
          timeoutMs: 1500,
          // The in-process simulated camera's installer shots (simulators/installer-presets.ts), named for officers.
          presetNames: [
            { token: '1', name: 'Công dân · Citizen' },
            { token: '2', name: 'Toàn cảnh · Whole room' },
            { token: '3', name: 'Tài liệu · Documents' },
          ],
        },
      ],
      description: 'PTZ cameras of the room',
    }),
    audio: AudioConfig,
    audioFollow: AudioFollowConfig,
    media: MediaConfig,
    recording: RecordingConfig,
    gateway: GatewayConfig,
    uploader: UploaderConfig,
    retention: RetentionConfig,
    fleet: FleetConfig,
    kiosk: KioskConfig,
    remoteOps: RemoteOpsConfig,
    updates: UpdatesConfig,
  },
  { additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;
