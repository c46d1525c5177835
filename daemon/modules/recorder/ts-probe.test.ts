import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ffprobeSegment } from './segment-files.js';
import { writeSampleTs } from './test/sample-ts.js';
import { probeTs } from './ts-probe.js';

// Real bytes: a 2 s MPEG-TS from GStreamer's mpegtsmux (H.264 30 fps + Opus, as the recorder writes),
// checked against ffprobe, which the recorder used before.
const dir = mkdtempSync(join(tmpdir(), 'ts-probe-'));
const file = join(dir, 'seg.ts');
let bytes: Buffer;

const ffprobe = async (data: Buffer, name: string) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return ffprobeSegment(path);
};

/** Index of the first packet carrying `pid` with payload_unit_start. */
const firstPacket = (data: Buffer, pid: number) => {
  for (let i = 0; i * 188 < data.length; i++)
    if ((((data[i * 188 + 1]! & 0x1f) << 8) | data[i * 188 + 2]!) === pid && data[i * 188 + 1]! & 0x40) return i;
  return -1;
};

beforeAll(() => {
  writeSampleTs(file);
  bytes = readFileSync(file);
});

describe('probeTs', () => {
  it('finds the video and Opus streams and the duration ffprobe finds', async () => {
    const own = probeTs(bytes)!;
    const ff = await ffprobe(bytes, 'whole.ts');
    expect(own.streams).toEqual(['video', 'audio']);
    expect(ff.streams).toEqual(own.streams);
    expect(Math.abs(own.durationMs - ff.durationMs!)).toBeLessThanOrEqual(34); // one frame
    expect(own.durationMs).toBeGreaterThan(1900);
  });

  it('reads a file whose PAT/PMT come after the first audio packets (the first segment of a recording)', () => {
    const patAt = firstPacket(bytes, 0);
    const pat = bytes.subarray(patAt * 188, patAt * 188 + 188);
    const payload = pat.subarray((pat[3]! >> 4) & 2 ? 5 + pat[4]! : 4); // past the adaptation field (stuffing)
    const section = payload.subarray(1 + payload[0]!);
    const pmtPid = ((section[10]! & 0x1f) << 8) | section[11]!;
    const pmtAt = firstPacket(bytes, pmtPid);
    expect(patAt).toBe(0);
    expect(pmtAt).toBeGreaterThan(0);
    // Move PAT and PMT 20 packets later, as the muxer writes them with the first video keyframe.
    const packets = Array.from({ length: bytes.length / 188 }, (_, i) => bytes.subarray(i * 188, i * 188 + 188));
    const tables = [packets[patAt]!, packets[pmtAt]!];
    const rest = packets.filter((_, i) => i !== patAt && i !== pmtAt);
    const moved = Buffer.concat([...rest.slice(0, 20), ...tables, ...rest.slice(20)]);
    expect(probeTs(moved)).toEqual(probeTs(bytes));
  });

  it('reads a truncated file (a killed writer) up to its last whole packet', async () => {
    const cut = bytes.subarray(0, Math.floor((bytes.length * 0.6) / 188) * 188 + 100);
    const own = probeTs(cut)!;
    const ff = await ffprobe(cut, 'cut.ts');
    expect(own.streams).toContain('video');
    expect(own.durationMs).toBeLessThan(probeTs(bytes)!.durationMs);
    expect(Math.abs(own.durationMs - ff.durationMs!)).toBeLessThanOrEqual(70);
  });

  it('refuses what is not a TS it can vouch for', () => {
    expect(probeTs(Buffer.from('not a transport stream at all'.repeat(20)))).toBeNull();
    expect(probeTs(Buffer.alloc(0))).toBeNull();
    const broken = Buffer.from(bytes);
    broken[188 * 40] = 0x00; // sync byte lost in the middle
    expect(probeTs(broken)).toBeNull();
  });
});
