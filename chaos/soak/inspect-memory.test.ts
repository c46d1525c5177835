import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../tests/helpers/free-port.js';
import { attachMemoryReader, toParts } from './inspect-memory.js';

describe('inspect-memory', () => {
  it('splits RSS into heap, buffers and the native rest', () => {
    const m = 1048576;
    expect(toParts({ rss: 300 * m, heapTotal: 120 * m, heapUsed: 90 * m, external: 30 * m, arrayBuffers: 20 * m })).toEqual({
      rssMb: 300,
      heapUsedMb: 90,
      heapTotalMb: 120,
      externalMb: 30,
      arrayBuffersMb: 20,
      nativeMb: 150,
    });
  });

  it("reads a running Node process's memory through its inspector, opened by SIGUSR1: buffers are not heap", async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        `--inspect-port=127.0.0.1:${port}`,
        '-e',
        'globalThis.keep = Buffer.alloc(64 * 1048576, 1); setInterval(() => {}, 1000); console.log("ready")',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      // SIGUSR1 before Node installs its handler would end the child (the signal's default action)
      await new Promise((r) => child.stdout!.once('data', r));
      const reader = await attachMemoryReader(child.pid!, port);
      expect(reader).toBeDefined();
      const parts = await reader!.read();
      expect(parts?.arrayBuffersMb).toBeGreaterThanOrEqual(64);
      expect(parts!.heapUsedMb).toBeLessThan(64);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('moves the inspector to another port (the default is free again) and writes a heap snapshot there', async () => {
    const [first, second] = [await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), 'heap-'));
    const child = spawn(
      process.execPath,
      [
        `--inspect-port=127.0.0.1:${first}`,
        '-e',
        'class Kept {}; globalThis.kept = [new Kept()]; setInterval(() => {}, 1000); console.log("ready")',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      await new Promise((r) => child.stdout!.once('data', r));
      const reader = await attachMemoryReader(child.pid!, first, second);
      expect(reader).toBeDefined();
      expect((await reader!.read())?.heapUsedMb).toBeGreaterThan(0);
      await expect(fetch(`http://127.0.0.1:${first}/json/list`)).rejects.toThrow(); // the first port is closed
      const file = await reader!.snapshot(join(dir, 'a.heapsnapshot'));
      expect(file).toBe(join(dir, 'a.heapsnapshot'));
      expect(readFileSync(file!, 'utf8')).toContain('"Kept"');
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
