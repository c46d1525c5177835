import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  generateApplianceKey,
  parseManifest,
  sha256Hex,
  verifyChain,
  type GapEntry,
  type SegmentEntry,
} from '../../../common/evidence/index.js';
import { silentLogger } from '../../../common/log.js';
import { createManifestFile } from '../evidence/manifest-file.js';
import { createEventBus } from '../events/event-bus.js';
import { openSession } from './recording-session.js';
import { probeSegment } from './segment-files.js';
import { writeSampleTs } from './test/sample-ts.js';

// The manifest side of a recording with real MPEG-TS files (GStreamer's mpegtsmux, as the worker writes).

const base = mkdtempSync(join(tmpdir(), 'session-'));
const sample = join(base, 'sample.ts');
const key = generateApplianceKey();
let sampleMs = 0;
const T0 = Date.parse('2026-12-02T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  writeSampleTs(sample, { audio: false });
  sampleMs = (await probeSegment(sample)).durationMs!;
});

async function session(dir: string) {
  mkdirSync(dir, { recursive: true });
  return openSession({
    hearing: 'h1',
    dir,
    bus: createEventBus(),
    log: silentLogger(),
    manifest: createManifestFile(dir, key, { room: 'room-a', hearing: 'h1' }),
    open: { kind: 'open', room: 'room-a', publicKey: key.publicKeyRaw.toString('base64'), start: iso(T0) },
  });
}
const entries = (dir: string) => parseManifest(readFileSync(join(dir, 'manifest.jsonl'), 'utf8')).entries;
const seg = (dir: string, i: number) => (copyFileSync(sample, join(dir, `seg-0000${i}.ts`)), `seg-0000${i}.ts`);

