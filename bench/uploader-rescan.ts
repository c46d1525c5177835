// The room uploader's 60 s rescan over a room's kept recordings (review of issue 12): H closed hearings of S segments,
// every file receipted. `full` = each hearing looked at as before (scan.ts pendingOf: every segment stat'ed, manifest and
// receipts read when not cached); `rescan` = rescan.ts (a done hearing whose signature held: 4 stats). Both with their
// caches warm (one run first), the same files, in one process; then per rescan: wall ms, CPU ms, node:fs/promises calls.
// `--only full|rescan` runs one, for `strace -f -c` of the real syscalls.
//   npx tsx bench/uploader-rescan.ts [--hearings 300] [--segments 200] [--rounds 5] [--only full|rescan]
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateApplianceKey, sha256Hex, signReceipt } from '../common/evidence/index.js';
import { FakeHearing } from '../hub/archive/test/fake-hearing.js';
import { createRescan } from '../daemon/modules/uploader/rescan.js';
import { createScanner, listHearings } from '../daemon/modules/uploader/scan.js';

const { values } = parseArgs({
  options: {
    hearings: { type: 'string', default: '300' },
    segments: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    only: { type: 'string' },
  },
});
const H = Number(values.hearings);
const S = Number(values.segments);
const rounds = Number(values.rounds);
const root = mkdtempSync(join(tmpdir(), 'rescan-bench-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const hub = generateApplianceKey();
const dayAgo = new Date(Date.now() - 86_400_000);

const t0 = performance.now();
for (let i = 0; i < H; i++) {
  const h = await new FakeHearing(root, `h-${String(i).padStart(4, '0')}`, 'room-bench').open();
  for (let k = 0; k < S; k++) await h.segment(64, 2000);
  await h.close();
  const lines = readdirSync(join(root, h.hearing)).map((file) => {
    const buf = readFileSync(join(root, h.hearing, file));
    const r = { hearing: h.hearing, file, sha256: sha256Hex(buf), bytes: buf.length, receivedAt: new Date().toISOString() };
    return JSON.stringify(signReceipt(r, hub.privateKeyPem));
  });
  appendFileSync(join(root, h.hearing, 'receipts.jsonl'), lines.join('\n') + '\n');
  for (const f of readdirSync(join(root, h.hearing))) utimesSync(join(root, h.hearing, f), dayAgo, dayAgo);
  utimesSync(join(root, h.hearing), dayAgo, dayAgo);
}
console.log(`made ${H} closed hearings × ${S} segments in ${((performance.now() - t0) / 1000).toFixed(1)} s (${root})`);

const counts: Record<string, number> = { stat: 0, readFile: 0, open: 0, readdir: 0 };
const fns = fsp as unknown as Record<string, (...a: unknown[]) => unknown>;
for (const k of Object.keys(counts)) {
  const orig = fns[k]!;
  fns[k] = (...a: unknown[]) => (counts[k]!++, orig(...a));
}
syncBuiltinESMExports();

let looks: { looked: number; skipped: number; deep: number } | undefined;
const later = () => Date.now() + 60_000; // the files were written just now: past the racy window, as a rescan a minute on
const modes = {
  async full() {
    const scanner = createScanner();
    return async () => {
      for (const h of await listHearings(root)) if ((await scanner.pendingOf(root, h, hub.publicKeyRaw)).length) throw new Error(h);
    };
  },
  async rescan() {
    const r = createRescan({ recordings: root, scanner: createScanner(), rescanMs: 60_000, now: later });
    looks = r.stats;
    return () =>
      r.run(
        hub.publicKeyRaw,
        (h, p) =>
          void (
            p.length &&
            (() => {
              throw new Error(h);
            })()
          ),
      );
  },
};
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${rounds} rescans each, caches warm`,
);
console.log('| rescan | wall ms | CPU ms | stat | readFile | open | readdir | hearings looked at (deep) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [name, make] of Object.entries(modes)) {
  if (values.only && values.only !== name) continue;
  const once = await make();
  await once(); // warm: the first look at each hearing (the daemon's startup scan)
  for (const k of Object.keys(counts)) counts[k] = 0;
  const looked0 = { ...looks };
  const cpu = process.cpuUsage();
  const at = performance.now();
  for (let i = 0; i < rounds; i++) await once();
  const c = process.cpuUsage(cpu);
  const per = (n: number) => (n / rounds).toFixed(0);
  console.log(
    `| ${name} | ${((performance.now() - at) / rounds).toFixed(1)} | ${((c.user + c.system) / 1000 / rounds).toFixed(1)} | ${per(counts.stat!)} | ${per(counts.readFile!)} | ${per(counts.open!)} | ${per(counts.readdir!)} | ${looks ? `${per(looks.looked - (looked0.looked ?? 0))} (${per(looks.deep - (looked0.deep ?? 0))})` : H} |`,
  );
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; ${H * (S + 3)} files`,
);
