import { describe, expect, it } from 'vitest';
import { annexBNalTypes, isKeyframeNal, parseRtp, rtpH264NalTypes } from './h264-nal.js';
import { parseCameraUri, redactCameraUri } from './camera-source.js';
import { audioInputPipeline, audioMainPipeline, ingestPipeline, quote, slateLines, videoMainPipeline } from './pipelines.js';
import { recordingPipeline } from './recording-pipeline.js';
import { chooseSource, switchReason } from './source-choice.js';

describe('source choice', () => {
  it('auto: primary, else backup, else slate', () => {
    expect(chooseSource('auto', { primary: true, backup: true })).toBe('primary');
    expect(chooseSource('auto', { primary: false, backup: true })).toBe('backup');
    expect(chooseSource('auto', { primary: false, backup: false })).toBe('slate');
  });
  it('manual: the pick while it has a picture, else the slate', () => {
    expect(chooseSource('backup', { primary: true, backup: true })).toBe('backup');
    expect(chooseSource('primary', { primary: false, backup: true })).toBe('slate');
    expect(chooseSource('slate', { primary: true, backup: true })).toBe('slate');
  });
  it('names the reason', () => {
    expect(switchReason('auto', 'primary', 'backup', { primary: false, backup: true })).toBe('primary lost');
    expect(switchReason('auto', 'slate', 'primary', { primary: true, backup: false })).toBe('primary available');
    expect(switchReason('slate', 'primary', 'slate', { primary: true, backup: false })).toBe('manual: slate');
  });
});

describe('H.264 NAL helpers', () => {
  it('finds NAL types in an Annex-B access unit', () => {
    const au = Uint8Array.from([0, 0, 0, 1, 0x67, 1, 2, 0, 0, 0, 1, 0x68, 3, 0, 0, 1, 0x65, 9, 9]);
    expect(annexBNalTypes(au)).toEqual([7, 8, 5]);
  });
  it('reads single NAL, STAP-A and FU-A start payloads', () => {
    expect(rtpH264NalTypes(Uint8Array.from([0x41, 1]))).toEqual([1]);
    expect(rtpH264NalTypes(Uint8Array.from([0x78, 0, 2, 0x67, 1, 0, 2, 0x68, 2]))).toEqual([7, 8]);
    expect(rtpH264NalTypes(Uint8Array.from([0x7c, 0x85, 0]))).toEqual([5]); // FU-A start of an IDR
    expect(rtpH264NalTypes(Uint8Array.from([0x7c, 0x05, 0]))).toEqual([]); // continuation
    expect(isKeyframeNal([7, 8])).toBe(true);
  });
  it('parses the RTP fixed header', () => {
    const pkt = Uint8Array.from([0x80, 0xe0, 0, 7, 0, 0, 0, 9, 0, 0, 0, 1, 0x65]);
    expect(parseRtp(pkt)).toMatchObject({ pt: 96, marker: true, seq: 7, ts: 9, ssrc: 1 });
  });
});

describe('pipeline descriptions', () => {
  it('quotes URIs with query strings and quotes', () => {
    expect(quote('rtsp://u:p@h/s?a=1&b="x"')).toBe('"rtsp://u:p@h/s?a=1&b=\\"x\\""');
  });
  it('builds a passthrough and a transcoding ingest', () => {
    const pass = ingestPipeline({ uri: 'rtsp://cam/s', port: 5000, transcode: false });
    expect(pass).toContain('rtph264depay ! h264parse config-interval=-1');
    expect(pass).toContain('appsink name=frames');
    expect(pass).not.toContain('x264enc');
    expect(ingestPipeline({ uri: 'rtsp://cam/s', port: 5000, audioPort: 5002, transcode: true })).toMatch(
      /avdec_h264.*x264enc.*name=enckey.*rtpL16pay/,
    );
  });
  it('puts three inputs on the selector and RTP out', () => {
    const main = videoMainPipeline({
      ports: { primary: 1, backup: 2, audio: 3, backupAudio: 4 },
      host: '127.0.0.1',
      videoRtpPort: 5004,
      audioRtpPort: 5006,
    });
    for (const pad of [
      'sel.sink_0',
      'sel.sink_1',
      'sel.sink_2',
      'name=slatekey',
      'valve name=slatevalve',
      'rtph264pay name=pay pt=96',
      'port=5004',
    ])
      expect(main).toContain(pad);
    expect(slateLines('Camera unavailable', 'Phòng 1')).toBe('Camera unavailable\nPhòng 1');
  });
});

