// Remote operations on a room (hub/fleet-ops), in the fleet page's room view (#room-ops, filled each time
// fleet-room.js opens a room): push a config (a JSON merge patch, or the whole config), ask for a
// diagnostics bundle and download it, restart the room's services, run its self-test; every op with its state and the
// room's reason, refreshed every 5 s. Technicians only: others are told so.

import { $, api } from './console-api.js';

const KINDS = {
  config: 'Cấu hình / Config',
  diagnostics: 'Chẩn đoán / Diagnostics',
  restart: 'Khởi động lại / Restart',
  selftest: 'Tự kiểm tra / Self-test',
};
const STATES = {
  pending: 'Chờ giao / Pending',
  'handed-over': 'Đã giao cho phòng / Handed over',
  applied: 'Đã áp dụng / Applied',
  'rolled-back': 'Đã khôi phục cấu hình cũ / Rolled back',
  failed: 'Thất bại / Failed',
};
const when = (iso) => (iso ? new Date(iso).toLocaleString('vi-VN', { hour12: false }) : '—');

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

let current = null; // { room, timer }

function panel(room) {
  const status = el('p', { className: 'ops-status', role: 'status' });
  const text = el('textarea', { rows: 6, cols: 60, spellcheck: false, placeholder: '{"kiosk": {"sessionMinutes": 15}}' });
  text.setAttribute('aria-label', 'Cấu hình JSON / Config JSON');
  const mode = el(
    'select',
    {},
    el('option', { value: 'merge', textContent: 'Sửa một phần (merge) / Patch' }),
    el('option', { value: 'replace', textContent: 'Thay toàn bộ / Replace whole config' }),
  );
  const list = el('tbody');
  const ask = async (body, done) => {
    status.textContent = 'Đang gửi… / Sending…';
    try {
      const op = await api('POST', `/fleet/rooms/${encodeURIComponent(room)}/ops`, body);
      status.textContent = `Đã nhận ${op.id}: sẽ giao cho phòng ở báo cáo tới / Accepted ${op.id}: handed to the room with its next report`;
      done?.();
      await load(room, list, status);
    } catch (err) {
      status.textContent = `Không gửi được / Not sent: ${err.message}`;
    }
  };
  const push = el('button', { type: 'button', textContent: 'Gửi cấu hình / Push config' });
  push.onclick = () => {
    let config;
    try {
      config = JSON.parse(text.value);
    } catch (err) {
      status.textContent = `JSON không hợp lệ / Not valid JSON: ${err.message}`;
      return;
    }
    void ask({ kind: 'config', mode: mode.value, config });
  };
  const diag = el('button', { type: 'button', textContent: 'Lấy gói chẩn đoán / Request diagnostics' });
  diag.onclick = () => void ask({ kind: 'diagnostics' });
  const restart = el('button', { type: 'button', textContent: 'Khởi động lại dịch vụ / Restart services' });
  restart.onclick = () => {
    if (
      confirm(
        `Khởi động lại dịch vụ của phòng ${room}? Phiên đang diễn ra sẽ gián đoạn vài giây. / Restart the services of ${room}? A hearing in progress is interrupted for seconds.`,
      )
    )
      void ask({ kind: 'restart' });
  };
  const selftest = el('button', { type: 'button', textContent: 'Tự kiểm tra (30 s) / Run the self-test (30 s)' });
  selftest.onclick = () => void ask({ kind: 'selftest', seconds: 30 });
  const head = el(
    'tr',
    {},
    ...['Thời gian / Asked', 'Loại / Kind', 'Trạng thái / State', 'Lý do / Reason', 'Người yêu cầu / By', ''].map((t) =>
      el('th', { textContent: t }),
    ),
  );
  const box = el(
    'section',
    { className: 'room-ops' },
    el('h3', { textContent: 'Thao tác từ xa / Remote operations' }),
    el('p', {
      className: 'hint',
      textContent:
        'Cấu hình được phòng kiểm tra lại; nếu phòng không ổn định trong 60 s, cấu hình cũ được khôi phục. / The room checks the config again; if it is not healthy within 60 s, the previous config comes back.',
    }),
    el('div', {}, text),
    el('div', {}, mode, push, diag, restart, selftest),
    status,
    el('table', { className: 'ops' }, el('thead', {}, head), list),
  );
  return { box, list, status };
}

function row(room, op) {
  const link = op.bundle
    ? el('a', {
        href: `/api/v1/fleet/rooms/${encodeURIComponent(room)}/ops/${op.id}/bundle`,
        textContent: `Tải về / Download (${Math.ceil(op.bundle.bytes / 1024)} KB)`,
      })
    : '';
  const tr = el(
    'tr',
    { className: `op-${op.state}` },
    el('td', { textContent: when(op.createdAt) }),
    el('td', { textContent: KINDS[op.kind] ?? op.kind }),
    el('td', { textContent: STATES[op.state] ?? op.state }),
    el('td', { textContent: op.reason ?? (op.handedOverAt ? `giao lúc / handed over ${when(op.handedOverAt)}` : '') }),
    el('td', { textContent: op.by }),
    el('td', {}, link),
  );
  tr.dataset.op = op.id;
  return tr;
}

async function load(room, list, status) {
  try {
    const ops = await api('GET', `/fleet/rooms/${encodeURIComponent(room)}/ops`);
    list.replaceChildren(...ops.map((op) => row(room, op)));
  } catch (err) {
    status.textContent = `Không tải được thao tác (cần vai trò kỹ thuật viên) / Could not load the operations (technician role needed): ${err.message}`;
  }
}

function mount(room) {
  if (current?.room === room) return; // the same room redrawn: keep what the technician typed
  if (current) clearInterval(current.timer);
  const { box, list, status } = panel(room);
  $('#room-ops').replaceChildren(box);
  void load(room, list, status);
  current = { room, timer: setInterval(() => !$('#room-view').hidden && void load(room, list, status), 5000) };
}

$('#room-view')?.addEventListener('fleet-room-open', (e) => mount(/** @type {CustomEvent} */ (e).detail.room));
// A room opened from the address (?room=) before this script ran.
if ($('#room-view')?.dataset.room) mount($('#room-view').dataset.room);
