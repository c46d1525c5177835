// @ts-check
// The fleet page's table (fleet.html): one row per room, each cell [class, text], Vietnamese / English where
// there are words. Unknown stays "—" (an older room that does not send a figure), never 0. Problems get
// 'bad' (offline, recording alarm, clock off by more than 1 s, disk under an hour of hearing, worker
// restarting more than 3 times an hour, backlog older than an hour) or 'warn'.

import { recordingAlarmText } from './console-health.js';
import { span } from './console-host.js';
import { pathText } from './console-path.js';

/** @typedef {import('../fleet/schemas.js').RoomHealthView} Health */
/** @typedef {{ id: string, name: string, online: boolean, health: Health | null }} FleetRoom */
/** @typedef {{ room: string, state: 'commissioned' | 'failed' | 'in-progress', at: string, checksPassed: number, checksFailed: number, reportUrl?: string }} Commissioning */
/** @typedef {[string, string]} Cell */

const vi = (n, d = 1) => n.toLocaleString('vi-VN', { maximumFractionDigits: d });
const en = (n, d = 1) => n.toLocaleString('en-GB', { maximumFractionDigits: d });
const NONE = /** @type {Cell} */ (['none', '—']);
const date = (iso) => new Date(iso).toLocaleDateString('vi-VN');

/** Seconds as "12 giây / 12 s", "9 phút / 9 min", "3,5 giờ / 3.5 h", "4 ngày / 4 d". */
export function ago(s) {
  if (s < 90) return `${Math.round(s)} giây / ${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} phút / ${Math.round(s / 60)} min`;
  if (s < 72 * 3600) return `${vi(s / 3600)} giờ / ${en(s / 3600)} h`;
  return `${vi(s / 86400)} ngày / ${en(s / 86400)} d`;
}

/** The link column: reporting, silent (offline) or never heard of since the hub started. */
export function linkCell(/** @type {FleetRoom} */ r) {
  if (!r.health) return /** @type {Cell} */ (['none', 'Chưa báo cáo / No report yet']);
  if (r.health.stale) return /** @type {Cell} */ (['bad', `MẤT LIÊN LẠC ${ago(r.health.ageS)} / OFFLINE`]);
  return /** @type {Cell} */ (['ok', r.online ? 'Trực tuyến, đang nối phiên / Online, in conference' : 'Trực tuyến / Online']);
}

export function statusCell(/** @type {Health | null} */ h) {
  if (!h) return NONE;
  const alarm = recordingAlarmText(h);
  if (alarm) return /** @type {Cell} */ (['bad alarm', alarm]);
  return /** @type {Cell} */ (h.status === 'ok' ? ['ok', 'Tốt / OK'] : ['warn', 'Suy giảm / Degraded']);
}

/** Recordings disk: free GB and the hearing time it holds (recording: at the recent rate). */
export function diskCell(/** @type {Health | null} */ h) {
  const d = h?.disk;
  if (!d) return NONE;
  const gb = d.freeMb / 1024;
  const min = d.minutesLeft ?? d.minutesAtRate ?? null;
  if (min === null) return /** @type {Cell} */ (['ok', `${vi(gb)} GB / ${en(gb)} GB`]);
  const [v, e] = span(min);
  const cls = min < 60 ? 'bad' : min < 8 * 60 ? 'warn' : 'ok'; // under an hour of hearing; under a working day
  return /** @type {Cell} */ ([cls, `${vi(gb)} GB, ~${v} ghi / ${en(gb)} GB, ~${e} of hearing`]);
}

export function clockCell(/** @type {Health | null} */ h) {
  const c = h?.clock;
  if (!c) return NONE;
  const sign = c.offsetMs > 0 ? '+' : '';
  return /** @type {Cell} */ ([Math.abs(c.offsetMs) > 1000 ? 'bad' : 'ok', `${sign}${c.offsetMs} ms (± ${Math.round(c.rttMs / 2)})`]);
}

export function restartsCell(/** @type {Health | null} */ h) {
  const w = h?.workerRestarts;
  if (!w) return NONE;
  if (w.total === 0) return /** @type {Cell} */ (['ok', '0']);
  return /** @type {Cell} */ ([
    w.lastHour > 3 ? 'bad' : w.lastHour > 0 ? 'warn' : 'ok',
    `${w.lastHour}/giờ (tổng ${w.total}) / ${w.lastHour}/h (${w.total} total)`,
  ]);
}

