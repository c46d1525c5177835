import { describe, expect, it } from 'vitest';
import { RtcpSilence } from './rtcp-silence.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** Sends a packet every 20 ms for `ms`, asking `silent()` every second; returns how often it said yes. */
function flow(w: RtcpSilence, c: ReturnType<typeof clock>, ms: number, rtcpEveryMs = 0): number {
  let silences = 0;
  for (let elapsed = 20; elapsed <= ms; elapsed += 20) {
    c.advance(20);
    w.packetSent();
    if (rtcpEveryMs && elapsed % rtcpEveryMs === 0) w.heard();
    if (elapsed % 1000 === 0 && w.silent()) silences++;
  }
  return silences;
}

describe('RtcpSilence', () => {
  it('media out with reports back is never silent', () => {
    const c = clock();
    const w = new RtcpSilence(6000, c.now);
    w.heard();
    expect(flow(w, c, 30_000, 1000)).toBe(0);
  });

  it('media out and no report for 6 s is silent, once per period', () => {
    const c = clock();
    const w = new RtcpSilence(6000, c.now);
    w.heard();
    expect(flow(w, c, 6000)).toBe(0);
    expect(flow(w, c, 1000)).toBe(1);
    expect(flow(w, c, 5000)).toBe(0);
    expect(flow(w, c, 2000)).toBe(1);
  });

  it('no media going out (worker restarting) is not silence, and media resuming gets the full 6 s', () => {
    const c = clock();
    const w = new RtcpSilence(6000, c.now);
    w.heard();
    for (let i = 0; i < 60; i++) {
      c.advance(1000);
      expect(w.silent()).toBe(false); // a minute without RTP and without RTCP
    }
    expect(flow(w, c, 5000)).toBe(0); // media back: the hub has 6 s to report
    expect(flow(w, c, 2000)).toBe(1);
  });

  it('by default gives up after 3 s without a report (issue 12: the hub reports every 0.5–1.5 s per stream; 6 s cost 6 s)', () => {
    const c = clock();
    const w = new RtcpSilence(undefined, c.now);
    w.heard();
    expect(flow(w, c, 3000)).toBe(0);
    expect(flow(w, c, 1000)).toBe(1);
  });
});
