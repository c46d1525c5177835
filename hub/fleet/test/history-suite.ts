import { describe, expect, it } from 'vitest';
import type { ReportSummary } from '../../../common/contracts/fleet.js';
import { bareReport } from '../../../common/contracts/test/samples.js';
import type { FleetHistoryStore } from '../fleet-history.js';

// One contract for the rooms' 24 h history, run against the file (fleet-history-file.test.ts) and
// PostgreSQL (fleet-history-pg.test.ts). `open()` again is a restarted hub, or another node; the clock is
// the suite's (`t`).

export interface HistoryPlace {
  open(clock: () => number): Promise<FleetHistoryStore>;
}

const T0 = Date.parse('2026-03-04T08:00:00Z');
const cpu = (cpuPercent: number, over: Partial<ReportSummary> = {}): ReportSummary =>
  ({
    ...bareReport({ reportSeconds: 10, ...over }),
    host: {
      sampledAt: new Date(T0).toISOString(),
      cpuPercent,
      load1: 0.5,
      cores: 4,
      memTotalMb: 8000,
      memAvailableMb: 6000,
      tempC: null,
      tempMaxC: null,
      disks: [],
      net: [],
    },
  }) as ReportSummary;

export function describeFleetHistoryContract(name: string, make: () => Promise<HistoryPlace>) {
  describe(`fleet history (${name})`, () => {
    it('one point a minute with the worst value; a reopened store draws the same series', async () => {
      let t = T0 + 5_000;
      const place = await make();
      const a = await place.open(() => t);
      a.record('room-a', cpu(20));
      t += 10_000;
      a.record('room-a', cpu(70, { status: 'degraded' }));
      t += 60_000;
      a.record('room-a', cpu(30));
      await a.flush();
      const s = await a.series('room-a', 1);
      expect(s.points.map((p) => [p.t, p.n, p.cpuPct, p.degraded])).toEqual([
        [T0, 2, 70, true],
        [T0 + 60_000, 1, 30, false],
      ]);
      expect(s).toMatchObject({ room: 'room-a', bucketS: 60, gapS: expect.any(Number) });
      const b = await place.open(() => t);
      expect((await b.series('room-a', 1)).points).toEqual(s.points);
      expect((await b.series('room-never', 1)).points).toEqual([]);
    });

    it('a silence longer than the gap is an offline span; points past the asked hours are left out', async () => {
      let t = T0;
      const place = await make();
      const h = await place.open(() => t);
      h.record('room-b', cpu(10));
      t += 2 * 3600_000; // two hours silent
      h.record('room-b', cpu(15));
      await h.flush();
      const day = await h.series('room-b', 24);
      expect(day.points.map((p) => p.t)).toEqual([T0, T0 + 2 * 3600_000]);
      expect(day.offline).toContainEqual({ from: T0 + 60_000, to: T0 + 2 * 3600_000 });
      expect((await h.series('room-b', 1)).points.map((p) => p.cpuPct)).toEqual([15]);
    });

    it('a day later the old minutes are gone', async () => {
      let t = T0;
      const place = await make();
      const h = await place.open(() => t);
      h.record('room-c', cpu(50));
      t += 25 * 3600_000;
      h.record('room-c', cpu(5));
      await h.flush();
      expect((await h.series('room-c', 24)).points.map((p) => p.cpuPct)).toEqual([5]);
    });
  });
}
