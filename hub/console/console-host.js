// @ts-check
// Plain words for a room's disk and its box (CPU, memory, temperature, network) in its last fleet
// report, Vietnamese / English. Unknown stays unsaid: an idle room has no recent recording rate, a box
// without sensors no temperature — never shown as 0.

/** @typedef {import('../fleet/schemas.js').RoomHealthView} Health */

const viNum = (n) => n.toLocaleString('vi-VN', { maximumFractionDigits: 1 });
const enNum = (n) => n.toLocaleString('en-GB', { maximumFractionDigits: 1 });
const gb = (mb, fmt) => fmt(Math.round((mb / 1024) * 10) / 10);

/** A recording time in minutes as words: "45 phút" / "45 min", "64 giờ" / "64 h", "6,5 ngày" / "6.5 days". */
export function span(min) {
  if (min < 90) return [`${min} phút`, `${min} min`];
  const h = min / 60;
  if (h < 72) {
    const v = h < 10 ? Math.round(h * 10) / 10 : Math.round(h);
    return [`${viNum(v)} giờ`, `${enNum(v)} h`];
  }
  const d = Math.round((h / 24) * 10) / 10;
  return [`${viNum(d)} ngày`, `${enNum(d)} days`];
}

const RATE_WORDS = {
  'last-recording': (vi, en) => [`theo tốc độ phiên ghi gần nhất ${vi} Mbit/s`, `at the last recording's ${en} Mbit/s`],
  design: (vi, en) => [`ở tốc độ ghi chuẩn ${vi} Mbit/s`, `at the standard ${en} Mbit/s`],
};

/**
 * The disk line [class, text]: while recording, minutes at the recent rate; idle, what the free space
 * holds at the last recording's (or the standard) rate. Red under an hour of recording.
 * @param {NonNullable<Health['disk']>} disk
 * @param {number} [sizeMb] the file system's size, when the room's host sample has it
 * @returns {[string, string]}
 */
function diskLine(disk, sizeMb) {
  const free = `Đĩa còn ${gb(disk.freeMb, viNum)}${sizeMb ? `/${gb(sizeMb, viNum)}` : ''} GB`;
  const freeEn = `Disk: ${gb(disk.freeMb, enNum)}${sizeMb ? ` of ${gb(sizeMb, enNum)}` : ''} GB free`;
  if (disk.minutesLeft !== null) {
    const [vi, en] = span(disk.minutesLeft);
    return [disk.minutesLeft < 60 ? 'h-bad' : 'h-ok', `${free} (~${vi} ghi hình) / ${freeEn} (~${en} of recording)`];
  }
  const words = RATE_WORDS[disk.rateBasis ?? ''];
  if (typeof disk.minutesAtRate !== 'number' || !words || !disk.rateKbps) return ['h-ok', `${free} / ${freeEn}`]; // an older room: no estimate
  const [vi, en] = span(disk.minutesAtRate);
  const [rateVi, rateEn] = words(viNum(disk.rateKbps / 1000), enNum(disk.rateKbps / 1000));
  return [
    disk.minutesAtRate < 60 ? 'h-bad' : 'h-ok',
    `${free}, đủ ghi ~${vi} (${rateVi}) / ${freeEn}, room for ~${en} of recording (${rateEn})`,
  ];
}

/**
 * The recordings disk (retention's free space and minutes; its size from the host sample), then any other
 * disk of the room's paths (the state directory on another file system).
 * @param {Health['disk']} disk
 * @param {Health['host']} [host]
 * @returns {[string, string][]}
 */
export function diskLines(disk, host) {
  const disks = host?.disks ?? [];
  const rec = disks.find((d) => d.holds.includes('recordings'));
  const out = /** @type {[string, string][]} */ ([]);
  if (disk) out.push(diskLine(disk, rec?.sizeMb));
  for (const d of disks.filter((x) => x !== rec || !disk)) {
    const [vi, en] = d.holds.includes('recordings') ? ['Đĩa ghi hình', 'Recordings disk'] : ['Đĩa dữ liệu phòng', 'State disk'];
    const low = d.sizeMb > 0 && d.freeMb / d.sizeMb < 0.05;
    out.push([
      low ? 'h-warn' : 'h-ok',
      `${vi} (${d.mount}) còn ${gb(d.freeMb, viNum)}/${gb(d.sizeMb, viNum)} GB / ${en} (${d.mount}): ${gb(d.freeMb, enNum)} of ${gb(d.sizeMb, enNum)} GB free`,
    ]);
  }
  return out;
}

/**
 * The box: CPU, memory, temperature on one line; the network interfaces on another.
 * @param {Health['host']} host
 * @returns {[string, string][]}
 */
export function hostLines(host) {
  if (!host) return [];
  const memFree = host.memTotalMb > 0 ? host.memAvailableMb / host.memTotalMb : 1;
  const temp = host.tempC ?? host.tempMaxC;
  const cls =
    (temp !== null && temp >= 90) || memFree < 0.05
      ? 'h-bad'
      : host.cpuPercent >= 90 || (temp !== null && temp >= 80) || memFree < 0.1
        ? 'h-warn'
        : 'h-ok';
  const [tempVi, tempEn] =
    temp === null ? ['không có cảm biến nhiệt', 'no temperature sensor'] : [`${viNum(temp)} °C`, `${enNum(temp)} °C`];
  const cpu = Math.round(host.cpuPercent);
  const out = /** @type {[string, string][]} */ ([
    [
      cls,
      `Máy: CPU ${cpu} %, bộ nhớ trống ${gb(host.memAvailableMb, viNum)}/${gb(host.memTotalMb, viNum)} GB, ${tempVi}` +
        ` / Host: CPU ${cpu} %, memory ${gb(host.memAvailableMb, enNum)} of ${gb(host.memTotalMb, enNum)} GB free, ${tempEn}`,
    ],
  ]);
  if (host.net.length > 0) {
    const speed = (n) => (n.speedMbps ? ` ${n.speedMbps} Mbit/s` : '');
    const vi = host.net.map((n) => `${n.iface} ${n.up ? 'kết nối' : 'mất kết nối'}${n.up ? speed(n) : ''}`).join(', ');
    const en = host.net.map((n) => `${n.iface} ${n.up ? 'up' : 'down'}${n.up ? speed(n) : ''}`).join(', ');
    // Red when the way to the hub (the default route's interface) or every interface is down; an unused
    // second adapter being down is normal.
    const netCls = host.net.some((n) => n.default && !n.up) || !host.net.some((n) => n.up) ? 'h-bad' : 'h-ok';
    out.push([netCls, `Mạng: ${vi} / Network: ${en}`]);
  }
  return out;
}
