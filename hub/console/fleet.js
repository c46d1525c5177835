// The fleet page (fleet.html): every room's health in one table (GET /api/v1/fleet/rooms), its
// commissioning state (GET /api/v1/fleet/commissioning, hub/commissioning: '—' when the hub has none),
// refreshed every 10 s; a click on a room opens its last 24 h (fleet-room.js), kept in the address (?room=).

import { $, api, params, say } from './console-api.js';
import { hasProblem, roomCells } from './fleet-cells.js';
import { closeRoom, openRoom } from './fleet-room.js';

/** Commissioning per room; an older hub without the endpoint (404) or any failure: none known. */
async function commissioning() {
  const res = await fetch('/api/v1/fleet/commissioning', { credentials: 'same-origin' }).catch(() => null);
  if (!res?.ok) return new Map();
  const list = await res.json().catch(() => []);
  return new Map((Array.isArray(list) ? list : []).map((c) => [c.room, c]));
}

let rooms = [];
async function refresh() {
  try {
    const [list, comm] = await Promise.all([api('GET', '/fleet/rooms'), commissioning()]);
    rooms = list;
    $('#fleet tbody').replaceChildren(
      ...list.map((r) => {
        const cells = roomCells(r, comm.get(r.id));
        const tr = document.createElement('tr');
        tr.dataset.room = r.id;
        tr.tabIndex = 0;
        tr.className = hasProblem(cells) ? 'problem' : '';
        if ($('#room-view').dataset.room === r.id) tr.classList.add('selected');
        for (const [cls, text] of cells) {
          const td = document.createElement('td');
          td.className = cls;
          td.textContent = text;
          tr.append(td);
        }
        const report = comm.get(r.id)?.reportUrl; // the printable commissioning report (hub/commissioning)
        if (report) {
          const a = document.createElement('a');
          a.href = report;
          a.target = '_blank';
          a.textContent = tr.lastElementChild.textContent;
          tr.lastElementChild.replaceChildren(a);
        }
        return tr;
      }),
    );
    const bad = list.filter((r) => hasProblem(roomCells(r, comm.get(r.id)))).length;
    $('#fleet-summary').textContent = `${list.length} phòng, ${bad} phòng có vấn đề / ${list.length} rooms, ${bad} with a problem`;
    say('');
  } catch (err) {
    say(`Không tải được danh sách phòng / Could not load the rooms: ${err.message}`);
  }
}

function show(room) {
  const r = rooms.find((x) => x.id === room);
  const url = new URL(location.href);
  url.searchParams.set('room', room);
  history.replaceState(null, '', url);
  for (const tr of document.querySelectorAll('#fleet tbody tr')) tr.classList.toggle('selected', tr.dataset.room === room);
  return openRoom(room, r?.name ?? room);
}

$('#fleet tbody').addEventListener('click', (e) => {
  const tr = e.target.closest('tr[data-room]');
  if (tr) void show(tr.dataset.room);
});
$('#fleet tbody').addEventListener('keydown', (e) => {
  const tr = e.target.closest('tr[data-room]');
  if (tr && (e.key === 'Enter' || e.key === ' ')) void show(tr.dataset.room);
});
$('#room-close').addEventListener('click', () => {
  closeRoom();
  const url = new URL(location.href);
  url.searchParams.delete('room');
  history.replaceState(null, '', url);
  for (const tr of document.querySelectorAll('#fleet tbody tr.selected')) tr.classList.remove('selected');
});

await refresh();
if (params.get('room')) await show(params.get('room'));
setInterval(refresh, 10_000);
// The open room's charts move on once a minute (one point a minute at the hub).
setInterval(() => {
  const room = $('#room-view').dataset.room;
  if (room) void openRoom(room, rooms.find((x) => x.id === room)?.name ?? room, true);
}, 60_000);