export function backlogCell(/** @type {Health | null} */ h) {
  const u = h?.uploader;
  if (!u) return NONE;
  if (u.backlogFiles === 0) return /** @type {Cell} */ (['ok', 'Đã gửi hết / All sent']);
  const mb = u.backlogBytes / 1e6;
  return /** @type {Cell} */ ([
    u.oldestAgeS > 3600 ? 'bad' : 'ok',
    `${u.backlogFiles} tệp, ${vi(mb)} MB, cũ nhất ${ago(u.oldestAgeS).split(' / ')[0]} / ${u.backlogFiles} files, ${en(mb)} MB, oldest ${ago(u.oldestAgeS).split(' / ')[1]}`,
  ]);
}

/** Media path (the room's own reading) and the link's round trip / loss when the room sends them. */
export function pathCell(/** @type {Health | null} */ h) {
  if (!h?.gateway) return NONE;
  const rtt = h.link?.rttMs;
  const loss = h.link?.lossPercent;
  const extra = [rtt == null ? '' : `RTT ${rtt} ms`, loss == null ? '' : `mất gói / loss ${en(loss)} %`].filter(Boolean).join(', ');
  const cls = h.gateway.state === 'connected' ? 'ok' : 'warn';
  return /** @type {Cell} */ ([cls, `${pathText(h.gateway.path)}${extra ? ` · ${extra}` : ''}`]);
}

const UPDATE_WORDS = {
  downloading: ['đang tải', 'downloading'],
  'waiting-for-hearing-end': ['chờ hết phiên', 'waiting for the hearing to end'],
  installing: ['đang cài', 'installing'],
  installed: ['đã cài', 'installed'],
  'rolled-back': ['đã khôi phục bản cũ', 'rolled back'],
  refused: ['bị từ chối', 'refused'],
  failed: ['thất bại', 'failed'],
};
/** The running version and, while another is offered (hub/updates), how its update goes; a failed one with the room's reason. */
export function versionCell(/** @type {Health | null} */ h) {
  if (!h) return NONE;
  const u = h.update;
  if (!u || u.version === h.version) return /** @type {Cell} */ (['', h.version]);
  const [v, e] = UPDATE_WORDS[u.state] ?? [u.state, u.state];
  const bad = ['rolled-back', 'refused', 'failed'].includes(u.state);
  const why = bad && u.reason ? ` — ${u.reason}` : '';
  return /** @type {Cell} */ ([bad ? 'warn' : '', `${h.version} → ${u.version}: ${v} / ${e}${why}`]);
}

const COMMISSIONING = {
  commissioned: ['ok', 'Đã nghiệm thu', 'Commissioned'],
  failed: ['bad', 'Nghiệm thu không đạt', 'Commissioning failed'],
  'in-progress': ['warn', 'Đang nghiệm thu', 'Commissioning'],
};
export function commissioningCell(/** @type {Commissioning | undefined} */ c) {
  if (!c) return NONE;
  const [cls, v, e] = COMMISSIONING[c.state] ?? ['warn', c.state, c.state];
  return /** @type {Cell} */ ([cls, `${v} ${date(c.at)} (${c.checksPassed}✓ ${c.checksFailed}✗) / ${e}`]);
}

/** Every cell of a room's row, in the table's column order (fleet.html). */
export function roomCells(/** @type {FleetRoom} */ r, /** @type {Commissioning | undefined} */ c) {
  const h = r.health;
  const host = h?.host ?? null;
  const temp = host ? (host.tempMaxC ?? host.tempC) : null;
  const mem = host && host.memTotalMb > 0 ? Math.round(100 * (1 - host.memAvailableMb / host.memTotalMb)) : null;
  /** @type {Cell[]} */
  const cells = [
    ['name', `${r.name} (${r.id})`],
    linkCell(r),
    statusCell(h),
    versionCell(h),
    h ? ['', ago(h.uptimeS)] : NONE,
    host ? [host.cpuPercent >= 90 ? 'warn' : '', `${Math.round(host.cpuPercent)} %`] : NONE,
    mem === null ? NONE : [mem >= 95 ? 'bad' : mem >= 90 ? 'warn' : '', `${mem} %`],
    diskCell(h),
    !host
      ? NONE
      : temp === null
        ? ['none', 'không có cảm biến / no sensor']
        : [temp >= 90 ? 'bad' : temp >= 80 ? 'warn' : '', `${vi(temp)} °C`],
    clockCell(h),
    restartsCell(h),
    backlogCell(h),
    pathCell(h),
    h ? [h.stale ? 'bad' : '', ago(h.ageS)] : NONE,
    commissioningCell(c),
  ];
  return cells;
}

/** A row stands out when any of its cells is bad. */
export const hasProblem = (/** @type {Cell[]} */ cells) => cells.some(([cls]) => cls.split(' ').includes('bad'));
