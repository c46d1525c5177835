// The clock fault really moves a process's wall clock (and its children's), not its monotonic clock.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../tests/helpers/until.js';
import { createClockFault, findLibfaketime, offsetSpec } from './clock.js';

const dir = mkdtempSync(join(tmpdir(), 'chz-q-clock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('offsetSpec', () => {
  it('writes signed whole seconds as libfaketime reads them', () => {
    expect(offsetSpec(3600)).toBe('+3600');
    expect(offsetSpec(-300)).toBe('-300');
    expect(offsetSpec(0)).toBe('+0');
    expect(() => offsetSpec(Number.NaN)).toThrow(/finite/);
  });
});

describe.skipIf(!findLibfaketime())('clock jumps in a running process', () => {
  it('+1 h then −5 min: Date.now() and a spawned `date` follow, performance.now() does not', async () => {
    const clock = createClockFault(dir);
    // A child printing, on each line it reads: Date.now() - real start, performance.now(), `date +%s` from a grandchild.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const {execFileSync}=require('node:child_process');const d0=${Date.now()};
         require('node:readline').createInterface({input:process.stdin}).on('line',()=>{
           console.log(JSON.stringify({wall:Date.now()-d0,mono:performance.now(),date:Number(execFileSync('date',['+%s']).toString())*1000-d0}));});`,
      ],
      { env: { ...process.env, ...clock.env() }, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines: { wall: number; mono: number; date: number }[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => lines.push(JSON.parse(l)));
    const ask = async () => {
      const n = lines.length;
      child.stdin!.write('\n');
      await until('the child answers', 30_000, () => lines.length > n);
      return lines.at(-1)!;
    };
    try {
      const before = await ask();
      expect(Math.abs(before.wall)).toBeLessThan(60_000);
      clock.jump(3600);
      const later = await until('wall clock +1 h (seen within the 1 s cache)', 30_000, async () => {
        const s = await ask();
        return s.wall > 3_590_000 && s;
      });
      expect(later.wall).toBeLessThan(3_700_000);
      expect(later.date).toBeGreaterThan(3_580_000); // the grandchild's clock moved too
      expect(later.mono - before.mono).toBeLessThan(60_000); // monotonic untouched
      clock.jump(-300);
      const back = await until('wall clock −5 min', 30_000, async () => {
        const s = await ask();
        return s.wall < -290_000 && s;
      });
      expect(back.wall).toBeGreaterThan(-400_000);
      expect(back.mono).toBeGreaterThan(later.mono); // never backwards
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000); // a loaded 2-core box (load 68 seen) takes its time; the waits above are conditions, not sleeps
});
