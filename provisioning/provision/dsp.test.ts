import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPtyPair, type PtyPair } from '../../common/pty/socat-pair.js';
import { createTesiraDspSim, type TesiraDspSim } from '../../simulators/tesira-dsp/index.js';
import { probeTesira, showBytes } from './dsp-probe.js';
import { testDsp } from './dsp-test.js';

// The DSP step's parts against the Tesira simulator on a real pty (socat): the port that answers TTP is
// found, one that answers garbage is named as not a Tesira with the bytes seen, one that says nothing is
// told apart; mute and level are set and read back, the meter's trace kept.

const CHANNEL = { id: 'mic', name: 'Mic', muteTag: 'Mute1', levelTag: 'Level1', index: 1, meterTag: 'Meter1', meterIndex: 1 };

describe('provision: audio DSP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-dsp-'));
  let tesira: PtyPair;
  let silent: PtyPair;
  let sim: TesiraDspSim;

  beforeAll(async () => {
    tesira = await openPtyPair(dir, 'tesira');
    silent = await openPtyPair(dir, 'silent'); // nothing on the other end: a port with no device
    sim = createTesiraDspSim({ path: tesira.simEnd });
    await sim.start();
  });
  afterAll(async () => {
    await sim.stop();
    await tesira.close();
    await silent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the Tesira by its TTP answer and tells a silent port apart', async () => {
    // its answer, or the banner a unit sends when it powers up (seen when the probe is fast after the start)
    expect(await probeTesira(tesira.deviceEnd)).toMatchObject({
      tesira: true,
      figure: expect.stringMatching(/^TTP answer "(\+OK|Welcome to the Tesira)/),
    });
    expect(await probeTesira(silent.deviceEnd, 115200, 500)).toMatchObject({
      tesira: false,
      figure: expect.stringContaining('no answer in 500 ms'),
    });
    expect(await probeTesira(join(dir, 'no-such-port'))).toMatchObject({ tesira: false, figure: expect.stringContaining('cannot open') });
  });

  it('names a unit that answers garbage as not a Tesira, with the bytes seen', async () => {
    await sim.setFaults({ garbage: true });
    try {
      const p = await probeTesira(tesira.deviceEnd, 115200, 1500);
      expect(p.tesira).toBe(false);
      expect(p.figure).toMatch(/^không phải Tesira \/ not a Tesira: answered ".+"/);
      expect(p.figure).toMatch(/\\x[0-9a-f]{2}/); // non-printable bytes shown as \xNN
    } finally {
      await sim.setFaults({ garbage: false });
    }
  });

  it('sets mute and level, reads them back, leaves them as found; keeps the meter trace', async () => {
    const f = await testDsp({ path: tesira.deviceEnd, baudRate: 115200, channel: CHANNEL, levelDb: -12, meterSeconds: 2 });
    expect(f.mute).toMatchObject({ ok: true, figure: 'unmuted → muted → unmuted (read back)' });
    expect(f.level).toMatchObject({ ok: true, figure: 'set -12 dB, read back -12 dB, restored 0 dB' });
    expect(f.meter.trace.length).toBeGreaterThan(3);
    expect(f.meter.ok).toBe(true); // the simulator's speech-like walk moves more than 3 dB
  });

  it('shows bytes as a person can read them', () => {
    expect(showBytes(Buffer.from([0x90, 0x41, 0x0d, 0xff]))).toBe('\\x90A\\x0d\\xff');
    expect(showBytes(Buffer.alloc(60, 0x41), 4)).toBe('AAAA… (60 bytes)');
  });
});
