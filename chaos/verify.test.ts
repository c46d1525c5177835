import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { independentCheck } from './verify.js';

// The independent check on a real little recording: two 1-s MPEG-TS segments made by ffmpeg, a manifest naming them.
function recording() {
  const dir = mkdtempSync(join(tmpdir(), 'verify-'));
  const entries = ['seg-00000.ts', 'seg-00001.ts'].map((file, i) => {
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-y', join(dir, file)]);
    const bytes = readFileSync(join(dir, file));
    return { kind: 'segment', seq: i + 1, file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
  writeFileSync(join(dir, 'manifest.jsonl'), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return { dir, entries };
}

describe('independent check', () => {
  it('passes whole segments, and a deleted segment only with its receipt', async () => {
    const { dir, entries } = recording();
    try {
      expect(await independentCheck(dir)).toMatchObject({ ok: true, segments: 2, problems: [] });
      rmSync(join(dir, 'seg-00000.ts'));
      expect((await independentCheck(dir)).problems).toEqual(['seg-00000.ts: missing']);
      appendFileSync(join(dir, 'receipts.jsonl'), `${JSON.stringify({ file: 'seg-00001.ts', sha256: entries[1].sha256 })}\n`);
      rmSync(join(dir, 'seg-00001.ts'));
      expect((await independentCheck(dir)).problems).toEqual(['seg-00000.ts: missing']); // seg-00001: receipted
      appendFileSync(join(dir, 'receipts.jsonl'), `${JSON.stringify({ file: 'seg-00000.ts', sha256: entries[0].sha256 })}\n`);
      expect(await independentCheck(dir)).toMatchObject({ problems: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a segment whose bytes differ from the manifest', async () => {
    const { dir } = recording();
    try {
      appendFileSync(join(dir, 'seg-00001.ts'), Buffer.alloc(188, 0x47));
      const { problems } = await independentCheck(dir);
      expect(problems).toEqual([
        `seg-00001.ts: ${statSync(join(dir, 'seg-00001.ts')).size} bytes, manifest says ${statSync(join(dir, 'seg-00001.ts')).size - 188}`,
        'seg-00001.ts: sha256 differs from the manifest',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
