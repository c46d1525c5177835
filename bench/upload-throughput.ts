// Benchmark: how fast a room drains a recording backlog to the hub archive on loopback, as a multiple
// of real time. In-process hub (filesystem archive) + uploader; fake segment bytes at the recorder's
// rate. Usage: npx tsx bench/upload-throughput.ts [--seconds 60] [--mbps 2.6] [--segment 2]
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { silentLogger } from '../common/log.js';
import { applianceKeyOf, sampleBook, startArchiveHub, tmp } from '../hub/archive/test/fake-hearing.js';
import { enrollRoomAt } from '../hub/test/enroll-room.js';
import { createUploader } from '../daemon/modules/uploader/create-uploader.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    mbps: { type: 'string', default: '2.6' },
    segment: { type: 'string', default: '2' },
  },
});
const seconds = Number(values.seconds);
const segS = Number(values.segment);
const segBytes = Math.round((Number(values.mbps) * 1e6 * segS) / 8);

async function main() {
  const dirs = { hub: tmp('bench-hub-'), rec: tmp('bench-rec-'), state: tmp('bench-state-') };
  const hub = await startArchiveHub(dirs.hub);
  // The box enrolls by code (token, hub key) and records a hub hearing it took part in with its enrolled key.
  await enrollRoomAt({ hubUrl: hub.url, hubStateDir: dirs.hub, room: 'room-demo', boxStateDir: dirs.state });
  const h = await (await hub.recording(dirs.rec, 'room-demo', { key: applianceKeyOf(dirs.state) })).open();
  for (let t = 0; t < seconds; t += segS) await h.segment(segBytes, segS * 1000);
  await h.book(sampleBook);
  await h.close();
  const total = h.segments.length * segBytes;
  const uploader = createUploader({
    recordings: dirs.rec,
    stateDir: dirs.state,
    hubUrl: hub.url,
    secret: '', // the enrollment's token
    chunkBytes: 4 * 1048576,
    maxBackoffMs: 30_000,
    manifestIntervalMs: 0,
    rescanMs: 600_000,
    logger: silentLogger(),
  });
  const t0 = performance.now();
  await uploader.start();
  while (uploader.summary().backlogFiles > 0) await new Promise((r) => setTimeout(r, 5));
  const s = (performance.now() - t0) / 1000;
  const list = await hub.archive.list();
  await uploader.stop();
  await hub.stop();
  for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  const result = {
    recordedS: seconds,
    segments: h.segments.length,
    segmentBytes: segBytes,
    totalMB: +(total / 1e6).toFixed(1),
    uploadS: +s.toFixed(2),
    mbPerS: +(total / 1e6 / s).toFixed(1),
    realTimeMultiple: +(seconds / s).toFixed(1),
    archiveState: list[0]?.state,
  };
  console.log(JSON.stringify(result));
  if (result.archiveState !== 'verified') process.exitCode = 1;
}
await main();
