import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../tests/helpers/until.js';
import { ensureWorkerBuilt } from '../../daemon/modules/media/ensure-built.js';
import { killLeftover, startTicksOf, writePidFile } from './pid-file.js';

// A child that must not outlive its parent, tried with real processes: the parent is killed with
// SIGKILL while the child's main thread is blocked (Atomics.wait, as a native GStreamer call would) or
// the whole child is stopped (SIGSTOP: no thread of it runs at all).

const dir = mkdtempSync(join(tmpdir(), 'orphan-'));
const dist = (p: string) => resolve('dist/common/process', p);
const alive = (pid: number) => startTicksOf(pid) !== null;
const started: number[] = [];

/** A parent process that starts `child` (plain or orphan-proof) and prints the child's pid. */
function parent(child: string, how: 'plain' | 'orphan-proof'): Promise<{ parent: ChildProcess; childPid: number }> {
  const script = join(dir, `parent-${how}-${started.length}.mjs`);
  writeFileSync(
    script,
    how === 'plain'
      ? `import { spawn } from 'node:child_process';
       const c = spawn(process.execPath, [${JSON.stringify(child)}], { stdio: 'ignore', env: { ...process.env, RECEPTION_PARENT_PID: String(process.pid) } });
       console.log(c.pid); setInterval(() => {}, 1000);`
      : `import { spawnOrphanProof } from ${JSON.stringify(dist('orphan-proof-spawn.js'))};
       const c = spawnOrphanProof(${JSON.stringify(child)}, { stdio: 'ignore', env: process.env });
       console.log(c.pid); setInterval(() => {}, 1000);`,
  );
  const p = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res) =>
    p.stdout!.once('data', (d) => (started.push(Number(String(d).trim())), res({ parent: p, childPid: Number(String(d).trim()) }))),
  );
}

/** A child script that writes `<name>.ready`, then blocks its main thread for good (or stops itself). */
function child(name: string, o: { watch: boolean; stop?: boolean }): string {
  const script = join(dir, `${name}.mjs`);
  writeFileSync(
    script,
    `${o.watch ? `import { watchParent } from ${JSON.stringify(dist('parent-watch.js'))}; watchParent(Number(process.env.RECEPTION_PARENT_PID));` : ''}
    import { writeFileSync } from 'node:fs';
    writeFileSync(${JSON.stringify(join(dir, `${name}.ready`))}, String(process.pid));
    ${o.stop ? `process.kill(process.pid, 'SIGSTOP');` : ''}
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`,
  );
  return script;
}

async function killParentAndWatch(name: string, o: { watch: boolean; stop?: boolean }, how: 'plain' | 'orphan-proof') {
  const { parent: p, childPid } = await parent(child(name, o), how);
  await until(`${name} ready`, 30_000, () => existsSync(join(dir, `${name}.ready`)));
  expect(Number(readFileSync(join(dir, `${name}.ready`), 'utf8'))).toBe(childPid); // setpriv execs node: same pid
  p.kill('SIGKILL');
  return { pid: childPid, parentPid: p.pid! };
}
const ppidOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);

beforeAll(() => ensureWorkerBuilt(), 180_000);
afterAll(() => started.forEach((pid) => alive(pid) && process.kill(pid, 'SIGKILL')));

describe('a child never outlives its parent', () => {
  it('control: a plain child with its main thread blocked lives on as an orphan', async () => {
    const { pid, parentPid } = await killParentAndWatch('plain-blocked', { watch: false }, 'plain');
    await until('child re-parented', 30_000, () => ppidOf(pid) !== parentPid);
    expect(alive(pid)).toBe(true);
  });

  it('the watch thread ends a child whose main thread is blocked', async () => {
    const { pid } = await killParentAndWatch('watched-blocked', { watch: true }, 'plain');
    await until('child gone', 30_000, () => !alive(pid));
  });

  it('the kernel ends a child that is stopped outright (setpriv --pdeathsig)', async () => {
    const { pid } = await killParentAndWatch('stopped', { watch: false, stop: true }, 'orphan-proof');
    await until('child gone', 30_000, () => !alive(pid));
  });
});

describe('pid file', () => {
  it('kills the very process it names, and never a recycled pid', async () => {
    const sleeper = spawn('sleep', ['600']);
    const file = join(dir, 'sleeper.pid');
    await writePidFile(file, sleeper.pid!, 'sleeper');
    const other = spawn('sleep', ['600']);
    const forged = join(dir, 'forged.pid');
    writeFileSync(forged, JSON.stringify({ pid: other.pid, startTicks: startTicksOf(other.pid!)! - 1, what: 'an older process' }));
    expect(await killLeftover(forged)).toBeNull(); // same pid, another start time: not ours
    expect(alive(other.pid!)).toBe(true);
    expect(await killLeftover(file)).toMatchObject({ pid: sleeper.pid, what: 'sleeper' });
    expect(alive(sleeper.pid!)).toBe(false);
    expect(existsSync(file)).toBe(false);
    other.kill('SIGKILL');
  });
});
