import { describe, expect, it } from 'vitest';
import { installFaultHooks } from './fault-hooks.js';
import { createWatchdogGate, downTooLong, envSeconds, listening, MEDIA_DOWN_ENV } from './watchdog-gate.js';

const captureLogger = () => {
  const lines: { level: string; obj: object; msg: string }[] = [];
  return {
    lines,
    warn: (obj: object, msg: string) => lines.push({ level: 'warn', obj, msg }),
    info: (obj: object, msg: string) => lines.push({ level: 'info', obj, msg }),
  };
};

describe('watchdog gate', () => {
  it('pings while every check passes; withholds them while one fails, logging each change once', () => {
    let address = 'http://127.0.0.1:8080';
    const logger = captureLogger();
    const gate = createWatchdogGate([listening('api', () => address)], { logger });
    expect(gate.healthy()).toBe(true);
    address = '';
    expect(gate.healthy()).toBe(false);
    expect(gate.healthy()).toBe(false);
    expect(gate.problems()).toEqual(['api: not listening']);
    address = 'http://127.0.0.1:8080';
    expect(gate.healthy()).toBe(true);
    expect(logger.lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'watchdog pings withheld: systemd restarts this process after WatchdogSec'],
      ['info', 'watchdog pings resumed'],
    ]);
  });

  it('a check that throws counts as a problem', () => {
    const gate = createWatchdogGate([
      {
        name: 'media worker',
        problem: () => {
          throw new Error('status gone');
        },
      },
    ]);
    expect(gate.healthy()).toBe(false);
    expect(gate.problems()).toEqual(['media worker: check threw: status gone']);
  });

  it('downTooLong: a part down for less than the limit is left to its supervisor; past it, the pings stop', () => {
    let t = 0;
    let up: boolean | undefined = true;
    const check = downTooLong('media worker', { up: () => up, limitMs: 120_000, now: () => t, detail: () => 'restarting, 9 restarts' });
    expect(check.problem()).toBeNull();
    up = false;
    t = 1000;
    expect(check.problem()).toBeNull(); // down since 1 s
    t = 120_999;
    expect(check.problem()).toBeNull();
    t = 121_000;
    expect(check.problem()).toBe('not running for 120 s (restarting, 9 restarts)');
    up = true; // back: the count starts again at the next failure
    expect(check.problem()).toBeNull();
    up = false;
    t = 200_000;
    expect(check.problem()).toBeNull();
    t = 300_000;
    check.sawUp(); // up and down again between two samples (an event said so): the count starts again
    expect(check.problem()).toBeNull();
    t = 419_999;
    expect(check.problem()).toBeNull();
    t = 420_000;
    expect(check.problem()).toBe('not running for 120 s (restarting, 9 restarts)');
    up = undefined; // not used (media disabled): never a problem
    t = 1_000_000;
    expect(check.problem()).toBeNull();
  });

  it('envSeconds: the unit sets the limit; a missing or bad value keeps the default', () => {
    expect(envSeconds({}, MEDIA_DOWN_ENV, 120)).toBe(120_000);
    expect(envSeconds({ [MEDIA_DOWN_ENV]: '5' }, MEDIA_DOWN_ENV, 120)).toBe(5000);
    expect(envSeconds({ [MEDIA_DOWN_ENV]: 'x' }, MEDIA_DOWN_ENV, 120)).toBe(120_000);
    expect(envSeconds({ [MEDIA_DOWN_ENV]: '-1' }, MEDIA_DOWN_ENV, 120)).toBe(120_000);
  });

  it('fault hooks: off by default and refused under NODE_ENV=production', () => {
    const logger = captureLogger();
    const before = process.listenerCount('SIGUSR2');
    expect(installFaultHooks({}, logger)).toBe(false);
    expect(installFaultHooks({ RECEPTION_FAULT_HOOKS: '1', NODE_ENV: 'production' }, logger)).toBe(false);
    expect(process.listenerCount('SIGUSR2')).toBe(before);
    expect(logger.lines.map((l) => l.msg)).toEqual(['RECEPTION_FAULT_HOOKS=1 ignored under NODE_ENV=production']);
  });
});
