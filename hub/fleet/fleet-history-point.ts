import type { ReportSummary } from '../../common/contracts/fleet.js';

// One minute of a room's history, reduced from the reports that arrived in it. Each minute keeps the
// worst value of each figure (a spike is what an operator looks for; a mean would hide it). A figure the
// room did not send (an older room, a box without sensors) stays null, never 0.

/** The figures, in the order a stored point keeps them (after t, n, degraded, alarm). */
export const POINT_FIELDS = [
  'cpuPct',
  'memUsedPct',
  'diskFreeMb',
  'hearingMin',
  'tempMaxC',
  'clockOffsetMs',
  'workerRestarts',
  'backlogAgeS',
  'backlogBytes',
  'rttMs',
  'lossPct',
] as const;
export type PointField = (typeof POINT_FIELDS)[number];

/** How two values of one minute combine: the higher, the lower (free disk), or the larger in size (keeps the sign). */
const WORST: Record<PointField, 'max' | 'min' | 'abs'> = {
  cpuPct: 'max',
  memUsedPct: 'max',
  diskFreeMb: 'min',
  hearingMin: 'min',
  tempMaxC: 'max',
  clockOffsetMs: 'abs',
  workerRestarts: 'max',
  backlogAgeS: 'max',
  backlogBytes: 'max',
  rttMs: 'max',
  lossPct: 'max',
};

/** Stored form: [t (ms, start of the minute, hub clock), n reports, degraded 0|1, alarm 0|1, ...POINT_FIELDS]. */
export type StoredPoint = (number | null)[];
export const STORED_POINT_LENGTH = 4 + POINT_FIELDS.length;

export type Sample = Record<PointField, number | null> & { degraded: boolean; alarm: boolean };

const round1 = (n: number) => Math.round(n * 10) / 10;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The figures of one report. */
export function sampleOf(s: ReportSummary): Sample {
  const host = s.host ?? null;
  const memUsed = host && host.memTotalMb > 0 ? round1(100 * (1 - host.memAvailableMb / host.memTotalMb)) : null;
  const recDisk = host?.disks.find((d) => d.holds.includes('recordings'));
  const minutes = s.disk ? (s.disk.minutesLeft ?? s.disk.minutesAtRate ?? null) : null;
  return {
    degraded: s.status !== 'ok',
    alarm: !!s.recording?.alarm,
    cpuPct: host ? round1(host.cpuPercent) : null,
    memUsedPct: memUsed,
    diskFreeMb: s.disk?.freeMb ?? recDisk?.freeMb ?? null,
    hearingMin: minutes,
    tempMaxC: host ? num(host.tempMaxC ?? host.tempC) : null,
    ...linkAndClock(s),
    backlogAgeS: s.uploader ? (s.uploader.backlogFiles > 0 ? s.uploader.oldestAgeS : 0) : null,
    backlogBytes: s.uploader?.backlogBytes ?? null,
  };
}

/** Clock offset, media worker restarts in the last hour, link RTT/loss: optional in the report (an older room: null). */
function linkAndClock(s: ReportSummary): Pick<Sample, 'clockOffsetMs' | 'workerRestarts' | 'rttMs' | 'lossPct'> {
  return {
    clockOffsetMs: num(s.clock?.offsetMs),
    workerRestarts: num(s.workerRestarts?.lastHour),
    rttMs: num(s.link?.rttMs),
    lossPct: num(s.link?.lossPercent),
  };
}

/** A new stored point for the minute starting at t. */
export function newPoint(t: number, s: Sample): StoredPoint {
  return [t, 1, s.degraded ? 1 : 0, s.alarm ? 1 : 0, ...POINT_FIELDS.map((f) => s[f])];
}

/** Folds one more report of the same minute into the point (in place). */
export function mergePoint(p: StoredPoint, s: Sample): void {
  p[1] = (p[1] ?? 0) + 1;
  if (s.degraded) p[2] = 1;
  if (s.alarm) p[3] = 1;
  POINT_FIELDS.forEach((f, i) => {
    const old = p[4 + i] ?? null;
    const v = s[f];
    if (v === null) return;
    if (old === null) p[4 + i] = v;
    else if (WORST[f] === 'max') p[4 + i] = Math.max(old, v);
    else if (WORST[f] === 'min') p[4 + i] = Math.min(old, v);
    else if (Math.abs(v) > Math.abs(old)) p[4 + i] = v;
  });
}

export type PointView = { t: number; n: number; degraded: boolean; alarm: boolean } & Record<PointField, number | null>;

/** The stored tuple as the API shows it. */
export function pointView(p: StoredPoint): PointView {
  const out = { t: p[0] ?? 0, n: p[1] ?? 0, degraded: p[2] === 1, alarm: p[3] === 1 } as PointView;
  POINT_FIELDS.forEach((f, i) => {
    out[f] = p[4 + i] ?? null;
  });
  return out;
}
