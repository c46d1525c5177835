import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createThreadWaits } from './thread-waits.js';

// The liveness judge's scheduler figures: this process's threads' run-queue wait (issue 12, a starved box).

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fakeTasks(threads: Record<number, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'thread-waits-'));
  dirs.push(dir);
  const set = (tid: number, line: string) => (
    mkdirSync(join(dir, String(tid)), { recursive: true }), writeFileSync(join(dir, `${tid}/schedstat`), line)
  );
  for (const [tid, line] of Object.entries(threads)) set(Number(tid), line);
  return { dir, set, remove: (tid: number) => rmSync(join(dir, String(tid)), { recursive: true }) };
}

describe('thread waits', () => {
  it.skipIf(!existsSync('/proc/self/task'))('reads this process: the main thread among them, figures that only grow', () => {
    const waits = createThreadWaits();
    const a = waits.read(1000);
    expect(waits.read(1002)).toBe(a); // one reading per tick, shared by both cameras
    const b = waits.read(2000);
    waits.close();
    expect(a?.get(process.pid)).toBeGreaterThanOrEqual(0);
    expect(b?.get(process.pid)).toBeGreaterThanOrEqual(a?.get(process.pid) ?? 0);
  });

  it('re-reads each open file (field 2), lists threads again at most once a second', () => {
    const t = fakeTasks({ 10: '500 2000 7\n', 11: '1 30 1\n' });
    const waits = createThreadWaits(t.dir);
    expect(waits.read(0)).toEqual(
      new Map([
        [10, 2000],
        [11, 30],
      ]),
    );
    t.set(10, '600 9000 8\n');
    t.set(12, '1 5 1\n');
    t.remove(11);
    expect(waits.read(500)?.get(10)).toBe(9000); // same list: 12 not seen yet
    expect(waits.read(500)?.has(12)).toBe(false);
    expect(waits.read(1000)).toEqual(
      new Map([
        [10, 9000],
        [12, 5],
      ]),
    );
    waits.close();
  });

  it('a tick without a read closes every file (no fds held while frames flow), listed again on the next read', () => {
    const t = fakeTasks({ 20: '1 100 1\n' });
    const waits = createThreadWaits(t.dir);
    expect(waits.read(0)?.get(20)).toBe(100);
    t.set(21, '1 7 1\n');
    waits.endTick(); // read this tick: kept open
    expect(waits.read(50)?.has(21)).toBe(false); // the same list (listed < 1 s ago)
    waits.endTick();
    waits.endTick(); // a tick with frames flowing: closed
    expect(waits.read(150)?.get(21)).toBe(7); // listed afresh
    waits.close();
  });

  it('no /proc (another OS): undefined, so only the tick gap excuses', () => {
    const waits = createThreadWaits('/nonexistent/task');
    expect(waits.read(0)).toBeUndefined();
    expect(waits.read(2000)).toBeUndefined();
  });
});
