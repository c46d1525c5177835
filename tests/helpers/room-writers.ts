import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Who writes a room's recordings, read off /proc (tests and benches): the media workers that would
// record into a recordings directory and send the room's RTP, whichever daemon started them.

const WORKER = resolve('dist/daemon/drivers/media/worker/media-worker.js');

export interface WorkerProc {
  pid: number;
  ppid: number;
}

/** Live media-worker processes whose inherited writer lock is on `recordingsDir`. */
export function mediaWorkersOf(recordingsDir: string): WorkerProc[] {
  const out: WorkerProc[] = [];
  for (const entry of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(WORKER)) continue;
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (!env.includes(`RECEPTION_WRITER_LOCK_DIR=${resolve(recordingsDir)}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        .slice(readFileSync(`/proc/${entry}/stat`, 'utf8').lastIndexOf(')') + 2)
        .split(' ');
      if (stat[0] === 'Z') continue;
      out.push({ pid: Number(entry), ppid: Number(stat[1]) });
    } catch {
      // ended while we looked
    }
  }
  return out;
}
