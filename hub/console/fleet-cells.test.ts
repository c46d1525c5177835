import { describe, expect, it } from 'vitest';
// @ts-expect-error plain browser JS module, no types
import { hasProblem, roomCells } from './fleet-cells.js';
// @ts-expect-error plain browser JS module, no types
import { chartModel } from './fleet-chart.js';

// The fleet page's words and its charts' geometry, without a browser (the page itself: fleet-page.test.ts
// in Chromium). Unknown is "—", never 0; problems are 'bad'; a gap in the history is a break in the line.

const health = (over: object = {}) => ({
  at: '2026-03-04T08:00:00.000Z',
  version: '1.4.2',
  uptimeS: 3 * 86400 + 4 * 3600,
  status: 'ok',
  reportSeconds: 10,
  devices: [],
  media: { state: 'online', source: 'primary' },
  gateway: { state: 'connected', path: 'turn-tcp' },
  recording: { state: 'idle', hearing: null, segments: 0 },
  uploader: { state: 'idle', backlogFiles: 0, backlogBytes: 0, oldestAgeS: 0 },
  disk: { freeMb: 76_595, minutesLeft: null, minutesAtRate: 3_928, rateKbps: 2600, rateBasis: 'design' },
  host: null,
  receivedAt: '2026-03-04T08:00:00.000Z',
  ageS: 4,
  stale: false,
  ...over,
});
const cells = (h: object | null, c?: object) => roomCells({ id: 'r1', name: 'Phòng 1', online: false, health: h }, c) as [string, string][];

describe('fleet page: cells', () => {
  it('a healthy room from an older daemon: its figures in words, the ones it does not send "—", nothing bad', () => {
    const row = cells(health());
    expect(row[0]).toEqual(['name', 'Phòng 1 (r1)']);
    expect(row[1]).toEqual(['ok', 'Trực tuyến / Online']);
    expect(row[2]).toEqual(['ok', 'Tốt / OK']);
    expect(row[3]![1]).toBe('1.4.2');
    expect(row[4]![1]).toBe('3,2 ngày / 3.2 d');
    expect(row[5]).toEqual(['none', '—']); // no host sample: no CPU, not 0 %
    expect(row[7]).toEqual(['ok', '74,8 GB, ~65 giờ ghi / 74.8 GB, ~65 h of hearing']);
    expect(row[9]).toEqual(['none', '—']); // clock not sent
    expect(row[10]).toEqual(['none', '—']);
    expect(row[12]).toEqual(['ok', 'qua TURN/TCP / via TURN/TCP']);
    expect(row[14]).toEqual(['none', '—']); // no commissioning known
    expect(hasProblem(row)).toBe(false);
  });

  it('problems stand out: offline, recording alarm, clock off > 1 s, disk under an hour, restarts > 3/h, backlog > 1 h', () => {
    expect(cells(health({ stale: true, ageS: 600 }))[1]).toEqual(['bad', 'MẤT LIÊN LẠC 10 phút / 10 min / OFFLINE']);
    const alarm = cells(
      health({
        recording: {
          state: 'recording',
          hearing: 'h',
          segments: 3,
          alarm: { reason: 'disk-full', since: '2026-03-04T07:59:00Z', message: 'x' },
        },
      }),
    );
    expect(alarm[2]![0]).toBe('bad alarm');
    expect(alarm[2]![1]).toMatch(/^KHÔNG GHI HÌNH ĐƯỢC: ổ đĩa đầy .* NOT RECORDING: disk full/);
    const clock = (offsetMs: number) => ({
      offsetMs,
      rttMs: 12,
      measuredAt: '2026-03-04T08:00:00Z',
      source: 'hub',
      alarm: Math.abs(offsetMs) > 1000,
    });
    expect(cells(health({ clock: clock(-1450) }))[9]).toEqual(['bad', '-1450 ms (± 6)']);
    expect(cells(health({ clock: clock(320) }))[9]).toEqual(['ok', '+320 ms (± 6)']);
    expect(cells(health({ disk: { freeMb: 900, minutesLeft: 45 } }))[7]).toEqual([
      'bad',
      '0,9 GB, ~45 phút ghi / 0.9 GB, ~45 min of hearing',
    ]);
    expect(cells(health({ workerRestarts: { lastHour: 4, total: 9 } }))[10]).toEqual(['bad', '4/giờ (tổng 9) / 4/h (9 total)']);
    const backlog = cells(health({ uploader: { state: 'waiting', backlogFiles: 12, backlogBytes: 48_500_000, oldestAgeS: 7200 } }))[11];
    expect(backlog).toEqual(['bad', '12 tệp, 48,5 MB, cũ nhất 2 giờ / 12 files, 48.5 MB, oldest 2 h']);
    for (const over of [{ stale: true }, { clock: clock(2000) }, { disk: { freeMb: 10, minutesLeft: 5 } }])
      expect(hasProblem(cells(health(over)))).toBe(true);
    expect(cells(null)[1]).toEqual(['none', 'Chưa báo cáo / No report yet']);
  });

  it('a box without a temperature sensor says so; commissioning state with its checks', () => {
    const host = {
      sampledAt: '',
      cpuPercent: 12.4,
      load1: 1,
      cores: 4,
      memTotalMb: 8000,
      memAvailableMb: 2000,
      tempC: null,
      tempMaxC: null,
      disks: [],
      net: [],
    };
    const row = cells(health({ host }), { room: 'r1', state: 'failed', at: '2026-03-02T09:00:00Z', checksPassed: 14, checksFailed: 2 });
    expect(row[5]![1]).toBe('12 %');
    expect(row[6]![1]).toBe('75 %');
    expect(row[8]).toEqual(['none', 'không có cảm biến / no sensor']);
    expect(row[14]).toEqual(['bad', 'Nghiệm thu không đạt 2/3/2026 (14✓ 2✗) / Commissioning failed']);
  });
});

