import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApplianceKey, serializeEntry, sha256Hex } from '../../../common/evidence/index.js';
import { chainOf, iso, rfcKey } from '../../../common/evidence/test/chain-fixture.js';
import { silentLogger } from '../../../common/log.js';
import { createSelfTest } from './create-self-test.js';
import { verifyHearing } from './verify-hearing.js';

// The self-test's verdict on a recording: a signed chain whose segment files match passes; a changed byte, a
// chain signed by another key, a hearing left open each fail with the reason. And no self-test during a hearing.

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function hearingDir(opts: { close?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'self-test-'));
  dirs.push(dir);
  const files = [0, 1].map((i) => {
    const bytes = Buffer.from(`segment ${i} `.repeat(100));
    const file = `seg-0000${i}.ts`;
    writeFileSync(join(dir, file), bytes);
    return {
      kind: 'segment' as const,
      file,
      sha256: sha256Hex(bytes),
      bytes: bytes.length,
      durationMs: 2000,
      start: iso(i * 2000),
      end: iso(i * 2000 + 2000),
    };
  });
  const close = opts.close === false ? [] : [{ kind: 'close' as const, end: iso(4000) }];
  writeFileSync(
    join(dir, 'manifest.jsonl'),
    chainOf([...files, ...close] as never)
      .map(serializeEntry)
      .join(''),
  );
  return dir;
}

describe('self-test verification', () => {
  const key = rfcKey().publicKeyRaw;

  it('passes an intact, closed recording with its figures', async () => {
    expect(await verifyHearing(hearingDir(), key)).toMatchObject({ ok: true, closed: true, segments: 2, durationMs: 4000, problem: null });
  });

  it('fails a segment changed after it was entered, naming it', async () => {
    const dir = hearingDir();
    chmodSync(join(dir, 'seg-00001.ts'), 0o644);
    writeFileSync(join(dir, 'seg-00001.ts'), 'other bytes');
    expect(await verifyHearing(dir, key)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('segment seg-00001.ts does not match its entry'),
    });
  });

  it("fails a chain that is not this box's key, and one left open", async () => {
    expect((await verifyHearing(hearingDir(), generateApplianceKey().publicKeyRaw)).problem).toContain('manifest chain broken at #0');
    expect(await verifyHearing(hearingDir({ close: false }), key)).toMatchObject({
      ok: false,
      closed: false,
      problem: expect.stringContaining('not closed'),
    });
  });

  it('refuses to run during a hearing (409)', async () => {
    const selfTest = createSelfTest({
      room: 'room-a',
      stateDir: mkdtempSync(join(tmpdir(), 'self-test-state-')),
      hearings: {
        current: () => ({ id: 'h-1', title: 'Phiên thật', source: 'hub', startedAt: iso(0) }),
        startLocal: async () => {
          throw new Error('must not start');
        },
        endCurrent: async () => {
          throw new Error('must not end');
        },
      },
      recorder: {
        status: () => ({
          state: 'recording',
          hearing: 'h-1',
          dir: null,
          segments: 0,
          bytes: 0,
          durationMs: 0,
          gaps: 0,
          lastSegment: null,
          alarm: null,
        }),
      },
      publicKeyRaw: () => key,
      logger: silentLogger(),
    });
    await expect(selfTest.run({ seconds: 3 })).rejects.toMatchObject({ statusCode: 409, code: 'SELF_TEST_BUSY' });
  });
});
