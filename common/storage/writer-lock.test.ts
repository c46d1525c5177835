import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWorkerBuilt } from '../../daemon/modules/media/ensure-built.js';
import { until } from '../../tests/helpers/until.js';
import { acquireWriterLock, WriterLockHeldError } from './writer-lock.js';

// The recordings' writer lock across real processes: a daemon-like holder, and a worker-like child
// that inherits the lock's open file and keeps it after the holder is killed.

const dir = mkdtempSync(join(tmpdir(), 'wlock-'));
const rec = join(dir, 'recordings');
const procs: ChildProcess[] = [];

beforeAll(() => ensureWorkerBuilt(), 180_000);
afterAll(() => procs.forEach((p) => p.kill('SIGKILL')));

describe('writer lock', () => {
  it('one holder at a time; the refusal names who holds it; an inheriting child keeps it after its parent dies', async () => {
    const script = join(dir, 'holder.mjs');
    writeFileSync(
      script,
      `
      import { spawn } from 'node:child_process';
      import { acquireWriterLock } from ${JSON.stringify(resolve('dist/common/storage/writer-lock.js'))};
      const lock = await acquireWriterLock(${JSON.stringify(rec)}, 1000);
      const child = spawn('sleep', ['600'], { stdio: ['ignore', 'ignore', 'ignore', 'ignore', lock.fd] });
      console.log(JSON.stringify({ child: child.pid }));
      setInterval(() => {}, 1000);`,
    );
    const holder = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    procs.push(holder);
    const { child } = await new Promise<{ child: number }>((r) => holder.stdout!.once('data', (d) => r(JSON.parse(String(d)))));
    procs.push({ kill: () => process.kill(child, 'SIGKILL') } as ChildProcess);

    const refused = await acquireWriterLock(rec, 200).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WriterLockHeldError);
    expect(String(refused)).toMatch(new RegExp(`pid ${holder.pid} .*holder\\.mjs`));
    expect(String(refused)).toMatch(new RegExp(`pid ${child} sleep 600`));

    holder.kill('SIGKILL'); // the daemon dies; its worker-like child still holds the lock
    await until('holder gone', 30_000, () => holder.exitCode !== null || holder.signalCode !== null);
    const still = await acquireWriterLock(rec, 200).catch((e: unknown) => e);
    expect(String(still)).toMatch(new RegExp(`pid ${child} sleep 600`));
    expect(String(still)).not.toMatch(new RegExp(`pid ${holder.pid} `));

    process.kill(child, 'SIGKILL'); // the last holder gone: the kernel drops the lock
    const lock = await acquireWriterLock(rec, 30_000);
    expect(lock.held()).toBe(true);
    lock.release();
  });
});
