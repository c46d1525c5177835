// Archive page: archived hearings with their verification state, and a player that plays a
// hearing's segments one after another (Chromium plays the Matroska/H.264 segments as they are).
// Plain ES module, no build, no CDN. Vietnamese first, English second.

import { $, api as hubApi, say } from './console-api.js';

const api = (path) => hubApi('GET', `/archive${path}`); // the session cookie goes with it (console-api.js)
const STATES = { verified: 'Đã kiểm chứng / Verified', incomplete: 'Chưa đủ / Incomplete', failed: 'Kiểm chứng thất bại / Failed' };
const dur = (ms) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const when = (iso) => (iso ? new Date(iso).toLocaleString('vi-VN') : '—');
const cell = (text) => {
  const td = document.createElement('td');
  td.textContent = text ?? '—';
  return td;
};
function stateCell(state, reasons) {
  const td = document.createElement('td');
  td.className = `state ${state}`;
  td.textContent = STATES[state] ?? state;
  if (reasons?.length) {
    const r = document.createElement('span');
    r.className = 'reasons';
    r.textContent = reasons.join(' · ');
    td.append(r);
  }
  return td;
}

async function refresh() {
  try {
    const list = await api('/hearings');
    $('#hearings tbody').replaceChildren(
      ...list.map((h) => {
        const tr = document.createElement('tr');
        const b = h.book ?? {};
        tr.append(
          cell(h.hearing),
          cell(h.room),
          cell(when(h.start ?? h.createdAt)),
          cell(dur(h.durationMs)),
          cell(b.classification ? `${b.classificationVi ?? ''} / ${b.classification}` : '—'),
          cell(b.summary),
          cell(b.officer),
          stateCell(h.state, h.reasons),
        );
        tr.addEventListener('click', () => open(h.hearing));
        return tr;
      }),
    );
    say(list.length ? '' : 'Chưa có phiên nào được lưu trữ / No archived hearings yet');
  } catch (err) {
    say(`Lỗi / Error: ${err.message}`);
  }
}

let playlist = [];
let current = -1;
// <video> loads these itself, with the session cookie (same origin): no credential in the URL.
const fileUrl = (h, f) => `/api/v1/archive/hearings/${encodeURIComponent(h)}/files/${encodeURIComponent(f)}`;

async function open(hearing) {
  const d = await api(`/hearings/${encodeURIComponent(hearing)}`);
  $('#detail').hidden = false;
  $('#d-title').textContent = `${d.hearing} — ${d.room}`;
  $('#d-state').replaceChildren(stateCell(d.state, d.reasons));
  if (d.keyFingerprint) {
    // Whose key signed it: checked against the room's enrolled key (a failed state names why).
    const k = document.createElement('span');
    k.className = 'reasons';
    k.textContent = `Khoá ký / Signing key: SHA-256 ${d.keyFingerprint}`;
    $('#d-state').append(k);
  }
  $('#segments').replaceChildren(
    ...d.segments.map((s) => {
      const li = document.createElement('li');
      li.className = s.state;
      li.textContent = `${s.file} · ${s.durationMs ? dur(s.durationMs) : '?'} · ${when(s.start)} · ${s.state}`;
      return li;
    }),
  );
  $('#gaps').replaceChildren(
    ...(d.gaps.length ? d.gaps : [null]).map((g) => {
      const li = document.createElement('li');
      li.textContent = g ? `${when(g.start)} → ${when(g.end)}: ${g.reason}` : 'Không có / None';
      return li;
    }),
  );
  // Segments are MPEG-TS, which <video> does not play: the hub remuxes each to fragmented MP4 (stream copy).
  const playable = (f) => `${fileUrl(hearing, f)}?format=mp4`;
  playlist = d.segments
    .map((s, idx) => ({ idx, url: playable(s.file), ok: s.state === 'verified' || s.state === 'unlisted' }))
    .filter((p) => p.ok);
  current = -1;
  next();
}

// One <video>, the next segment when one ends: the hearing plays through in order.
function next() {
  current += 1;
  document.querySelectorAll('#segments li').forEach((li, i) => li.classList.toggle('playing', i === playlist[current]?.idx));
  if (current >= playlist.length) return void ($('#now-playing').textContent = 'Hết / End');
  $('#now-playing').textContent = `Đoạn / Segment ${current + 1} / ${playlist.length}`;
  const v = $('#player');
  v.src = playlist[current].url;
  if (current > 0) v.play().catch(() => {});
}
$('#player').addEventListener('ended', next);
$('#player').addEventListener('error', () => (say(`Không phát được đoạn ${current + 1} / Cannot play segment ${current + 1}`), next()));

refresh();
setInterval(refresh, 10_000);
