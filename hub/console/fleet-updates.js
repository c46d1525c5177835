// Software updates on the fleet page (hub/updates): the signed releases on the hub's shelf, each room's
// target, the version it runs and how its update went (with the room's reason for a refusal or a rollback),
// and — for technicians — a form to roll a release out to chosen rooms. Refreshed every 10 s.

import { $, api } from './console-api.js';

const STATES = {
  'no-target': 'Chưa giao / No target',
  offered: 'Đã mời / Offered',
  'in-progress': 'Đang cập nhật / Updating',
  'up-to-date': 'Đã cập nhật / Up to date',
  refused: 'Phòng từ chối / Refused by the room',
  'rolled-back': 'Đã quay về bản cũ / Rolled back',
  failed: 'Thất bại / Failed',
};
const PROBLEM = new Set(['refused', 'rolled-back', 'failed']);
const mb = (b) => (b < 1048576 ? `${Math.ceil(b / 1024)} kB` : `${(b / 1048576).toFixed(1)} MB`);

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function rolloutRow(r) {
  const detail = r.update ? `${r.update.state}${r.update.reason ? `: ${r.update.reason}` : ''}` : '';
  return el(
    'tr',
    { className: PROBLEM.has(r.state) ? 'problem' : '' },
    el('td', {}, el('input', { type: 'checkbox', value: r.room, className: 'rollout-room', title: r.room }), ` ${r.room}`),
    el('td', { textContent: r.running ?? '—' }),
    el('td', { textContent: r.target?.version ?? '—' }),
    el('td', { textContent: STATES[r.state] ?? r.state }),
    el('td', { className: 'reason', textContent: detail }),
  );
}

let latest = 0; // a refresh started before a change must not paint over the one started after it
async function refresh() {
  const box = $('#updates');
  const mine = ++latest;
  try {
    const [releases, rollout] = await Promise.all([api('GET', '/updates/releases'), api('GET', '/updates/rollout')]);
    if (mine !== latest) return;
    const pick = $('#rollout-version');
    const chosen = pick.value;
    pick.replaceChildren(
      ...releases
        .filter((r) => r.complete)
        .map((r) =>
          el('option', {
            value: r.version,
            textContent: `${r.version} (${r.modules === 'included' ? 'kèm thư viện / with modules' : 'ứng dụng / app only'}, ${mb(r.bytes)})`,
          }),
        ),
    );
    if (chosen) pick.value = chosen;
    const checked = new Set([...document.querySelectorAll('.rollout-room:checked')].map((c) => c.value));
    $('#rollout tbody').replaceChildren(...rollout.map(rolloutRow));
    for (const c of document.querySelectorAll('.rollout-room')) c.checked = checked.has(c.value);
    $('#updates-summary').textContent =
      `${releases.length} bản trên máy chủ; ${rollout.filter((r) => r.state === 'up-to-date').length}/${rollout.length} phòng đã cập nhật / ` +
      `${releases.length} releases on the hub; ${rollout.filter((r) => r.state === 'up-to-date').length} of ${rollout.length} rooms up to date`;
    box.hidden = false;
  } catch (err) {
    // A role without access (403: the hub says which role is needed) sees no section; anything else is said.
    box.hidden = /needs role/.test(err.message);
    $('#updates-summary').textContent = `Không tải được bản cập nhật / Could not load updates: ${err.message}`;
  }
}

$('#rollout-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const rooms = [...document.querySelectorAll('.rollout-room:checked')].map((c) => c.value);
  const version = $('#rollout-version').value;
  const say = (t) => ($('#rollout-status').textContent = t);
  if (!version || rooms.length === 0) return say('Chọn một bản và ít nhất một phòng / Choose a release and at least one room');
  try {
    await api('PUT', '/updates/rollout', { version, rooms });
    await refresh(); // the table first: the words below then describe what it shows
    say(
      `Đã giao ${version} cho ${rooms.length} phòng; mỗi phòng cài khi không có phiên tiếp / ${version} set for ${rooms.length} rooms; each installs outside hearings`,
    );
  } catch (err) {
    say(`Không giao được / Could not set the rollout: ${err.message}`);
  }
});

refresh();
setInterval(refresh, 10_000);
