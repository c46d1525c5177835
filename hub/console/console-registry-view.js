import { $, api, ready } from './console-api.js';
import { registryRows } from './console-registry.js';

// The registry section's DOM (index.html #registry): shown to technicians and monitors (and on a demo hub
// trusting its own machine); officers only get the rooms' states for the rooms table (a revoked room).
// A code is shown once, as the hub issued it; it is never stored in the page.

let rooms = [];
export const registryState = (id) => rooms.find((r) => r.id === id)?.state;

export async function refreshRegistry() {
  const section = $('#registry');
  try {
    rooms = await api('GET', '/registry/rooms');
  } catch {
    rooms = [];
    if (section) section.hidden = true;
    return;
  }
  if (!section) return;
  const session = await ready;
  section.hidden = !!session && !session.roles.some((r) => r === 'technician' || r === 'monitor');
  if (section.hidden) return;
  $('#registry-rooms tbody').replaceChildren(
    ...registryRows(rooms).map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.room = r.id;
      tr.innerHTML = '<td></td><td></td><td></td><td></td>';
      tr.children[0].textContent = `${r.name} (${r.id})`;
      tr.children[1].textContent = r.words;
      tr.children[1].className = r.state;
      tr.children[2].textContent = r.keys.join('\n');
      if (r.revocable) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = 'Thu hồi / Revoke';
        b.onclick = () => revoke(r.id);
        tr.children[3].append(b);
      }
      return tr;
    }),
  );
}

async function revoke(id) {
  const reason = prompt(`Thu hồi khóa của phòng ${id}? Lý do / Revoke room ${id}'s key? Reason:`);
  if (reason === null) return;
  try {
    await api('POST', `/registry/rooms/${encodeURIComponent(id)}/revoke`, reason ? { reason } : {});
  } catch (err) {
    $('#registry-message').textContent = `Không thu hồi được / Cannot revoke: ${err.message}`;
  }
  await refreshRegistry();
}

$('#enroll-code')?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const room = $('#enroll-room').value.trim();
  const name = $('#enroll-name').value.trim();
  try {
    const c = await api('POST', '/enrollment/codes', { room, ...(name ? { name } : {}), ttlMinutes: 60 });
    $('#registry-message').textContent =
      `Mã ghi danh phòng ${c.room} / enrollment code for ${c.room}: ${c.code} — hết hạn / expires ${c.expiresAt.replace('T', ' ').slice(0, 16)}. Trên thiết bị / on the box: reception enroll --hub ${location.origin} --code ${c.code}`;
  } catch (err) {
    $('#registry-message').textContent = `Không cấp được mã / Cannot issue a code: ${err.message}`;
  }
});
