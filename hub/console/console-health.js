// @ts-check
// Plain words for a room's last fleet report (GET /api/v1/rooms `health`), Vietnamese / English.

import { diskLines, hostLines } from './console-host.js';

const viNum = (n) => n.toLocaleString('vi-VN', { maximumFractionDigits: 1 });
const enNum = (n) => n.toLocaleString('en-GB', { maximumFractionDigits: 1 });
const mb = (bytes, fmt) => `${fmt(bytes / 1e6)} MB`;
function ago(s) {
  if (s < 90) return [`${s} giây`, `${s} s`];
  if (s < 5400) return [`${Math.round(s / 60)} phút`, `${Math.round(s / 60)} min`];
  return [`${viNum(s / 3600)} giờ`, `${enNum(s / 3600)} h`];
}

const ALARM_WORDS = { 'disk-full': ['ổ đĩa đầy', 'disk full'], 'write-error': ['lỗi ghi tệp', 'write error'] };
const clock = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '?' : d.toLocaleTimeString('vi-VN', { hour12: false });
};

/** The room's recording alarm in plain words (null: none): the hearing is NOT being recorded. */
export function recordingAlarmText(h) {
  const a = h?.recording?.alarm;
  if (!a) return null;
  const [vi, en] = ALARM_WORDS[a.reason] ?? [a.reason, a.reason];
  return `KHÔNG GHI HÌNH ĐƯỢC: ${vi} (từ ${clock(a.since)}) / NOT RECORDING: ${en} (since ${clock(a.since)})`;
}

/** The kiosk PIN lockout (someone guessing the officers' PIN at the room's touch screen), or null. */
function kioskLockText(k) {
  if (!k || (!k.locked && k.lockouts === 0)) return null;
  if (k.locked)
    return [
      'h-bad',
      `Màn hình cảm ứng bị khóa do nhập sai mã PIN (lần khóa thứ ${k.lockouts}, đến ${clock(k.lockedUntil)}) / Kiosk locked after wrong PINs (lockout ${k.lockouts}, until ${clock(k.lockedUntil)})`,
    ];
  return ['h-warn', `Mã PIN bị nhập sai, đã khóa ${k.lockouts} lần / Wrong kiosk PINs: locked out ${k.lockouts} times`];
}

/** Plain-words lines [class, text] for a room's last report (GET /api/v1/rooms `health`). */
/** @param {import('../fleet/schemas.js').RoomHealthView | null} h the room's last report as GET /api/v1/rooms gives it (common/contracts/fleet.ts + hub/fleet/schemas.ts) */
export function healthLines(h) {
  if (!h) return [['h-none', 'Chưa có báo cáo / No report yet']];
  const out = [];
  const alarm = recordingAlarmText(h);
  if (alarm) out.push(['h-bad h-alarm', alarm]); // first: the hearing's legal record is at stake
  const kiosk = kioskLockText(h.kiosk);
  if (kiosk) out.push(kiosk);
  if (h.stale) {
    const [vi, en] = ago(h.ageS);
    out.push(['h-warn h-stale', `Báo cáo cũ ${vi} trước / Last report ${en} ago`]);
  }
  const cams = h.devices.filter((d) => d.kind === 'camera');
  const lost = cams.filter((d) => d.state !== 'online');
  if (lost.length) out.push(['h-bad', `Camera ${lost.map((d) => d.id).join(', ')}: mất kết nối / offline`]);
  else if (h.media?.source === 'slate') out.push(['h-warn', 'Camera: mất hình, đang hiện màn chờ / no picture, slate on air']);
  else if (h.media && h.media.state !== 'online') out.push(['h-bad', 'Camera: bộ mã hóa đang khởi động lại / encoder restarting']);
  else if (cams.length) out.push(['h-ok', 'Camera: tốt / OK']);
  for (const a of h.devices.filter((d) => d.kind === 'audio')) {
    out.push(a.state === 'online' ? ['h-ok', 'Âm thanh: tốt / Audio: OK'] : ['h-bad', 'Âm thanh: mất kết nối / Audio: offline']);
  }
  const rec = h.recording;
  if (rec && !alarm) {
    const words = {
      recording: ['h-ok', `Đang ghi hình (${rec.segments} đoạn) / Recording (${rec.segments} segments)`],
      'waiting-for-worker': ['h-bad', 'Chưa ghi được: chờ bộ mã hóa / Not recording: waiting for the encoder'],
      idle: ['h-none', 'Không có phiên, không ghi / No hearing, not recording'],
      disabled: ['h-warn', 'Ghi hình bị tắt / Recording disabled'],
    };
    out.push(words[rec.state] ?? ['h-warn', `Ghi hình / Recording: ${rec.state}`]);
  }
  const up = h.uploader;
  if (up) {
    const away = up.state === 'waiting' ? ' — chưa gửi được tới trung tâm / cannot reach the hub' : '';
    out.push(
      up.backlogFiles === 0
        ? ['h-ok', 'Đã gửi hết bản ghi / Everything forwarded']
        : [
            up.state === 'waiting' ? 'h-warn' : 'h-ok',
            `${up.backlogFiles} đoạn chờ gửi (${mb(up.backlogBytes, viNum)}) / ${up.backlogFiles} segments waiting (${mb(up.backlogBytes, enNum)})${away}`,
          ],
    );
    if (up.refusedFiles > 0) {
      // Files the archive refused for a reason the room cannot fix (parked there, with an alarm): named, with the archive's code.
      const which =
        (up.refused ?? [])
          .slice(0, 3)
          .map((r) => `${r.file} (${r.code})`)
          .join(', ') + (up.refusedFiles > 3 ? ', …' : '');
      out.push(['h-bad', `${up.refusedFiles} tệp bị kho lưu trữ từ chối / ${up.refusedFiles} files refused by the archive: ${which}`]);
    }
  }
  out.push(...diskLines(h.disk, h.host), ...hostLines(h.host)); // console-host.js
  return out;
}

/** In a hearing: the rooms of it whose recording fails, one line each (empty: every room records or has no alarm). */
export function showCallAlarms(el, rooms, hearingRooms) {
  const lines = rooms
    .filter((r) => hearingRooms.includes(r.id))
    .map((r) => [r, recordingAlarmText(r.health)])
    .filter(([, t]) => t);
  el.hidden = lines.length === 0;
  el.replaceChildren(
    ...lines.map(([r, text]) => {
      const p = document.createElement('p');
      p.dataset.room = r.id;
      p.textContent = `${r.name}: ${text}`;
      return p;
    }),
  );
}

export function healthCell(td, health) {
  td.className = `health${health?.stale ? ' stale' : ''}`;
  td.replaceChildren(
    ...healthLines(health).map(([cls, text]) => {
      const span = document.createElement('span');
      span.className = cls;
      span.textContent = text;
      return span;
    }),
  );
}
