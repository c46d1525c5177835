import { realpath } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import si from 'systeminformation';
import type { HostSample } from '../../../common/contracts/host.js';
import { toHostSample, type RawHost } from './host-sample.js';

// The host-health sampler's own thread (create-host-health.ts starts it). systeminformation runs shell
// commands, some with execSync: networkInterfaces() held the event loop 100–140 ms per call on an idle
// box (measured). Here they hold this thread only, never the daemon's API, recorder or uploader.
// Samples every intervalMs, one after the other (a slow sample delays the next, never overlaps it).

export interface SamplerData {
  /** The room's paths whose file systems are reported (`{recordings: '/var/lib/reception/recordings'}`). */
  paths: Record<string, string>;
  intervalMs: number;
}

export type SamplerMessage = { type: 'sample'; sample: HostSample; tookMs: number } | { type: 'error'; message: string };

/** The path with symlinks followed, or its nearest existing parent (a recordings directory not made yet). */
async function resolved(path: string): Promise<string> {
  for (let p = path; ; p = dirname(p)) {
    const real = await realpath(p).catch(() => null);
    if (real !== null || p === dirname(p)) return real ?? p;
  }
}

// networkInterfaces() costs ~80 ms of CPU a call (it runs cat, ip, nmcli… ~45 processes), the rest of a
// sample ~20 ms: the interface list (type, speed, default route) is read again every minute, or at once
// when networkStats (every sample, ~1 ms, with each interface's operstate) shows an interface it lacks.
const INTERFACES_EVERY_MS = 60_000;
let interfaces: RawHost['interfaces'] = [];
let interfacesAt = 0;

async function readHost(): Promise<Omit<RawHost, 'load1'>> {
  const [load, mem, fsSize, temp, stats] = await Promise.all([
    si.currentLoad(),
    si.mem(),
    si.fsSize(),
    si.cpuTemperature(),
    si.networkStats('*'),
  ]);
  const known = new Set(interfaces.map((i) => i.iface));
  if (Date.now() - interfacesAt >= INTERFACES_EVERY_MS || stats.some((st) => !known.has(st.iface))) {
    const list = await si.networkInterfaces();
    interfaces = Array.isArray(list) ? list : [list];
    interfacesAt = Date.now();
  }
  return { load, mem, fsSize, temp, interfaces, stats };
}

async function loop(data: SamplerData): Promise<void> {
  const post = (m: SamplerMessage) => parentPort!.postMessage(m);
  // The first CPU-load and network-rate readings count since boot: one priming call, then rates per interval.
  await Promise.all([si.currentLoad(), si.networkStats('*')]).catch(() => undefined);
  for (let wait = Math.min(1000, data.intervalMs); ; wait = data.intervalMs) {
    await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    try {
      const paths = Object.fromEntries(
        await Promise.all(Object.entries(data.paths).map(async ([k, p]) => [k, await resolved(p)] as const)),
      );
      const sample = toHostSample({ ...(await readHost()), load1: loadavg()[0] ?? 0 }, paths, new Date());
      post({ type: 'sample', sample, tookMs: Math.round(performance.now() - t0) });
    } catch (err) {
      post({ type: 'error', message: (err as Error).message });
    }
  }
}

if (parentPort) void loop(workerData as SamplerData);
