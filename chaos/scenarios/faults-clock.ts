// Wall-clock jumps on the room box (issue 12, part Q): +1 h (an RTC that was wrong, corrected by NTP the
// other way round) and −5 min (NTP steps back). The room processes start under libfaketime
// (chaos/faults/clock.ts: their wall clock follows an offset file, their monotonic clock does not), so
// the daemon, worker, gateway and everything they spawn see the jump at once, as on a real box.
// The hearing must go on (live media, recording) and the archive verify; manifest times may jump
// with the clock but the chain (hashes, signatures, order) must hold.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClockFault, createClockFault, findLibfaketime } from '../faults/clock.js';
import { recordingGoesOn, roomHealth, seenWithin } from '../faults/room-checks.js';
import type { Scenario, ScenarioOutcome } from '../scenario.js';

function clockJump(name: string, title: string, offsetS: number): Scenario {
  // The offset file must exist before the room starts (its env names it): one per scenario, made at load.
  const lib = findLibfaketime();
  let clock: ClockFault | undefined;
  if (lib) {
    const dir = mkdtempSync(join(tmpdir(), `chz-q-${process.pid}-clock-`));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    clock = createClockFault(dir, lib);
  }
  return {
    name,
    title,
    setup: clock ? { roomEnv: clock.env() } : {},
    afterMs: 15_000,
    async run(ctx): Promise<ScenarioOutcome> {
      if (!clock) {
        const t = performance.now();
        return { faultStart: t, faultEnd: t, checks: [{ name: 'libfaketime installed', ok: false, detail: 'apt-get install faketime' }] };
      }
      const faultStart = ctx.mark(`room clock ${offsetS > 0 ? '+' : ''}${offsetS} s`);
      clock.jump(offsetS);
      // The processes read the file at most once a second: wait until the daemon's answers carry the new time.
      const checks = [
        await seenWithin(
          ctx,
          'room processes see the new time ≤ 5 s',
          5_000,
          async () => {
            const r = await ctx.roomApi('/api/v1/health');
            const date = Date.parse(r.headers.get('date') ?? '');
            return Number.isFinite(date) && Math.abs(date - (Date.now() + offsetS * 1000)) < 5_000 && new Date(date).toISOString();
          },
          { ceilingMs: 60_000 },
        ), // a loaded box answers /health in up to 14 s (seen): the figure tells, the ceiling waits
        await recordingGoesOn(ctx, 'recording goes on after the jump (3 segments)', 15_000, 3, 60_000),
        await seenWithin(ctx, 'room stays connected to the hub (20 s after)', 25_000, async () => {
          const g = (await roomHealth(ctx))?.gateway?.state;
          return performance.now() - faultStart > 20_000 && g === 'connected';
        }),
      ];
      const faultEnd = ctx.mark('clock jump absorbed (offset kept)');
      // The clock stays moved for the rest of the run: the recording closes under the moved time, which the
      // verifier must take (end before start only across the jump, never out of order in the chain).
      return { faultStart, faultEnd, checks, notes: [`offset ${offsetS} s kept until the end of the hearing`] };
    },
  };
}

export const scenarios: Scenario[] = [
  clockJump('clock-forward-1h', 'Đồng hồ phòng nhảy +1 giờ / room wall clock jumps +1 h', 3600),
  clockJump('clock-back-5min', 'Đồng hồ phòng lùi 5 phút / room wall clock jumps back 5 min', -300),
];
