import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../../common/config/redact-config.js';
import { sha256Hex } from '../../common/http/credentials.js';
import { startHubProcess, startLinkedRoom } from '../helpers/hub-process.js';
import { CLI, json, ROOM_TECHNICIAN_TOKEN } from '../helpers/room-processes.js';
import { until } from '../helpers/until.js';
import { launchBrowser } from '../helpers/browser.js';

// Remote operations with real processes: a hub, a simulated room enrolled at it whose daemon and gateway
// run under pm2 (pm2-runtime, its own PM2_HOME: the room's supervisor where there is no systemd, with
// autorestart as systemd's Restart=always), ops asked at the hub as the console does. A config that
// validates but leaves the room without a picture is rolled back by the room itself; a good one stays;
// a diagnostics bundle goes up and comes down; a restart brings the room back.

const ROOT = resolve(import.meta.dirname, '../..');
const TRIAL_SECONDS = 45; // wide for a loaded 2-core box: the restart, the worker, the gateway's link

describe('e2e: remote operations on a room under pm2', () => {
  let hub: Awaited<ReturnType<typeof startHubProcess>>;
  let room: Awaited<ReturnType<typeof startLinkedRoom>>;
  let pm2: ChildProcess | undefined;
  let pm2Out = '';
  const figures: Record<string, number> = {};
  const ops = (body?: object) =>
    json(`${hub.url}/api/v1/fleet/rooms/room-demo/ops`, body ? { method: 'POST', body: JSON.stringify(body) } : {});
  const health = () =>
    json(`${room.api}/api/v1/health`).then(
      (r) => r.body,
      () => undefined,
    );
  const healthy = async () => {
    const h = await health();
    return h?.status === 'ok' && h.media?.source === 'primary' && h.gateway?.state === 'connected' && h;
  };
  /** Asks an op and waits for the room's final word on it. */
  async function run(body: object, ceilingMs: number) {
    const t0 = Date.now();
    const asked = await ops(body);
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const op = await until(
      async () =>
        `op ${asked.body.id} to finish; last: ${JSON.stringify((await ops()).body.find((o: { id: string }) => o.id === asked.body.id))}\n${pm2Out.slice(-3000)}`,
      ceilingMs,
      async () =>
        (await ops()).body.find(
          (o: { id: string; state: string }) => o.id === asked.body.id && !['pending', 'handed-over'].includes(o.state),
        ),
      500,
    );
    return { op, seconds: Math.round((Date.now() - t0) / 100) / 10 };
  }

  beforeAll(async () => {
    hub = await startHubProcess(1);
    room = await startLinkedRoom(hub, 1, { picture: true, kioskPin: '2468' });
    // The room goes under pm2: same config, same state dir.
    await room.gateway.stop('SIGINT');
    await room.daemon.stop('SIGINT');
    const cfg = JSON.parse(readFileSync(room.configFile, 'utf8'));
    Object.assign(cfg, { fleet: { reportSeconds: 2 }, remoteOps: { trialSeconds: TRIAL_SECONDS } });
    writeFileSync(room.configFile, JSON.stringify(cfg, null, 2), { mode: 0o600 });
    const logs = join(room.dir, 'pm2-logs');
    mkdirSync(logs);
    const app = (name: string, args: string[]) => ({
      name,
      script: CLI,
      interpreter: process.execPath,
      args,
      cwd: ROOT,
      autorestart: true,
      restart_delay: 1000,
      max_restarts: 50,
      kill_timeout: 20_000,
      out_file: join(logs, `${name}-out.log`),
      error_file: join(logs, `${name}-err.log`),
      env: { RECEPTION_STATE_DIR: room.env.RECEPTION_STATE_DIR },
    });
    const eco = join(room.dir, 'ecosystem.config.cjs');
    writeFileSync(
      eco,
      `module.exports = ${JSON.stringify({ apps: [app('reception-daemon', ['daemon', '--config', room.configFile]), app('reception-gateway', ['gateway', '--config', room.configFile])] }, null, 2)};\n`,
    );
    pm2 = spawn(join(ROOT, 'node_modules/.bin/pm2-runtime'), ['start', eco], {
      env: { ...process.env, PM2_HOME: mkdtempSync(join(tmpdir(), 'pm2-home-')) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const s of [pm2.stdout!, pm2.stderr!]) s.on('data', (d) => (pm2Out = (pm2Out + String(d)).slice(-20_000)));
    await until(() => `the room healthy under pm2: ${JSON.stringify(figures)}\n${pm2Out.slice(-3000)}`, 120_000, healthy, 500);
  });

  afterAll(async () => {
    if (pm2 && pm2.exitCode === null) {
      const gone = new Promise((r) => pm2!.once('exit', r));
      pm2.kill('SIGINT'); // pm2 stops its apps gracefully
      await Promise.race([gone, until('pm2-runtime to exit', 60_000, () => pm2!.exitCode !== null, 500).catch(() => pm2!.kill('SIGKILL'))]);
    }
    await room?.sim.stop('SIGINT');
    await hub?.stop();
    if (Object.keys(figures).length) console.log(`remote-ops e2e figures (s): ${JSON.stringify(figures)}`);
  });

  it('the hub refuses a config the room would refuse, naming the field', async () => {
    const bad = await ops({ kind: 'config', config: { media: { videoRtpPort: -1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'CONFIG_INVALID', field: '/config/media/videoRtpPort' });
  });

  it('a config that leaves the room without a picture is rolled back by the room: its old config back, healthy, the reason at the hub', {
    timeout: 420_000,
  }, async () => {
    const before = JSON.parse(readFileSync(room.configFile, 'utf8'));
    const { op, seconds } = await run({ kind: 'config', config: { media: { rtspUri: 'rtsp://127.0.0.1:9/no-camera-here' } } }, 300_000);
    figures.rolledBackAfter = seconds;
    expect(op.state, JSON.stringify(op)).toBe('rolled-back');
    expect(op.reason).toContain(`${TRIAL_SECONDS} s`);
    expect(op.reason).toContain('no camera on air');
    expect(JSON.parse(readFileSync(room.configFile, 'utf8'))).toEqual(before);
    const t0 = Date.now();
    await until(async () => `the room healthy again on its old config: ${JSON.stringify(await health())}`, 120_000, healthy, 500);
    figures.healthyAgainAfterResult = Math.round((Date.now() - t0) / 100) / 10;
  });

  it('a config whose port cannot bind crashes the daemon at every start: rolled back after 3 starts, the previous config kept', {
    timeout: 300_000,
  }, async () => {
    const before = JSON.parse(readFileSync(room.configFile, 'utf8'));
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const { op, seconds } = await run({ kind: 'config', config: { api: { port } } }, 240_000);
      figures.crashLoopRolledBackAfter = seconds;
      expect(op.state, JSON.stringify(op)).toBe('rolled-back');
      expect(op.reason).toContain('3 starts');
    } finally {
      taken.close();
    }
    expect(JSON.parse(readFileSync(room.configFile, 'utf8'))).toEqual(before);
    await until(async () => `the room healthy again after the crash loop: ${JSON.stringify(await health())}`, 120_000, healthy, 500);
  });

  it('a good config is applied and stays', { timeout: 300_000 }, async () => {
    const { op, seconds } = await run({ kind: 'config', config: { kiosk: { sessionMinutes: 15 } } }, 240_000);
    figures.appliedAfter = seconds;
    expect(op.state, JSON.stringify(op)).toBe('applied');
    expect(op.reason).toMatch(/healthy \d+ s after the restart/);
    expect(JSON.parse(readFileSync(room.configFile, 'utf8')).kiosk.sessionMinutes).toBe(15);
    expect(JSON.parse(readFileSync(`${room.configFile}.previous`, 'utf8')).kiosk.sessionMinutes).toBe(10);
    expect(await healthy()).toBeTruthy();
  });

  it('a diagnostics bundle: asked at the hub, uploaded by the room, downloaded with health, versions and the config without secrets', {
    timeout: 180_000,
  }, async () => {
    const { op, seconds } = await run({ kind: 'diagnostics' }, 120_000);
    figures.bundleAfter = seconds;
    expect(op.state, JSON.stringify(op)).toBe('applied');
    const res = await fetch(`${hub.url}/api/v1/fleet/rooms/room-demo/ops/${op.id}/bundle`);
    expect(res.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    writeFileSync(join(dir, 'b.tar.gz'), Buffer.from(await res.arrayBuffer()));
    execFileSync('tar', ['-xzf', 'b.tar.gz'], { cwd: dir });
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    expect(JSON.parse(read('health.json'))).toMatchObject({ room: { id: 'room-demo' }, status: 'ok' });
    const versions = JSON.parse(read('versions.json'));
    expect(versions).toMatchObject({ node: { node: expect.any(String) }, supervisor: 'pm2', app: expect.any(String) });
    expect(versions.gstreamer.join(' ')).toMatch(/GStreamer 1\.\d+/);
    const cfg = JSON.parse(read('config.json'));
    expect(cfg.kiosk.pinHash).toBe(REDACTED);
    expect(cfg.access.tokens[0].sha256).toBe(REDACTED);
    expect(JSON.parse(read('fleet-report.json'))).toMatchObject({ status: 'ok', version: versions.app });
    const logs = readdirSync(join(dir, 'logs'));
    expect(logs).toContain('reception-daemon-out.log');
    expect(read('logs/reception-daemon-out.log')).toContain('"ready":true');
    const real = JSON.parse(readFileSync(room.configFile, 'utf8'));
    const everything = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== 'b.tar.gz')
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    for (const secret of [real.kiosk.pinHash, sha256Hex(ROOM_TECHNICIAN_TOKEN), ROOM_TECHNICIAN_TOKEN])
      expect(everything).not.toContain(secret);
  });

  it('a restart: the room services restart and the room reports it back, healthy', { timeout: 240_000 }, async () => {
    const { op, seconds } = await run({ kind: 'restart' }, 180_000);
    figures.restartAfter = seconds;
    expect(op.state, JSON.stringify(op)).toBe('applied');
    expect(op.reason).toMatch(/back \d+ s after the request/);
    await until(async () => `the room healthy after the restart: ${JSON.stringify(await health())}`, 120_000, healthy, 500);
  });

  it("a self-test run from the hub: the room records, verifies and uploads a short hearing, the figures in the op's reason", {
    timeout: 420_000,
  }, async () => {
    const { op, seconds } = await run({ kind: 'selftest', seconds: 5 }, 360_000);
    figures.selftestAfter = seconds;
    expect(op.state, JSON.stringify(op)).toBe('applied');
    expect(op.reason).toContain('self-test passed');
    expect(op.reason).toMatch(/verify ok; upload \d+ receipts/);
  });

  it("the console's panel: each op with its state and the room's reason, a refused push naming the field, a push from the page", {
    timeout: 180_000,
  }, async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const failed: string[] = [];
      page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
      await page.goto(`${hub.url}/console/fleet.html?room=room-demo`); // loopback is trusted by this test hub: no sign-in
      const rows = page.locator('#room-ops table.ops tbody tr');
      await until('the ops listed in the room view', 60_000, async () => (await rows.count()) >= 5, 250);
      const text = (await page.locator('#room-ops').textContent()) ?? '';
      expect(text).toContain('Thao tác từ xa / Remote operations');
      expect(text).toContain('Đã khôi phục cấu hình cũ / Rolled back');
      expect(text).toContain('no camera on air');
      expect(text).toContain('Đã áp dụng / Applied');
      const href = await page.locator('#room-ops a[href$="/bundle"]').first().getAttribute('href');
      expect((await fetch(`${hub.url}${href}`)).status).toBe(200);

      await page.fill('#room-ops textarea', '{"api": {"port": 70000}}');
      await page.click('#room-ops button:has-text("Gửi cấu hình")');
      await until(
        'the refusal on the page',
        30_000,
        async () => ((await page.locator('#room-ops .ops-status').textContent()) ?? '').includes('/config/api/port'),
        250,
      );

      const n = await rows.count();
      await page.fill('#room-ops textarea', '{"kiosk": {"sessionMinutes": 15}}'); // what the room already runs: no restart
      await page.click('#room-ops button:has-text("Gửi cấu hình")');
      await until(
        async () => `the page's push answered by the room: ${await page.locator('#room-ops').textContent()}`,
        60_000,
        async () => (await rows.count()) > n && ((await rows.first().textContent()) ?? '').includes('nothing to change'),
        500,
      );
      // The panel's only failed request is the refused push; no script error (failed loads elsewhere on the page are the page's).
      expect(failed.filter((f) => f.includes('/ops'))).toEqual(['400 POST /api/v1/fleet/rooms/room-demo/ops']);
      expect((page as unknown as { errors: string[] }).errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