describe('camera sources (USB/UVC, test picture, RTSP)', () => {
  it('reads the three URI forms and refuses others, naming the URI', () => {
    expect(parseCameraUri('rtsp://u:p@10.0.0.5:554/s1')).toEqual({ kind: 'rtsp', uri: 'rtsp://u:p@10.0.0.5:554/s1' });
    expect(parseCameraUri('v4l2:///dev/video2')).toEqual({ kind: 'v4l2', device: '/dev/video2' });
    expect(parseCameraUri('/dev/v4l/by-id/usb-Logitech_C920-video-index0')).toEqual({
      kind: 'v4l2',
      device: '/dev/v4l/by-id/usb-Logitech_C920-video-index0',
    });
    expect(parseCameraUri('test:uvc-mjpeg')).toEqual({ kind: 'test', format: 'uvc-mjpeg' });
    expect(() => parseCameraUri('http://cam/mjpeg')).toThrow(/camera URI "http:\/\/cam\/mjpeg" is not usable/);
    expect(() => parseCameraUri('v4l2:///dev/../etc/passwd')).toThrow(/not usable/);
    expect(() => parseCameraUri('http://admin:pw@cam/mjpeg')).toThrow('camera URI "http://admin:***@cam/mjpeg" is not usable');
    expect(() => parseCameraUri('test:nope')).toThrow(/test:uvc-yuy2\|test:uvc-mjpeg/);
  });
  it('never logs an RTSP password', () => {
    expect(redactCameraUri('rtsp://admin:s3cr:et@10.0.0.5/s1')).toBe('rtsp://admin:***@10.0.0.5/s1');
    expect(redactCameraUri('rtsp://admin:p%2Fw%40rd@10.0.0.5:554/Streaming/Channels/101')).toBe(
      'rtsp://admin:***@10.0.0.5:554/Streaming/Channels/101',
    );
    expect(redactCameraUri('rtsp://admin@10.0.0.5/s1')).toBe('rtsp://admin@10.0.0.5/s1');
    expect(redactCameraUri('v4l2:///dev/video0')).toBe('v4l2:///dev/video0');
  });
  it('a USB camera is decoded and always encoded as constrained-baseline 720p30, no rtspsrc', () => {
    const p = ingestPipeline({ uri: 'v4l2:///dev/video0', port: 5000, transcode: false });
    expect(p).toMatch(/^v4l2src device="\/dev\/video0" do-timestamp=true ! capsfilter caps="image\/jpeg,width=\(int\)\[1,1280\]/);
    expect(p).toContain('decodebin ! videorate ! video/x-raw,framerate=30/1');
    expect(p).toContain('capsfilter name=enckey caps="video/x-h264,profile=constrained-baseline"');
    expect(p).toContain('appsink name=frames');
    expect(p).not.toContain('rtspsrc');
    expect(ingestPipeline({ uri: 'test:uvc-yuy2', port: 5000, transcode: false })).toMatch(
      /^videotestsrc is-live=true .*format=YUY2,width=640/,
    );
  });
  it('the microphone pipeline has an appsink the worker watches for sound', () => {
    const p = audioInputPipeline('alsa', 'hw:CARD=USB,DEV=0', 5002);
    expect(p).toMatch(/^alsasrc device="hw:CARD=USB,DEV=0" ! /);
    expect(p).toContain('appsink name=mic');
    expect(p).toContain('rtpL16pay pt=97 ! udpsink host=127.0.0.1 port=5002');
  });
});

describe('audio main pipeline', () => {
  it("has the main input and the backup camera's, the backup's muted until the worker unmutes it", () => {
    const p = audioMainPipeline({
      ports: { primary: 1, backup: 2, audio: 3, backupAudio: 4 },
      host: '127.0.0.1',
      videoRtpPort: 5,
      audioRtpPort: 6,
    });
    expect(p).toMatch(/udpsrc port=3 .* volume name=vol_main mute=false .* udpsrc port=4 .* volume name=vol_backup mute=true /);
  });
});

describe('recording pipeline', () => {
  it('recording: every loopback input has a 4 MB socket buffer (a held-up worker loses no recorded packet there)', () => {
    const p = recordingPipeline({
      videoPort: 7000,
      audioPort: 7002,
      remotePorts: [7100, 7101],
      dir: '/rec',
      startIndex: 3,
      segmentSeconds: 2,
    });
    const inputs = p.match(/udpsrc [^!]*/g) ?? [];
    expect(inputs.map((u) => /port=(\d+)/.exec(u)?.[1])).toEqual(['7000', '7002', '7100', '7101']);
    for (const u of inputs) expect(u).toContain('buffer-size=4194304');
  });
});
