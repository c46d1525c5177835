import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/until.js';
import { audioRmsDb, mediaRig, probeSegment, type MediaRig } from './media-devices-rig.js';

// The room microphone through the real alsasrc → libasound → an ALSA PCM, end to end to the recording.
// No sound card here (a container: no /dev/snd, no snd-aloop module), so the PCM is alsa-lib's own `file`
// plugin reading a FIFO (infile; slave null), behind `plug` fixing it at S16_LE 48 kHz stereo as a USB
// microphone's hardware would. A live gst-launch writes a 1 kHz tone at half scale (−9 dBFS) into the
// FIFO in real time, which paces the otherwise untimed null PCM. Two habits of this stand-in, measured:
// filesink's default buffering sent 64 KB bursts (alsasrc dropped samples: unbuffered now), and a plug
// conversion (alsasrc picks stereo; a mono FIFO needs channel routing) over the file plugin's short
// FIFO reads delivered ~half the samples (−12 dBFS, 90 ms holes): the FIFO carries what alsasrc asks. The worker finds the PCM through ALSA_CONFIG_PATH,
// inherited from this process as it would find /etc/asound.conf.

describe('media devices: an ALSA microphone (alsa-lib PCM on a FIFO standing in for the card), recorded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alsa-mic-'));
  const fifo = join(dir, 'mic.fifo');
  const conf = join(dir, 'asound.conf');
  let writer: ChildProcess;
  let r: MediaRig;
  const savedEnv = process.env.ALSA_CONFIG_PATH;

  beforeAll(async () => {
    execFileSync('mkfifo', [fifo]);
    writeFileSync(
      conf,
      [
        '</usr/share/alsa/alsa.conf>',
        `pcm.roommic_card { type file slave.pcm null file "/dev/null" infile "${fifo}" format raw }`,
        'pcm.roommic { type plug slave { pcm "roommic_card" format S16_LE rate 48000 channels 2 } }',
      ].join('\n'),
    );
    // 10 ms blocks (480 frames), written as produced; opening the FIFO waits for the reader (the worker).
    writer = spawn(
      'gst-launch-1.0',
      [
        '-q',
        'audiotestsrc',
        'is-live=true',
        'freq=1000',
        'volume=0.5',
        'samplesperbuffer=480',
        '!',
        'audio/x-raw,format=S16LE,rate=48000,channels=2',
      ].concat(['!', 'filesink', 'buffer-mode=unbuffered', `location=${fifo}`]),
      { stdio: 'ignore' },
    );
    process.env.ALSA_CONFIG_PATH = conf;
    r = await mediaRig({ rtspUri: 'test:uvc-yuy2', audioSource: 'alsa', alsaDevice: 'roommic' });
  }, 60_000);
  afterAll(async () => {
    await r?.close(); // the worker (the FIFO's reader) first: the writer then ends on EPIPE
    writer?.kill();
    if (savedEnv === undefined) delete process.env.ALSA_CONFIG_PATH;
    else process.env.ALSA_CONFIG_PATH = savedEnv;
  });

  it('hears the microphone: sound arriving in the status', { timeout: 30_000 }, async () => {
    const m = await until(
      () => `microphone alive (${JSON.stringify(r.media.status().microphone)})`,
      20_000,
      () => r.media.status().microphone?.alive && r.media.status().microphone,
    );
    expect(m).toMatchObject({ source: 'alsa', device: 'roommic', alive: true });
    expect(m.lastError).toBeUndefined();
  });

  it('records the microphone at its level beside the camera; every segment plays', { timeout: 90_000 }, async () => {
    await until('camera on air', 20_000, () => r.media.status().source === 'primary');
    const h = await r.hearings.startLocal('Phiên thử micro ALSA');
    await until('3 segments', 40_000, () => r.recorder.status().segments >= 3);
    await r.hearings.endCurrent('test');
    await until('closed', 15_000, () => r.recEvents.some((e) => e.kind === 'close'));
    await r.recorder.idle();
    const ev = r.evidence(h.id);
    expect(ev.errors).toEqual([]);
    expect(ev.chainOk).toBe(true);
    for (const s of ev.segs) {
      const kinds = probeSegment(ev.path(s)).map((st) => `${st.codec_type}:${st.codec_name}`);
      expect(kinds.sort()).toEqual(['audio:opus', 'audio:opus', 'video:h264']);
    }
    const db = ev.segs.map((s) => audioRmsDb(ev.path(s), 0));
    console.log(`ALSA microphone track RMS per segment (1 kHz at half scale ≈ −9 dBFS): ${db.map((d) => d.toFixed(1)).join(', ')}`);
    // Not the worker's own test tone (−17 dBFS) nor silence: the FIFO's tone, through alsasrc, Opus and the muxer.
    const inner = db.slice(1, -1).length ? db.slice(1, -1) : db;
    for (const d of inner) expect(d).toBeGreaterThan(-11);
    for (const d of inner) expect(d).toBeLessThan(-7);
  });
});
