// GStreamer pipeline descriptions (pure strings, no I/O): one ingest per camera, one video main
// pipeline with the input selector, one audio main pipeline. Element names here are the ones the
// worker looks up with findChild/setPad/forceKeyUnit.
import { parseCameraUri, type CameraSource } from './camera-source.js';

/** Internal loopback ports between ingest pipelines and the main pipelines. */
export interface InternalPorts {
  primary: number;
  backup: number;
  /** The room's sound: the microphone, the tone, or the primary camera's audio. */
  audio: number;
  /** The backup camera's audio (audioSource camera), heard only while the backup is on air. */
  backupAudio: number;
}

export const SELECTOR_PADS = { primary: 'sink_0', backup: 'sink_1', slate: 'sink_2' } as const;
export const SLATE_FPS = 15;
const H264_AU = 'video/x-h264,stream-format=byte-stream,alignment=au';
const RAW_AUDIO = 'audio/x-raw,format=S16BE,rate=48000,channels=1';
export const INTERNAL_AUDIO_PT = 97;

/** gst-launch quoting for a property value (URIs with & or spaces, device names). */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const udpOut = (host: string, port: number, name = '') =>
  `udpsink ${name ? `name=${name} ` : ''}host=${host} port=${port} sync=false async=false`;

export interface IngestOptions {
  /** rtsp://…, v4l2:///dev/videoN or test:uvc-… (camera-source.ts). */
  uri: string;
  /** Loopback port the camera's RTP goes to (the main pipeline listens). */
  port: number;
  /** Loopback port for the camera's audio as L16 RTP; omitted: the audio is dropped. */
  audioPort?: number;
  transcode: boolean;
}

// Both encoders (transcode, local cameras) give what passthrough gives: constrained-baseline 720p, 1 s GOP;
// "enckey" is where the worker forces a keyframe.
const X264 = `x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 bitrate=2500 ! capsfilter name=enckey caps="video/x-h264,profile=constrained-baseline" ! h264parse config-interval=-1`;
const TO_720P = 'videoconvert ! videoscale ! video/x-raw,format=I420,width=1280,height=720,pixel-aspect-ratio=1/1';
const OUT = (port: number, host: string) => [
  `${H264_AU} ! tee name=t`,
  `t. ! rtph264pay pt=96 config-interval=1 ! ${udpOut(host, port)}`,
  't. ! appsink name=frames sync=false max-buffers=10 drop=true',
];

/**
 * One camera: H.264 access units out to the main pipeline over loopback RTP, and to an appsink named
 * "frames" so the worker sees liveness, fps, bitrate and the stream's profile. RTSP: passed through, or
 * (transcode) decoded and re-encoded. A local camera (v4l2 or the test picture) is always encoded here.
 */
export function ingestPipeline(o: IngestOptions, host = '127.0.0.1'): string {
  const source = parseCameraUri(o.uri);
  if (source.kind !== 'rtsp') return localCameraPipeline(source, o.port, host);
  const video = o.transcode
    ? `rtph264depay ! h264parse ! avdec_h264 ! ${TO_720P} ! ${X264}`
    : 'rtph264depay ! h264parse config-interval=-1';
  const audio = o.audioPort
    ? `src. ! application/x-rtp,media=audio ! decodebin ! audioconvert ! audioresample ! ${RAW_AUDIO} ! rtpL16pay pt=${INTERNAL_AUDIO_PT} ! ${udpOut(host, o.audioPort)}`
    : 'src. ! application/x-rtp,media=audio ! fakesink sync=false async=false'; // an unlinked pad would stop rtspsrc
  const [tee, ...branches] = OUT(o.port, host);
  return [
    `rtspsrc name=src location=${quote(o.uri)} protocols=tcp latency=100`,
    `src. ! application/x-rtp,media=video ! ${video} ! ${tee}`,
    ...branches,
    audio,
  ].join(' ');
}

// A UVC camera offers many modes; these come first (MJPEG or raw up to 720p at 15–30 fps, what a USB 2
// link carries), anything else only when it has none of them.
const UVC_CAPS = [
  'image/jpeg,width=(int)[1,1280],height=(int)[1,720],framerate=(fraction)[15/1,30/1]',
  'video/x-raw,width=(int)[1,1280],height=(int)[1,720],framerate=(fraction)[15/1,30/1]',
  'image/jpeg',
  'video/x-raw',
].join(';');
const TEST_CAMERAS = {
  'uvc-yuy2': 'videotestsrc is-live=true pattern=smpte ! video/x-raw,format=YUY2,width=640,height=480,framerate=30/1',
  'uvc-mjpeg':
    'videotestsrc is-live=true pattern=ball ! video/x-raw,width=1280,height=720,framerate=30/1 ! jpegenc quality=80 ! image/jpeg,framerate=30/1',
} as const;

