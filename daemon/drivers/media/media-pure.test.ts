import { describe, expect, it } from 'vitest';
import { annexBNalTypes, isKeyframeNal, parseRtp, rtpH264NalTypes } from './h264-nal.js';
import { ingestPipeline, quote, slateLines, videoMainPipeline } from './pipelines.js';
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
      ports: { primary: 1, backup: 2, audio: 3 },
      host: '127.0.0.1',
      videoRtpPort: 5004,
      audioRtpPort: 5006,
    });
    for (const pad of ['sel.sink_0', 'sel.sink_1', 'sel.sink_2', 'name=slatekey', 'rtph264pay name=pay pt=96', 'port=5004'])
      expect(main).toContain(pad);
    expect(slateLines('Camera unavailable', 'Phòng 1')).toBe('Camera unavailable\nPhòng 1');
  });
});
