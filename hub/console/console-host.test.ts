import { describe, expect, it } from 'vitest';
// @ts-expect-error plain browser JS module, no types
import { healthLines } from './console-health.js';
// @ts-expect-error plain browser JS module, no types
import { span } from './console-host.js';

// The console's words for a room's disk and box (the page itself is tested in Chromium by
// hub/fleet/console-fleet.test.ts). Seen as a new user: an idle room's disk read "74.8 GB free
// (~0 min of recording)" in red — the hub had turned the room's null (nothing recording) into 0.

const lines = (h: object) => healthLines({ stale: false, devices: [], ...h }) as [string, string][];
const idle = { freeMb: 76_595, minutesLeft: null };
const host = {
  sampledAt: '2026-01-05T08:00:00.000Z',
  cpuPercent: 12.4,
  load1: 0.6,
  cores: 4,
  memTotalMb: 7_850,
  memAvailableMb: 5_120,
  tempC: 54,
  tempMaxC: 61,
  disks: [{ mount: '/', fs: '/dev/sda2', type: 'ext4', sizeMb: 240_000, freeMb: 76_600, holds: ['recordings', 'state'] }],
  net: [{ iface: 'eth0', up: true, state: 'up', type: 'wired', default: true, speedMbps: 1000, rxKbps: 40, txKbps: 2_700 }],
};

describe('console: disk and host lines', () => {
  it('an idle room: no red, no "0 min"; its free disk counted at the standard rate when the room sends one', () => {
    expect(lines({ disk: idle })).toContainEqual(['h-ok', 'Đĩa còn 74,8 GB / Disk: 74.8 GB free']); // an older room: no estimate
    const now = lines({ disk: { ...idle, minutesAtRate: 3_928, rateKbps: 2_600, rateBasis: 'design' } });
    expect(now).toContainEqual([
      'h-ok',
      'Đĩa còn 74,8 GB, đủ ghi ~65 giờ (ở tốc độ ghi chuẩn 2,6 Mbit/s) / Disk: 74.8 GB free, room for ~65 h of recording (at the standard 2.6 Mbit/s)',
    ]);
    const after = lines({ disk: { ...idle, minutesAtRate: 5_000, rateKbps: 3_100, rateBasis: 'last-recording' } });
    expect(after.at(-1)![1]).toContain('theo tốc độ phiên ghi gần nhất 3,1 Mbit/s');
    expect(JSON.stringify([now, after])).not.toMatch(/~0 |h-bad/);
  });

  it('recording: minutes at the recent rate, red under an hour (a real 0 stays red)', () => {
    expect(lines({ disk: { freeMb: 900, minutesLeft: 45, minutesAtRate: 45, rateKbps: 2_600, rateBasis: 'recent' } })).toContainEqual([
      'h-bad',
      'Đĩa còn 0,9 GB (~45 phút ghi hình) / Disk: 0.9 GB free (~45 min of recording)',
    ]);
    expect(lines({ disk: { freeMb: 0, minutesLeft: 0 } }).at(-1)![0]).toBe('h-bad');
    expect(lines({ disk: { freeMb: 76_595, minutesLeft: 3_928 } }).at(-1)).toEqual([
      'h-ok',
      'Đĩa còn 74,8 GB (~65 giờ ghi hình) / Disk: 74.8 GB free (~65 h of recording)',
    ]);
  });

  it("the box in plain words: CPU, memory, temperature, the disk's size, the network", () => {
    const out = lines({ disk: { ...idle, minutesAtRate: 3_928, rateKbps: 2_600, rateBasis: 'design' }, host });
    expect(out).toContainEqual(['h-ok', 'Máy: CPU 12 %, bộ nhớ trống 5/7,7 GB, 54 °C / Host: CPU 12 %, memory 5 of 7.7 GB free, 54 °C']);
    expect(out).toContainEqual(['h-ok', 'Mạng: eth0 kết nối 1000 Mbit/s / Network: eth0 up 1000 Mbit/s']);
    expect(out.find(([, t]) => t.startsWith('Đĩa còn'))![1]).toMatch(/^Đĩa còn 74,8\/234,4 GB, .* Disk: 74.8 of 234.4 GB free, /);
  });

  it('no sensor is said, not shown as 0 °C; hot, short of memory, or the way to the hub down is marked', () => {
    expect(lines({ host: { ...host, tempC: null, tempMaxC: null } })).toContainEqual([
      'h-ok',
      expect.stringContaining('không có cảm biến nhiệt') as unknown as string,
    ]);
    expect(lines({ host: { ...host, tempC: null, tempMaxC: null } }).join()).not.toContain('0 °C');
    expect(lines({ host: { ...host, tempC: 83 } }).find(([, t]) => t.startsWith('Máy'))![0]).toBe('h-warn');
    expect(lines({ host: { ...host, tempC: 95 } }).find(([, t]) => t.startsWith('Máy'))![0]).toBe('h-bad');
    expect(lines({ host: { ...host, memAvailableMb: 300 } }).find(([, t]) => t.startsWith('Máy'))![0]).toBe('h-bad');
    const wifiDown = {
      iface: 'wlan0',
      up: false,
      state: 'down',
      type: 'wireless',
      default: false,
      speedMbps: null,
      rxKbps: null,
      txKbps: null,
    };
    expect(lines({ host: { ...host, net: [...host.net, wifiDown] } }).at(-1)).toEqual([
      'h-ok',
      'Mạng: eth0 kết nối 1000 Mbit/s, wlan0 mất kết nối / Network: eth0 up 1000 Mbit/s, wlan0 down',
    ]);
    expect(lines({ host: { ...host, net: [{ ...host.net[0], up: false, state: 'down' }] } }).at(-1)![0]).toBe('h-bad');
    expect(
      lines({
        host: {
          ...host,
          disks: [
            host.disks[0],
            { mount: '/var/lib/reception', fs: '/dev/sdb1', type: 'ext4', sizeMb: 20_000, freeMb: 500, holds: ['state'] },
          ],
        },
      }),
    ).toContainEqual([
      'h-warn',
      'Đĩa dữ liệu phòng (/var/lib/reception) còn 0,5/19,5 GB / State disk (/var/lib/reception): 0.5 of 19.5 GB free',
    ]);
  });

  it('spans: minutes, hours, days', () => {
    expect([span(45), span(89), span(90), span(600), span(3_928), span(10_000)]).toEqual([
      ['45 phút', '45 min'],
      ['89 phút', '89 min'],
      ['1,5 giờ', '1.5 h'],
      ['10 giờ', '10 h'],
      ['65 giờ', '65 h'],
      ['6,9 ngày', '6.9 days'],
    ]);
  });
});
