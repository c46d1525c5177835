import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { HostSample } from '../../../common/contracts/host.js';
import { mountOf, toHostSample, type RawHost } from './host-sample.js';

// systeminformation's answers → HostSample. The KVM guest's answers are recorded (test/si-kvm-guest.json:
// no sensors, a virtio NIC whose speed the kernel does not know); the appliance below is written in
// systeminformation's documented shapes (cpuTemperature, networkInterfaces, fsSize), with the awkward
// parts of real boxes: docker0 and a veth, an unused Wi-Fi adapter down, /var on its own partition.

const at = new Date('2026-01-05T08:00:00.000Z');
const kvm = JSON.parse(readFileSync(new URL('./test/si-kvm-guest.json', import.meta.url), 'utf8')) as RawHost;

const appliance: RawHost = {
  load: { currentLoad: 37.26, cpus: [{}, {}, {}, {}] },
  load1: 1.234,
  mem: { total: 8_235_892_736, available: 5_368_709_120 },
  fsSize: [
    { fs: '/dev/nvme0n1p2', type: 'ext4', size: 63_000_000_000, available: 41_000_000_000, mount: '/' },
    { fs: '/dev/nvme0n1p3', type: 'xfs', size: 420_000_000_000, available: 80_300_000_000, mount: '/var' },
    { fs: '/dev/sdb1', type: 'vfat', size: 31_000_000_000, available: 30_000_000_000, mount: '/media/usb' },
  ],
  temp: { main: 54.5, max: 61 },
  interfaces: [
    { iface: 'lo', operstate: 'unknown', type: 'virtual', default: false, speed: null, internal: true, virtual: false },
    { iface: 'wlan0', operstate: 'down', type: 'wireless', default: false, speed: null, internal: false, virtual: false },
    { iface: 'enp2s0', operstate: 'up', type: 'wired', default: true, speed: 1000, internal: false, virtual: false },
    { iface: 'docker0', operstate: 'down', type: 'wired', default: false, speed: null, internal: false, virtual: true },
    { iface: 'veth1a2b', operstate: 'up', type: 'wired', default: false, speed: 10000, internal: false, virtual: true },
  ],
  stats: [
    { iface: 'enp2s0', rx_sec: 5_000, tx_sec: 337_500 },
    { iface: 'wlan0', rx_sec: null, tx_sec: null },
  ],
};

describe('host sample', () => {
  it('the recorded KVM guest: no sensor is null (not 0), nor is an unknown link speed; one disk holds both paths', () => {
    const s = toHostSample(kvm, { recordings: '/var/lib/reception/recordings', state: '/var/lib/reception/state' }, at);
    expect(Value.Check(HostSample, s)).toBe(true);
    expect(s).toMatchObject({ sampledAt: at.toISOString(), cores: 2, tempC: null, tempMaxC: null, memTotalMb: 24_105 });
    expect(s.cpuPercent).toBeCloseTo(3.3, 1);
    expect(s.disks).toEqual([
      { mount: '/', fs: '/dev/vda', type: 'ext4', sizeMb: 258_020, freeMb: 79_797, holds: ['recordings', 'state'] },
    ]);
    expect(s.net).toEqual([{ iface: 'eth0', up: true, state: 'up', type: 'wired', default: true, speedMbps: null, rxKbps: 0, txKbps: 0 }]); // lo left out
  });

  it("an appliance: temperatures, the default route's interface first, container interfaces left out, each path on its own disk", () => {
    const s = toHostSample(appliance, { recordings: '/var/lib/reception/recordings', state: '/etc/reception' }, at);
    expect(Value.Check(HostSample, s)).toBe(true);
    expect(s).toMatchObject({
      cpuPercent: 37.3,
      load1: 1.23,
      cores: 4,
      memTotalMb: 7_854,
      memAvailableMb: 5_120,
      tempC: 54.5,
      tempMaxC: 61,
    });
    expect(s.disks.map((d) => [d.mount, d.holds])).toEqual([
      ['/var', ['recordings']],
      ['/', ['state']],
    ]);
    expect(s.net).toEqual([
      { iface: 'enp2s0', up: true, state: 'up', type: 'wired', default: true, speedMbps: 1000, rxKbps: 40, txKbps: 2700 },
      { iface: 'wlan0', up: false, state: 'down', type: 'wireless', default: false, speedMbps: null, rxKbps: null, txKbps: null },
    ]);
  });

  it('up/down from networkStats (every sample) over the interface list (read once a minute): a cable pulled shows at once', () => {
    const pulled = { ...appliance, stats: [{ iface: 'enp2s0', operstate: 'down', rx_sec: 0, tx_sec: 0 }] };
    expect(toHostSample(pulled, {}, at).net[0]).toMatchObject({ iface: 'enp2s0', up: false, state: 'down', default: true });
  });

  it('mountOf: the longest mount point that contains the path, not a mere prefix of its name', () => {
    const fs = [{ mount: '/' }, { mount: '/var' }, { mount: '/var/lib/reception' }, { mount: '/variable' }];
    expect(mountOf('/var/lib/reception/recordings', fs)?.mount).toBe('/var/lib/reception');
    expect(mountOf('/variable/x', fs)?.mount).toBe('/variable');
    expect(mountOf('/varnish', fs)?.mount).toBe('/');
    expect(mountOf('/var', fs)?.mount).toBe('/var');
  });

  it('nonsense from a sensor (0, -1, NaN) reads as no reading', () => {
    for (const main of [0, -1, Number.NaN, null])
      expect(toHostSample({ ...appliance, temp: { main, max: null } }, {}, at).tempC).toBeNull();
  });
});
