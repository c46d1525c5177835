import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.js';
import * as v from '../../../common/protocols/visca/index.js';
import { PtzModel } from '../../../simulators/ptz-model/ptz-model.js';
import { CameraCore } from '../../../simulators/visca-camera/index.js';
import { ViscaExchange } from './visca-ptz-exchange.js';

// Request matching against the simulator's camera logic wired back-to-back (no serial port), so the
// line's misbehaviour can be scripted byte by byte: noise before replies, one garbled reply.

function loopback(mangle: (reply: Uint8Array, n: number) => Uint8Array) {
  let n = 0;
  let core: CameraCore;
  const health: string[] = [];
  const ex = new ViscaExchange(
    'cam',
    1,
    {
      write: (bytes, done) => {
        done();
        setImmediate(() => core.handle(v.decodeCommand(bytes)!));
      },
      answered: () => health.push('online'),
      trouble: (r) => health.push(r),
    },
    silentLogger(),
  );
  core = new CameraCore(new PtzModel(), (reply) => setImmediate(() => ex.receive(mangle(reply, n++))), { address: 1 });
  return { ex, core, health };
}

const inquiry = () => ({
  frame: v.panTiltPosInq(1),
  until: 'inquiry' as const,
  payloadLength: 8,
  idempotent: true,
  deadline: Date.now() + 1000,
});

describe('ViscaExchange', () => {
  it('finds replies behind line noise', async () => {
    const { ex } = loopback((r) => Uint8Array.from([0x00, 0x13, 0xff, ...r]));
    const r = await ex.request(inquiry());
    expect(v.decodePanTiltPos((r as { payload: Uint8Array }).payload)).toEqual({ pan: 0, tilt: 0 });
  });

  it('asks again once when an inquiry reply is garbled', async () => {
    const { ex, health } = loopback((r, n) => (n === 0 ? Uint8Array.from([0x9a, 0x01, 0xff]) : r));
    await expect(ex.request(inquiry())).resolves.toMatchObject({ type: 'completion' });
    expect(health).toEqual(['online']);
  });

  it('keeps the axes busy from ACK to Completion', async () => {
    const { ex, core } = loopback((r) => r);
    const move = {
      frame: v.absolutePosition(1, 0x0100, 0, { panSpeed: 0x18, tiltSpeed: 0x14 }),
      until: 'ack' as const,
      track: ['panTilt' as const],
      deadline: Date.now() + 1000,
    };
    await expect(ex.request(move)).resolves.toEqual({ type: 'ack', address: 1, socket: 1 });
    expect([ex.busy('panTilt'), ex.busy('zoom')]).toEqual([true, false]);
    await new Promise((r) => setTimeout(r, 200));
    core.tick();
    await new Promise((r) => setImmediate(r));
    expect(ex.busy('panTilt')).toBe(false);
  });

  it('times out with DeviceUnavailableError and fails everything queued when the port goes', async () => {
    const { ex, health } = loopback(() => new Uint8Array());
    await expect(ex.request({ ...inquiry(), deadline: Date.now() + 100 })).rejects.toThrow(/no reply within/);
    // The wait is what was left of the deadline when the request was queued: 100 ms, less on a busy box.
    expect(health).toContainEqual(expect.stringMatching(/^no reply within (100|[1-9]?\d) ms$/));
    const a = ex.request(inquiry());
    const b = ex.request(inquiry());
    ex.failAll('serial port closed');
    await expect(a).rejects.toThrow(/serial port closed/);
    await expect(b).rejects.toThrow(/serial port closed/);
  });
});
