// Part P's network scenarios (issue 12): impairments of the room ↔ hub link only; every process runs on.
// Targets from the issue: under 1 Mbit/s ≥ 15 fps at the viewer and no audio gap > 200 ms; under
// 512 kbit/s ≥ 8 fps and audio intact (no gap > 200 ms); after a blackout media back ≤ 3 s.
import type { Impairment, Scenario, ScenarioContext } from '../scenario.js';

/** Holds an impairment for `ms` (shorter in the fast subset) and returns the fault window. */
async function impaired(ctx: ScenarioContext, ms: number, set: () => Promise<void>) {
  const faultStart = ctx.mark('fault on');
  await set();
  await ctx.hold(ctx.fast ? Math.min(ms, 20_000) : ms);
  const faultEnd = ctx.mark('fault off');
  await ctx.link.clear();
  return { faultStart, faultEnd };
}

const relay = (name: string, title: string, i: Impairment, ms: number, minFps: number, extra: Partial<Scenario> = {}): Scenario => ({
  name,
  title,
  ...extra,
  async run(ctx) {
    const w = await impaired(ctx, ms, () => ctx.link.impair(i));
    return { ...w, expect: { minFpsDuring: minFps, recoveryMaxMs: 3000 } };
  },
});

const cap = (name: string, title: string, kbit: number, minFps: number): Scenario => ({
  name,
  title,
  async run(ctx) {
    const w = await impaired(ctx, 45_000, () => ctx.link.rate(kbit));
    return { ...w, expect: { minFpsDuring: minFps, maxAudioGapDuringMs: 200, recoveryMaxMs: 3000 } };
  },
});

export const scenarios: Scenario[] = [
  relay('loss-10', 'Mất 10 % gói tin / 10 % packet loss (both ways, 40 s)', { lossPct: 10 }, 40_000, 15, { fast: true }),
  relay('delay-200', 'Trễ 200 ± 50 ms / 200 ms ± 50 ms delay (both ways, 40 s)', { delayMs: 200, jitterMs: 50 }, 40_000, 15),
  cap('cap-1mbit', 'Băng thông 1 Mbit/s / 1 Mbit/s cap (tbf, both ways, 45 s)', 1000, 15),
  cap('cap-512k', 'Băng thông 512 kbit/s / 512 kbit/s cap (tbf, both ways, 45 s)', 512, 8),
  {
    name: 'blackout-30s',
    title: 'Mất kết nối 30 s / 30 s blackout (every packet dropped, TCP stalled)',
    fast: true,
    async run(ctx) {
      const w = await impaired(ctx, 30_000, () => ctx.link.down());
      return { ...w, expect: { recoveryMaxMs: 3000 } };
    },
  },
  {
    name: 'flapping',
    title: 'Kết nối chập chờn / flapping link (up 10 s, down 5 s, for 2 min)',
    afterMs: 10_000,
    async run(ctx) {
      const faultStart = ctx.mark('flapping starts');
      const until = faultStart + (ctx.fast ? 30_000 : 120_000);
      let downs = 0;
      while (performance.now() < until) {
        await ctx.link.down();
        downs++;
        await ctx.hold(5000);
        await ctx.link.up();
        await ctx.hold(10_000);
      }
      // the last "up" period is part of the fault; recovery is measured from the last link return
      const faultEnd = ctx.mark('flapping ends');
      const lastUp = faultEnd - 10_000;
      return { faultStart, faultEnd: lastUp, expect: { recoveryMaxMs: 3000 }, notes: [`${downs} downs of 5 s`] };
    },
  },
];
