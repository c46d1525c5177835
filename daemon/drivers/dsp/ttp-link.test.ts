import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceRejectedError, DeviceUnavailableError } from '../../../common/errors.js';
import { okValue } from '../../../common/protocols/tesira-ttp/index.js';
import { openPtyPair, type PtyPair } from '../../../common/pty/socat-pair.js';
import { createTesiraDspSim, type TesiraDspSim } from '../../../simulators/tesira-dsp/index.js';
import { TtpLink } from './ttp-link.js';

describe('TtpLink on a pty: replies matched to their echo', () => {
  let pair: PtyPair;
  let sim: TesiraDspSim;
  let link: TtpLink;
  beforeAll(async () => {
    pair = await openPtyPair();
    sim = createTesiraDspSim({ path: pair.simEnd });
    await sim.start();
    link = await TtpLink.open({ path: pair.deviceEnd, baudRate: 115200 });
  });
  afterAll(async () => {
    await link.close();
    await sim.stop();
    await pair.close();
  });

  it('answers each command with its own reply', async () => {
    await link.request('Mute1 set mute 1 true', 5000);
    await link.request('Level1 set level 2 -7.0', 5000);
    expect(okValue(await link.request('Mute1 get mute 1', 5000))).toBe(true);
    expect(okValue(await link.request('Level1 get level 2', 5000))).toBe(-7);
    await expect(link.request('Level1 get level 9', 5000)).rejects.toBeInstanceOf(DeviceRejectedError);
  });

  it('a late reply is never taken for the next command', async () => {
    await sim.setFaults({ latencyMs: 800 });
    // The unit echoes at once and answers 800 ms later; we give up after 200 ms.
    await expect(link.request('Mute1 get mute 1', 200)).rejects.toBeInstanceOf(DeviceUnavailableError);
    await sim.setFaults({ latencyMs: 0 });
    // Sent while the mute answer (`true`) is still on its way: that answer must not be ours.
    const level = await link.request('Level1 get level 2', 5000);
    expect(okValue(level)).toBe(-7);
    expect(link.lateReplies).toBe(1);
  });
});

it('TtpLink: a unit (or serial gateway) that does not echo is still answered in order', async () => {
  const pair = await openPtyPair();
  const sim = createTesiraDspSim({ path: pair.simEnd, echo: false });
  await sim.start();
  const link = await TtpLink.open({ path: pair.deviceEnd, baudRate: 115200 });
  try {
    await link.request('Level1 set level 3 -9.0', 5000);
    expect(okValue(await link.request('Level1 get level 3', 5000))).toBe(-9);
    await sim.setFaults({ latencyMs: 800 });
    await expect(link.request('Mute1 get mute 3', 200)).rejects.toBeInstanceOf(DeviceUnavailableError);
    await sim.setFaults({ latencyMs: 0 });
    expect(okValue(await link.request('Level1 get level 3', 5000))).toBe(-9); // the late `false` is skipped
    expect(link.lateReplies).toBe(1);
  } finally {
    await link.close();
    await sim.stop();
    await pair.close();
  }
});
