import { describe, expect, it } from 'vitest';
import * as v from './index.js';
import { MANUAL } from './fixtures.js';

const full = { panSpeed: 0x18, tiltSpeed: 0x14 };

describe('VISCA command encoders match the manual', () => {
  it('pan-tilt drive, absolute, relative, home, reset', () => {
    expect(v.panTiltDrive(1, 0, 1, full)).toEqual(MANUAL.up);
    expect(v.panTiltDrive(1, 0, -1, full)).toEqual(MANUAL.down);
    expect(v.panTiltDrive(1, -1, 0, full)).toEqual(MANUAL.left);
    expect(v.panTiltDrive(1, 1, 0, full)).toEqual(MANUAL.right);
    expect(v.panTiltDrive(1, -1, 1, full)).toEqual(MANUAL.upLeft);
    expect(v.panTiltDrive(1, 1, -1, full)).toEqual(MANUAL.downRight);
    expect(v.panTiltStop(1)).toEqual(MANUAL.stop);
    expect(v.absolutePosition(1, 0x0990, -0x0510, { panSpeed: 0x0c, tiltSpeed: 0x0a })).toEqual(MANUAL.absolute);
    expect(v.relativePosition(1, -0x0100, 0x20, full)).toEqual(MANUAL.relative);
    expect(v.home(1)).toEqual(MANUAL.home);
    expect(v.panTiltReset(1)).toEqual(MANUAL.reset);
  });

  it('zoom, memory, inquiries, cancel, interface commands', () => {
    expect(v.zoomStop(1)).toEqual(MANUAL.zoomStop);
    expect(v.zoomTele(1)).toEqual(MANUAL.zoomTeleStd);
    expect(v.zoomWide(1)).toEqual(MANUAL.zoomWideStd);
    expect(v.zoomTele(1, 5)).toEqual(MANUAL.zoomTele5);
    expect(v.zoomWide(1, 2)).toEqual(MANUAL.zoomWide2);
    expect(v.zoomDirect(1, 0x4000)).toEqual(MANUAL.zoomDirect4000);
    expect(v.memory(1, 'reset', 3)).toEqual(MANUAL.memoryReset3);
    expect(v.memory(1, 'set', 3)).toEqual(MANUAL.memorySet3);
    expect(v.memory(1, 'recall', 15, 15)).toEqual(MANUAL.memoryRecall15);
    expect(v.panTiltPosInq(1)).toEqual(MANUAL.panTiltPosInq);
    expect(v.zoomPosInq(1)).toEqual(MANUAL.zoomPosInq);
    expect(v.versionInq(1)).toEqual(MANUAL.versionInq);
    expect(v.cancel(1, 1)).toEqual(MANUAL.cancelSocket1);
    expect(v.ifClear(1)).toEqual(MANUAL.ifClear);
    expect(v.ifClear()).toEqual(MANUAL.ifClearBroadcast);
    expect(v.addressSet()).toEqual(MANUAL.addressSet);
    expect(v.panTiltPosInq(7)[0]).toBe(0x87);
  });

  it('rejects out-of-range arguments', () => {
    expect(() => v.home(0)).toThrow(RangeError);
    expect(() => v.panTiltDrive(1, 1, 0, { panSpeed: 0x19, tiltSpeed: 1 })).toThrow(/pan speed/);
    expect(() => v.panTiltDrive(1, 1, 0, { panSpeed: 1, tiltSpeed: 0x15 })).toThrow(/tilt speed/);
    expect(() => v.memory(1, 'recall', 16, 15)).toThrow(/preset/);
    expect(() => v.zoomTele(1, 8)).toThrow(/zoom speed/);
  });
});

describe('VISCA command decoder (camera side) inverts the encoders', () => {
  it.each(Object.entries(MANUAL).filter(([k]) => !/ack|completion|Error|Full|cancelled1|noSocket|notExec|Pos$|^version$|Reply/.test(k)))(
    '%s decodes to a command',
    (_, bytes) => expect(v.decodeCommand(bytes)?.command).toBeDefined(),
  );

  it('reads positions, directions and presets', () => {
    expect(v.decodeCommand(MANUAL.absolute)).toEqual({
      address: 1,
      command: { kind: 'absolute-position', pan: 0x0990, tilt: -0x0510, panSpeed: 0x0c, tiltSpeed: 0x0a },
    });
    expect(v.decodeCommand(MANUAL.upLeft)?.command).toMatchObject({ kind: 'pan-tilt-drive', pan: -1, tilt: 1 });
    expect(v.decodeCommand(MANUAL.zoomDirect4000)?.command).toEqual({ kind: 'zoom-direct', position: 0x4000 });
    expect(v.decodeCommand(MANUAL.memoryRecall15)?.command).toEqual({ kind: 'memory', action: 'recall', preset: 15 });
    expect(v.decodeCommand(MANUAL.addressSet)).toEqual({ address: 8, command: { kind: 'address-set', address: 1 } });
  });

  it('well-framed nonsense is a syntax error, non-commands are ignored', () => {
    expect(v.decodeCommand(Uint8Array.from([0x81, 0x01, 0x7e, 0x7e, 0xff]))).toEqual({ address: 1, command: undefined });
    expect(v.decodeCommand(MANUAL.ack1)).toBeUndefined();
  });
});

