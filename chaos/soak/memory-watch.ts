// The memory of the room's Node processes by part, each minute, through their inspectors (inspect-memory.ts), and
// heap snapshots at chosen minutes: the daemon's RSS climbed +142 MB/h in a soak and the gateway's +147 MB/h, causes
// unknown from RSS alone. Each inspector is moved off the default port so the next one can open there.
import { join } from 'node:path';
import { freePort } from '../../tests/helpers/free-port.js';
import { attachMemoryReader, type MemoryParts, type MemoryReader } from './inspect-memory.js';
import { summarize } from './slope.js';

export interface MemoryWatch {
  /** Reads every process; the parts by role (for the minute's sample line). Snapshots when `minute` is one asked for. */
  sample(minute: number): Promise<Record<string, MemoryParts | undefined>>;
  /** Markdown: per role and part, first → last (max) and the slope per hour after the warm-up. */
  table(warmup: number): string[];
}

export async function watchMemory(
  pids: Record<string, number>,
  opts: { snapshotMinutes: number[]; out: string; say: (s: string) => void },
): Promise<MemoryWatch> {
  const readers = new Map<string, MemoryReader>();
  const roles = Object.keys(pids);
  for (const role of roles) {
    // every reader moves off 9229, which SIGUSR1 opens in each process: the next process (or another soak) needs it
    const reader = await attachMemoryReader(pids[role], 9229, await freePort()).catch(() => undefined);
    if (reader) readers.set(role, reader);
    else opts.say(`${role} inspector did not open: its memory parts are not sampled`);
  }
  const rows: { minute: number; role: string; parts: MemoryParts }[] = [];
  return {
    async sample(minute) {
      const got: Record<string, MemoryParts | undefined> = {};
      for (const [role, reader] of readers) {
        const parts = await reader.read().catch(() => undefined);
        got[role] = parts;
        if (parts) rows.push({ minute, role, parts });
        if (opts.snapshotMinutes.includes(minute)) {
          const file = await reader.snapshot(join(opts.out, `${role}-min${minute}.heapsnapshot`)).catch(() => undefined);
          opts.say(file ? `${role} heap snapshot: ${file}` : `${role} heap snapshot failed`);
        }
      }
      return got;
    },
    table(warmup) {
      const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');
      const lines = ['', `| memory part | MB first → last (max) | MB/h after min ${warmup} (r²) |`, '| --- | --- | --- |'];
      for (const role of readers.keys())
        for (const part of ['rssMb', 'heapUsedMb', 'heapTotalMb', 'externalMb', 'arrayBuffersMb', 'nativeMb'] as const) {
          const series = rows.filter((r) => r.role === role).map((r) => ({ minute: r.minute, value: r.parts[part] }));
          const sm = summarize(series, warmup);
          if (sm)
            lines.push(
              `| ${role} ${part.replace(/Mb$/, '')} | ${fmt(sm.first)} → ${fmt(sm.last)} (${fmt(sm.max)}) | ${fmt(sm.perHour, 2)} (${fmt(sm.r2, 2)}) |`,
            );
        }
      return rows.length ? lines : [];
    },
  };
}