/** v4l2 or test picture → decode (MJPEG) → 720p30 I420 → x264; a slow encoder drops frames, never blocks the device. */
function localCameraPipeline(source: Exclude<CameraSource, { kind: 'rtsp' }>, port: number, host: string): string {
  const src =
    source.kind === 'v4l2'
      ? `v4l2src device=${quote(source.device)} do-timestamp=true ! capsfilter caps="${UVC_CAPS}"`
      : TEST_CAMERAS[source.format];
  const [tee, ...branches] = OUT(port, host);
  return [
    `${src} ! decodebin ! videorate ! video/x-raw,framerate=30/1 ! ${TO_720P} ! queue max-size-buffers=2 leaky=downstream ! ${X264} ! ${tee}`,
    ...branches,
  ].join(' ');
}

/**
 * The room microphone (alsa) or a tone (test), sent like camera audio to the audio main pipeline; the
 * appsink "mic" lets the worker see that sound arrives (a device can open and then deliver nothing).
 */
export function audioInputPipeline(source: 'alsa' | 'test', alsaDevice: string, port: number, host = '127.0.0.1'): string {
  const src = source === 'alsa' ? `alsasrc device=${quote(alsaDevice)}` : 'audiotestsrc is-live=true wave=sine freq=440 volume=0.2';
  return [
    `${src} ! audioconvert ! audioresample ! ${RAW_AUDIO} ! tee name=mt`,
    `mt. ! queue max-size-time=200000000 leaky=downstream ! rtpL16pay pt=${INTERNAL_AUDIO_PT} ! ${udpOut(host, port)}`,
    'mt. ! queue max-size-buffers=5 leaky=downstream ! appsink name=mic sync=false max-buffers=5 drop=true',
  ].join(' ');
}

export interface MainOptions {
  ports: InternalPorts;
  host: string;
  videoRtpPort: number;
  audioRtpPort: number;
  /** Loopback ports of the worker's recording pipeline: the on-air RTP goes there too (see recording-pipeline.ts). */
  recordPorts?: { video: number; audio: number };
}

/** The gateway's port, plus the recorder's: multiudpsink costs one sendto per packet, no extra payloading. */
const rtpOut = (host: string, port: number, name: string, recordPort?: number) =>
  recordPort
    ? `multiudpsink name=${name} clients=${host}:${port},127.0.0.1:${recordPort} sync=false async=false`
    : udpOut(host, port, name);

const cameraIn = (port: number, pad: string) =>
  `udpsrc port=${port} buffer-size=4194304 caps="application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96" ! rtph264depay wait-for-keyframe=true ! h264parse ! ${H264_AU} ! queue max-size-buffers=30 leaky=downstream ! sel.${pad}`;

/** Pads of the live selector: the on-air picture as it is, or re-encoded for a poor link (live-rate.ts). */
export const LIVE_PADS = { full: 'sink_0', adapted: 'sink_1' } as const;
/** The adapted picture: 640x360, x264 at the rate the link carries (set at run time on "adaptenc"/"adaptrate"). */
export const ADAPTED = { width: 640, height: 360 } as const;

/**
 * The live branch after the on-air tee: the full picture (passthrough), or — while the link is poor — the
 * same picture decoded, scaled to 640x360, rate-limited ("adaptrate" max-rate) and re-encoded at the link's
 * bitrate ("adaptenc" bitrate, kbit/s). The "adaptvalve" stays shut (no decode, no encode) in passthrough.
 * Only this branch is adapted: the recording taps the tee before it and keeps the camera's full quality.
 */
function liveBranch(o: MainOptions): string[] {
  return [
    `ot. ! queue max-size-buffers=30 leaky=downstream ! live.${LIVE_PADS.full}`,
    'ot. ! queue max-size-buffers=5 leaky=downstream ! valve name=adaptvalve drop=true drop-mode=forward-sticky-events',
    `! avdec_h264 ! videoconvert ! videoscale ! video/x-raw,format=I420,width=${ADAPTED.width},height=${ADAPTED.height},pixel-aspect-ratio=1/1`,
    '! videorate name=adaptrate drop-only=true max-rate=25',
    '! x264enc name=adaptenc tune=zerolatency speed-preset=ultrafast key-int-max=50 bitrate=600 vbv-buf-capacity=300',
    `! capsfilter name=adaptkey caps="video/x-h264,profile=constrained-baseline" ! h264parse ! ${H264_AU} ! queue max-size-buffers=5 leaky=downstream ! live.${LIVE_PADS.adapted}`,
    `input-selector name=live sync-streams=false ! h264parse config-interval=-1 ! ${H264_AU}`,
    `! rtph264pay name=pay pt=96 config-interval=1 mtu=1200 ! ${udpOut(o.host, o.videoRtpPort, 'vout')}`,
  ];
}

