import { spawn } from 'node:child_process';
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
      const read = await attachMemoryReader(child.pid!, port);
      expect(read).toBeDefined();
      const parts = await read!();
      expect(parts?.arrayBuffersMb).toBeGreaterThanOrEqual(64);
      expect(parts!.heapUsedMb).toBeLessThan(64);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
