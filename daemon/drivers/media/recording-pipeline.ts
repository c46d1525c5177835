// The recording pipeline (pure string, no I/O). A pipeline of its own, fed by the worker's own RTP
// output over loopback: a disk error (filesink: no space) fails only this pipeline, never the on-air
// stream, and record / record-stop build and EOS it without touching the main pipelines.
import { quote } from './pipelines.js';

/** Remote participants' audio: one fixed loopback port per slot (remoteAudioRtpPort + 0..3); the gateway sends to them. */
export { REMOTE_AUDIO_SLOTS } from '../../../common/contracts/media-rtp.js';
export const SEGMENT_PATTERN = 'seg-%05d.ts';
export const SEGMENT_RE = /^seg-(\d{5,})\.ts$/;

export interface RecordingPipelineOptions {
  /** Internal loopback ports where the main pipelines also send their RTP. */
  videoPort: number;
  audioPort: number;
  /** Where the gateway sends each remote participant's Opus RTP (pt 111); empty: silence only. */
  remotePorts: number[];
  dir: string;
  startIndex: number;
  segmentSeconds: number;
}

const VIDEO_RTP = 'application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96';
const OPUS_RTP = 'application/x-rtp,media=audio,clock-rate=48000,encoding-name=OPUS,payload=111';
const MONO = 'audio/x-raw,format=S16LE,rate=48000,channels=1';
// splitmuxsink holds a GOP before the muxer; these queues only absorb scheduling jitter.
const q = 'queue max-size-time=3000000000 max-size-buffers=0 max-size-bytes=0';
// 4 MB like the main pipeline's loopback inputs (the kernel default, ~208 KB, is ~0.6 s of 2.6 Mbit/s video): a
// worker held up by a busy box must not lose recorded packets in the socket (a lost packet costs up to a GOP here).
const udpIn = (port: number, caps: string) => `udpsrc address=127.0.0.1 port=${port} buffer-size=4194304 caps="${caps}"`;

export function recordingPipeline(o: RecordingPipelineOptions): string {
  const remotes = o.remotePorts.map(
    (port) =>
      `${udpIn(port, OPUS_RTP)} ! rtpopusdepay ! opusdec plc=true ! audioconvert ! audioresample ! ${MONO} ! queue max-size-time=200000000 leaky=downstream ! rmix.`,
  );
  return [
    // The on-air H.264 as sent (slate periods included); the file starts at a keyframe. Byte-stream:
    // SPS/PPS in band, so a switch between camera and slate (new SPS) is no caps problem for the muxer.
    `${udpIn(o.videoPort, VIDEO_RTP)} ! rtph264depay wait-for-keyframe=true ! h264parse config-interval=-1 ! video/x-h264,stream-format=byte-stream,alignment=au ! ${q} ! sm.video`,
    // The room's audio, the Opus the gateway gets: no re-encode.
    `${udpIn(o.audioPort, OPUS_RTP)} ! rtpopusdepay ! opusparse ! ${q} ! sm.audio_0`,
    ...remotes,
    // Silence keeps the remote track alive (and the mixer running) with no remote participant.
    `audiotestsrc is-live=true wave=silence ! ${MONO} ! rmix.`,
    `audiomixer name=rmix latency=60000000 ! audioconvert ! opusenc bitrate=32000 frame-size=20 ! opusparse ! ${q} ! sm.audio_1`,
    // MPEG-TS, not Matroska: matroskamux fails on the SPS change of every camera ↔ slate switch ("Could
    // not multiplex stream", measured), and a TS needs no finalizing: whatever a killed worker wrote
    // plays. Unbuffered filesink so that is all it muxed.
    `splitmuxsink name=sm location=${quote(`${o.dir}/${SEGMENT_PATTERN}`)} muxer-factory=mpegtsmux async-finalize=true`,
    `sink-properties="properties,buffer-mode=2" max-size-time=${Math.round(o.segmentSeconds * 1e9)} start-index=${o.startIndex}`,
  ].join(' ');
}

/** seg-00012.ts → 12 (null for anything else). */
export function segmentIndex(file: string): number | null {
  const m = SEGMENT_RE.exec(file.split('/').pop() ?? '');
  return m ? Number(m[1]) : null;
}
