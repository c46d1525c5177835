import { describe, expect, it } from 'vitest';
import { acceptBundleOnly, keepBaselineH264, sdpProblem } from './sdp-filter.js';

// A Chromium-style video section: VP8, H.264 in several profiles and modes, each with RTX.
const offer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107',
  'a=mid:0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=fingerprint:sha-256 AA:BB',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=rtpmap:102 H264/90000',
  'a=rtcp-fb:102 nack pli',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  'a=rtpmap:103 rtx/90000',
  'a=fmtp:103 apt=102',
  'a=rtpmap:104 H264/90000',
  'a=fmtp:104 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f',
  'a=rtpmap:105 rtx/90000',
  'a=fmtp:105 apt=104',
  'a=rtpmap:106 H264/90000',
  'a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f',
  'a=rtpmap:107 rtx/90000',
  'a=fmtp:107 apt=106',
  '',
].join('\r\n');

describe('keepBaselineH264', () => {
  it('drops H.264 that is not baseline packetization-mode 1, and its RTX', () => {
    const out = keepBaselineH264(offer);
    expect(out).toContain('m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103\r\n');
    expect(out).not.toMatch(/a=(rtpmap|fmtp):10[4-7] /);
    expect(out).toContain('a=rtcp-fb:102 nack pli');
    expect(out).toContain('a=fmtp:97 apt=96');
  });

  it('leaves a section alone when no H.264 would be left', () => {
    const onlyHigh = offer.replace('profile-level-id=42001f', 'profile-level-id=640c1f');
    expect(keepBaselineH264(onlyHigh)).toBe(onlyHigh);
  });
});

describe('sdpProblem', () => {
  it('accepts a WebRTC description and names what is missing otherwise', () => {
    expect(sdpProblem(offer)).toBeNull();
    expect(sdpProblem('hello')).toMatch(/v=0/);
    expect(sdpProblem('v=0\r\ns=-\r\n')).toMatch(/m= section/);
    expect(sdpProblem(offer.replace(/a=fingerprint.*\r\n/, ''))).toMatch(/fingerprint/);
  });
});

describe('acceptBundleOnly', () => {
  const maxBundle = [
    'v=0',
    'o=- 1 0 IN IP4 0.0.0.0',
    's=-',
    't=0 0',
    'a=group:BUNDLE video0 audio1',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=mid:video0',
    'm=audio 0 UDP/TLS/RTP/SAVPF 111',
    'a=bundle-only',
    'a=mid:audio1',
    'm=audio 0 UDP/TLS/RTP/SAVPF 111',
    'a=mid:audio2',
    '',
  ].join('\r\n');

  it('gives a bundle-only section of a BUNDLE group the discard port; a plain port 0 stays rejected', () => {
    const out = acceptBundleOnly(maxBundle);
    expect(out).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=bundle-only\r\na=mid:audio1');
    expect(out).toContain('m=audio 0 UDP/TLS/RTP/SAVPF 111\r\na=mid:audio2');
    expect(out.replace('m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=bundle', 'm=audio 0 UDP/TLS/RTP/SAVPF 111\r\na=bundle')).toBe(maxBundle);
  });

  it('leaves a bundle-only section outside every BUNDLE group alone', () => {
    const ungrouped = maxBundle.replace('a=group:BUNDLE video0 audio1', 'a=group:BUNDLE video0');
    expect(acceptBundleOnly(ungrouped)).toBe(ungrouped);
  });
});