describe('recording session', () => {
  it('a file the dead writer left right after the last entered one starts where that one ended (no false gap before a power cut)', async () => {
    const dir = join(base, 'power-cut');
    const s1 = await session(dir);
    s1.closed(seg(dir, 0), iso(T0), iso(T0 + sampleMs));
    await s1.idle();
    // Power cut while seg-00001 was open: its last write (mtime) lags its last media by the muxer's buffering.
    const f = join(dir, seg(dir, 1));
    const mtime = (T0 + 2 * sampleMs + 250) / 1000;
    utimesSync(f, mtime, mtime);
    const s2 = await session(dir);
    expect(s2.resumed).toBe(true);
    const back = T0 + 2 * sampleMs + 8000; // the room is up again, a new worker records
    s2.opened(seg(dir, 2), iso(back)); // the new worker's file: never taken for a leftover
    s2.closed('seg-00002.ts', iso(back), iso(back + sampleMs));
    await s2.close(back + sampleMs);
    const e = entries(dir);
    const segs = e.filter((x): x is SegmentEntry => x.kind === 'segment');
    expect(segs.map((x) => x.file)).toEqual(['seg-00000.ts', 'seg-00001.ts', 'seg-00002.ts']);
    expect(segs[1].start).toBe(segs[0].end);
    const gaps = e.filter((x): x is GapEntry => x.kind === 'gap');
    expect(gaps).toHaveLength(1); // only the cut itself, after seg-00001
    expect(gaps[0]).toMatchObject({ start: segs[1].end, end: segs[2].start, reason: 'recorder-stopped' });
    expect(verifyChain(e, { publicKeyRaw: key.publicKeyRaw }).ok).toBe(true);
  });

  it('a segment that would break the chain is kept aside, explained by a gap, and the chain still verifies', async () => {
    const dir = join(base, 'refused');
    const s = await session(dir);
    s.closed(seg(dir, 0), iso(T0 + 60_000), iso(T0 + 60_000 + sampleMs));
    // A second writer's file, with times going backwards (seen: 23:45:31 after 23:46:11).
    s.closed(seg(dir, 1), iso(T0 + 20_000), iso(T0 + 20_000 + sampleMs));
    s.closed(seg(dir, 2), iso(T0 + 70_000), iso(T0 + 70_000 + sampleMs));
    await s.close(T0 + 80_000);
    const e = entries(dir);
    expect(e.filter((x) => x.kind === 'segment').map((x) => (x as SegmentEntry).file)).toEqual(['seg-00000.ts', 'seg-00002.ts']);
    expect(existsSync(join(dir, 'seg-00001.ts'))).toBe(false);
    expect(existsSync(join(dir, 'seg-00001.ts.partial'))).toBe(true);
    const refused = e.filter((x): x is GapEntry => x.kind === 'gap' && x.reason === 'segment-refused');
    expect(refused[0]).toMatchObject({ file: 'seg-00001.ts.partial', detail: expect.stringMatching(/go backwards/) });
    expect(verifyChain(e, { publicKeyRaw: key.publicKeyRaw }).ok).toBe(true);
  });

  it('a recording pipeline failing on a full disk: the finished segment it never reported is entered, the truncated one set aside', async () => {
    const dir = join(base, 'disk-full');
    const s = await session(dir);
    s.opened(seg(dir, 0), iso(T0));
    s.closed('seg-00000.ts', iso(T0), iso(T0 + sampleMs));
    s.opened(seg(dir, 1), iso(T0 + sampleMs)); // finished, but its `closed` report never came (the pipeline errored)
    s.opened(seg(dir, 2), iso(T0 + 2 * sampleMs)); // the file the full disk truncated
    seg(dir, 3); // the next pipeline's first file, on disk before its report reached the daemon: not a leftover
    s.writeFailed(join(dir, 'seg-00002.ts'), true);
    const back = T0 + 2 * sampleMs + 20_000; // space freed: the worker's next pipeline records
    await s.idle(); // the failure handled (salvage ran) before the next pipeline's report arrives
    s.opened('seg-00003.ts', iso(back));
    s.closed('seg-00003.ts', iso(back), iso(back + sampleMs));
    await s.close(back + sampleMs);
    const e = entries(dir);
    // entered from its own report, not salvaged as a leftover of the failed pipeline
    expect((e.find((x) => x.kind === 'segment' && x.file === 'seg-00003.ts') as SegmentEntry).start).toBe(iso(back));
    expect(e.filter((x) => x.kind === 'segment').map((x) => (x as SegmentEntry).file)).toEqual([
      'seg-00000.ts',
      'seg-00001.ts',
      'seg-00003.ts',
    ]);
    expect(existsSync(join(dir, 'seg-00002.ts.partial'))).toBe(true);
    const gaps = e.filter((x): x is GapEntry => x.kind === 'gap');
    expect(gaps.map((g) => g.reason)).toEqual(['disk-full', 'disk-full']); // the set-aside file, then the hole until recording resumed
    expect(gaps[0]).toMatchObject({ file: 'seg-00002.ts.partial' });
    expect(verifyChain(e, { publicKeyRaw: key.publicKeyRaw }).ok).toBe(true);
  });

  it('closing while the worker never confirmed its stop: its open segment is entered as a copy, an empty next file explained', async () => {
    const dir = join(base, 'stop-unconfirmed');
    const s = await session(dir);
    s.opened(seg(dir, 0), iso(T0));
    s.closed('seg-00000.ts', iso(T0), iso(T0 + sampleMs));
    s.opened(seg(dir, 1), iso(T0 + sampleMs)); // still open: the starved worker's EOS never finished
    const writer = openSync(join(dir, 'seg-00001.ts'), 'a'); // and it may still write
    writeFileSync(join(dir, 'seg-00002.ts'), ''); // the next fragment it opened, empty
    s.opened('seg-00002.ts', iso(T0 + 2 * sampleMs));
    await s.close(T0 + 3 * sampleMs, { writerStopped: false });
    writeSync(writer, Buffer.alloc(188 * 10, 0x47)); // the worker's late bytes: not in the evidence
    closeSync(writer);
    const e = entries(dir);
    const segs = e.filter((x): x is SegmentEntry => x.kind === 'segment');
    expect(segs.map((x) => x.file)).toEqual(['seg-00000.ts', 'seg-00001.ts']); // before: seg-00001 outside the manifest
    expect(sha256Hex(readFileSync(join(dir, 'seg-00001.ts')))).toBe(segs[1].sha256); // the entered copy, unchanged
    const gaps = e.filter((x): x is GapEntry => x.kind === 'gap');
    expect(gaps.map((g) => g.file)).toContain('seg-00002.ts.partial');
    expect(e.at(-1)?.kind).toBe('close');
    const onDisk = readdirSync(dir).filter((f) => /^seg-\d+\.ts$/.test(f));
    expect(onDisk.every((f) => segs.some((x) => x.file === f))).toBe(true); // no segment file outside the manifest
    expect(verifyChain(e, { publicKeyRaw: key.publicKeyRaw }).ok).toBe(true);
  });

  it('a segment whose media outlasts its wall-clock span (a starved muxer) starts no earlier than the one before: entered, not refused', async () => {
    const dir = join(base, 'bursty');
    const short = join(base, 'short.ts');
    writeSampleTs(short, { audio: false, seconds: 1 });
    const shortMs = (await probeSegment(short)).durationMs!;
    const s = await session(dir);
    copyFileSync(short, join(dir, 'seg-00000.ts'));
    s.closed('seg-00000.ts', iso(T0), iso(T0 + shortMs));
    // 2 s of media reported over 0.5 s of wall clock: end − duration lies before seg-00000's start
    s.closed(seg(dir, 1), iso(T0 + shortMs), iso(T0 + shortMs + 500));
    await s.close(T0 + shortMs + 600);
    const e = entries(dir);
    const segs = e.filter((x): x is SegmentEntry => x.kind === 'segment');
    expect(segs.map((x) => x.file)).toEqual(['seg-00000.ts', 'seg-00001.ts']); // before: seg-00001 refused, kept aside
    expect(segs[1].start).toBe(segs[0].start);
    expect(e.some((x) => x.kind === 'gap' && x.reason === 'segment-refused')).toBe(false);
    expect(verifyChain(e, { publicKeyRaw: key.publicKeyRaw }).ok).toBe(true);
  });
});
