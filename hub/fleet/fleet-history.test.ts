import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportSummary } from '../../common/contracts/fleet.js';
import { silentLogger } from '../../common/log.js';
import { createFleetHistory } from './fleet-history.js';
import { openHistoryFile } from './fleet-history-file.js';

// The rooms' 24 h history on an injected clock: one point per minute keeping each figure's worst value,
// the window, the bounds, gaps as offline spans, and the file (restart, 0600, corrupt moved aside).

const T0 = Date.parse('2026-03-04T08:00:00Z');
const host = (cpu: number, availMb: number, temp: number | null) => ({
  sampledAt: new Date(T0).toISOString(),
  cpuPercent: cpu,
  load1: 0.5,
  cores: 4,
  memTotalMb: 8000,
  memAvailableMb: availMb,
  tempC: temp,
  tempMaxC: temp,
  disks: [],
  net: [],
});
function report(over: Partial<ReportSummary> = {}): ReportSummary {
  return {
    at: new Date(T0).toISOString(),
    version: '1.0.0',
    uptimeS: 100,
    status: 'ok',
    reportSeconds: 10,
    devices: [],
    media: { state: 'online', source: 'primary' },
    gateway: { state: 'connected' },
    recording: { state: 'idle', hearing: null, segments: 0 },
    uploader: { state: 'idle', backlogFiles: 2, backlogBytes: 5_000_000, oldestAgeS: 40 },
    disk: { freeMb: 50_000, minutesLeft: null, minutesAtRate: 2500, rateKbps: 2600, rateBasis: 'design' },
    host: host(20, 6000, 55),
    ...over,
  };
}

function clocked(opts: Parameters<typeof createFleetHistory>[0] = {}) {
  let clock = T0;
  const h = createFleetHistory({ now: () => clock, ...opts });
  return { h, set: (t: number) => (clock = t), advance: (ms: number) => (clock += ms) };
}

