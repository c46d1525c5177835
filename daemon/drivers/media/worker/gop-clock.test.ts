import { describe, expect, it } from 'vitest';
import { createGopClock, type GopClock } from './gop-clock.js';

const idr = (clock: GopClock) => clock.frame(true);
const pFrames = (clock: GopClock, n: number) => {
  for (let i = 0; i < n; i++) clock.frame(false);
};
/** A camera that has sent `gops` whole GOPs of `length` and then the IDR that starts the next one. */
const learnt = (length: number, gops = 2) => {
  const clock = createGopClock();
  for (let g = 0; g < gops; g++) {
    idr(clock);
    pFrames(clock, length - 1);
  }
  idr(clock);
  return clock;
};

describe('gop-clock: the camera GOP learnt from its IDRs', () => {
  it('learns the GOP after two IDRs and says when the next access unit is an IDR', () => {
    const clock = createGopClock();
    idr(clock);
    pFrames(clock, 29);
    expect(clock.length).toBe(0); // one IDR seen: no interval yet
    idr(clock);
    expect(clock.length).toBe(30);
    pFrames(clock, 28);
    expect(clock.idrDue()).toBe(false);
    pFrames(clock, 1); // 30 frames in this GOP so far: the next one starts the next GOP
    expect(clock.idrDue()).toBe(true);
  });

  it('one short GOP (a sync point asked of the camera) does not shorten it', () => {
    const clock = learnt(30);
    pFrames(clock, 9);
    idr(clock); // the sync point: an IDR after 10 frames
    expect(clock.length).toBe(30);
    pFrames(clock, 19);
    expect(clock.idrDue()).toBe(false); // 20 frames since the sync IDR: the learnt GOP of 30 still decides
  });

  it('a shorter GOP seen twice in a row is taken (the camera was reconfigured)', () => {
    const clock = learnt(30);
    pFrames(clock, 14);
    idr(clock);
    expect(clock.length).toBe(30); // once: could be a sync point
    pFrames(clock, 14);
    idr(clock);
    expect(clock.length).toBe(15);
    pFrames(clock, 13);
    expect(clock.idrDue()).toBe(false);
    pFrames(clock, 1);
    expect(clock.idrDue()).toBe(true);
  });

  it('a longer GOP is taken at once', () => {
    const clock = learnt(30);
    pFrames(clock, 59);
    idr(clock);
    expect(clock.length).toBe(60);
  });

  it('after a restart nothing is due until an IDR was seen; the GOP learnt is kept', () => {
    const clock = learnt(30);
    clock.restart();
    pFrames(clock, 100); // frames of the new pipeline before its first IDR
    expect(clock.idrDue()).toBe(false);
    expect(clock.length).toBe(30);
    idr(clock);
    pFrames(clock, 29);
    expect(clock.idrDue()).toBe(true);
  });

  it('back-to-back IDRs teach nothing', () => {
    const clock = learnt(30);
    idr(clock);
    idr(clock);
    expect(clock.length).toBe(30);
  });
});
