import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { spawnReady } from './spawn-ready.js';

// A child that announces itself, then answers every stdin line with one JSON line (how the chaos runner
// tells its viewer to `reconnect` after a hub restart: with no stdin pipe that line went nowhere and the
// viewer sat 25 s on a dead WHEP session until ICE consent failed).
const ECHO = `process.stdout.write(JSON.stringify({ ready: true }) + '\\n');
require('node:readline').createInterface({ input: process.stdin }).on('line', (l) => process.stdout.write(JSON.stringify({ got: l }) + '\\n'));`;

describe('spawnReady stdin', () => {
  it("with stdin: 'pipe' the child reads what is written to it", async () => {
    const c = await spawnReady(process.execPath, ['-e', ECHO], { stdin: 'pipe', timeoutMs: 30_000 });
    try {
      expect(c.child.stdin, 'a writable stdin').toBeTruthy();
      const lines = createInterface({ input: c.child.stdout! });
      const got = new Promise<string>((resolve) => lines.on('line', (l) => l.startsWith('{"got"') && resolve(l)));
      c.child.stdin!.write('reconnect\n');
      expect(JSON.parse(await got)).toEqual({ got: 'reconnect' });
    } finally {
      await c.stop('SIGTERM', 3000);
    }
  });

  it('without it the child gets no stdin (the default: a ready child never waits on input)', async () => {
    const c = await spawnReady(process.execPath, ['-e', ECHO], { timeoutMs: 30_000 });
    expect(c.child.stdin).toBeNull();
    const exited = once(c.child, 'exit'); // stdin is /dev/null: readline ends, the child exits by itself
    await exited;
    await c.stop();
  });
});