describe('VISCA reply decoder', () => {
  it('ACK, completion, errors', () => {
    expect(v.decodeReply(MANUAL.ack2)).toEqual({ type: 'ack', address: 1, socket: 2 });
    expect(v.decodeReply(MANUAL.completion1)).toMatchObject({ type: 'completion', socket: 1, payload: new Uint8Array() });
    expect(v.decodeReply(MANUAL.completionNoSocket)).toMatchObject({ type: 'completion', socket: 0 });
    expect(v.decodeReply(MANUAL.syntaxError)).toMatchObject({ type: 'error', socket: 0, code: 2, reason: 'syntax error' });
    expect(v.decodeReply(MANUAL.bufferFull)).toMatchObject({ code: 3, reason: 'command buffer full' });
    expect(v.decodeReply(MANUAL.cancelled1)).toMatchObject({ socket: 1, reason: 'command cancelled' });
    expect(v.decodeReply(MANUAL.noSocket2)).toMatchObject({ socket: 2, reason: 'no socket' });
    expect(v.decodeReply(MANUAL.notExecutable1)).toMatchObject({ socket: 1, reason: 'command not executable' });
    expect(v.decodeReply(MANUAL.addressSetReply)).toEqual({ type: 'address-set', next: 2 });
    expect(v.decodeReply(MANUAL.ifClearBroadcast)).toEqual({ type: 'if-clear' });
    expect(v.decodeReply(Uint8Array.from([0x90, 0x77, 0xff]))).toBeUndefined();
    expect(v.decodeReply(Uint8Array.from([0x91, 0x41, 0xff]))).toBeUndefined();
  });

  it('inquiry payloads', () => {
    const pay = (f: Uint8Array) => (v.decodeReply(f) as { payload: Uint8Array }).payload;
    expect(v.decodePanTiltPos(pay(MANUAL.panTiltPos))).toEqual({ pan: -0x0990, tilt: 0x0100 });
    expect(v.decodeZoomPos(pay(MANUAL.zoomPos))).toBe(0x2000);
    expect(v.decodeVersion(pay(MANUAL.version))).toEqual({ vendorId: 0x20, modelId: 0x0519, romVersion: 0x0102, maxSocket: 2 });
    expect(v.completionReply(1, 0, v.panTiltPosPayload(-0x0990, 0x0100))).toEqual(MANUAL.panTiltPos);
    expect(v.completionReply(1, 0, v.zoomPosPayload(0x2000))).toEqual(MANUAL.zoomPos);
    expect(v.completionReply(1, 0, v.versionPayload({ vendorId: 0x20, modelId: 0x0519, romVersion: 0x0102, maxSocket: 2 }))).toEqual(
      MANUAL.version,
    );
    expect(v.ackReply(1, 1)).toEqual(MANUAL.ack1);
    expect(v.errorReply(1, 1, 0x41)).toEqual(MANUAL.notExecutable1);
  });
});

describe('frame splitter', () => {
  it('joins partial chunks and splits back-to-back packets', () => {
    const s = new v.ViscaFrameSplitter();
    expect(s.push([0x90, 0x41]).frames).toEqual([]);
    const out = s.push([0xff, 0x90, 0x51, 0xff, 0x90]);
    expect(out.frames).toEqual([MANUAL.ack1, MANUAL.completion1]);
    expect(s.push([0x50, 0xff]).frames).toEqual([MANUAL.completionNoSocket]);
  });

  it('drops garbage and resyncs on the next terminator', () => {
    const s = new v.ViscaFrameSplitter();
    const noise = [0x12, 0x7f, 0xff, 0x00];
    const long = [0x90, ...Array(20).fill(0x01)];
    const out = s.push([...noise, ...long, 0xff, ...MANUAL.ack1]);
    expect(out.frames.map((f) => v.decodeReply(f)).filter(Boolean)).toEqual([{ type: 'ack', address: 1, socket: 1 }]);
    expect(out.dropped).toBeGreaterThan(20);
  });
});

describe('unit conversion (default ranges: pan ±0x0990, tilt ±0x0510, zoom 0..0x4000)', () => {
  it('maps ends and centre exactly', () => {
    expect([v.panToVisca(-1), v.panToVisca(0), v.panToVisca(1)]).toEqual([-0x0990, 0, 0x0990]);
    expect([v.tiltToVisca(-1), v.tiltToVisca(1)]).toEqual([-0x0510, 0x0510]);
    expect([v.zoomToVisca(0), v.zoomToVisca(1)]).toEqual([0, 0x4000]);
    expect(v.panFromVisca(0x0990)).toBe(1);
    expect(v.zoomFromVisca(0x2000)).toBe(0.5);
  });

  it('round-trips within one step and handles asymmetric tilt', () => {
    for (const n of [-0.73, -0.2, 0.31, 0.999]) expect(Math.abs(v.panFromVisca(v.panToVisca(n)) - n)).toBeLessThan(1 / 0x0990);
    const r = { ...v.DEFAULT_RANGES, tiltMin: -0x0200, tiltMax: 0x0600 };
    expect([v.tiltToVisca(-1, r), v.tiltToVisca(0.5, r)]).toEqual([-0x0200, 0x0300]);
    expect(v.tiltFromVisca(-0x0100, r)).toBe(-0.5);
  });

  it('speeds', () => {
    expect(v.speedToVisca(1)).toEqual({ panSpeed: 0x18, tiltSpeed: 0x14 });
    expect(v.speedToVisca(0.001)).toEqual({ panSpeed: 1, tiltSpeed: 1 });
    expect(v.zoomSpeedFromVisca(v.zoomSpeedToVisca(1))).toBe(1);
  });
});
