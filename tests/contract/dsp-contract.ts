import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceUnavailableError, InvalidRequestError, NotFoundError } from '../../common/errors.js';
import type { DspDriver, MeterReading } from '../../daemon/drivers/dsp/dsp-driver.js';

export interface DspHarness {
  driver: DspDriver;
  /** Channel ids configured on the driver; the first two are used. */
  channels: [string, string];
  /** Pull the cable (or take the device off the line) / plug it back in. */
  setOffline(offline: boolean): Promise<void>;
  /** Make the device answer with garbage for the next command(s), or stop doing so. */
  setGarbage(on: boolean): Promise<void>;
  /** Read the simulator's own state, to see commands took effect on the device. */
  deviceLevel(channel: string): Promise<number>;
  teardown(): Promise<void>;
}

/** One suite, run against every DspDriver implementation (convention 5). */
export function describeDspContract(name: string, setup: () => Promise<DspHarness>) {
  describe(`DspDriver contract: ${name}`, () => {
    let h: DspHarness;
    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h?.teardown();
    });

    it('is online and lists its channels', () => {
      expect(h.driver.health().state).toBe('online');
      expect(h.driver.channels().map((c) => c.id)).toEqual(expect.arrayContaining(h.channels));
    });

    it('mutes and unmutes a channel', async () => {
      const [mic] = h.channels;
      await h.driver.setMute(mic, true);
      expect(await h.driver.getMute(mic)).toBe(true);
      await h.driver.setMute(mic, false);
      expect(await h.driver.getMute(mic)).toBe(false);
    });

    it('sets and reads a level in dB, and the device holds it', async () => {
      const [, speaker] = h.channels;
      await h.driver.setLevel(speaker, -3);
      expect(await h.driver.getLevel(speaker)).toBeCloseTo(-3, 1);
      expect(await h.deviceLevel(speaker)).toBeCloseTo(-3, 1);
    });

    it('recalls a preset', async () => {
      await expect(h.driver.recallPreset(1001)).resolves.toBeUndefined();
    });

    it('rejects unknown channels and out-of-range levels', async () => {
      await expect(h.driver.setMute('no-such-channel', true)).rejects.toBeInstanceOf(NotFoundError);
      await expect(h.driver.setLevel(h.channels[0], 40)).rejects.toBeInstanceOf(InvalidRequestError);
    });

    it('publishes meter readings', async () => {
      const reading = await new Promise<MeterReading>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no meter reading in 3 s')), 3000);
        h.driver.events.once('meter', (m) => {
          clearTimeout(t);
          resolve(m);
        });
      });
      expect(reading.db).toBeLessThanOrEqual(12);
      expect(reading.db).toBeGreaterThanOrEqual(-120);
    });

    it("tells each channel's meter health, naming channel and tag", async () => {
      const mine = () => h.driver.meters().filter((m) => h.channels.includes(m.channel));
      await expect.poll(() => mine().map((m) => m.state), { timeout: 5000 }).toEqual(['ok', 'ok']);
      for (const m of mine()) expect(m).toMatchObject({ tag: expect.any(String), index: expect.any(Number) });
    });

    it('survives garbage replies and recovers', async () => {
      const [mic] = h.channels;
      await h.setGarbage(true);
      await expect(h.driver.getMute(mic)).rejects.toThrow();
      await h.setGarbage(false);
      await expect
        .poll(
          async () =>
            h.driver.getMute(mic).then(
              () => 'ok',
              () => 'bad',
            ),
          { timeout: 5000, interval: 200 },
        )
        .toBe('ok');
    });

    it('unplugged: fails fast with DeviceUnavailableError; reconnects when plugged back', async () => {
      const [mic] = h.channels;
      await h.setOffline(true);
      const t0 = Date.now();
      await expect(h.driver.setMute(mic, true)).rejects.toBeInstanceOf(DeviceUnavailableError);
      expect(Date.now() - t0).toBeLessThan(2000);
      await expect.poll(() => h.driver.health().state, { timeout: 5000 }).toBe('offline');
      await h.setOffline(false);
      await expect.poll(() => h.driver.health().state, { timeout: 15_000, interval: 200 }).toBe('online');
      await h.driver.setMute(mic, false);
      expect(await h.driver.getMute(mic)).toBe(false);
    });
  });
}
