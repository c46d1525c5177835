import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceRejectedError, InvalidRequestError } from '../../../common/errors.js';
import { openPtyPair, type PtyPair } from '../../../common/pty/socat-pair.js';
import { createTesiraDspSim, type TesiraDspSim } from '../../../simulators/tesira-dsp/index.js';
import { describeDspContract } from '../../../tests/contract/dsp-contract.js';
import type { ChannelState } from './dsp-driver.js';
import { TesiraDsp, type TesiraChannel } from './tesira-dsp.js';

const CHANNELS: TesiraChannel[] = [
  { id: 'mic', name: 'Mic', muteTag: 'Mute1', levelTag: 'Level1', index: 1, meterTag: 'Meter1', meterIndex: 1 },
  { id: 'speaker', name: 'Speaker', muteTag: 'Mute1', levelTag: 'Level1', index: 2, meterTag: 'Meter1', meterIndex: 2 },
  { id: 'typo', name: 'Misconfigured', muteTag: 'Mute 9', levelTag: 'Level9', index: 1 },
];

/** A Tesira simulator on a real pty pair; "unplugging" kills the pair and recreates it at the same path. */
async function rig() {
  const dir = mkdtempSync(join(tmpdir(), 'tesira-'));
  let pair: PtyPair = await openPtyPair(dir, 'tesira');
  const sim: TesiraDspSim = createTesiraDspSim({ path: pair.simEnd });
  await sim.start();
  const driver = new TesiraDsp({ path: pair.deviceEnd, channels: CHANNELS, meterRateMs: 100, timeoutMs: 1500 });
  await driver.start();
  return {
    sim,
    driver,
    async setOffline(off: boolean) {
      if (off) {
        await sim.setFaults({ offline: true });
        await pair.close();
      } else {
        pair = await openPtyPair(dir, 'tesira');
        await sim.setFaults({ offline: false });
      }
    },
    async teardown() {
      await driver.stop();
      await sim.stop();
      await pair.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeDspContract('tesira (TTP on a pty)', async () => {
  const r = await rig();
  return {
    driver: r.driver,
    channels: ['mic', 'speaker'],
    setOffline: r.setOffline,
    setGarbage: (on) => r.sim.setFaults({ garbage: on }),
    deviceLevel: async (id) => r.sim.level('Level1', CHANNELS.find((c) => c.id === id)!.index),
    teardown: r.teardown,
  };
});

describe('TesiraDsp specifics', () => {
  let r: Awaited<ReturnType<typeof rig>>;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(() => r?.teardown());

  it('writes through to the device and tells listeners the new state', async () => {
    const seen: ChannelState[] = [];
    r.driver.events.on('channel', (c) => seen.push(c));
    await r.driver.setMute('speaker', true);
    await r.driver.setLevel('speaker', -12.5);
    expect(r.sim.mute('Mute1', 2)).toBe(true);
    expect(r.sim.level('Level1', 2)).toBeCloseTo(-12.5, 3);
    expect(seen.at(-1)).toEqual({ id: 'speaker', name: 'Speaker', muted: true, levelDb: -12.5 });
  });

  it('turns -ERR into DeviceRejectedError and stays online', async () => {
    await expect(r.driver.getMute('typo')).rejects.toBeInstanceOf(DeviceRejectedError);
    await expect(r.driver.getLevel('typo')).rejects.toThrow(/address not found/);
    await expect(r.driver.recallPreset(4242)).rejects.toBeInstanceOf(DeviceRejectedError);
    await r.sim.setFaults({ protocolError: true });
    await expect(r.driver.getMute('mic')).rejects.toBeInstanceOf(DeviceRejectedError);
    await r.sim.setFaults({ protocolError: false });
    expect(r.driver.health().state).toBe('online');
  });

  it('recalls a preset on the device', async () => {
    await r.driver.setLevel('mic', -30);
    await r.driver.recallPreset(1001);
    expect(r.sim.level('Level1', 1)).toBe(0);
    expect(await r.driver.getLevel('mic')).toBe(0);
  });

  it('meters move, for each subscribed channel', async () => {
    const readings = new Map<string, number[]>();
    const on = (m: { channel: string; db: number }) => readings.set(m.channel, [...(readings.get(m.channel) ?? []), m.db]);
    r.driver.events.on('meter', on);
    await expect
      .poll(() => Math.min(readings.get('mic')?.length ?? 0, readings.get('speaker')?.length ?? 0), { timeout: 3000 })
      .toBeGreaterThan(5);
    r.driver.events.off('meter', on);
    expect(new Set(readings.get('mic')).size).toBeGreaterThan(1);
  });

  it('re-subscribes meters after a power cycle and counts the reconnect', async () => {
    await r.setOffline(true);
    await expect.poll(() => r.driver.health().state).toBe('offline');
    await r.setOffline(false);
    await expect.poll(() => r.driver.health().state, { timeout: 15_000, interval: 100 }).toBe('online');
    expect(r.driver.health().reconnects).toBeGreaterThanOrEqual(1);
    const reading = await new Promise((res) => r.driver.events.once('meter', res));
    expect(reading).toMatchObject({ channel: expect.any(String), db: expect.any(Number) });
  });
});

it('TesiraDsp: starts without the DSP plugged in, fails fast, keeps retrying', async () => {
  const driver = new TesiraDsp({ path: join(tmpdir(), 'no-such-tesira'), channels: CHANNELS });
  await driver.start();
  expect(driver.health().state).toBe('offline');
  const t0 = Date.now();
  await expect(driver.getMute('mic')).rejects.toThrow(/unavailable/);
  expect(Date.now() - t0).toBeLessThan(100);
  await driver.stop();
  expect(driver.health().state).toBe('stopped');
});

it('TesiraDsp: a level outside the block range is refused by the unit → InvalidRequestError naming the channel', async () => {
  const pair = await openPtyPair();
  const sim = createTesiraDspSim({
    path: pair.simEnd,
    blocks: [
      { tag: 'Level1', type: 'level', channels: 2, maxLevel: 6 },
      { tag: 'Mute1', type: 'mute', channels: 2 },
    ],
  });
  await sim.start();
  const driver = new TesiraDsp({ path: pair.deviceEnd, channels: CHANNELS.slice(0, 2).map(({ meterTag, ...c }) => c) });
  try {
    await driver.start();
    await driver.setLevel('speaker', -2);
    const err = await driver.setLevel('speaker', 10).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect(err.message).toMatch(
      /^db: kênh "speaker" \(Level1 2\) không nhận mức 10 dB .* \/ channel "speaker" \(Level1 2\) refused 10 dB: INVALID_PARAMETER .*max:6/,
    );
    expect(sim.level('Level1', 2)).toBe(-2); // not clamped to 6
    expect(driver.health().state).toBe('online');
  } finally {
    await driver.stop();
    await sim.stop();
    await pair.close();
  }
});