describe('fleet page: version and rollout', () => {
  const update = (state: string, reason: string | null = null) => ({
    version: '1.5.0',
    attempt: 'a1',
    state,
    reason,
    at: '2026-03-04T08:00:00Z',
  });
  it('the running version; while another is offered, how its update goes; a rolled-back one with its reason', () => {
    expect(cells(health())[3]).toEqual(['', '1.4.2']);
    expect(cells(health({ update: update('waiting-for-hearing-end') }))[3]).toEqual([
      '',
      '1.4.2 → 1.5.0: chờ hết phiên / waiting for the hearing to end',
    ]);
    expect(cells(health({ update: update('rolled-back', 'phòng không ổn định trong 60 s — not healthy within 60 s') }))[3]).toEqual([
      'warn',
      '1.4.2 → 1.5.0: đã khôi phục bản cũ / rolled back — phòng không ổn định trong 60 s — not healthy within 60 s',
    ]);
    expect(cells(health({ version: '1.5.0', update: update('installed') }))[3]).toEqual(['', '1.5.0']);
  });
});

describe('fleet page: chart geometry', () => {
  const from = Date.parse('2026-03-04T00:00:00Z');
  const pt = (min: number, v: number | null) => ({ t: from + min * 60_000, cpuPct: v });
  const hist = (points: object[], offline: object[] = []) => ({ from, to: from + 24 * 3600_000, bucketS: 60, points, offline });

  it('one line per unbroken run: a null minute and an offline span break it; ticks on both axes', () => {
    const m = chartModel(
      hist(
        [pt(0, 10), pt(1, 20), pt(2, null), pt(3, 30), pt(4, 40), pt(60, 50), pt(61, 55)],
        [{ from: from + 5 * 60_000, to: from + 60 * 60_000 }],
      ),
      { field: 'cpuPct', min: 0, max: 100 },
    );
    expect(m.lines.map((l: unknown[]) => l.length)).toEqual([2, 2, 2]);
    expect(m.bands).toHaveLength(1);
    expect(m.yTicks.map((t: { label: string }) => t.label)).toEqual(['0', '50', '100']);
    expect(m.xTicks.length).toBeGreaterThanOrEqual(4); // every 6 h (or 3, 12 — whole local hours)
    expect(m.xTicks.every((t: { label: string }) => /^\d\d:00$/.test(t.label))).toBe(true);
    const [x0, y0] = m.lines[0][0];
    expect(x0).toBeGreaterThan(44); // inside the plot, right of the y axis
    expect(y0).toBeGreaterThan(m.lines[0][1][1]); // 10 % drawn lower than 20 %
  });

  it('no figure at all: no line, and the model says so (drawn as "no data")', () => {
    const m = chartModel(hist([pt(0, null), pt(1, null)]), { field: 'cpuPct' });
    expect(m.lines).toEqual([]);
    expect(m.known).toBe(0);
  });
});
