import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { openPtyPair, type PtyPair } from '../../common/pty/socat-pair.js';
import * as v from '../../common/protocols/visca/index.js';
import { MANUAL } from '../../common/protocols/visca/fixtures.js';
import { createViscaCameraSim, type ViscaCameraSim } from './index.js';

// A raw controller on the device end of a real pty: bytes in, decoded replies out, with arrival times.
class RawLine {
  readonly replies: { at: number; frame: Uint8Array }[] = [];
  private readonly splitter = new v.ViscaFrameSplitter();
  constructor(readonly port: SerialPort) {
    port.on('data', (d: Buffer) => this.splitter.push(d).frames.forEach((frame) => this.replies.push({ at: Date.now(), frame })));
  }
  send(bytes: Uint8Array) {
    this.replies.length = 0;
    this.port.write(Buffer.from(bytes));
    return Date.now();
  }
  async waitFor(n: number, ms = 3000) {
    const end = Date.now() + ms;
    while (this.replies.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    return this.replies.map((r) => v.decodeReply(r.frame));
  }
}

describe('VISCA camera simulator over a pty', () => {
  let pair: PtyPair;
  let sim: ViscaCameraSim;
  let line: RawLine;

  beforeAll(async () => {
    pair = await openPtyPair(undefined, 'visca');
    sim = createViscaCameraSim({ path: pair.simEnd });
    await sim.start();
    const port = new SerialPort({ path: pair.deviceEnd, baudRate: 9600, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    line = new RawLine(port);
  });
  afterAll(async () => {
    await new Promise<void>((res) => line.port.close(() => res()));
    await sim.stop();
    await pair.close();
  });

  it('answers the version inquiry like a Sony camera', async () => {
    line.send(MANUAL.versionInq);
    const [r] = await line.waitFor(1);
    expect(v.decodeVersion((r as { payload: Uint8Array }).payload)).toMatchObject({ vendorId: 0x0020, maxSocket: 2 });
  });

  it('ACKs a move at once and sends Completion when the motion ends', async () => {
    const t0 = line.send(v.absolutePosition(1, 0x0800, -0x0200, { panSpeed: 0x18, tiltSpeed: 0x14 }));
    const replies = await line.waitFor(2);
    expect(replies).toEqual([
      { type: 'ack', address: 1, socket: 1 },
      { type: 'completion', address: 1, socket: 1, payload: new Uint8Array() },
    ]);
    expect(line.replies[0].at - t0).toBeLessThan(200);
    expect(line.replies[1].at - t0).toBeGreaterThan(500); // 0 → 0.84 at 0.8/s
    line.send(v.panTiltPosInq(1));
    const [pos] = await line.waitFor(1);
    expect(v.decodePanTiltPos((pos as { payload: Uint8Array }).payload)).toEqual({ pan: 0x0800, tilt: -0x0200 });
  });

  it('drive commands complete at once; zoom runs beside pan-tilt', async () => {
    line.send(MANUAL.left);
    expect(await line.waitFor(2)).toMatchObject([{ type: 'ack' }, { type: 'completion' }]);
    line.send(v.zoomDirect(1, 0x1000));
    expect(await line.waitFor(1)).toMatchObject([{ type: 'ack', socket: 1 }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.model.moving()).toEqual({ panTilt: true, zoom: true });
    line.send(MANUAL.stop);
    await line.waitFor(2);
    await new Promise((r) => setTimeout(r, 600));
    expect(sim.model.position().zoom).toBeCloseTo(0.25, 3);
  });

  it('syntax error for unknown packets, resync after garbage, not executable for an empty preset', async () => {
    line.send(Uint8Array.from([0x13, 0x37, 0x81, 0x01, 0x7e, 0x01, 0xff]));
    expect(await line.waitFor(1)).toMatchObject([{ type: 'error', code: 0x02 }]);
    line.send(v.memory(1, 'recall', 42));
    expect(await line.waitFor(1)).toMatchObject([{ type: 'error', code: 0x41 }]);
    line.send(v.memory(1, 'set', 42));
    expect(await line.waitFor(2)).toMatchObject([{ type: 'ack' }, { type: 'completion' }]);
    expect(sim.model.preset('42')).toBeDefined();
  });

  it('two running moves fill both sockets: a third command gets "buffer full"; Cancel frees one', async () => {
    line.send(v.absolutePosition(1, -0x0990, 0, { panSpeed: 1, tiltSpeed: 1 }));
    await line.waitFor(1);
    line.send(v.zoomDirect(1, 0x4000));
    await line.waitFor(1);
    line.send(v.memory(1, 'set', 1));
    expect(await line.waitFor(1)).toMatchObject([{ type: 'error', code: 0x03 }]);
    line.send(v.cancel(1, 1));
    expect(await line.waitFor(1)).toMatchObject([{ type: 'error', socket: 1, code: 0x04 }]);
    line.send(v.cancel(1, 1));
    expect(await line.waitFor(1)).toMatchObject([{ type: 'error', socket: 1, code: 0x05 }]);
    line.send(v.ifClear(1));
    expect(await line.waitFor(1)).toMatchObject([{ type: 'completion', socket: 0 }]);
  });

  it('fault controls: protocol error, garbage, latency, offline', async () => {
    await sim.setFaults({ protocolError: true });
    line.send(MANUAL.home);
    expect(await line.waitFor(1)).toMatchObject([{ type: 'error', code: 0x41 }]);
    await sim.setFaults({ protocolError: false, garbage: true });
    line.send(MANUAL.panTiltPosInq);
    await new Promise((r) => setTimeout(r, 200));
    expect(line.replies.length === 0 || line.replies.every((r) => !v.decodeReply(r.frame))).toBe(true);
    await sim.setFaults({ garbage: false, latencyMs: 400 });
    const t0 = line.send(MANUAL.panTiltPosInq);
    await line.waitFor(1);
    expect(line.replies[0].at - t0).toBeGreaterThanOrEqual(380);
    await sim.setFaults({ latencyMs: 0, offline: true });
    expect(sim.health()).toMatchObject({ state: 'running', faults: { offline: true } });
    line.send(MANUAL.panTiltPosInq);
    expect(await line.waitFor(1, 300)).toEqual([]);
    await sim.setFaults({ offline: false });
    line.send(MANUAL.panTiltPosInq);
    expect(await line.waitFor(1)).toMatchObject([{ type: 'completion', socket: 0 }]);
  });
});
