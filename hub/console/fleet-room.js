// A room's last 24 h on the fleet page (GET /api/v1/fleet/rooms/:room/history): a state strip (reporting,
// degraded, recording alarm, offline) and one small chart per figure. The view is #room-view; other
// panels of the room (remote operations, hub/fleet-ops) go in #room-ops, left to them: #room-view fires
// 'fleet-room-open' ({detail: {room, name}}) each time a room's history is drawn.

import { $, api } from './console-api.js';
import { drawChart } from './fleet-chart.js';

/** The charts, in order: [field, Vietnamese, English, unit, spec]. */
export const CHARTS = [
  ['cpuPct', 'CPU', 'CPU', '%', { min: 0, max: 100 }],
  ['memUsedPct', 'Bộ nhớ đã dùng', 'Memory used', '%', { min: 0, max: 100 }],
  ['hearingMin', 'Thời gian ghi còn lại', 'Hearing time left', 'giờ / h', { min: 0, scale: 1 / 60, threshold: [1] }],
  ['diskFreeMb', 'Đĩa ghi hình còn trống', 'Recordings disk free', 'GB', { min: 0, scale: 1 / 1024 }],
  ['tempMaxC', 'Nhiệt độ cao nhất', 'Max temperature', '°C', { threshold: [80] }],
  ['clockOffsetMs', 'Lệch đồng hồ', 'Clock offset', 'ms', { threshold: [-1000, 1000] }],
  ['workerRestarts', 'Bộ mã hóa khởi động lại', 'Media worker restarts', 'lần/giờ / per h', { min: 0, threshold: [3] }],
  ['backlogAgeS', 'Bản ghi chờ gửi lâu nhất', 'Upload backlog, oldest', 'phút / min', { min: 0, scale: 1 / 60, threshold: [60] }],
  ['backlogBytes', 'Dung lượng chờ gửi', 'Upload backlog', 'MB', { min: 0, scale: 1e-6 }],
  ['rttMs', 'Độ trễ tới trung tâm (RTT)', 'Round trip to the hub', 'ms', { min: 0 }],
  ['lossPct', 'Mất gói', 'Packet loss', '%', { min: 0 }],
];

const NS = 'http://www.w3.org/2000/svg';
/** The state strip across the whole width: one bar per minute — green reporting, amber degraded, red recording alarm; grey offline. */
function stateStrip(hist) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 1000 10');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'strip');
  const x = (t) => ((t - hist.from) / (hist.to - hist.from)) * 1000;
  const bar = (cls, from, to) => {
    const r = document.createElementNS(NS, 'rect');
    const attrs = { class: cls, x: x(from), y: 0, width: Math.max(0.3, x(to) - x(from)) + 0.3, height: 10 };
    for (const [k, v] of Object.entries(attrs)) r.setAttribute(k, String(v));
    svg.append(r);
  };
  for (const o of hist.offline) bar('offline', o.from, o.to);
  for (const p of hist.points) bar(p.alarm ? 'alarm' : p.degraded ? 'degraded' : 'ok', p.t, p.t + hist.bucketS * 1000);
  return svg;
}
const hhmm = (t) => new Date(t).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', hour12: false });

const minutes = (ms) => Math.round(ms / 60_000);
function offlineText(hist) {
  const total = hist.offline.reduce((s, o) => s + o.to - o.from, 0);
  if (!total) return 'Không mất liên lạc trong 24 giờ qua / Never offline in the last 24 h';
  const n = hist.offline.length;
  return `Mất liên lạc ${n} lần, tổng ${minutes(total)} phút / Offline ${n === 1 ? 'once' : `${n} times`}, ${minutes(total)} min in all`;
}

/**
 * Opens the history of `room` (its name for the title) in #room-view; `refresh`: the same room's charts
 * redrawn in place (once a minute), no scrolling, no event.
 */
export async function openRoom(room, name, refresh = false) {
  const view = $('#room-view');
  view.hidden = false;
  view.dataset.room = room;
  $('#room-title').textContent = `${name} (${room}) — 24 giờ qua / last 24 h`;
  if (!refresh) {
    $('#room-charts').replaceChildren();
    $('#room-summary').textContent = 'Đang tải… / Loading…';
  }
  let hist;
  try {
    hist = await api('GET', `/fleet/rooms/${encodeURIComponent(room)}/history?hours=24`);
  } catch (err) {
    $('#room-summary').textContent = `Không tải được lịch sử / Could not load the history: ${err.message}`;
    return;
  }
  if (view.dataset.room !== room) return; // another room was opened meanwhile
  $('#room-summary').textContent = offlineText(hist);
  $('#room-charts').replaceChildren(stripFigure(hist), ...CHARTS.map((c) => chartFigure(hist, c)));
  if (refresh) return;
  view.scrollIntoView({ block: 'start' });
  // Other panels of the room (#room-ops) follow the open room by this event.
  view.dispatchEvent(new CustomEvent('fleet-room-open', { detail: { room, name } }));
}

function stripFigure(hist) {
  const strip = document.createElement('figure');
  strip.className = 'strip-box';
  strip.innerHTML =
    '<figcaption>Trạng thái / State <span class="key ok">tốt / OK</span> <span class="key degraded">suy giảm / degraded</span> <span class="key alarm">không ghi hình / not recording</span> <span class="key offline">mất liên lạc / offline</span></figcaption>';
  const ends = document.createElement('div');
  ends.className = 'strip-ends';
  ends.innerHTML = '<span></span><span></span>';
  ends.children[0].textContent = hhmm(hist.from);
  ends.children[1].textContent = `${hhmm(hist.to)} (bây giờ / now)`;
  strip.append(stateStrip(hist), ends);
  return strip;
}

function chartFigure(hist, [field, v, e, unit, spec]) {
  const fig = document.createElement('figure');
  fig.dataset.field = field;
  const cap = document.createElement('figcaption');
  cap.textContent = `${v} / ${e} (${unit})`;
  fig.append(cap, drawChart(hist, { field, ...spec }, `${v} / ${e}`));
  return fig;
}

export function closeRoom() {
  const view = $('#room-view');
  view.hidden = true;
  delete view.dataset.room;
}
