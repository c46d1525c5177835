import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { until } from '../../tests/helpers/until.js';

// runAsService with real processes and real signals: a small service (an HTTP server) under a stand-in
// systemd-notify that writes what it is told to a file.

const dir = mkdtempSync(join(tmpdir(), 'run-as-service-'));
const notifyLog = join(dir, 'notify.log');
const fakeNotify = join(dir, 'systemd-notify');
writeFileSync(fakeNotify, `#!/bin/sh\nshift\necho "$@" >> ${JSON.stringify(notifyLog)}\n`);
chmodSync(fakeNotify, 0o755);

const SERVICE = `
import { createServer } from 'node:http';
import { silentLogger } from ${JSON.stringify(resolve('common/log.ts'))};
import { createNotifier } from ${JSON.stringify(resolve('common/systemd/sd-notify.ts'))};
import { runAsService } from ${JSON.stringify(resolve('common/process/run-as-service.ts'))};
import { writeFileSync } from 'node:fs';
const server = createServer((_q, s) => s.end('ok'));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const mode = process.argv[2];
runAsService({
  name: 'test', logger: silentLogger(), line: { url: 'http://127.0.0.1:' + server.address().port, extra: 1 },
  healthy: () => server.listening, graceMs: 500,
  notifier: createNotifier({ NOTIFY_SOCKET: '/nowhere' }, { command: ${JSON.stringify(fakeNotify)} }),
  stop: async () => {
    if (mode === 'hang') await new Promise(() => {});
    await new Promise((r) => server.close(r));
    writeFileSync(process.argv[3], 'stopped');
  },
});
if (mode === 'reject') Promise.reject(new Error('a bug in one handler'));
if (mode === 'throw') setTimeout(() => { throw new Error('a bug that escapes'); }, 200);
`;
const script = join(dir, 'service.mts');
writeFileSync(script, SERVICE);

/** Starts the service, waits for its ready line, optionally signals it; resolves with how it ended. */
async function run(mode: string, signal?: NodeJS.Signals, afterMs = 0) {
  const marker = join(dir, `${mode}-${signal ?? 'none'}.stopped`);
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode, marker], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<Record<string, unknown>>((res, rej) => {
    child.stdout!.once('data', (b: Buffer) => res(JSON.parse(String(b).split('\n')[0]!)));
    child.once('exit', (code) => rej(new Error(`exited ${code} before ready`)));
  });
  await new Promise((r) => setTimeout(r, afterMs));
  const t0 = Date.now();
  if (signal) child.kill(signal);
  const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
  return { line, code, ms: Date.now() - t0, stopped: existsSync(marker) };
}

describe('runAsService', () => {
  it('prints the ready line, tells systemd READY=1, and on SIGTERM tells STOPPING=1, stops the modules, exits 0', async () => {
    const r = await run('normal', 'SIGTERM', 300); // time for the READY=1 child process to report
    expect(r.line).toMatchObject({ ready: true, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), extra: 1 });
    expect([r.code, r.stopped]).toEqual([0, true]);
    // systemd-notify runs as a child of its own: it may write after the service exited.
    // Each notification is its own child process: on a loaded box they may land in either order.
    const told = await until('READY=1 and STOPPING=1 told', 30_000, () => {
      const log = existsSync(notifyLog) ? readFileSync(notifyLog, 'utf8') : '';
      return /^STOPPING=1$/m.test(log) && /^READY=1/m.test(log) && log;
    });
    expect(told).toMatch(/^READY=1 STATUS=serving http:\/\/127\.0\.0\.1:\d+$/m);
  }, 20_000);

  it('SIGINT (pm2, Ctrl-C) stops the same way', async () => {
    expect(await run('normal', 'SIGINT')).toMatchObject({ code: 0, stopped: true });
  }, 20_000);

  it('a stop that hangs is cut off after graceMs: exit 1', async () => {
    const r = await run('hang', 'SIGTERM');
    expect([r.code, r.stopped]).toEqual([1, false]);
    expect(r.ms).toBeLessThan(15_000); // cut off (a hung stop never ends by itself), not a speed check
  }, 20_000);

  it('an unhandled rejection is logged and the service keeps serving; an uncaught exception stops it gracefully, exit 1', async () => {
    expect(await run('reject', 'SIGTERM', 300)).toMatchObject({ code: 0, stopped: true });
    expect(await run('throw')).toMatchObject({ code: 1, stopped: true });
  }, 20_000);
});