/** The valve in front of the slate's overlays and encoder: open only while the slate is on air. */
export const SLATE_VALVE = 'slatevalve';

/**
 * Never restarted for a camera loss: two loopback camera inputs and the slate into an input
 * selector, then RTP to the gateway (through the live branch) and to the recorder (always the full
 * picture). "slatetext" gets its text as a property (newlines), "slatekey" is where a forced keyframe
 * is requested, "slatevalve" stops the slate's frames while it is off air, "pay"/"vout"/"outframes"
 * feed the stats.
 */
export function videoMainPipeline(o: MainOptions): string {
  return [
    cameraIn(o.ports.primary, SELECTOR_PADS.primary),
    cameraIn(o.ports.backup, SELECTOR_PADS.backup),
    `videotestsrc is-live=true pattern=solid-color foreground-color=0xff1a2a3a ! video/x-raw,width=1280,height=720,framerate=${SLATE_FPS}/1`,
    // Shut while a camera is on air: no overlay, no conversion, no encoding (was ~2/3 of the worker's CPU).
    `! valve name=${SLATE_VALVE} drop=false drop-mode=forward-sticky-events`,
    '! textoverlay name=slatetext font-desc="Sans 32" valignment=center halignment=center line-alignment=center shaded-background=true',
    '! clockoverlay halignment=right valignment=bottom font-desc="Sans 20" time-format="%Y-%m-%d %H:%M:%S"',
    `! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=${SLATE_FPS} bitrate=600`,
    `! capsfilter name=slatekey caps="video/x-h264,profile=constrained-baseline" ! h264parse ! ${H264_AU} ! queue max-size-buffers=5 leaky=downstream ! sel.${SELECTOR_PADS.slate}`,
    `input-selector name=sel sync-streams=false ! h264parse config-interval=-1 ! ${H264_AU} ! tee name=ot`,
    ...liveBranch(o),
    ...(o.recordPorts
      ? [
          `ot. ! queue max-size-buffers=30 leaky=downstream ! rtph264pay name=recpay pt=96 config-interval=1 mtu=1200 ! ${udpOut('127.0.0.1', o.recordPorts.video)}`,
        ]
      : []),
    'ot. ! appsink name=outframes sync=false max-buffers=10 drop=true',
  ].join(' ');
}

const audioIn = (port: number, volume: string, muted: boolean) =>
  `udpsrc port=${port} buffer-size=4194304 caps="application/x-rtp,media=audio,clock-rate=48000,encoding-name=L16,encoding-params=1,channels=1,payload=${INTERNAL_AUDIO_PT}"` +
  ` ! rtpL16depay ! audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=48000,channels=1 ! volume name=${volume} mute=${muted} ! queue max-size-time=200000000 leaky=downstream ! mix.`;

/** Volume elements of the audio main pipeline: the worker mutes the backup camera's sound unless it is on air. */
export const AUDIO_VOLUMES = { main: 'vol_main', backup: 'vol_backup' } as const;

/**
 * Audio apart from video so an audio fault never touches the picture. The mixer's live timeout
 * fills with the silence source whenever the input (camera, microphone or tone) stops. With camera
 * audio, the backup camera's sound replaces the primary's while the backup is on air.
 */
export function audioMainPipeline(o: MainOptions): string {
  return [
    audioIn(o.ports.audio, AUDIO_VOLUMES.main, false),
    audioIn(o.ports.backupAudio, AUDIO_VOLUMES.backup, true),
    'audiotestsrc is-live=true wave=silence ! audio/x-raw,format=S16LE,rate=48000,channels=1 ! mix.',
    // Opus with in-band FEC (a lost packet is rebuilt from the next one) at 48 kbit/s: speech stays whole on a lossy link.
    'audiomixer name=mix latency=60000000 ! audioconvert ! opusenc bitrate=48000 frame-size=20 inband-fec=true packet-loss-percentage=15 ! rtpopuspay name=apay pt=111',
    `! ${rtpOut(o.host, o.audioRtpPort, 'aout', o.recordPorts?.audio)}`,
  ].join(' ');
}

/** Slate text: the configured text, then the room name on its own line. */
export function slateLines(slateText: string, roomName: string): string {
  return roomName ? `${slateText}\n${roomName}` : slateText;
}
