// The manifest writer's cost per append as a hearing grows (issue 12: the daemon's memory climbed in the soak):
// appends N segment entries through createManifestFile, as the recorder does every 2 s, and prints per block of
// entries the time per append and the heap/RSS after a forced GC, so a writer whose cost grows with the chain
// shows it. `--module PATH` loads another build of manifest-file.ts (e.g. an older commit's) for a side-by-side.
// `--uploader` adds what the daemon's uploader does to the same growing manifest during a hearing, with its real
// code: every 5th append (10 s, uploader.manifestIntervalSeconds) the manifest's digest from the hub's last offset
// (file-digest.ts, as upload-file.ts sendManifest), every 30th (60 s, rescanSeconds) its rescan of the hearing
// (scan.ts pendingOf). `--whole` gives each of those a fresh cache: the whole file read and hashed every time, as
// before issue 12's fix (the side-by-side). The last columns: MB read and hashed by the uploader so far.
//   NODE_OPTIONS=--expose-gc npx tsx bench/manifest-append.ts [--entries 2500] [--block 500] [--module PATH] [--uploader [--whole]]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateApplianceKey } from '../common/evidence/index.js';
import type { createManifestFile as CreateManifestFile } from '../daemon/modules/evidence/manifest-file.js';
import type { createFileDigests } from '../daemon/modules/uploader/file-digest.js';
import { createScanner } from '../daemon/modules/uploader/scan.js';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '2500' },
    block: { type: 'string', default: '500' },
    module: { type: 'string' },
    uploader: { type: 'boolean', default: false },
    whole: { type: 'boolean', default: false },
  },
});
const entries = Number(values.entries);
const block = Number(values.block);
const modulePath = values.module ? resolve(values.module) : '../daemon/modules/evidence/manifest-file.js';
const { createManifestFile } = (await import(modulePath)) as { createManifestFile: typeof CreateManifestFile };
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) console.error('(run with NODE_OPTIONS=--expose-gc for heap figures after a GC)');

const root = mkdtempSync(join(tmpdir(), 'manifest-bench-'));
const m = createManifestFile(join(root, 'hearing-bench'), generateApplianceKey(), { room: 'room-bench' });
const t0 = Date.parse('2026-12-03T20:00:00Z');
const mb = (n: number) => (n / 1048576).toFixed(1);
const cpu0 = process.cpuUsage();
console.log(
  `module ${modulePath}${values.uploader ? ` + uploader reads${values.whole ? ' (whole, as before the fix)' : ' (incremental)'}` : ''}; load average ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  '| entries | ms per append (mean of block) | CPU ms per append | heapUsed MB | heapTotal MB | RSS MB | manifest KB | uploader MB read | MB hashed |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const io = { read: 0, hashed: 0 };
let scanner = createScanner();
let sent = 0; // what the hub holds (its receipted offset)
const counted = async <T>(digests: ReturnType<typeof createFileDigests>, f: () => Promise<T>) => {
  const before = { ...digests.stats };
  const out = await f();
  io.read += digests.stats.bytesRead - before.bytesRead;
  io.hashed += digests.stats.bytesHashed - before.bytesHashed;
  return out;
};
let cpuAt = process.cpuUsage();
let at = performance.now();
for (let i = 0; i < entries; i++) {
  const start = new Date(t0 + i * 2000).toISOString();
  const end = new Date(t0 + (i + 1) * 2000).toISOString();
  const file = `seg-${String(i).padStart(5, '0')}.ts`;
  await m.append({ kind: 'segment', file, sha256: 'ab'.repeat(32), bytes: 480_000, durationMs: 2000, start, end });
  if (values.whole) scanner = createScanner();
  if (values.uploader && (i + 1) % 5 === 0) {
    const d = await counted(scanner.digests, () => scanner.digests.digest(m.path, sent));
    sent = d?.bytes ?? 0;
  }
  if (values.uploader && (i + 1) % 30 === 0) await counted(scanner.digests, () => scanner.pendingOf(root, 'hearing-bench', undefined));
  if ((i + 1) % block === 0) {
    const wall = (performance.now() - at) / block;
    const c = process.cpuUsage(cpuAt);
    gc?.();
    const mem = process.memoryUsage();
    const size = statSync(m.path).size;
    console.log(
      `| ${i + 1} | ${wall.toFixed(2)} | ${((c.user + c.system) / 1000 / block).toFixed(2)} | ${mb(mem.heapUsed)} | ${mb(mem.heapTotal)} | ${mb(mem.rss)} | ${(size / 1024).toFixed(0)} | ${mb(io.read)} | ${mb(io.hashed)} |`,
    );
    cpuAt = process.cpuUsage();
    at = performance.now();
  }
}
const total = process.cpuUsage(cpu0);
console.log(`total CPU ${((total.user + total.system) / 1000).toFixed(0)} ms for ${entries} appends`);
rmSync(root, { recursive: true, force: true });
