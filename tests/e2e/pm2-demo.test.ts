import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The pm2 ecosystem file, run for real by pm2-runtime (its own PM2_HOME, as on a host without
// systemd): hub, simulated hardware, daemon and gateway come up on the demo ports, the room links to
// the hub, and SIGINT stops every process. Uses the fixed demo ports (8080, 8081, 8090, …).
const ROOT = resolve(import.meta.dirname, '../..');
const PM2_RUNTIME = join(ROOT, 'node_modules/.bin/pm2-runtime');

async function getJson(url: string): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function reachable(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );
}

describe('pm2 ecosystem', () => {
  let pm2: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (!pm2 || pm2.exitCode !== null) return;
    const gone = new Promise((r) => pm2!.once('exit', r));
    pm2.kill('SIGINT'); // pm2 stops its apps; SIGKILL would orphan them
    await Promise.race([gone, new Promise((r) => setTimeout(r, 30_000))]);
    if (pm2.exitCode === null) pm2.kill('SIGKILL');
  });

  it('pm2-runtime starts the demo room and the hub, the room links up, SIGINT stops them all', { timeout: 150_000 }, async () => {
    for (const url of ['http://127.0.0.1:8090/api/v1/rooms', 'http://127.0.0.1:8080/api/v1/health']) {
      expect(await reachable(url), `${url} already answers: stop the running demo first`).toBe(false);
    }
    const home = mkdtempSync(join(tmpdir(), 'pm2-home-'));
    pm2 = spawn(PM2_RUNTIME, ['start', 'ecosystem.config.cjs'], {
      cwd: ROOT,
      env: { ...process.env, PM2_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pm2.stdout!.on('data', (d) => (output = (output + String(d)).slice(-20_000)));
    pm2.stderr!.on('data', (d) => (output = (output + String(d)).slice(-20_000)));
    const exited = new Promise<number | null>((r) => pm2!.once('exit', (code) => r(code)));

    // daemon and gateway restart (EX_CONFIG) until the simulator has written the room config.
    await expect
      .poll(async () => (await getJson('http://127.0.0.1:8090/api/v1/rooms').catch(() => ({ body: [] }))).body, {
        timeout: 90_000,
        interval: 1000,
      })
      .toEqual(expect.arrayContaining([expect.objectContaining({ id: 'room-demo', online: true })]));
    await expect
      .poll(async () => (await getJson('http://127.0.0.1:8080/api/v1/health').catch(() => undefined))?.body.gateway?.state, {
        timeout: 60_000,
        interval: 1000,
      })
      .toBe('connected')
      .catch((err: Error) => {
        throw new Error(`${err.message}\n--- pm2-runtime output (tail) ---\n${output.slice(-6000)}`);
      });
    const health = (await getJson('http://127.0.0.1:8080/api/v1/health')).body;
    expect(health.media.health.state).toBe('online');
    expect((await fetch('http://127.0.0.1:8080/kiosk/')).status).toBe(200);
    // The ecosystem's simulator wrote the kiosk PIN into the room config: the touch screen unlocks.
    const unlock = await fetch('http://127.0.0.1:8080/api/v1/kiosk/unlock', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pin: '2468' }),
    });
    expect(unlock.status).toBe(200);

    pm2.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 40_000))]);
    expect(code, output).not.toBe('hung');
    for (const url of ['http://127.0.0.1:8090/api/v1/rooms', 'http://127.0.0.1:8080/api/v1/health', 'http://127.0.0.1:8081/state']) {
      expect(await reachable(url), `${url} still answers after pm2 stopped`).toBe(false);
    }
  });
});
