import { gst, type Pipeline } from './gst.js';
import type { Logger } from '../../../../common/log.js';
import { liveEncoding } from '../live-rate.js';
import {
  AUDIO_VOLUMES,
  audioMainPipeline,
  LIVE_PADS,
  slateLines,
  SELECTOR_PADS,
  SLATE_VALVE,
  videoMainPipeline,
  type MainOptions,
} from '../pipelines.js';
import type { VideoSource } from '../worker-protocol.js';

// The two main pipelines (video with the selector, audio with the silence fill). They run for the
// worker's whole life; an error in either ends the worker, and the daemon starts a fresh one.

export interface OutputOptions extends MainOptions {
  slateText: string;
  roomName: string;
  /** audioSource camera: the main audio input is the primary camera's, the backup's has its own. */
  cameraAudio: boolean;
  log: Logger;
  onFatal(element: string, message: string): void;
}

/** RTP sequence numbers wrap at 2^16; this turns successive readings into a running count. */
function seqCounter() {
  let last: number | undefined;
  let total = 0;
  return (seq: unknown): number => {
    if (typeof seq !== 'number') return total;
    if (last !== undefined) total += (seq - last + 65536) % 65536;
    last = seq;
    return total;
  };
}

export function createOutputs(o: OutputOptions) {
  let video: Pipeline | undefined;
  let audio: Pipeline | undefined;
  let frames = 0;
  let bytes = 0;
  const videoPackets = seqCounter();
  const audioPackets = seqCounter();
  let stopped = false;
  let pay: Record<string, unknown> | undefined; // looked up once: every findChild adds a native ref
  let apay: Record<string, unknown> | undefined;
  let volumes: { main?: Record<string, unknown>; backup?: Record<string, unknown> } = {};
  let slateValve: Record<string, unknown> | undefined;
  let adapt: { valve?: Record<string, unknown>; enc?: Record<string, unknown>; rate?: Record<string, unknown> } = {};
  /** The live picture: null = the on-air picture as it is; else re-encoded at this rate (live-rate.ts). */
  let live: { kbps: number; fps: number } | null = null;
  /** The room hears the backup camera (audioSource camera) only while it is on air, else the main input. */
  const hear = (source: VideoSource) => {
    if (!o.cameraAudio) return; // the microphone or the tone: heard whatever is on air
    if (volumes.main) volumes.main.mute = source === 'backup';
    if (volumes.backup) volumes.backup.mute = source !== 'backup';
  };

  const watch = (p: Pipeline, which: string) =>
    p.pollBus((msg) => {
      if (stopped) return;
      if (msg.type === 'error') o.onFatal(msg._src_element_name, `${which}: ${msg.message ?? 'error'}`);
      else if (msg.type === 'warning') o.log.warn({ element: msg._src_element_name, pipeline: which }, 'gstreamer warning');
    });

  return {
    start(initial: VideoSource): void {
      video = new gst.Pipeline(videoMainPipeline(o));
      const text = video.findChild('slatetext');
      if (text) text.text = slateLines(o.slateText, o.roomName); // as a property: the launch syntax has no newline escape
      slateValve = video.findChild(SLATE_VALVE);
      if (slateValve) slateValve.drop = initial !== 'slate';
      video.setPad('sel', 'active-pad', SELECTOR_PADS[initial]);
      watch(video, 'video');
      video.play();
      const sink = video.findChild('outframes');
      const pull = () =>
        sink?.pull?.((buf) => {
          if (!buf || stopped) return;
          frames++;
          bytes += buf.length;
          pull();
        });
      pull();
      audio = new gst.Pipeline(audioMainPipeline(o));
      watch(audio, 'audio');
      audio.play();
      pay = video.findChild('pay');
      apay = audio.findChild('apay');
      volumes = { main: audio.findChild(AUDIO_VOLUMES.main), backup: audio.findChild(AUDIO_VOLUMES.backup) };
      adapt = { valve: video.findChild('adaptvalve'), enc: video.findChild('adaptenc'), rate: video.findChild('adaptrate') };
      video.setPad('live', 'active-pad', LIVE_PADS.full);
      hear(initial);
    },
    /**
     * Camera sources: switch now, then shut the slate's valve (its encoder idles). Slate: open the valve and ask
     * its encoder for a keyframe first, so receivers decode at once; its next frame (≤ 1/SLATE_FPS s) is that keyframe.
     */
    select(source: VideoSource): void {
      if (!video) return;
      if (source === 'slate') {
        if (slateValve) slateValve.drop = false;
        video.forceKeyUnit('slatekey', 1);
      }
      video.setPad('sel', 'active-pad', SELECTOR_PADS[source]);
      if (source !== 'slate' && slateValve) slateValve.drop = true;
      hear(source);
    },
    /**
     * The link's verdict: null = send the on-air picture as it is (passthrough); a bitrate = re-encode it
     * (640x360, frame rate by rate) at that bitrate. The encoder's first frame is a keyframe, so the switch
     * needs no request; the decoder in front of it waits for the on-air picture's next keyframe (≤ 1 GOP).
     */
    liveRate(kbps: number | null): { kbps: number; fps: number } | null {
      if (!video || !adapt.valve) return live;
      if (kbps === null) {
        if (live) {
          video.setPad('live', 'active-pad', LIVE_PADS.full);
          adapt.valve.drop = true;
          video.forceKeyUnit('slatekey', 1); // a camera in passthrough sends its own keyframes; the slate needs one now
        }
        live = null;
        return live;
      }
      const e = liveEncoding(kbps);
      if (adapt.enc) adapt.enc.bitrate = e.kbps;
      if (adapt.rate) adapt.rate['max-rate'] = e.fps;
      if (!live) {
        adapt.valve.drop = false;
        video.setPad('live', 'active-pad', LIVE_PADS.adapted);
      }
      live = e;
      return live;
    },
    get live() {
      return live;
    },
    /** A receiver lost the picture while adapted: the re-encoder's next frame is a keyframe. */
    adaptedKeyframe(): boolean {
      return live ? (video?.forceKeyUnit('adaptkey', 1) ?? false) : false;
    },
    slateKeyframe(): void {
      video?.forceKeyUnit('slatekey', 1);
    },
    /** Frames and bytes since the last call, and packet totals. */
    take() {
      const r = {
        frames,
        bytes,
        packetsOut: videoPackets(pay?.seqnum),
        audioPacketsOut: audioPackets(apay?.seqnum),
      };
      frames = 0;
      bytes = 0;
      return r;
    },
    stop(): void {
      stopped = true;
      video?.stop();
      audio?.stop();
    },
  };
}

export type Outputs = ReturnType<typeof createOutputs>;
