import { Type } from '@sinclair/typebox';
import { GatewaySection, mediaRtpPorts, Str } from './room-config.js';

// `media`, `recording`, `gateway`, `uploader`, `retention`: what the room captures, records, keeps and sends.

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
    workerNice: Type.Integer({
      minimum: -15,
      maximum: 19,
      default: -10,
      description:
        "nice of the media worker (lower runs first when the CPU is busy: the live picture and the recording ahead of uploads); below the daemon's needs LimitNICE (the unit sets -10) or CAP_SYS_NICE",
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
