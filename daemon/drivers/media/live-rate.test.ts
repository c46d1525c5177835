import { describe, expect, it } from 'vitest';
import { liveEncoding, MAX_LIVE_KBPS, MIN_LIVE_KBPS } from './live-rate.js';
import { videoMainPipeline } from './pipelines.js';

describe('liveEncoding', () => {
  it('fewer frames as the link narrows, inside the encoder bounds', () => {
    expect(liveEncoding(750)).toEqual({ kbps: 750, fps: 25 }); // ~1 Mbit/s link
    expect(liveEncoding(360)).toEqual({ kbps: 360, fps: 15 }); // ~512 kbit/s link
    expect(liveEncoding(150)).toEqual({ kbps: 150, fps: 10 });
    expect(liveEncoding(10).kbps).toBe(MIN_LIVE_KBPS);
    expect(liveEncoding(9000).kbps).toBe(MAX_LIVE_KBPS);
  });
});

describe('video main pipeline: live branch', () => {
  const main = videoMainPipeline({
    ports: { primary: 1, backup: 2, audio: 3, backupAudio: 4 },
    host: '127.0.0.1',
    videoRtpPort: 5000,
    audioRtpPort: 5002,
    recordPorts: { video: 6000, audio: 6002 },
  });
  it('the recorder gets the on-air picture before the live branch (full quality whatever the link)', () => {
    const rec = main.split(' ot. ').find((b) => b.includes('port=6000'))!;
    expect(rec).toBeDefined();
    expect(rec).not.toContain('x264enc');
    expect(rec).not.toContain('live.');
    // the gateway's port only behind the live selector
    expect(main.indexOf('port=5000')).toBeGreaterThan(main.indexOf('input-selector name=live'));
  });
  it('the adapted branch decodes, scales to 640x360 and re-encodes behind a valve shut by default', () => {
    expect(main).toMatch(/valve name=adaptvalve drop=true drop-mode=forward-sticky-events ! avdec_h264 .*width=640,height=360/);
    expect(main).toMatch(/videorate name=adaptrate .* x264enc name=adaptenc .* capsfilter name=adaptkey/);
  });
});
