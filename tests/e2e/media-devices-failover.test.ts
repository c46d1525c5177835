import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentEntry } from '../../common/evidence/index.js';
import { createRtspPicture, type RtspPicture } from '../../simulators/rtsp-picture/index.js';
import { frameDifference, grabGrayFrame } from '../helpers/frame-grab.js';
import { freePort } from '../helpers/free-port.js';
import { until } from '../helpers/until.js';
import { audioRmsDb, mediaRig, probeSegment, segmentGrayFrame, type MediaRig } from './media-devices-rig.js';

// Backup camera end to end: two real RTSP cameras (gst-rtsp-server), a hearing recorded through
// primary lost → backup on air → primary back. The RTP never stops, the recording is continuous
// (numbered segments without a hole, signed chain, media time = wall time), and the segments show
// the right camera (the two look at different parts of the scene).

const segEnd = (s: SegmentEntry) => Date.parse(s.start) + s.durationMs;

describe('media devices: backup camera failover, recorded', () => {
  let a: RtspPicture, b: RtspPicture;
  let r: MediaRig;
  beforeAll(async () => {
    a = createRtspPicture({ port: await freePort(), name: 'CAM-A' });
    b = createRtspPicture({ port: await freePort(), name: 'CAM-B' });
    b.setView({ pan: -1, tilt: 0.6, zoom: 1 }); // another corner of the scene, close up: unlike A's wide view
    await Promise.all([a.start(), b.start()]);
    r = await mediaRig({ rtspUri: a.rtspUri, backupUri: b.rtspUri, audioSource: 'camera' }); // the sound of the camera on air
  }, 60_000);
  afterAll(async () => {
    await r?.close();
    await a?.stop();
    await b?.stop();
  });

  it('primary lost → backup on air → primary back, while recording; nothing missing', { timeout: 180_000 }, async () => {
    await until('primary on air', 30_000, () => r.media.status().source === 'primary');
    await until('backup alive too', 30_000, () => r.media.status().sources?.backup?.alive);
    const h = await r.hearings.startLocal('Phiên thử camera dự phòng');
    const segsAfter = (t: number) => r.recEvents.filter((e) => e.kind === 'segment' && e.at > t).length;
    await until('2 segments on the primary', 30_000, () => segsAfter(0) >= 2);

    const lostAt = Date.now();
    await a.stop();
    const onBackup = await until('backup on air', 15_000, () => r.onAirSince('backup', lostAt));
    const slateBetween = r.mediaEvents.some((e) => e.kind === 'source' && e.source === 'slate' && e.at >= lostAt && e.at <= onBackup.at);
    console.log(`backup on air ${onBackup.at - lostAt} ms after the primary's RTSP server stopped (slate in between: ${slateBetween})`);
    expect(onBackup.at - lostAt).toBeLessThan(6000); // lossTimeoutMs 400 + at most one GOP wait (2.5 s), slack for CI
    expect(r.media.status().mode).toBe('auto');
    await until('4 segments on the backup', 40_000, () => segsAfter(onBackup.at) >= 4);

    const backAt = Date.now();
    await a.start();
    const onPrimary = await until('primary back on air', 30_000, () => r.onAirSince('primary', backAt));
    console.log(`primary back on air ${onPrimary.at - backAt} ms after its RTSP server came back`);
    await until('4 segments on the primary again', 40_000, () => segsAfter(onPrimary.at) >= 4);
    const endAt = Date.now();
    await r.hearings.endCurrent('test');
    await until('closed', 15_000, () => r.recEvents.some((e) => e.kind === 'close'));
    await r.recorder.idle();

    // The outgoing stream never stopped: no hole in the video or audio RTP across both switches.
    const vGap = r.video.maxGap(lostAt - 1000, endAt);
    const aGap = r.audio.maxGap(lostAt - 1000, endAt);
    console.log(`RTP out across the failover: video max gap ${vGap} ms, audio max gap ${aGap} ms`);
    expect(vGap).toBeLessThan(1000);
    expect(aGap).toBeLessThan(1000);

    const ev = r.evidence(h.id);
    expect(ev.errors).toEqual([]);
    expect(ev.chainOk).toBe(true);
    const idx = ev.segs.map((s) => Number(/\d+/.exec(s.file)![0]));
    expect(idx).toEqual(idx.map((_, i) => idx[0] + i)); // every number, in order: no segment lost
    for (const s of ev.segs) {
      const kinds = probeSegment(ev.path(s)).map((st) => `${st.codec_type}:${st.codec_name}`);
      expect(kinds.sort()).toEqual(['audio:opus', 'audio:opus', 'video:h264']);
    }
    const close = ev.entries.at(-1)!;
    expect(close.kind).toBe('close');
    const wallMs = Date.parse((close as { end: string }).end) - Date.parse(ev.segs[0].start);
    const mediaMs = ev.segs.reduce((n, s) => n + s.durationMs, 0);
    const slateMs = ev.gaps.filter((g) => g.reason === 'camera-slate').reduce((n, g) => n + Date.parse(g.end) - Date.parse(g.start), 0);
    console.log(
      `recording: ${ev.segs.length} segments, ${(wallMs / 1000).toFixed(1)} s wall, ${(mediaMs / 1000).toFixed(1)} s media (missing ${wallMs - mediaMs} ms); slate marked ${slateMs} ms; gaps: ${ev.gaps.map((g) => g.reason).join(', ') || 'none'}`,
    );
    expect(ev.gaps.filter((g) => g.reason !== 'camera-slate')).toEqual([]);
    expect(Math.abs(wallMs - mediaMs)).toBeLessThan(2500); // continuous: the segments cover the hearing
    expect(slateMs).toBeLessThan(4000);

    // The right camera in the right segments: one wholly on the backup looks like B, not like A.
    const [frameA, frameB] = [await grabGrayFrame(a.rtspUri), await grabGrayFrame(b.rtspUri)];
    // Segment times are the pipeline's running time mapped onto the wall clock: keep 200 ms clear of a switch.
    const during = (from: number, to: number) => ev.segs.find((s) => Date.parse(s.start) >= from + 200 && segEnd(s) <= to - 200);
    const onB = during(onBackup.at, backAt);
    const onA = during(onPrimary.at, endAt);
    if (!onB || !onA)
      throw new Error(
        `no segment wholly on ${onB ? 'the primary' : 'the backup'}: ${JSON.stringify(ev.segs.map((s) => [s.start, s.durationMs]))}`,
      );
    const fb = segmentGrayFrame(ev.path(onB));
    const fa = segmentGrayFrame(ev.path(onA));
    const d = {
      bToB: frameDifference(fb, frameB),
      bToA: frameDifference(fb, frameA),
      aToA: frameDifference(fa, frameA),
      aToB: frameDifference(fa, frameB),
    };
    console.log(
      `picture difference (0–255): backup segment vs B ${d.bToB.toFixed(1)}, vs A ${d.bToA.toFixed(1)}; primary segment vs A ${d.aToA.toFixed(1)}, vs B ${d.aToB.toFixed(1)}`,
    );
    expect(d.bToB).toBeLessThan(d.bToA);
    expect(d.aToA).toBeLessThan(d.aToB);

    // The room's sound is the camera's on air: while the backup is on air, the backup's (both send a
    // 440 Hz tone at −23 dBFS), not the silence of the lost primary.
    const db = { onB: audioRmsDb(ev.path(onB), 0), onA: audioRmsDb(ev.path(onA), 0) };
    console.log(`room audio (audioSource camera): backup segment ${db.onB.toFixed(1)} dBFS, primary segment ${db.onA.toFixed(1)} dBFS`);
    expect(db.onA).toBeGreaterThan(-35);
    expect(db.onB).toBeGreaterThan(-35);
  });
});
