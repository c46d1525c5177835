// Plain words for a room's last fleet report (GET /api/v1/rooms `health`), Vietnamese / English.

const viNum = (n) => n.toLocaleString('vi-VN', { maximumFractionDigits: 1 });
const enNum = (n) => n.toLocaleString('en-GB', { maximumFractionDigits: 1 });
const mb = (bytes, fmt) => `${fmt(bytes / 1e6)} MB`;
function ago(s) {
  if (s < 90) return [`${s} giây`, `${s} s`];
  if (s < 5400) return [`${Math.round(s / 60)} phút`, `${Math.round(s / 60)} min`];
  return [`${viNum(s / 3600)} giờ`, `${enNum(s / 3600)} h`];
}

/** Plain-words lines [class, text] for a room's last report (GET /api/v1/rooms `health`). */
export function healthLines(h) {
  if (!h) return [['h-none', 'Chưa có báo cáo / No report yet']];
  const out = [];
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
  if (rec) {
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
    out.push(up.backlogFiles === 0
      ? ['h-ok', 'Đã gửi hết bản ghi / Everything forwarded']
      : [up.state === 'waiting' ? 'h-warn' : 'h-ok', `${up.backlogFiles} đoạn chờ gửi (${mb(up.backlogBytes, viNum)}) / ${up.backlogFiles} segments waiting (${mb(up.backlogBytes, enNum)})${away}`]);
  }
  const disk = h.disk;
  if (disk) {
    const left = disk.minutesLeft === null ? '' : ` (~${disk.minutesLeft} phút ghi / min of recording)`;
    const low = disk.minutesLeft !== null && disk.minutesLeft < 60;
    out.push([low ? 'h-bad' : 'h-ok', `Đĩa còn ${viNum(disk.freeMb / 1024)} GB / Disk: ${enNum(disk.freeMb / 1024)} GB free${left}`]);
  }
  return out;
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
