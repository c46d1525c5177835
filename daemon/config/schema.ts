import { Type, type Static } from '@sinclair/typebox';
import { ApiSection, GatewaySection, mediaRtpPorts, RoomSection, Str, statePath } from '../../common/config/room-config.js';

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

export const AudioFollowConfig = Type.Object(
  {
    enabled: Type.Boolean({
      default: false,
      description:
        "the camera follows the talker: the DSP's per-microphone meters recall PTZ presets (officers can switch it off on the kiosk)",
    }),
    camera: Str('cam1', 'camera id the meters steer'),
    rules: Type.Array(
      Type.Object(
        {
          channel: Str('mic', 'audio channel id (audio.channels, with a meterTag)', { minLength: 1 }),
          preset: Str('1', "the camera's preset token showing who talks on that channel", { minLength: 1 }),
        },
        { additionalProperties: false, description: 'one microphone → one preset' },
      ),
      { default: [], description: 'which preset shows the talker of each microphone (citizen mic → "Citizen", officer mic → theirs)' },
    ),
    roomPreset: Str('', 'preset token of the whole room: several talkers at once, or silence'),
    onDb: Type.Number({
      minimum: -100,
      maximum: 12,
      default: -35,
      description: 'a microphone is talking at or above this meter level (dB)',
    }),
    offDb: Type.Number({ minimum: -100, maximum: 12, default: -45, description: 'and stops only below this one (hysteresis; ≤ onDb)' }),
    gapMs: Type.Integer({
      minimum: 0,
      maximum: 2000,
      default: 300,
      description: 'a pause shorter than this does not end a turn (gaps between words)',
    }),
    talkMs: Type.Integer({
      minimum: 100,
      maximum: 10_000,
      default: 800,
      description: 'a new talker must hold this long before the camera moves',
    }),
    silenceMs: Type.Integer({ minimum: 500, maximum: 60_000, default: 4000, description: 'silence this long → the whole-room preset' }),
    holdMs: Type.Integer({
      minimum: 1000,
      maximum: 120_000,
      default: 4000,
      description: 'least time between two automatic moves (the camera must not hunt)',
    }),
    manualPauseSeconds: Type.Integer({
      minimum: 5,
      maximum: 3600,
      default: 60,
      description: 'a manual camera move or preset recall pauses following for this long',
    }),
  },
  { additionalProperties: false, default: {}, description: 'audio-follow camera (off by default; on/off per room)' },
);

export const MediaConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'run the media worker (GStreamer child process)' }),
    primaryCamera: Str('cam1', 'camera id whose RTSP stream is on air'),
    backupCamera: Type.Optional(Type.String({ description: 'camera id to fall back to when the primary is lost' })),
    rtspUri: Type.Optional(
      Type.String({
        description:
          'override the primary camera URI: rtsp://… (cameras without ONVIF), v4l2:///dev/videoN (USB/UVC camera, HDMI capture), test:uvc-yuy2 | test:uvc-mjpeg (test picture)',
      }),
    ),
    backupUri: Type.Optional(Type.String({ description: 'override the backup camera URI (same forms as rtspUri), e.g. a USB camera' })),
    audioSource: Type.Union([Type.Literal('camera'), Type.Literal('alsa'), Type.Literal('test')], {
      default: 'camera',
      description: 'camera: the RTSP stream audio; alsa: the microphone device below; test: a tone',
    }),
    alsaDevice: Str('default', 'ALSA capture device of the room microphone (audioSource alsa)'),
    transcode: Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')], {
      default: 'auto',
      description: 'auto: pass H.264 through when it is constrained-baseline, else x264',
    }),
    slateText: Str('Đang mất tín hiệu camera / Camera unavailable', 'text on the slate shown when no camera is available'),
    lossTimeoutMs: Type.Integer({
      minimum: 200,
      maximum: 10_000,
      default: 700,
      description: 'no camera frames for this long puts the slate on air',
    }),
    ...mediaRtpPorts,
    maxRestartsPerMinute: Type.Integer({
      minimum: 1,
      maximum: 60,
      default: 6,
      description: 'worker restarts allowed per minute before backing off longer',
    }),
    workerMaxRssMb: Type.Integer({
      minimum: 100,
      maximum: 4096,
      default: 400,
      description: 'the worker restarts itself past this memory (rebuilt camera pipelines leak native memory while a camera is down)',
    }),
  },
  { additionalProperties: false, default: {}, description: 'the media worker: cameras in, RTP out' },
);

export const RecordingConfig = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description: 'record every hearing locally (segments + signed manifest under paths.recordings)',
    }),
    segmentSeconds: Type.Number({
      minimum: 1,
      maximum: 10,
      default: 2,
      description: 'target segment length (cut at the next keyframe); a killed worker loses about one GOP plus its restart, not a segment',
    }),
  },
  { additionalProperties: false, default: {}, description: 'local recording of hearings' },
);

export const GatewayConfig = GatewaySection;

export const UploaderConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'forward recordings to the hub archive (docs/UPLOAD.md)' }),
    hubUrl: Str(
      '',
      'hub base URL, e.g. http://hub:8090 ("" = derived from gateway.hubUrl: ws→http, /api/v1/signal stripped); the room authenticates with its enrollment (<paths.state>/keys/enrollment.json)',
    ),
    chunkKb: Type.Integer({
      minimum: 64,
      maximum: 65536,
      default: 4096,
      description: 'PATCH chunk size (KiB); the hub accepts up to archive.maxChunkMb',
    }),
    maxBackoffSeconds: Type.Integer({
      minimum: 1,
      maximum: 600,
      default: 30,
      description: 'longest wait between retries while the hub is away (exponential from 0.5 s)',
    }),
    manifestIntervalSeconds: Type.Integer({
      minimum: 0,
      maximum: 3600,
      default: 10,
      description: "least time between two uploads of a growing manifest (only its new tail goes); a closed hearing's goes at once",
    }),
    rescanSeconds: Type.Integer({
      minimum: 5,
      maximum: 3600,
      default: 60,
      description: "how often paths.recordings is re-scanned for files without a receipt (beside the recorder's events)",
    }),
  },
  { additionalProperties: false, default: {}, description: 'forwarding recordings to the hub' },
);

export const RetentionConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true, description: 'delete forwarded recordings (never one without a valid hub receipt)' }),
    keepDays: Type.Number({ minimum: 0, maximum: 3650, default: 30, description: 'forwarded segments are kept this long locally' }),
    minFreeMb: Type.Integer({
      minimum: 0,
      default: 2048,
      description:
        'below this free disk, forwarded segments go first (oldest first) regardless of age; still below → alarm with minutes of recording left',
    }),
    sweepSeconds: Type.Integer({ minimum: 5, maximum: 3600, default: 60, description: 'how often retention runs' }),
  },
  { additionalProperties: false, default: {}, description: 'local retention and disk pressure' },
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
  },
  { additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;
