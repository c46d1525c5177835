import { $, api } from './console-api.js';

// ---- reception book (Sổ tiếp công dân) ----------------------------------------------------------
// The officer fills it here; the hub hands it to the room with the room's next health report, the
// room seals it into the hearing's book.json and signed manifest, then acknowledges.
const bookForm = $('#book-form');
const field = (name) => bookForm.elements.namedItem(name);
let bookHearing = null;
let bookTimer = null;
const pad = (n) => String(n).padStart(2, '0');
/** "2025-03-04T09:30" (local) → "2025-03-04T09:30:00+07:00". */
function isoFromLocal(v) {
  const d = new Date(v);
  const off = -d.getTimezoneOffset();
  return `${v.length === 16 ? `${v}:00` : v}${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}
function localFromIso(iso) {
  const d = iso ? new Date(iso) : new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const list = (v) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function bookStatus(cls, text) {
  $('#book-status').className = cls;
  $('#book-status').textContent = text;
}

function showBookState(b) {
  const at = new Date(b.updatedAt).toLocaleTimeString('vi-VN');
  if (b.state === 'written')
    bookStatus('written', `Đã ghi tại phòng / Written at the room (${at}, bản ${b.version} / version ${b.version})`);
  else if (b.state === 'failed')
    bookStatus(
      'failed',
      `Phòng không ghi được / The room could not write it: ${b.error}` +
        (b.purgedAt
          ? ' — danh tính công dân đã được xoá khỏi hub, cần nhập lại / the citizen identity was purged from the hub, enter it again'
          : ''),
    );
  else if (b.deliveredAt)
    bookStatus('pending', 'Đã chuyển tới phòng, chờ phòng xác nhận / Handed to the room, waiting for its confirmation');
  else bookStatus('pending', 'Đang chờ phòng nhận (phòng chưa báo cáo lại) / Waiting for the room to pick it up (it has not reported yet)');
}

function fillBook(entry) {
  field('receivedAt').value = localFromIso(entry.receivedAt);
  field('officer.name').value = entry.officer.name;
  field('officer.unit').value = entry.officer.unit;
  for (const k of ['fullName', 'address', 'idNumber', 'idType']) field(`citizen.${k}`).value = entry.citizen?.[k] ?? '';
  field('classification').value = entry.classification;
  field('summary').value = entry.summary;
  field('handling').value = entry.handling;
  field('participants.rooms').value = entry.participants.rooms.join(', ');
  field('participants.officers').value = entry.participants.officers.join(', ');
}

const bookUrl = () => `/hearings/${encodeURIComponent(bookHearing.id)}/rooms/${encodeURIComponent($('#book-room').value)}/book`;

function stopBookPolling() {
  clearTimeout(bookTimer);
  bookTimer = null;
}

/** Reads the room's entry and its delivery state; keeps polling while it is pending. */
async function loadBook(fill) {
  stopBookPolling();
  if (!bookHearing || !$('#book-room').value) return;
  const url = bookUrl();
  try {
    const b = await api('GET', url);
    if (url !== bookUrl()) return; // the room selector changed meanwhile
    if (fill) fillBook(b.entry);
    showBookState(b);
    if (b.state === 'pending' && bookHearing) bookTimer = setTimeout(() => loadBook(false), 3000);
  } catch (err) {
    if (/no reception book entry/.test(err.message)) bookStatus('', 'Chưa ghi sổ cho phòng này / No book entry for this room yet');
    else bookStatus('failed', `Không đọc được sổ / Cannot read the book: ${err.message}`);
  }
}

/** Leaving the call: no more polling for this hearing. */
export function closeBook() {
  stopBookPolling();
  bookHearing = null;
}

export function openBook(hearing, officerName) {
  bookHearing = hearing;
  const rooms = hearing.rooms ?? [];
  $('#book').hidden = rooms.length === 0;
  $('#book-room').replaceChildren(...rooms.map((r) => Object.assign(document.createElement('option'), { value: r, textContent: r })));
  $('#book-room-label').hidden = rooms.length < 2;
  bookForm.reset();
  field('receivedAt').value = localFromIso();
  field('officer.name').value = officerName;
  field('participants.rooms').value = rooms.join(', ');
  field('participants.officers').value = officerName;
  bookStatus('', '');
  loadBook(true);
}

$('#book-room').addEventListener('change', () => loadBook(true));

bookForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (!bookHearing) return;
  const text = (name) => field(name).value.trim();
  const citizen = { fullName: text('citizen.fullName'), address: text('citizen.address'), idNumber: text('citizen.idNumber') };
  if (text('citizen.idType')) citizen.idType = text('citizen.idType');
  const body = {
    receivedAt: isoFromLocal(field('receivedAt').value),
    officer: { name: text('officer.name'), unit: text('officer.unit') },
    citizen,
    classification: field('classification').value,
    summary: text('summary'),
    handling: text('handling'),
    participants: { rooms: list(field('participants.rooms').value), officers: list(field('participants.officers').value) },
  };
  $('#book-submit').disabled = true;
  try {
    await api('PUT', bookUrl(), body);
    bookStatus('pending', 'Đã nhận, chờ phòng ghi / Accepted, waiting for the room to write it');
    loadBook(false);
  } catch (err) {
    bookStatus('failed', `Không ghi được / Not saved: ${err.message}`);
  } finally {
    $('#book-submit').disabled = false;
  }
});
