// A live GStreamer encoder whose RTP comes out on its stdout (RFC 4571 framing: 2-byte length, then
// the packet), so the bench can hand it to werift tracks without a UDP hop — loopback UDP would be
// hit by the netem loss meant for the WebRTC legs only.
import { spawn, type ChildProcess } from 'node:child_process';

export const VIDEO_720P30 =
  'videotestsrc is-live=true pattern=smpte horizontal-speed=4 ! video/x-raw,width=1280,height=720,framerate=30/1 ' +
  '! x264enc tune=zerolatency speed-preset=ultrafast bitrate=2500 key-int-max=30 ! video/x-h264,profile=constrained-baseline ' +
  '! rtph264pay pt=96 ssrc=305419896 config-interval=1 mtu=1200';
export const OPUS_20MS =
  'audiotestsrc is-live=true wave=sine freq=440 volume=0.1 ! audioconvert ! audioresample ! opusenc bitrate=64000 frame-size=20 ! rtpopuspay pt=111 ssrc=22136';

/** Spawns `gst-launch-1.0 <payloader pipeline> ! rtpstreampay ! fdsink fd=1` and calls onPacket per RTP packet. */
export function rtpOverStdout(pipeline: string, onPacket: (packet: Buffer) => void): ChildProcess {
  const child = spawn('gst-launch-1.0', ['-q', ...`${pipeline} ! rtpstreampay ! fdsink fd=1 sync=false`.split(' ')], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let pending: Buffer = Buffer.alloc(0);
  child.stdout!.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    while (pending.length - off >= 2) {
      const len = pending.readUInt16BE(off);
      if (pending.length - off - 2 < len) break;
      onPacket(Buffer.from(pending.subarray(off + 2, off + 2 + len))); // own copy: werift keeps references
      off += 2 + len;
    }
    pending = pending.subarray(off);
  });
  return child;
}
