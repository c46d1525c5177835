import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Health } from '../../../common/lifecycle.js';
import { openPtyPair, type PtyPair } from '../../../common/pty/socat-pair.js';
import { createTesiraDspSim, type TesiraDspSim } from '../../../simulators/tesira-dsp/index.js';
import { until } from '../../../tests/helpers/until.js';
import { TesiraDsp, type TesiraChannel, type TesiraDspOptions } from './tesira-dsp.js';

// Field conditions of issue 11, against the simulator that now keeps its session like a real unit.
const MIC: TesiraChannel = { id: 'mic', name: 'Mic', muteTag: 'Mute1', levelTag: 'Level1', index: 1, meterTag: 'Meter1', meterIndex: 1 };
const OFFICER: TesiraChannel = {
  id: 'officer',
  name: 'Officer',
  muteTag: 'Mute1',
  levelTag: 'Level1',
  index: 2,
  meterTag: 'Meter1',
  meterIndex: 2,
};
const TYPO: TesiraChannel = { id: 'typo', name: 'Typo', muteTag: 'Mute1', levelTag: 'Level1', index: 3, meterTag: 'Meter9', meterIndex: 1 };

describe('TesiraDsp: session, subscriptions and recovery', () => {
  let dir: string;
  let pair: PtyPair;
  let sim: TesiraDspSim;
  const drivers: TesiraDsp[] = [];
  const driver = (channels: TesiraChannel[], extra: Partial<TesiraDspOptions> = {}) => {
    const d = new TesiraDsp({ path: pair.deviceEnd, channels, meterRateMs: 100, timeoutMs: 1500, ...extra });
    drivers.push(d);
    return d;
  };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tesira-session-'));
    pair = await openPtyPair(dir, 'tesira');
    sim = createTesiraDspSim({ path: pair.simEnd });
    await sim.start();
  });
  afterEach(async () => {
    for (const d of drivers.splice(0)) await d.stop();
    await sim.stop();
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('daemon restart while the DSP stays up: audio control back within 2 s (ALREADY_SUBSCRIBED taken over)', async () => {
    const first = driver([MIC, OFFICER]);
    await first.start();
    await until('first driver metering', 10_000, () => first.meters().every((m) => m.state === 'ok'));
    await first.stop(); // the port closes; the unit keeps the session and its subscriptions
    expect(sim.session.labels().sort()).toEqual(['meter-mic', 'meter-officer']);

    const second = driver([MIC, OFFICER]);
    const t0 = Date.now();
    const metering = meterSeen(second, ['mic', 'officer'], t0);
    await second.start();
    await until('second driver online', 10_000, () => second.health().state === 'online');
    await second.setMute('mic', true);
    expect(sim.mute('Mute1', 1)).toBe(true);
    await metering;
    await until('meters subscribed', 10_000, () => second.meters().every((m) => m.state === 'ok'));
    const backMs = Date.now() - t0;
    console.info(`[figure] audio control back after a daemon restart: ${backMs} ms (mute answered, meters of 2 channels flowing)`);
    expect(backMs).toBeLessThan(2000);
    expect(second.health().lastError).toBeUndefined();
  });

  it('a reply timeout while the DSP stays up: the link is rebuilt, the session taken over, control back', async () => {
    const d = driver([MIC, OFFICER], { timeoutMs: 300 });
    await d.start();
    await until('metering', 10_000, () => d.meters().every((m) => m.state === 'ok'));
    await sim.setFaults({ latencyMs: 1000 });
    await expect(d.getMute('mic')).rejects.toThrow(/no answer/);
    await sim.setFaults({ latencyMs: 0 });
    const t0 = Date.now();
    await until('commands answered again', 10_000, () =>
      d.setLevel('officer', -5).then(
        () => true,
        () => false,
      ),
    );
    await until('meters subscribed again', 10_000, () => d.meters().every((m) => m.state === 'ok'));
    console.info(`[figure] audio control back after a reply timeout: ${Date.now() - t0} ms`);
    expect(d.health()).toMatchObject({ state: 'online', reconnects: 1 });
    expect(sim.level('Level1', 2)).toBe(-5);
  });

  it("a wrong meter tag fails that channel's meter only, named; mute and level stay online", async () => {
    const d = driver([MIC, TYPO], { meterRetryMs: 60_000 });
    await d.start();
    expect(d.health().state).toBe('online');
    const typo = await until('typo meter failed', 10_000, () => d.meters().find((m) => m.channel === 'typo' && m.state === 'failed'));
    expect(typo).toMatchObject({ tag: 'Meter9', index: 1, error: expect.stringMatching(/address not found/) });
    expect(d.health()).toMatchObject({
      state: 'online',
      lastError: expect.stringMatching(/^đồng hồ đo mức kênh "typo" \(Meter9 1\) lỗi \/ meter of channel "typo" \(Meter9 1\) failed: /),
    });
    await d.setLevel('typo', -4);
    expect(sim.level('Level1', 3)).toBe(-4);
    await d.setMute('mic', true);
    await until('mic meter ok', 10_000, () => d.meters().find((m) => m.channel === 'mic')?.state === 'ok');
  });

  it('a configuration push (no banner) is noticed from silent meters and healed by subscribing again', async () => {
    const d = driver([MIC, OFFICER]);
    const states: Health['state'][] = [];
    d.events.on('health', (h) => states.push(h.state));
    await d.start();
    await until('metering', 10_000, () => d.meters().every((m) => m.state === 'ok'));
    sim.pushConfiguration();
    const pushedAt = Date.now();
    await until('subscribed again', 15_000, () => sim.session.labels().length === 2);
    await meterSeen(d, ['mic', 'officer'], Date.now());
    console.info(`[figure] meters back after a configuration push: ${Date.now() - pushedAt} ms (silence limit 1000 ms)`);
    expect(states).not.toContain('offline');
    await until('meters ok', 10_000, () => d.meters().every((m) => m.state === 'ok') && !d.health().lastError);
    expect(d.meters().map((m) => m.renewed)).toEqual([1, 1]);
  });

  it('a meter that is merely quiet (still subscribed) is left alone: no renewal, no error', async () => {
    await sim.stop();
    sim = createTesiraDspSim({ path: pair.simEnd, tickMs: 2500 }); // publishes only every 2.5 s
    await sim.start();
    const logs: { msg: string; channel?: string }[] = [];
    const logger = pino({ level: 'debug' }, { write: (l: string) => void logs.push(JSON.parse(l)) });
    const d = driver([MIC], { logger });
    const errors: string[] = [];
    d.events.on('health', (h) => h.lastError && errors.push(h.lastError));
    await d.start();
    await until('two quiet checks', 15_000, () => logs.filter((l) => l.msg === 'meter quiet but still subscribed').length >= 2);
    expect(d.meters()).toMatchObject([{ channel: 'mic', state: 'ok' }]);
    expect(d.meters()[0].renewed).toBeUndefined();
    expect(errors).toEqual([]);
    expect(sim.session.labels()).toEqual(['meter-mic']);
  });

  it('a DSP reboot mid-hearing recovers alone: banner, session renewed, meters back', async () => {
    const d = driver([MIC, OFFICER]);
    await d.start();
    await until('metering', 10_000, () => d.meters().every((m) => m.state === 'ok'));
    await sim.reboot(300);
    await until('subscribed again after the banner', 15_000, () => sim.session.labels().length === 2);
    await meterSeen(d, ['mic', 'officer'], Date.now());
    await until('commands answered', 10_000, () =>
      d.setMute('officer', true).then(
        () => true,
        () => false,
      ),
    );
    expect(sim.mute('Mute1', 2)).toBe(true);
  });
});

/** Resolves once every channel in `ids` has a meter reading stamped at or after `from`. */
function meterSeen(d: TesiraDsp, ids: string[], from: number): Promise<unknown> {
  const seen = new Set<string>();
  const on = (m: { channel: string; at: number }) => m.at >= from && seen.add(m.channel);
  d.events.on('meter', on);
  return until(`meter readings of ${ids.join(', ')}`, 15_000, () => ids.every((id) => seen.has(id)), 20).finally(() =>
    d.events.off('meter', on),
  );
}
