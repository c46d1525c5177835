import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { descendants, parentMap, parseStatPpid, parseStatus, sampleProcess, sampleTree } from './proc-sample.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** A node child steered over stdin: "open N" opens N more fds, "alloc MB" touches MB of memory; answers "ok". */
function steeredChild() {
  const code = `
    const fs = require('node:fs'); const keep = [];
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d) => { for (const line of d.split('\\n').filter(Boolean)) {
      const [cmd, n] = line.split(' ');
      if (cmd === 'open') for (let i = 0; i < Number(n); i++) keep.push(fs.openSync('/dev/null', 'r'));
      if (cmd === 'alloc') keep.push(Buffer.alloc(Number(n) * 1024 * 1024, 1));
      process.stdout.write('ok\\n');
    } });
    process.stdout.write('ok\\n');`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  let waiting: (() => void) | undefined;
  let pending = 0;
  child.stdout!.on('data', (d: Buffer) => {
    pending += String(d).split('ok').length - 1;
    if (pending > 0 && waiting) {
      pending--;
      const w = waiting;
      waiting = undefined;
      w();
    }
  });
  const reply = () =>
    new Promise<void>((resolve) => {
      if (pending > 0) {
        pending--;
        resolve();
      } else waiting = resolve;
    });
  return {
    pid: child.pid!,
    ready: reply(),
    async send(line: string) {
      child.stdin!.write(`${line}\n`);
      await reply();
    },
  };
}

describe('parsing /proc', () => {
  it('reads VmRSS, Threads and PPid from /proc/PID/status', () => {
    const text = 'Name:\tnode\nState:\tS (sleeping)\nPid:\t42\nPPid:\t7\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\nThreads:\t11\n';
    expect(parseStatus(text)).toEqual({ rssKb: 123456, threads: 11, ppid: 7 });
  });

  it('a process without memory (zombie, kernel thread) has VmRSS 0', () => {
    expect(parseStatus('Name:\tkworker\nPPid:\t2\nThreads:\t1\n').rssKb).toBe(0);
  });

  it('reads the parent pid from /proc/PID/stat even when the name holds spaces and parentheses', () => {
    expect(parseStatPpid('1234 (node) S 99 1234 1234 0 -1')).toBe(99);
    expect(parseStatPpid('1234 (a) b) (c) R 77 1 1 0')).toBe(77);
    expect(parseStatPpid('1234 (Web Content) S 5 1 1 0')).toBe(5);
  });
});

describe('a fake /proc tree', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const proc = (pid: number, ppid: number, comm: string, cmdline: string[], fds: number, rssKb: number) => {
    const dir = join(root, String(pid));
    mkdirSync(join(dir, 'fd'), { recursive: true });
    writeFileSync(join(dir, 'stat'), `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0`);
    writeFileSync(join(dir, 'status'), `Name:\t${comm}\nPPid:\t${ppid}\nVmRSS:\t${rssKb} kB\nThreads:\t3\n`);
    writeFileSync(join(dir, 'comm'), `${comm}\n`);
    writeFileSync(join(dir, 'cmdline'), `${cmdline.join('\0')}\0`);
    for (let i = 0; i < fds; i++) writeFileSync(join(dir, 'fd', String(i)), '');
  };

  it('finds children and grandchildren, names them by role, and skips other trees', () => {
    root = mkdtempSync(join(tmpdir(), 'soak-proc-'));
    mkdirSync(join(root, 'self')); // not a pid: ignored
    proc(1, 0, 'init', ['init'], 1, 10);
    proc(100, 1, 'node', ['node', 'reception.js', 'daemon'], 40, 170_000);
    proc(101, 100, 'node', ['node', 'dist/daemon/drivers/media/worker/media-worker.js'], 90, 130_000);
    proc(102, 101, 'gst-plugin-scan', ['gst-plugin-scanner'], 4, 2_000);
    proc(200, 1, 'node', ['node', 'reception.js', 'hub'], 30, 150_000);
    const parents = parentMap(root);
    expect(parents.get(102)).toBe(101);
    expect(descendants(100, parents)).toEqual([101, 102]);
    expect(descendants(200, parents)).toEqual([]);
    const tree = sampleTree('daemon', 100, (p) => (p.cmdline.includes('media-worker') ? 'media worker' : undefined), root);
    expect(tree.map((p) => [p.role, p.pid, p.fds, p.rssKb])).toEqual([
      ['daemon', 100, 40, 170_000],
      ['media worker', 101, 90, 130_000],
      ['daemon/gst-plugin-scan', 102, 4, 2_000],
    ]);
  });

  it('a process gone between listing and reading is left out, not an error', () => {
    root = mkdtempSync(join(tmpdir(), 'soak-proc-'));
    proc(100, 1, 'node', ['node'], 1, 1);
    mkdirSync(join(root, '101')); // listed, but its files are gone
    expect(sampleProcess(101, root)).toBeNull();
    expect(sampleTree('x', 100, undefined, root).map((p) => p.pid)).toEqual([100]);
    expect(sampleTree('x', 555, undefined, root)).toEqual([]);
  });
});

describe('the real /proc', () => {
  it('counts the fds a process opens and the memory it touches', async () => {
    const child = steeredChild();
    await child.ready;
    const before = sampleProcess(child.pid)!;
    expect(before.cmdline).toContain('-e');
    expect(before.threads).toBeGreaterThan(1);
    await child.send('open 25');
    await child.send('alloc 64');
    const after = sampleProcess(child.pid)!;
    // exactly 25 more fds, give or take the odd one libuv or V8 opens or closes meanwhile
    expect(after.fds - before.fds).toBeGreaterThanOrEqual(24);
    expect(after.fds - before.fds).toBeLessThanOrEqual(27);
    expect(after.rssKb - before.rssKb).toBeGreaterThan(60 * 1024);
  });

  it('sees this process (vitest) as the parent of its child, and the child among its descendants', async () => {
    const child = steeredChild();
    await child.ready;
    expect(sampleProcess(child.pid)!.ppid).toBe(process.pid);
    expect(descendants(process.pid, parentMap())).toContain(child.pid);
    const tree = sampleTree('vitest', process.pid, (p) => (p.pid === child.pid ? 'steered' : undefined));
    expect(tree[0]).toMatchObject({ role: 'vitest', pid: process.pid });
    expect(tree.find((p) => p.pid === child.pid)?.role).toBe('steered');
  });

  it('a process that has exited is null', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    expect(sampleProcess(child.pid!)).toBeNull();
  });
});