describe('fleet history', () => {
  it('one point per minute, each figure its worst of the minute; absent figures stay null', () => {
    const { h, advance } = clocked();
    h.record('r1', report({ host: host(20, 6000, 55) }));
    advance(10_000);
    h.record('r1', report({ host: host(85, 2000, 71), status: 'degraded', disk: { freeMb: 40_000, minutesLeft: 300 } }));
    advance(10_000);
    h.record('r1', report({ host: host(30, 7000, 50) }));
    advance(60_000);
    h.record('r1', report({ host: null, uploader: null, disk: null }));
    const s = h.series('r1', 24);
    expect(s.points).toHaveLength(2);
    expect(s.points[0]).toMatchObject({ t: T0, n: 3, degraded: true, alarm: false, cpuPct: 85, memUsedPct: 75, tempMaxC: 71 });
    expect(s.points[0]).toMatchObject({ diskFreeMb: 40_000, hearingMin: 300, backlogAgeS: 40, backlogBytes: 5_000_000 });
    expect(s.points[1]).toMatchObject({ t: T0 + 60_000, n: 1, cpuPct: null, memUsedPct: null, diskFreeMb: null, tempMaxC: null });
    expect(s.points[1]!.backlogBytes).toBeNull();
    expect(s.points[0]!.clockOffsetMs).toBeNull(); // not sent: null, never 0
  });

  it('clock offset keeps its sign at its largest size; worker restarts, RTT and loss their highest', () => {
    const { h, advance } = clocked();
    const clock = (offsetMs: number) => ({
      offsetMs,
      rttMs: 8,
      measuredAt: new Date(T0).toISOString(),
      source: 'hub' as const,
      alarm: false,
    });
    h.record('r1', report({ clock: clock(300), workerRestarts: { lastHour: 1, total: 1 }, link: { rttMs: 40, lossPercent: 0 } }));
    advance(10_000);
    h.record('r1', report({ clock: clock(-1500), workerRestarts: { lastHour: 4, total: 4 }, link: { rttMs: 250, lossPercent: 3.5 } }));
    advance(10_000);
    h.record('r1', report({ clock: clock(900), workerRestarts: null, link: { rttMs: null, lossPercent: null } }));
    expect(h.series('r1', 1).points[0]).toMatchObject({ clockOffsetMs: -1500, workerRestarts: 4, rttMs: 250, lossPct: 3.5 });
    advance(60_000);
    h.record('r1', report({ clock: null, workerRestarts: null, link: { rttMs: null, lossPercent: null } }));
    expect(h.series('r1', 1).points[1]).toMatchObject({ clockOffsetMs: null, workerRestarts: null, rttMs: null, lossPct: null });
  });

  it('keeps 24 h: older minutes drop out; hours=2 gives the last two; a silence is an offline span', () => {
    const { h, advance } = clocked();
    for (let i = 0; i < 30 * 60; i++) {
      // 30 h of one report a minute, with the room silent from 10:00 to 10:30 of the last day
      const t = T0 + i * 60_000;
      if (!(t >= T0 + 26 * 3600_000 && t < T0 + 26.5 * 3600_000)) h.record('r1', report({ uptimeS: i }));
      advance(60_000);
    }
    const day = h.series('r1', 24);
    expect(day.to - day.from).toBe(24 * 3600_000);
    expect(day.points.length).toBe(24 * 60 - 30);
    expect(day.points[0]!.t).toBeGreaterThanOrEqual(day.from - 60_000);
    expect(day.offline).toEqual([{ from: T0 + 26 * 3600_000, to: T0 + 26.5 * 3600_000 }]);
    const two = h.series('r1', 2);
    expect(two.points.length).toBe(120);
    expect(two.offline).toEqual([]);
    advance(5 * 60_000); // the room stops reporting: the span up to now is offline
    expect(h.series('r1', 2).offline).toEqual([{ from: T0 + 30 * 3600_000, to: T0 + 30 * 3600_000 + 5 * 60_000 }]);
    expect(h.series('never', 24)).toMatchObject({ points: [], offline: [{ from: day.from + 5 * 60_000, to: day.to + 5 * 60_000 }] });
  });

  it('a room reporting every 5 min shows no gaps between its reports (gap = its own staleness)', () => {
    const { h, advance } = clocked();
    for (let i = 0; i < 12; i++) {
      h.record('slow', report({ reportSeconds: 300 }));
      advance(300_000);
    }
    const s = h.series('slow', 1);
    expect(s.gapS).toBe(900);
    expect(s.offline).toEqual([]);
  });

  it('bounded: at most maxRooms rooms (the longest silent goes), at most a window of points per room', () => {
    const { h, advance } = clocked({ maxRooms: 3, windowMs: 10 * 60_000 });
    for (const r of ['a', 'b', 'c']) {
      h.record(r, report());
      advance(60_000);
    }
    h.record('d', report());
    expect(h.rooms().sort()).toEqual(['b', 'c', 'd']);
    for (let i = 0; i < 100; i++) {
      advance(60_000);
      h.record('d', report());
    }
    expect(h.series('d', 24).points.length).toBeLessThanOrEqual(11);
  });

  it('survives a restart through its file (0600, compact); a corrupt file is moved aside and the hub starts empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-history-'));
    const file = join(dir, 'fleet-history.json');
    const first = await openHistoryFile(file, silentLogger());
    const a = clocked({ initial: first.initial, persist: first.save, saveEveryMs: 60_000 });
    for (let i = 0; i < 24 * 60; i++) {
      a.h.record('r1', report({ host: host(i % 100, 4000, 60) }));
      a.advance(60_000);
    }
    await a.h.flush();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const bytes = statSync(file).size;
    expect(bytes).toBeLessThan(24 * 60 * 120); // figure for the README: ~105 KB a room-day
    console.info(`fleet history: ${bytes} bytes for one room's 24 h`);
    const again = await openHistoryFile(file, silentLogger());
    const b = clocked({ initial: again.initial });
    b.set(T0 + 24 * 3600_000);
    expect(b.h.series('r1', 24)).toEqual(a.h.series('r1', 24));

    writeFileSync(file, '{"version":1,"bucketMs":60000,"rooms":{"r1":{"reportSeconds":10,"points":[[1,2]]}}}');
    const broken = await openHistoryFile(file, silentLogger());
    expect(broken.initial.rooms).toEqual({});
    expect(readdirSync(dir).filter((f) => f.startsWith('fleet-history.json.corrupt-'))).toHaveLength(1);
    writeFileSync(file, '{not json');
    expect((await openHistoryFile(file, silentLogger())).initial.rooms).toEqual({});
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(2);
    expect(readFileSync(join(dir, readdirSync(dir).find((f) => f.includes('.corrupt-'))!), 'utf8')).toMatch(/points|not json/);
  });

  it('saves at most once per saveEveryMs, and on flush', async () => {
    const saves: number[] = [];
    const { h } = clocked({ persist: async (d) => void saves.push(Object.keys(d.rooms).length), saveEveryMs: 3_600_000 });
    h.record('r1', report());
    h.record('r2', report());
    expect(saves).toEqual([]);
    await h.flush();
    expect(saves).toEqual([2]);
    await h.flush(); // nothing changed
    expect(saves).toEqual([2]);
  });
});
