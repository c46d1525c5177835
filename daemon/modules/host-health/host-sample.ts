import type { HostDisk, HostInterface, HostSample } from '../../../common/contracts/host.js';

// systeminformation's answers → the room's HostSample (common/contracts/host.ts). Pure: no I/O, tested
// with answers recorded on real boxes (test/). Unknown is null, never 0: systeminformation says `null`
// (or -1) for a missing temperature sensor and a link speed the kernel does not know.

/** The parts of systeminformation's answers this reads (si.currentLoad, mem, fsSize, cpuTemperature, networkInterfaces, networkStats). */
export interface RawHost {
  load: { currentLoad: number; cpus: unknown[] };
  load1: number;
  mem: { total: number; available: number };
  fsSize: { fs: string; type: string; size: number; available: number; mount: string }[];
  temp: { main: number | null; max: number | null };
  interfaces: {
    iface: string;
    operstate: string;
    type: string;
    default: boolean;
    speed: number | null;
    internal: boolean;
    virtual: boolean;
  }[];
  /** networkStats: cheap, every sample; its operstate is fresher than networkInterfaces' (refreshed less often). */
  stats: { iface: string; operstate?: string; rx_sec: number | null; tx_sec: number | null }[];
}

const MB = 1048576;
const mb = (bytes: number) => Math.max(0, Math.round(bytes / MB));
/** A reading, or null when the sensor or kernel has none (null, undefined, NaN, ≤ 0). */
const reading = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v * 10) / 10 : null);
const kbps = (bytesPerS: number | null | undefined) =>
  typeof bytesPerS === 'number' && Number.isFinite(bytesPerS) && bytesPerS >= 0 ? Math.round((bytesPerS * 8) / 100) / 10 : null;

/** The file system holding `path` (already resolved, symlinks followed): the longest mount point that contains it. */
export function mountOf<T extends { mount: string }>(path: string, fileSystems: T[]): T | undefined {
  const inside = (mount: string) => mount === '/' || path === mount || path.startsWith(`${mount.replace(/\/+$/, '')}/`);
  return fileSystems.filter((f) => inside(f.mount)).sort((a, b) => b.mount.length - a.mount.length)[0];
}

/** One entry per file system, naming which of the room's paths (`{recordings: '/var/lib/…'}`) it holds. */
export function disksOf(paths: Record<string, string>, fileSystems: RawHost['fsSize']): HostDisk[] {
  const out = new Map<string, HostDisk>();
  for (const [name, path] of Object.entries(paths)) {
    const f = mountOf(path, fileSystems);
    if (!f) continue;
    const disk = out.get(f.mount) ?? {
      mount: f.mount.slice(0, 200),
      fs: f.fs.slice(0, 200),
      type: f.type.slice(0, 32),
      sizeMb: mb(f.size),
      freeMb: mb(f.available),
      holds: [],
    };
    disk.holds.push(name);
    out.set(f.mount, disk);
  }
  return [...out.values()].slice(0, 4);
}

/** Physical and wireless interfaces (not loopback, not container bridges or veths), the default route's first. */
export function interfacesOf(raw: Pick<RawHost, 'interfaces' | 'stats'>): HostInterface[] {
  const stats = new Map(raw.stats.map((s) => [s.iface, s]));
  return raw.interfaces
    .filter((i) => !i.internal && !i.virtual)
    .sort((a, b) => Number(b.default) - Number(a.default))
    .slice(0, 8)
    .map((i) => {
      const state = stats.get(i.iface)?.operstate || i.operstate || 'unknown';
      return {
        iface: i.iface.slice(0, 64),
        up: state === 'up',
        state: state.slice(0, 32),
        type: (i.type || 'unknown').slice(0, 32),
        default: i.default,
        speedMbps: reading(i.speed),
        rxKbps: kbps(stats.get(i.iface)?.rx_sec),
        txKbps: kbps(stats.get(i.iface)?.tx_sec),
      };
    });
}

export function toHostSample(raw: RawHost, paths: Record<string, string>, at: Date): HostSample {
  const load = raw.load.currentLoad;
  return {
    sampledAt: at.toISOString(),
    cpuPercent: Number.isFinite(load) ? Math.min(100, Math.max(0, Math.round(load * 10) / 10)) : 0,
    load1: Math.max(0, Math.round(raw.load1 * 100) / 100),
    cores: Math.max(1, raw.load.cpus.length),
    memTotalMb: mb(raw.mem.total),
    memAvailableMb: mb(raw.mem.available),
    tempC: reading(raw.temp.main),
    tempMaxC: reading(raw.temp.max),
    disks: disksOf(paths, raw.fsSize),
    net: interfacesOf(raw),
  };
}
