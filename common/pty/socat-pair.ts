import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A virtual RS-232 cable: two linked ptys made by socat. The simulator opens `simEnd`,
 * the driver opens `deviceEnd` as if it were /dev/ttyUSB0. Killing the pair "unplugs" the cable.
 */
export interface PtyPair {
  deviceEnd: string;
  simEnd: string;
  close(): Promise<void>;
}

export async function openPtyPair(dir = mkdtempSync(join(tmpdir(), 'pty-')), name = 'serial'): Promise<PtyPair> {
  const deviceEnd = join(dir, `${name}-device`);
  const simEnd = join(dir, `${name}-sim`);
  const child: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${deviceEnd}`, `pty,raw,echo=0,link=${simEnd}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const deadline = Date.now() + 5000;
  while (!(existsSync(deviceEnd) && existsSync(simEnd))) {
    if (child.exitCode !== null) throw new Error(`socat exited (${child.exitCode}): ${stderr.trim()}`);
    if (Date.now() > deadline) throw new Error(`socat did not create ${deviceEnd} in 5 s: ${stderr.trim()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    deviceEnd,
    simEnd,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
